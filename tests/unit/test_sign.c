/* test_sign.c: known answers for crypto.c, and tables of valid and invalid
 * links, API signatures, session cookies, CSRF tokens and Cookie headers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "base/crypto.h"
#include "web/sign.h"

#define T0 1700000000LL

/* ---- crypto.c ---- */

static void
test_hmac_kat(void **state)
{
	char out[65];
	unsigned char k1[20], k6[131];

	(void)state;
	/* RFC 4231 test case 2: a key shorter than the block. */
	hmac_sha256_hex("Jefe", 4, "what do ya want for nothing?", 28, out);
	assert_string_equal(out,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	/* Test case 1: 20 bytes of 0x0b. */
	memset(k1, 0x0b, sizeof(k1));
	hmac_sha256_hex(k1, sizeof(k1), "Hi There", 8, out);
	assert_string_equal(out,
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	/* Test case 6: a 131-byte key, longer than the block, is hashed first. */
	memset(k6, 0xaa, sizeof(k6));
	hmac_sha256_hex(k6, sizeof(k6),
	    "Test Using Larger Than Block-Size Key - Hash Key First", 54, out);
	assert_string_equal(out,
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static void
test_sha256_kat(void **state)
{
	struct sha256_ctx c;
	char out[65];
	const char *msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	size_t i;

	(void)state;
	sha256_hex("abc", 3, out);
	assert_string_equal(out,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_hex("", 0, out);
	assert_string_equal(out,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* Streamed one byte at a time: FIPS 180-2 two-block message. */
	sha256_begin(&c);
	for (i = 0; msg[i] != '\0'; i++)
		sha256_update(&c, msg + i, 1);
	sha256_end_hex(&c, out);
	assert_string_equal(out,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	sha256_begin(&c);
	sha256_update(&c, "a", 1);
	sha256_update(&c, "", 0);
	sha256_update(&c, "bc", 2);
	sha256_end_hex(&c, out);
	assert_string_equal(out,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
test_ct_streq(void **state)
{
	(void)state;
	assert_true(ct_streq("", ""));
	assert_true(ct_streq("abc", "abc"));
	assert_false(ct_streq("abc", "abd"));
	assert_false(ct_streq("abc", "xbc"));
	assert_false(ct_streq("abc", "ab"));
	assert_false(ct_streq("ab", "abc"));
	assert_false(ct_streq("", "a"));
	assert_false(ct_streq("abc", "ABC"));
	assert_false(ct_streq(NULL, "a"));
	assert_false(ct_streq("a", NULL));
	assert_false(ct_streq(NULL, NULL));
}

static void
test_random_token(void **state)
{
	char a[33], b[33], one[2];
	size_t i;

	(void)state;
	memset(a, 'x', sizeof(a));
	random_token(a, 32);
	random_token(b, 32);
	assert_int_equal(strlen(a), 32);
	assert_int_equal(strlen(b), 32);
	assert_string_not_equal(a, b);
	for (i = 0; i < 32; i++)
		assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789", a[i]));
	random_token(one, 0);
	assert_string_equal(one, "");
}

/* ---- identifiers ---- */

static void
test_ident_valid(void **state)
{
	(void)state;
	static const struct { const char *s; size_t max; bool ok; } t[] = {
		{ "A1001", 32, true },
		{ "a-b_c", 32, true },
		{ "x", 1, true },
		{ "xy", 1, false },
		{ "", 32, false },
		{ "A.1001", 32, false },
		{ "u&ts=1", 64, false },
		{ "a b", 32, false },
		{ "a/b", 32, false },
		{ "a%00", 32, false },
		{ "订单", 32, false },
		{ "12345678901234567890123456789012", 32, true },
		{ "123456789012345678901234567890123", 32, false },
		{ "x", 0, false },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (ident_valid(t[i].s, t[i].max) != t[i].ok)
			fail_msg("ident_valid(\"%s\", %zu)", t[i].s, t[i].max);
	assert_false(ident_valid(NULL, 32));
}

/* ---- the hand-off link ---- */

static void
test_link_kat(void **state)
{
	char sig[65], want[65];
	const char *m = "order=A1001&buyer=u_42&ts=1700000000";

	(void)state;
	link_sign("s3cret", "A1001", "u_42", T0, sig);
	/* Independent: Python's hmac over the same message. */
	assert_string_equal(sig,
	    "b11edb5db39c4143e62deba2f2b7faffb6fbb809ec1f1508afc63d553bbf71bd");
	hmac_sha256_hex("s3cret", 6, m, strlen(m), want);
	assert_string_equal(sig, want);
}

enum sigkind { SIG_OK, SIG_FLIP, SIG_UPPER, SIG_SHORT, SIG_LONG, SIG_EMPTY,
    SIG_NULL, SIG_OTHER_SECRET, SIG_SPACE };

struct link_case {
	const char *what;
	const char *order, *buyer;      /* sent, and signed unless s_* given */
	const char *ts;
	const char *s_order, *s_buyer;  /* NULL: same as sent */
	long long s_ts;
	enum sigkind sk;
	long long now;
	enum rd_err want;
};

static const struct link_case link_cases[] = {
	{ "valid", "A1001", "u_42", "1700000000", NULL, NULL, T0, SIG_OK, T0, RD_OK },
	{ "valid 10 min later", "A1001", "u_42", "1700000000", NULL, NULL, T0, SIG_OK, T0 + 600, RD_OK },
	{ "last second", "A1001", "u_42", "1700000000", NULL, NULL, T0, SIG_OK, T0 + 900, RD_OK },
	{ "expired by 1 s", "A1001", "u_42", "1700000000", NULL, NULL, T0, SIG_OK, T0 + 901, RD_ERR_AUTH },
	{ "expired long ago", "A1001", "u_42", "1700000000", NULL, NULL, T0, SIG_OK, T0 + 86400, RD_ERR_AUTH },
	{ "future 60 s ok", "A1001", "u_42", "1700000000", NULL, NULL, T0, SIG_OK, T0 - 60, RD_OK },
	{ "future 61 s", "A1001", "u_42", "1700000000", NULL, NULL, T0, SIG_OK, T0 - 61, RD_ERR_AUTH },
	{ "future 1 day", "A1001", "u_42", "1700086400", NULL, NULL, T0 + 86400, SIG_OK, T0, RD_ERR_AUTH },
	{ "tampered order", "A1002", "u_42", "1700000000", "A1001", NULL, T0, SIG_OK, T0, RD_ERR_AUTH },
	{ "tampered buyer", "A1001", "u_43", "1700000000", NULL, "u_42", T0, SIG_OK, T0, RD_ERR_AUTH },
	{ "tampered ts", "A1001", "u_42", "1700000001", NULL, NULL, T0, SIG_OK, T0, RD_ERR_AUTH },
	{ "tampered sig", "A1001", "u_42", "1700000000", NULL, NULL, T0, SIG_FLIP, T0, RD_ERR_AUTH },
	{ "uppercase sig", "A1001", "u_42", "1700000000", NULL, NULL, T0, SIG_UPPER, T0, RD_ERR_AUTH },
	{ "short sig", "A1001", "u_42", "1700000000", NULL, NULL, T0, SIG_SHORT, T0, RD_ERR_AUTH },
	{ "long sig", "A1001", "u_42", "1700000000", NULL, NULL, T0, SIG_LONG, T0, RD_ERR_AUTH },
	{ "sig with space", "A1001", "u_42", "1700000000", NULL, NULL, T0, SIG_SPACE, T0, RD_ERR_AUTH },
	{ "empty sig", "A1001", "u_42", "1700000000", NULL, NULL, T0, SIG_EMPTY, T0, RD_ERR_AUTH },
	{ "missing sig", "A1001", "u_42", "1700000000", NULL, NULL, T0, SIG_NULL, T0, RD_ERR_INPUT },
	{ "other secret", "A1001", "u_42", "1700000000", NULL, NULL, T0, SIG_OTHER_SECRET, T0, RD_ERR_AUTH },
	{ "zero-padded ts", "A1001", "u_42", "01700000000", NULL, NULL, T0, SIG_OK, T0, RD_ERR_AUTH },
	{ "ts with letter", "A1001", "u_42", "17000000x0", NULL, NULL, T0, SIG_OK, T0, RD_ERR_INPUT },
	{ "negative ts", "A1001", "u_42", "-1700000000", NULL, NULL, T0, SIG_OK, T0, RD_ERR_INPUT },
	{ "ts with plus", "A1001", "u_42", "+1700000000", NULL, NULL, T0, SIG_OK, T0, RD_ERR_INPUT },
	{ "ts with space", "A1001", "u_42", " 1700000000", NULL, NULL, T0, SIG_OK, T0, RD_ERR_INPUT },
	{ "ts 13 digits", "A1001", "u_42", "1700000000000", NULL, NULL, T0, SIG_OK, T0, RD_ERR_INPUT },
	{ "ts float", "A1001", "u_42", "1700000000.5", NULL, NULL, T0, SIG_OK, T0, RD_ERR_INPUT },
	{ "empty ts", "A1001", "u_42", "", NULL, NULL, T0, SIG_OK, T0, RD_ERR_INPUT },
	{ "missing ts", "A1001", "u_42", NULL, NULL, NULL, T0, SIG_OK, T0, RD_ERR_INPUT },
	{ "empty order", "", "u_42", "1700000000", "A1001", NULL, T0, SIG_OK, T0, RD_ERR_INPUT },
	{ "missing order", NULL, "u_42", "1700000000", "A1001", NULL, T0, SIG_OK, T0, RD_ERR_INPUT },
	{ "empty buyer", "A1001", "", "1700000000", NULL, "u_42", T0, SIG_OK, T0, RD_ERR_INPUT },
	{ "missing buyer", "A1001", NULL, "1700000000", NULL, "u_42", T0, SIG_OK, T0, RD_ERR_INPUT },
	{ "order with dot", "A.1001", "u_42", "1700000000", NULL, NULL, T0, SIG_OK, T0, RD_ERR_INPUT },
	{ "buyer with amp", "A1001", "u&ts=1", "1700000000", NULL, NULL, T0, SIG_OK, T0, RD_ERR_INPUT },
	{ "order smuggling buyer", "A1001&buyer=x", "u_42", "1700000000", NULL, NULL, T0, SIG_OK, T0, RD_ERR_INPUT },
	{ "order 32 chars", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "u_42", "1700000000", NULL, NULL, T0, SIG_OK, T0,
	    RD_OK },
	{ "order 33 chars", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", "u_42", "1700000000", NULL, NULL, T0, SIG_OK, T0,
	    RD_ERR_INPUT },
	{ "buyer 64 chars", "A1001", "0123456789012345678901234567890123456789012345678901234567890123",
	    "1700000000", NULL, NULL, T0, SIG_OK, T0, RD_OK },
	{ "buyer 65 chars", "A1001", "01234567890123456789012345678901234567890123456789012345678901234",
	    "1700000000", NULL, NULL, T0, SIG_OK, T0, RD_ERR_INPUT },
};

/* Builds the sig a case sends into out; returns NULL for SIG_NULL. */
static const char *
make_sig(enum sigkind sk, const char *good, const char *other, char out[80])
{
	size_t i;

	snprintf(out, 80, "%s", good);
	switch (sk) {
	case SIG_OK:
		break;
	case SIG_FLIP:
		out[17] = out[17] == '0' ? '1' : '0';
		break;
	case SIG_UPPER:
		for (i = 0; out[i] != '\0'; i++)
			if (out[i] >= 'a' && out[i] <= 'f')
				out[i] = (char)(out[i] - 'a' + 'A');
		/* The test only means something if a letter changed. */
		assert_string_not_equal(out, good);
		break;
	case SIG_SHORT:
		out[63] = '\0';
		break;
	case SIG_LONG:
		snprintf(out, 80, "%s0", good);
		break;
	case SIG_EMPTY:
		out[0] = '\0';
		break;
	case SIG_NULL:
		return NULL;
	case SIG_OTHER_SECRET:
		snprintf(out, 80, "%s", other);
		break;
	case SIG_SPACE:
		snprintf(out, 80, " %s", good);
		out[64] = '\0';
		break;
	}
	return out;
}

static void
test_link_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(link_cases) / sizeof(link_cases[0]); i++) {
		const struct link_case *c = &link_cases[i];
		const char *so = c->s_order ? c->s_order : c->order;
		const char *sb = c->s_buyer ? c->s_buyer : c->buyer;
		char good[65], other[65], buf[80];
		const char *sig;
		enum rd_err got;

		link_sign("s3cret", so ? so : "", sb ? sb : "", c->s_ts, good);
		link_sign("not-the-secret", so ? so : "", sb ? sb : "", c->s_ts, other);
		sig = make_sig(c->sk, good, other, buf);
		got = link_verify("s3cret", c->order, c->buyer, c->ts, sig,
		    (time_t)c->now, 900);
		if (got != c->want)
			fail_msg("link case \"%s\": got %d, want %d", c->what, got, c->want);
	}
}

static void
test_link_sign_oversize(void **state)
{
	char big[300], sig[65];

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	link_sign("s3cret", big, "u_42", T0, sig);
	assert_string_equal(sig, "");
	assert_int_equal(link_verify(NULL, "A1001", "u_42", "1700000000",
	    "b11edb5db39c4143e62deba2f2b7faffb6fbb809ec1f1508afc63d553bbf71bd", T0, 900),
	    RD_ERR_AUTH);
	/* A negative max_age refuses everything rather than overflowing. */
	assert_int_equal(link_verify("s3cret", "A1001", "u_42", "1700000000",
	    "b11edb5db39c4143e62deba2f2b7faffb6fbb809ec1f1508afc63d553bbf71bd", T0, -1),
	    RD_ERR_AUTH);
}

/* ---- storefront API ---- */

#define BODY "{\"order\":\"A1001\"}"

static void
test_apisig_kat(void **state)
{
	char sig[65], bh[65], msg[256], want[65];

	(void)state;
	apisig_sign("api-secret", "POST", "/api/v1/refunds", T0, BODY, strlen(BODY), sig);
	assert_string_equal(sig,
	    "a7382c7aa3242c1b14de0b651cbf0a47c608ddd1f933deefaa09345b6faf90bf");
	sha256_hex(BODY, strlen(BODY), bh);
	snprintf(msg, sizeof(msg), "POST\n/api/v1/refunds\n1700000000\n%s", bh);
	hmac_sha256_hex("api-secret", 10, msg, strlen(msg), want);
	assert_string_equal(sig, want);
}

struct api_case {
	const char *what;
	const char *method, *path, *ts, *body;  /* as received; body NULL: none */
	enum sigkind sk;
	long long now;
	long skew;
	enum rd_err want;
};

static const struct api_case api_cases[] = {
	{ "valid", "POST", "/api/v1/refunds", "1700000000", BODY, SIG_OK, T0, 300, RD_OK },
	{ "skew +300", "POST", "/api/v1/refunds", "1700000000", BODY, SIG_OK, T0 + 300, 300, RD_OK },
	{ "skew -300", "POST", "/api/v1/refunds", "1700000000", BODY, SIG_OK, T0 - 300, 300, RD_OK },
	{ "skew +301", "POST", "/api/v1/refunds", "1700000000", BODY, SIG_OK, T0 + 301, 300, RD_ERR_AUTH },
	{ "skew -301", "POST", "/api/v1/refunds", "1700000000", BODY, SIG_OK, T0 - 301, 300, RD_ERR_AUTH },
	{ "body changed", "POST", "/api/v1/refunds", "1700000000", "{\"order\":\"A1002\"}", SIG_OK, T0, 300,
	    RD_ERR_AUTH },
	{ "body dropped", "POST", "/api/v1/refunds", "1700000000", NULL, SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "body grew", "POST", "/api/v1/refunds", "1700000000", BODY " ", SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "path changed", "POST", "/api/v1/refundz", "1700000000", BODY, SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "path with query", "POST", "/api/v1/refunds?x=1", "1700000000", BODY, SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "method changed", "PUT", "/api/v1/refunds", "1700000000", BODY, SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "method lowercase", "post", "/api/v1/refunds", "1700000000", BODY, SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "method empty", "", "/api/v1/refunds", "1700000000", BODY, SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "method missing", NULL, "/api/v1/refunds", "1700000000", BODY, SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "path missing", "POST", NULL, "1700000000", BODY, SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "path empty", "POST", "", "1700000000", BODY, SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "path with LF", "POST", "/api/v1/refunds\n1700000000", "1700000000", BODY, SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "ts changed", "POST", "/api/v1/refunds", "1700000001", BODY, SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "ts zero-padded", "POST", "/api/v1/refunds", "01700000000", BODY, SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "ts header missing", "POST", "/api/v1/refunds", NULL, BODY, SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "ts header empty", "POST", "/api/v1/refunds", "", BODY, SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "ts header letters", "POST", "/api/v1/refunds", "17000x0000", BODY, SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "ts header negative", "POST", "/api/v1/refunds", "-1700000000", BODY, SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "ts header 13 digits", "POST", "/api/v1/refunds", "1700000000000", BODY, SIG_OK, T0, 300, RD_ERR_AUTH },
	{ "sig header missing", "POST", "/api/v1/refunds", "1700000000", BODY, SIG_NULL, T0, 300, RD_ERR_AUTH },
	{ "sig header empty", "POST", "/api/v1/refunds", "1700000000", BODY, SIG_EMPTY, T0, 300, RD_ERR_AUTH },
	{ "sig flipped", "POST", "/api/v1/refunds", "1700000000", BODY, SIG_FLIP, T0, 300, RD_ERR_AUTH },
	{ "sig uppercase", "POST", "/api/v1/refunds", "1700000000", BODY, SIG_UPPER, T0, 300, RD_ERR_AUTH },
	{ "sig short", "POST", "/api/v1/refunds", "1700000000", BODY, SIG_SHORT, T0, 300, RD_ERR_AUTH },
	{ "sig long", "POST", "/api/v1/refunds", "1700000000", BODY, SIG_LONG, T0, 300, RD_ERR_AUTH },
	{ "other secret", "POST", "/api/v1/refunds", "1700000000", BODY, SIG_OTHER_SECRET, T0, 300, RD_ERR_AUTH },
};

static void
test_apisig_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(api_cases) / sizeof(api_cases[0]); i++) {
		const struct api_case *c = &api_cases[i];
		char good[65], other[65], buf[80];
		const char *sig;
		enum rd_err got;

		/* What the storefront signed is always the valid case. */
		apisig_sign("api-secret", "POST", "/api/v1/refunds", T0, BODY, strlen(BODY), good);
		apisig_sign("other", "POST", "/api/v1/refunds", T0, BODY, strlen(BODY), other);
		sig = make_sig(c->sk, good, other, buf);
		got = apisig_verify("api-secret", c->method, c->path, c->ts, sig,
		    c->body, c->body ? strlen(c->body) : 0, (time_t)c->now, c->skew);
		if (got != c->want)
			fail_msg("api case \"%s\": got %d, want %d", c->what, got, c->want);
		/* The streamed body's check (multipart evidence) agrees on every case. */
		char bh[65];
		sha256_hex(c->body ? c->body : "", c->body ? strlen(c->body) : 0, bh);
		got = apisig_verify_hashed("api-secret", c->method, c->path, c->ts, sig, bh, (time_t)c->now, c->skew);
		if (got != c->want)
			fail_msg("api case \"%s\" (hashed): got %d, want %d", c->what, got, c->want);
	}
	/* What can be refused before a body is read: the headers alone. */
	const char *hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	assert_true(apisig_headers_fresh("1700000000", hex, T0, 300));
	assert_true(apisig_headers_fresh("1700000300", hex, T0, 300));
	assert_false(apisig_headers_fresh("1699999699", hex, T0, 300));
	assert_false(apisig_headers_fresh("1700000301", hex, T0, 300));
	assert_false(apisig_headers_fresh("", hex, T0, 300));
	assert_false(apisig_headers_fresh("1700000000", "0123", T0, 300));
	assert_false(apisig_headers_fresh("1700000000", "", T0, 300));
	assert_false(apisig_headers_fresh("1700000000",
	    "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", T0, 300));
	/* A hash that is not 64 lowercase hex characters is refused, not signed over. */
	assert_int_equal(apisig_verify_hashed("api-secret", "POST", "/api/v1/refunds", "1700000000",
	    "0000000000000000000000000000000000000000000000000000000000000000", "abc", T0, 300), RD_ERR_AUTH);
}

static void
test_apisig_empty_body(void **state)
{
	char sig[65];

	(void)state;
	apisig_sign("api-secret", "GET", "/api/v1/refunds/R1", T0, NULL, 0, sig);
	assert_int_equal(strlen(sig), 64);
	assert_int_equal(apisig_verify("api-secret", "GET", "/api/v1/refunds/R1",
	    "1700000000", sig, NULL, 0, T0, 300), RD_OK);
	assert_int_equal(apisig_verify("api-secret", "GET", "/api/v1/refunds/R1",
	    "1700000000", sig, "", 0, T0, 300), RD_OK);
	/* A NULL body with a length is a caller bug: refused, not read. */
	assert_int_equal(apisig_verify("api-secret", "GET", "/api/v1/refunds/R1",
	    "1700000000", sig, NULL, 5, T0, 300), RD_ERR_AUTH);
	apisig_sign("api-secret", "get", "/x", T0, NULL, 0, sig);
	assert_string_equal(sig, "");
}

/* ---- sessions ---- */

#define SID "abcdefghijklmnopqrstuvwxyzABCDEF"

static struct session
mk_session(const char *scope, long long exp)
{
	struct session s;

	memset(&s, 0, sizeof(s));
	snprintf(s.sid, sizeof(s.sid), "%s", SID);
	snprintf(s.buyer, sizeof(s.buyer), "%s", "u_42");
	snprintf(s.scope, sizeof(s.scope), "%s", scope);
	s.exp = exp;
	return s;
}

static void
test_session_round_trip(void **state)
{
	struct session s = mk_session("*", T0 + 900), d;
	char cookie[SESSION_COOKIE_MAX];

	(void)state;
	assert_int_equal(session_encode("s3cret", &s, cookie, sizeof(cookie)), RD_OK);
	/* Format and MAC independently computed (Python hmac). */
	assert_string_equal(cookie, "v1." SID ".u_42.*.1700000900."
	    "3ed835814cd677040c87331e4c22fb9963ffa89a37d829028b08d753f4a90922");
	memset(&d, 0x55, sizeof(d));
	assert_int_equal(session_decode("s3cret", cookie, T0, &d), RD_OK);
	assert_string_equal(d.sid, SID);
	assert_string_equal(d.buyer, "u_42");
	assert_string_equal(d.scope, "*");
	assert_int_equal(d.exp, T0 + 900);

	s = mk_session("A1001", T0 + 1);
	assert_int_equal(session_encode("s3cret", &s, cookie, sizeof(cookie)), RD_OK);
	assert_int_equal(session_decode("s3cret", cookie, T0, &d), RD_OK);
	assert_string_equal(d.scope, "A1001");
	/* Expiry: exp == now is expired. */
	assert_int_equal(session_decode("s3cret", cookie, T0 + 1, &d), RD_ERR_AUTH);
	assert_string_equal(d.buyer, "");       /* a failed decode leaves nothing */
	assert_int_equal(session_decode("s3cret", cookie, T0 + 5000, &d), RD_ERR_AUTH);
	assert_int_equal(session_decode("other", cookie, T0, &d), RD_ERR_AUTH);
}

/* Longest legal fields still fit SESSION_COOKIE_MAX. */
static void
test_session_max_fields(void **state)
{
	struct session s, d;
	char cookie[SESSION_COOKIE_MAX], small[100];

	(void)state;
	memset(&s, 0, sizeof(s));
	memcpy(s.sid, SID, 33);
	memset(s.buyer, 'b', BUYER_ID_MAX);
	memset(s.scope, 'o', ORDER_NO_MAX);
	s.exp = 999999999999LL;
	assert_int_equal(session_encode("s3cret", &s, cookie, sizeof(cookie)), RD_OK);
	assert_int_equal(session_decode("s3cret", cookie, T0, &d), RD_OK);
	assert_memory_equal(&s, &d, sizeof(s));
	assert_int_equal(session_encode("s3cret", &s, small, sizeof(small)), RD_ERR_TOOBIG);
	assert_string_equal(small, "");
	assert_int_equal(session_encode("s3cret", &s, small, 0), RD_ERR_TOOBIG);
	assert_int_equal(session_encode("s3cret", &s, NULL, 0), RD_ERR_INTERNAL);
}

static void
test_session_encode_rejects(void **state)
{
	(void)state;
	static const struct { const char *sid, *buyer, *scope; long long exp; } t[] = {
		{ "abcdefghijklmnopqrstuvwxyzABCDE", "u_42", "*", T0 },         /* sid 31 */
		{ "abcdefghijklmnopqrstuvwxyzABCD_F", "u_42", "*", T0 },        /* sid '_' */
		{ SID, "", "*", T0 },
		{ SID, "u.42", "*", T0 },
		{ SID, "u_42", "", T0 },
		{ SID, "u_42", "**", T0 },
		{ SID, "u_42", "A.1", T0 },
		{ SID, "u_42", "*", -1 },
		{ SID, "u_42", "*", 1000000000000LL },
	};
	struct session s;
	char cookie[SESSION_COOKIE_MAX];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&s, 0, sizeof(s));
		snprintf(s.sid, sizeof(s.sid), "%s", t[i].sid);
		snprintf(s.buyer, sizeof(s.buyer), "%s", t[i].buyer);
		snprintf(s.scope, sizeof(s.scope), "%s", t[i].scope);
		s.exp = t[i].exp;
		if (session_encode("s3cret", &s, cookie, sizeof(cookie)) != RD_ERR_INPUT)
			fail_msg("encode case %zu accepted", i);
	}
}

/* Every tamper of a good cookie, and every malformed shape, even when the
 * MAC is recomputed over the malformed head with the right secret. */
static void
test_session_tamper(void **state)
{
	(void)state;
	static const char *heads[] = {
		"v2." SID ".u_42.*.1700000900",                           /* version */
		"v1." SID "x.u_42.*.1700000900",                          /* sid 33 */
		"v1.abcdefghijklmnopqrstuvwxyzABCDE.u_42.*.1700000900",   /* sid 31 */
		"v1.abcdefghijklmnopqrstuvwxyzABCD-F.u_42.*.1700000900",  /* sid '-' */
		"v1." SID "..*.1700000900",                               /* empty buyer */
		"v1." SID ".u 42.*.1700000900",
		"v1." SID ".u_42..1700000900",                            /* empty scope */
		"v1." SID ".u_42.**.1700000900",
		"v1." SID ".u_42.*.",                                     /* empty exp */
		"v1." SID ".u_42.*.-1700000900",
		"v1." SID ".u_42.*.+1700000900",
		"v1." SID ".u_42.*.17000009OO",
		"v1." SID ".u_42.*.1700000900000",                        /* 13 digits */
		"v1." SID ".u_42.*.01700000900",                          /* zero-padded */
		"v1." SID ".u_42.*.0",
		"v1." SID ".u_42.*.1700000900.extra",                     /* 7 fields */
		"v1." SID ".u_42.1700000900",                             /* 5 fields */
		".v1." SID ".u_42.*.1700000900",
		"v1." SID ".u_42.*.1700000900 ",
	};
	char cookie[600], mac[65], msg[600], good[SESSION_COOKIE_MAX];
	struct session s = mk_session("*", T0 + 900), d;
	size_t i, len;

	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		snprintf(msg, sizeof(msg), "session:%s", heads[i]);
		hmac_sha256_hex("s3cret", 6, msg, strlen(msg), mac);
		snprintf(cookie, sizeof(cookie), "%s.%s", heads[i], mac);
		if (session_decode("s3cret", cookie, T0, &d) != RD_ERR_AUTH)
			fail_msg("malformed head %zu accepted", i);
	}

	/* The well-formed control case passes through the same construction. */
	snprintf(msg, sizeof(msg), "session:%s", "v1." SID ".u_42.*.1700000900");
	hmac_sha256_hex("s3cret", 6, msg, strlen(msg), mac);
	snprintf(cookie, sizeof(cookie), "v1." SID ".u_42.*.1700000900.%s", mac);
	assert_int_equal(session_decode("s3cret", cookie, T0, &d), RD_OK);

	/* Byte tampers of a good cookie without re-MACing: every position. */
	assert_int_equal(session_encode("s3cret", &s, good, sizeof(good)), RD_OK);
	len = strlen(good);
	for (i = 0; i < len; i++) {
		memcpy(cookie, good, len + 1);
		cookie[i] = cookie[i] == 'A' ? 'B' : 'A';
		if (session_decode("s3cret", cookie, T0, &d) != RD_ERR_AUTH)
			fail_msg("tamper at %zu accepted", i);
		cookie[i] = '\0';
		if (session_decode("s3cret", cookie, T0, &d) != RD_ERR_AUTH)
			fail_msg("truncation at %zu accepted", i);
	}
	/* Field swaps that keep the shape: widen scope, extend expiry. */
	snprintf(cookie, sizeof(cookie), "v1." SID ".u_42.A1001.1700000900.%s", good + len - 64);
	assert_int_equal(session_decode("s3cret", cookie, T0, &d), RD_ERR_AUTH);
	snprintf(cookie, sizeof(cookie), "v1." SID ".u_42.*.1800000900.%s", good + len - 64);
	assert_int_equal(session_decode("s3cret", cookie, T0, &d), RD_ERR_AUTH);
	/* Uppercased MAC. */
	memcpy(cookie, good, len + 1);
	for (i = len - 64; i < len; i++)
		if (cookie[i] >= 'a' && cookie[i] <= 'f')
			cookie[i] = (char)(cookie[i] - 32);
	assert_int_equal(session_decode("s3cret", cookie, T0, &d), RD_ERR_AUTH);
	/* Oversized and empty values. */
	memset(cookie, 'a', 400);
	cookie[400] = '\0';
	assert_int_equal(session_decode("s3cret", cookie, T0, &d), RD_ERR_AUTH);
	assert_int_equal(session_decode("s3cret", "", T0, &d), RD_ERR_AUTH);
	assert_int_equal(session_decode("s3cret", NULL, T0, &d), RD_ERR_AUTH);
}

static void
test_session_allows(void **state)
{
	struct session all = mk_session("*", T0), one = mk_session("A1001", T0), zero;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	assert_true(session_allows(&all, "u_42", "A1001"));
	assert_true(session_allows(&all, "u_42", "B7"));
	assert_false(session_allows(&all, "u_43", "A1001"));
	assert_false(session_allows(&all, "u_4", "A1001"));
	assert_false(session_allows(&all, "", "A1001"));
	assert_true(session_allows(&one, "u_42", "A1001"));
	assert_false(session_allows(&one, "u_42", "A1002"));
	assert_false(session_allows(&one, "u_42", "A100"));
	assert_false(session_allows(&one, "u_42", "*"));        /* "*" only as scope */
	assert_false(session_allows(&one, "u_43", "A1001"));
	assert_false(session_allows(&zero, "", ""));
	assert_false(session_allows(NULL, "u_42", "A1001"));
	assert_false(session_allows(&all, NULL, "A1001"));
	assert_false(session_allows(&all, "u_42", NULL));
}

/* ---- CSRF ---- */

static void
test_csrf(void **state)
{
	char tok[65], other[65], bad[80];

	(void)state;
	csrf_token("s3cret", SID, tok);
	assert_string_equal(tok,
	    "185a398af3c798b87730088bb0a64ce643d0ded3c1f238b568304a10e7b3efc5");
	assert_true(csrf_valid("s3cret", SID, tok));
	assert_false(csrf_valid("other", SID, tok));
	assert_false(csrf_valid("s3cret", "abcdefghijklmnopqrstuvwxyzABCDEG", tok));
	csrf_token("s3cret", "abcdefghijklmnopqrstuvwxyzABCDEG", other);
	assert_string_not_equal(tok, other);
	assert_false(csrf_valid("s3cret", SID, other));
	snprintf(bad, sizeof(bad), "%s", tok);
	bad[0] = bad[0] == 'a' ? 'b' : 'a';
	assert_false(csrf_valid("s3cret", SID, bad));
	snprintf(bad, sizeof(bad), "%s", tok);
	bad[63] = '\0';
	assert_false(csrf_valid("s3cret", SID, bad));
	snprintf(bad, sizeof(bad), "%s0", tok);
	assert_false(csrf_valid("s3cret", SID, bad));
	snprintf(bad, sizeof(bad), "%s", tok);
	bad[1] = 'A';   /* tok[1] is '8': an uppercase letter is malformed */
	assert_false(csrf_valid("s3cret", SID, bad));
	assert_false(csrf_valid("s3cret", SID, ""));
	assert_false(csrf_valid("s3cret", SID, NULL));
	assert_false(csrf_valid("s3cret", NULL, tok));
	assert_false(csrf_valid("s3cret", "", tok));
	csrf_token("s3cret", "bad sid", other);
	assert_string_equal(other, "");
	assert_false(csrf_valid("s3cret", "bad sid", ""));
}

/* ---- Cookie header ---- */

struct cookie_case {
	const char *header, *name;
	size_t cap;
	bool ok;
	const char *value;
};

static const struct cookie_case cookie_cases[] = {
	{ "session=abc", "session", 64, true, "abc" },
	{ "a=1; session=abc; b=2", "session", 64, true, "abc" },
	{ "a=1;session=abc;b=2", "session", 64, true, "abc" },
	{ "a=1 ;  session = abc  ; b=2", "session", 64, true, "abc" },
	{ "\tsession=tab", "session", 64, true, "tab" },
	{ "a=1;;  ;session=z", "session", 64, true, "z" },
	{ "xsession=bad; session=good", "session", 64, true, "good" },
	{ "xsession=bad", "session", 64, false, "" },
	{ "sessionx=bad", "session", 64, false, "" },
	{ "session_id=bad", "session", 64, false, "" },
	{ "SESSION=upper", "session", 64, false, "" },
	{ "a=session=x", "session", 64, false, "" },
	{ "session=first; session=second", "session", 64, true, "first" },
	{ "session=\"quoted\"", "session", 64, true, "quoted" },
	{ "session=\"\"", "session", 64, true, "" },
	{ "session=\"", "session", 64, true, "\"" },
	{ "session=\"half", "session", 64, true, "\"half" },
	{ "session=", "session", 64, true, "" },
	{ "session=a=b", "session", 64, true, "a=b" },
	{ "session", "session", 64, false, "" },
	{ "session; session=x", "session", 64, true, "x" },
	{ "", "session", 64, false, "" },
	{ "session=abcd", "session", 5, true, "abcd" },
	{ "session=abcd", "session", 4, false, "" },
	{ "session=\"abcd\"", "session", 5, true, "abcd" },
	{ "session=toolong; session=x", "session", 4, false, "" },
	{ "session=abc", "", 64, false, "" },
	{ "=abc", "", 64, false, "" },
	{ "session=abc", "session", 1, false, "" },
	{ "session=", "session", 1, true, "" },
};

static void
test_cookie_table(void **state)
{
	char out[64];
	size_t i;
	bool got;

	(void)state;
	for (i = 0; i < sizeof(cookie_cases) / sizeof(cookie_cases[0]); i++) {
		const struct cookie_case *c = &cookie_cases[i];

		memset(out, 'z', sizeof(out));
		got = cookie_get(c->header, c->name, out, c->cap);
		if (got != c->ok)
			fail_msg("cookie case %zu (%s): got %d", i, c->header, got);
		if (strcmp(out, c->value) != 0)
			fail_msg("cookie case %zu (%s): value \"%s\", want \"%s\"",
			    i, c->header, out, c->value);
	}
	assert_false(cookie_get(NULL, "session", out, sizeof(out)));
	assert_false(cookie_get("session=x", NULL, out, sizeof(out)));
	assert_false(cookie_get("session=x", "session", NULL, 10));
	assert_false(cookie_get("session=x", "session", out, 0));
}

/* A cookie round trip as the handler will do it. */
static void
test_cookie_session(void **state)
{
	struct session s = mk_session("*", T0 + 900), d;
	char cookie[SESSION_COOKIE_MAX], header[400], got[SESSION_COOKIE_MAX];

	(void)state;
	assert_int_equal(session_encode("s3cret", &s, cookie, sizeof(cookie)), RD_OK);
	snprintf(header, sizeof(header), "theme=dark; rd_session=%s; x=1", cookie);
	assert_true(cookie_get(header, "rd_session", got, sizeof(got)));
	assert_int_equal(session_decode("s3cret", got, T0, &d), RD_OK);
	assert_string_equal(d.buyer, "u_42");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hmac_kat),
		cmocka_unit_test(test_sha256_kat),
		cmocka_unit_test(test_ct_streq),
		cmocka_unit_test(test_random_token),
		cmocka_unit_test(test_ident_valid),
		cmocka_unit_test(test_link_kat),
		cmocka_unit_test(test_link_table),
		cmocka_unit_test(test_link_sign_oversize),
		cmocka_unit_test(test_apisig_kat),
		cmocka_unit_test(test_apisig_table),
		cmocka_unit_test(test_apisig_empty_body),
		cmocka_unit_test(test_session_round_trip),
		cmocka_unit_test(test_session_max_fields),
		cmocka_unit_test(test_session_encode_rejects),
		cmocka_unit_test(test_session_tamper),
		cmocka_unit_test(test_session_allows),
		cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_cookie_table),
		cmocka_unit_test(test_cookie_session),
	};

	if (crypto_init() != RD_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
