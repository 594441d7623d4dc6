/* fuzz_cookie.c: cookie_get() and session_decode() on arbitrary bytes.
 * Input: byte 0 sets the output capacity, byte 1 the mode (bit 0: give the
 * extracted value a correct MAC, so the parser behind the MAC check is
 * reached; bit 1: the cookie name is taken from the input up to the first
 * '\n'), then the Cookie header.
 * Checks: cookie_get agrees with a reference splitter written here; a value
 * session_decode accepts re-encodes to exactly itself.
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc src/base/crypto.c \
 *       src/web/sign.c tests/fuzz/fuzz_cookie.c $(pkg-config --libs libsodium) */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "web/sign.h"

#define SECRET "fuzz-secret"
#define NOW 1700000000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
dup_n(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s == NULL)
		abort();
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/* Reference: split at ';', trim blanks, split at the first '=', trim the
 * name's end and the value's ends, drop one pair of surrounding quotes. */
static bool
ref_cookie(const char *h, const char *name, const char **val, size_t *vlen)
{
	const char *seg = h, *end, *eq, *a, *b;

	if (*name == '\0')
		return false;
	for (;;) {
		end = strchr(seg, ';');
		if (end == NULL)
			end = seg + strlen(seg);
		a = seg;
		while (a < end && (*a == ' ' || *a == '\t'))
			a++;
		eq = a;
		while (eq < end && *eq != '=')
			eq++;
		if (eq < end) {
			b = eq;
			while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
				b--;
			if ((size_t)(b - a) == strlen(name) && strncmp(a, name, strlen(name)) == 0) {
				a = eq + 1;
				b = end;
				while (a < b && (*a == ' ' || *a == '\t'))
					a++;
				while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
					b--;
				if (b - a >= 2 && *a == '"' && b[-1] == '"') {
					a++;
					b--;
				}
				*val = a;
				*vlen = (size_t)(b - a);
				return true;
			}
		}
		if (*end == '\0')
			return false;
		seg = end + 1;
	}
}

/* Replaces everything after the last '.' with the right MAC. */
static void
remac(char *v, size_t cap)
{
	char *dot = strrchr(v, '.'), msg[600], mac[65];
	size_t head;

	if (dot == NULL)
		return;
	head = (size_t)(dot - v);
	if (head + 1 + 64 + 1 > cap || head + 9 > sizeof(msg))
		return;
	memcpy(msg, "session:", 8);
	memcpy(msg + 8, v, head);
	hmac_sha256_hex(SECRET, strlen(SECRET), msg, head + 8, mac);
	memcpy(dot + 1, mac, 65);
}

static void
check_session(const char *value)
{
	struct session s;
	char again[SESSION_COOKIE_MAX];

	if (session_decode(SECRET, value, NOW, &s) != RD_OK)
		return;
	if (s.exp <= NOW)
		abort();
	if (session_encode(SECRET, &s, again, sizeof(again)) != RD_OK)
		abort();
	if (strcmp(again, value) != 0) {
		fprintf(stderr, "round trip: \"%s\" -> \"%s\"\n", value, again);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool inited;
	const char *rv = NULL;
	char *header, *name, *out, *nl, big[600];
	size_t cap, rlen = 0;
	bool ok, rok;

	if (!inited) {
		if (crypto_init() != RD_OK)
			abort();
		inited = true;
	}
	if (size < 2)
		return 0;
	cap = (size_t)data[0] + 1;
	header = dup_n(data + 2, size - 2);
	name = NULL;
	if ((data[1] & 2) && (nl = strchr(header, '\n')) != NULL) {
		*nl = '\0';
		name = header;
		header = nl + 1;
	}
	out = malloc(cap);
	if (out == NULL)
		abort();

	ok = cookie_get(header, name ? name : "rd_session", out, cap);
	rok = ref_cookie(header, name ? name : "rd_session", &rv, &rlen);
	if (ok != (rok && rlen < cap))
		abort();
	if (ok && (strlen(out) != rlen || memcmp(out, rv, rlen) != 0))
		abort();
	if (!ok && out[0] != '\0')
		abort();

	check_session(header);
	if (data[1] & 1) {
		snprintf(big, sizeof(big), "%s", header);
		remac(big, sizeof(big));
		check_session(big);
	}
	if (ok) {
		check_session(out);
		if (data[1] & 1) {
			snprintf(big, sizeof(big), "%s", out);
			remac(big, sizeof(big));
			check_session(big);
		}
	}
	free(out);
	free(name ? name : header);
	return 0;
}
