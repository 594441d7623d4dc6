/* fuzz_sign.c: link_verify() and apisig_verify() with fields carved from the
 * input, judged against a reference verdict computed here from the rules in
 * sign.h. Input: 4 bytes of clock offset, 1 byte of mode, then fields split
 * at '\n': order, buyer, ts, sig, method, path, ts header, sig header, and
 * the rest is the body. A field the input runs out before is NULL.
 * Mode bit 0 (bit 1) replaces the link (API) signature with the right one,
 * so the success paths and the time windows are reached too.
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc src/base/crypto.c \
 *       src/web/sign.c tests/fuzz/fuzz_sign.c $(pkg-config --libs libsodium) */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/crypto.h"
#include "web/sign.h"

#define SECRET "fuzz-secret"
#define T0 1700000000LL
#define NFIELDS 8
#define MAX_AGE 900
#define SKEW 300

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
ref_ident(const char *s, size_t max)
{
	size_t n;

	if (s == NULL)
		return false;
	n = strlen(s);
	return n >= 1 && n <= max && strspn(s,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static bool
ref_digits(const char *s, long long *v)
{
	size_t n;

	if (s == NULL)
		return false;
	n = strlen(s);
	if (n < 1 || n > 12 || strspn(s, "0123456789") != n)
		return false;
	*v = strtoll(s, NULL, 10);
	return true;
}

static bool
ref_hex64(const char *s)
{
	return s != NULL && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

static enum rd_err
ref_link(const char *o, const char *b, const char *ts, const char *sig, long long now,
    char right[65])
{
	char msg[300];
	long long t;

	right[0] = '\0';
	if (!ref_ident(o, ORDER_NO_MAX) || !ref_ident(b, BUYER_ID_MAX) ||
	    !ref_digits(ts, &t) || sig == NULL)
		return RD_ERR_INPUT;
	snprintf(msg, sizeof(msg), "order=%s&buyer=%s&ts=%s", o, b, ts);
	hmac_sha256_hex(SECRET, strlen(SECRET), msg, strlen(msg), right);
	if (!ref_hex64(sig) || strcmp(sig, right) != 0)
		return RD_ERR_AUTH;
	if (now - t > MAX_AGE || t - now > 60)
		return RD_ERR_AUTH;
	return RD_OK;
}

static enum rd_err
ref_api(const char *m, const char *p, const char *tsh, const char *sig,
    const char *body, size_t blen, long long now, char right[65])
{
	char *msg, bh[65];
	size_t mlen;
	long long t;

	right[0] = '\0';
	if (m == NULL || strlen(m) < 1 || strlen(m) > 16 ||
	    strspn(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(m))
		return RD_ERR_AUTH;
	if (p == NULL || *p == '\0' || strchr(p, '\r') != NULL || strchr(p, '\n') != NULL)
		return RD_ERR_AUTH;
	if (!ref_digits(tsh, &t))
		return RD_ERR_AUTH;
	sha256_hex(body, blen, bh);
	mlen = strlen(m) + strlen(p) + strlen(tsh) + 64 + 3;
	if ((msg = malloc(mlen + 1)) == NULL)
		abort();
	snprintf(msg, mlen + 1, "%s\n%s\n%s\n%s", m, p, tsh, bh);
	hmac_sha256_hex(SECRET, strlen(SECRET), msg, mlen, right);
	free(msg);
	/* sign.c caps the message at 4 KiB: a longer path never verifies. */
	if (mlen >= 4096)
		right[0] = '\0';
	if (!ref_hex64(sig) || strcmp(sig, right) != 0)
		return RD_ERR_AUTH;
	if (now - t > SKEW || t - now > SKEW)
		return RD_ERR_AUTH;
	return RD_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool inited;
	char *copy, *f[NFIELDS], *p, *body, right[65], good[65];
	const char *lsig, *asig;
	size_t i, blen;
	int32_t off;
	long long now;
	uint8_t mode;
	enum rd_err got, want;

	if (!inited) {
		if (crypto_init() != RD_OK)
			abort();
		inited = true;
	}
	if (size < 5)
		return 0;
	memcpy(&off, data, 4);
	/* Keep the clock near the timestamps the fuzzer tends to write. */
	now = T0 + off % 100000;
	mode = data[4];
	if ((copy = malloc(size - 5 + 1)) == NULL)
		abort();
	memcpy(copy, data + 5, size - 5);
	copy[size - 5] = '\0';
	p = copy;
	for (i = 0; i < NFIELDS; i++) {
		f[i] = p;
		if (p != NULL && (p = memchr(p, '\n', (size_t)(copy + size - 5 - p))) != NULL)
			*p++ = '\0';
	}
	body = p;
	blen = body != NULL ? (size_t)(copy + size - 5 - body) : 0;

	/* The hand-off link. */
	want = ref_link(f[0], f[1], f[2], f[3], now, right);
	lsig = f[3];
	if ((mode & 1) && right[0] != '\0') {
		memcpy(good, right, sizeof(good));
		lsig = good;
		want = ref_link(f[0], f[1], f[2], lsig, now, right);
	}
	got = link_verify(SECRET, f[0], f[1], f[2], lsig, (time_t)now, MAX_AGE);
	if (got != want) {
		fprintf(stderr, "link_verify %d, reference %d\n", got, want);
		abort();
	}

	/* The storefront API. */
	want = ref_api(f[4], f[5], f[6], f[7], body ? body : "", blen, now, right);
	asig = f[7];
	if ((mode & 2) && right[0] != '\0') {
		memcpy(good, right, sizeof(good));
		asig = good;
		want = ref_api(f[4], f[5], f[6], asig, body ? body : "", blen, now, right);
	}
	got = apisig_verify(SECRET, f[4], f[5], f[6], asig, body, blen, (time_t)now, SKEW);
	if (got != want) {
		fprintf(stderr, "apisig_verify %d, reference %d\n", got, want);
		abort();
	}
	free(copy);
	return 0;
}
