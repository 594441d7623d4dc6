/* sign.c: the hand-off link, storefront API signatures, buyer session
 * cookies, CSRF tokens and the Cookie header. Pure apart from crypto.c.
 *
 * Every signed message starts differently ("order=", "session:", "csrf:", or
 * an HTTP method, which has none of '=' ':'), so a MAC made for one purpose
 * can never be replayed as another even when the secrets are shared. */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/crypto.h"
#include "web/sign.h"

#define TS_DIGITS_MAX 12        /* up to year 33658: no overflow anywhere */
#define SID_LEN 32
#define CSRF_SID_MAX 64
#define METHOD_MAX 16
#define APISIG_MSG_MAX 4096     /* method + path + ts + body hash */
#define SESSION_FIELDS 6        /* v1 SID BUYER SCOPE EXP MAC */

static bool
is_alnum(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool
ident_valid(const char *s, size_t max)
{
	size_t i;

	if (s == NULL)
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= max)
			return false;
		if (!is_alnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	}
	return i > 0;
}

/* 1..TS_DIGITS_MAX ASCII digits; the value goes to *v. No sign, no space. */
static bool
ts_parse(const char *s, long long *v)
{
	size_t i;
	long long n = 0;

	if (s == NULL)
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= TS_DIGITS_MAX || s[i] < '0' || s[i] > '9')
			return false;
		n = n * 10 + (s[i] - '0');
	}
	if (i == 0)
		return false;
	*v = n;
	return true;
}

/* Exactly 64 lowercase hex digits: the only form we ever emit. */
static bool
hex64_valid(const char *s)
{
	size_t i;

	if (s == NULL)
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= HEX_SHA256_LEN)
			return false;
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return i == HEX_SHA256_LEN;
}

/* A session id is random_token(32): exactly 32 of [A-Za-z0-9]. */
static bool
sid_valid(const char *s)
{
	size_t i;

	if (s == NULL)
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (i >= SID_LEN || !is_alnum((unsigned char)s[i]))
			return false;
	return i == SID_LEN;
}

static bool
scope_valid(const char *s)
{
	return s != NULL && (strcmp(s, "*") == 0 || ident_valid(s, ORDER_NO_MAX));
}

static void
hmac_str(const char *secret, const char *msg, size_t mlen, char out[65])
{
	hmac_sha256_hex(secret, strlen(secret), msg, mlen, out);
}

/* ts is at most lim_past seconds before now and lim_future after it. ts is
 * 0..10^12 and a clock before 1970 is broken, so now - ts cannot overflow. */
static bool
within(time_t now, long long ts, long lim_past, long lim_future)
{
	long long d;

	if (now < 0)
		return false;
	d = (long long)now - ts;
	if (d >= 0)
		return d <= lim_past;
	return -d <= lim_future;
}

/* ---- the storefront's hand-off link ---- */

/* ts is the decimal string as it travels. Anything that would not fit the
 * message yields an empty sig, which no verify accepts. */
static void
link_hex(const char *secret, const char *order, const char *buyer, const char *ts, char out[65])
{
	char msg[256];
	int n;

	out[0] = '\0';
	n = snprintf(msg, sizeof(msg), "order=%s&buyer=%s&ts=%s", order, buyer, ts);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return;
	hmac_str(secret, msg, (size_t)n, out);
}

/* Callers pass ident_valid() values. */
void
link_sign(const char *secret, const char *order, const char *buyer, long long ts, char out[65])
{
	char tsbuf[32];

	out[0] = '\0';
	if (secret == NULL || order == NULL || buyer == NULL)
		return;
	snprintf(tsbuf, sizeof(tsbuf), "%lld", ts);
	link_hex(secret, order, buyer, tsbuf, out);
}

enum rd_err
link_verify(const char *secret, const char *order, const char *buyer,
    const char *ts, const char *sig, time_t now, long max_age)
{
	char want[65];
	long long t;
	bool ok;

	if (secret == NULL)
		return RD_ERR_AUTH;
	if (!ident_valid(order, ORDER_NO_MAX) || !ident_valid(buyer, BUYER_ID_MAX) ||
	    !ts_parse(ts, &t) || sig == NULL)
		return RD_ERR_INPUT;
	if (!hex64_valid(sig))
		return RD_ERR_AUTH;
	/* Verify the ts exactly as received: the storefront printed it without
	 * leading zeros, so a zero-padded copy of a good link does not verify. */
	link_hex(secret, order, buyer, ts, want);
	ok = ct_streq(want, sig);
	if (!ok || !within(now, t, max_age, 60))
		return RD_ERR_AUTH;
	return RD_OK;
}

/* ---- storefront API requests ---- */

/* A method is a short run of uppercase letters; a path has no CR or LF, so no
 * field can borrow a neighbour's "\n" and shift the message. */
static bool
method_valid(const char *m)
{
	size_t i;

	if (m == NULL)
		return false;
	for (i = 0; m[i] != '\0'; i++)
		if (i >= METHOD_MAX || m[i] < 'A' || m[i] > 'Z')
			return false;
	return i > 0;
}

static bool
path_valid(const char *p)
{
	return p != NULL && p[0] != '\0' && strpbrk(p, "\r\n") == NULL;
}

/* ts is the decimal string exactly as it goes on the wire. Empty out when the
 * message would not fit. */
static void
apisig_hex_of(const char *secret, const char *method, const char *path,
    const char *ts, const char bh[65], char out[65])
{
	char msg[APISIG_MSG_MAX];
	int n;

	out[0] = '\0';
	n = snprintf(msg, sizeof(msg), "%s\n%s\n%s\n%s", method, path, ts, bh);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return;
	hmac_str(secret, msg, (size_t)n, out);
}

static void
apisig_hex(const char *secret, const char *method, const char *path,
    const char *ts, const void *body, size_t blen, char out[65])
{
	char bh[65];

	sha256_hex(body == NULL ? "" : body, body == NULL ? 0 : blen, bh);
	apisig_hex_of(secret, method, path, ts, bh, out);
}

void
apisig_sign(const char *secret, const char *method, const char *path,
    long long ts, const void *body, size_t blen, char out[65])
{
	char tsbuf[32];

	out[0] = '\0';
	if (secret == NULL || !method_valid(method) || !path_valid(path) ||
	    (body == NULL && blen > 0))
		return;
	snprintf(tsbuf, sizeof(tsbuf), "%lld", ts);
	apisig_hex(secret, method, path, tsbuf, body, blen, out);
}

enum rd_err
apisig_verify(const char *secret, const char *method, const char *path,
    const char *ts_header, const char *sig_header, const void *body, size_t blen,
    time_t now, long max_skew)
{
	char want[65];
	long long t;

	if (secret == NULL || !method_valid(method) || !path_valid(path) ||
	    (body == NULL && blen > 0))
		return RD_ERR_AUTH;
	if (!ts_parse(ts_header, &t) || !hex64_valid(sig_header))
		return RD_ERR_AUTH;
	/* Reject stale requests before hashing a body an attacker may have made
	 * large; the clock is not a secret. */
	if (!within(now, t, max_skew, max_skew))
		return RD_ERR_AUTH;
	apisig_hex(secret, method, path, ts_header, body, blen, want);
	return ct_streq(want, sig_header) ? RD_OK : RD_ERR_AUTH;
}

bool
apisig_headers_fresh(const char *ts_header, const char *sig_header, time_t now, long max_skew)
{
	long long t;

	return ts_parse(ts_header, &t) && hex64_valid(sig_header) && within(now, t, max_skew, max_skew);
}

enum rd_err
apisig_verify_hashed(const char *secret, const char *method, const char *path,
    const char *ts_header, const char *sig_header, const char *body_sha256, time_t now, long max_skew)
{
	char want[65];
	long long t;

	if (secret == NULL || !method_valid(method) || !path_valid(path) || !hex64_valid(body_sha256))
		return RD_ERR_AUTH;
	if (!ts_parse(ts_header, &t) || !hex64_valid(sig_header) || !within(now, t, max_skew, max_skew))
		return RD_ERR_AUTH;
	apisig_hex_of(secret, method, path, ts_header, body_sha256, want);
	return ct_streq(want, sig_header) ? RD_OK : RD_ERR_AUTH;
}

void
webhook_sign(const char *secret, const char *url, long long ts, const void *body, size_t blen,
    char out[65])
{
	char target[APISIG_MSG_MAX / 2];
	const char *scheme = url ? strstr(url, "://") : NULL, *p;

	out[0] = '\0';
	if (scheme == NULL || secret == NULL || secret[0] == '\0')
		return;
	p = scheme + 3 + strcspn(scheme + 3, "/?#");
	size_t n = strcspn(p, "#");
	int k = (p[0] == '/') ? snprintf(target, sizeof(target), "%.*s", (int)n, p) :
	    snprintf(target, sizeof(target), "/%.*s", (int)n, p);
	if (k < 0 || (size_t)k >= sizeof(target))
		return;
	apisig_sign(secret, "POST", target, ts, body, blen, out);
}

/* ---- buyer sessions ---- */

/* MAC over "session:" + the cookie up to (not including) its last '.'. */
static void
session_mac(const char *secret, const char *head, size_t hlen, char out[65])
{
	char msg[SESSION_COOKIE_MAX + 16];
	int n;

	out[0] = '\0';
	n = snprintf(msg, sizeof(msg), "session:%.*s", (int)hlen, head);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return;
	hmac_str(secret, msg, (size_t)n, out);
}

enum rd_err
session_encode(const char *secret, const struct session *s, char *out, size_t cap)
{
	char head[SESSION_COOKIE_MAX], mac[65];
	int n;

	if (out != NULL && cap > 0)
		out[0] = '\0';
	if (secret == NULL || s == NULL || out == NULL)
		return RD_ERR_INTERNAL;
	if (!sid_valid(s->sid) || !ident_valid(s->buyer, BUYER_ID_MAX) ||
	    !scope_valid(s->scope) || s->exp < 0 || s->exp > 999999999999LL)
		return RD_ERR_INPUT;
	n = snprintf(head, sizeof(head), "v1.%s.%s.%s.%lld", s->sid, s->buyer, s->scope, s->exp);
	if (n < 0 || (size_t)n >= sizeof(head))
		return RD_ERR_TOOBIG;
	session_mac(secret, head, (size_t)n, mac);
	n = snprintf(out, cap, "%s.%s", head, mac);
	if (n < 0 || (size_t)n >= cap) {
		if (cap > 0)
			out[0] = '\0';
		return RD_ERR_TOOBIG;
	}
	return RD_OK;
}

/* Splits the copy in buf at every '.'; false unless exactly SESSION_FIELDS. */
static bool
session_split(char *buf, char *f[SESSION_FIELDS])
{
	size_t k = 0;
	char *p = buf;

	f[k++] = p;
	for (; *p != '\0'; p++) {
		if (*p != '.')
			continue;
		if (k == SESSION_FIELDS)
			return false;
		*p = '\0';
		f[k++] = p + 1;
	}
	return k == SESSION_FIELDS;
}

enum rd_err
session_decode(const char *secret, const char *value, time_t now, struct session *out)
{
	char buf[SESSION_COOKIE_MAX], want[65];
	char *f[SESSION_FIELDS];
	size_t len;
	long long exp;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (secret == NULL || value == NULL || out == NULL)
		return RD_ERR_AUTH;
	for (len = 0; value[len] != '\0'; len++)
		if (len + 1 >= sizeof(buf))
			return RD_ERR_AUTH;
	memcpy(buf, value, len + 1);
	if (!session_split(buf, f))
		return RD_ERR_AUTH;
	/* Only the canonical form encode() writes is accepted (no zero-padded
	 * EXP), so decode and encode are exact inverses. */
	if (strcmp(f[0], "v1") != 0 || !sid_valid(f[1]) ||
	    !ident_valid(f[2], BUYER_ID_MAX) || !scope_valid(f[3]) ||
	    !ts_parse(f[4], &exp) || f[4][0] == '0' || !hex64_valid(f[5]))
		return RD_ERR_AUTH;
	/* f[5] starts just after the last '.', so the head is value[0..f[5]-1). */
	session_mac(secret, value, (size_t)(f[5] - buf) - 1, want);
	if (!ct_streq(want, f[5]))
		return RD_ERR_AUTH;
	if (exp <= (long long)now)
		return RD_ERR_AUTH;
	/* Lengths were checked above, so these copies fit. */
	memcpy(out->sid, f[1], strlen(f[1]) + 1);
	memcpy(out->buyer, f[2], strlen(f[2]) + 1);
	memcpy(out->scope, f[3], strlen(f[3]) + 1);
	out->exp = exp;
	return RD_OK;
}

/* Splits a well-formed cookie value into buf (SESSION_COOKIE_MAX); f[1] is
 * its SID, f[2] its buyer. Nothing here is checked but the shape. */
static bool
session_peek(const char *value, char *buf, char *f[SESSION_FIELDS])
{
	size_t len;

	if (value == NULL)
		return false;
	for (len = 0; value[len] != '\0'; len++)
		if (len + 1 >= SESSION_COOKIE_MAX)
			return false;
	memcpy(buf, value, len + 1);
	return session_split(buf, f) && ident_valid(f[2], BUYER_ID_MAX);
}

bool
session_peek_buyer(const char *value, char buyer[BUYER_ID_MAX + 1])
{
	char buf[SESSION_COOKIE_MAX];
	char *f[SESSION_FIELDS];

	buyer[0] = '\0';
	if (!session_peek(value, buf, f))
		return false;
	memcpy(buyer, f[2], strlen(f[2]) + 1);
	return true;
}

bool
session_peek_sid(const char *value, char buyer[BUYER_ID_MAX + 1], char sid[33])
{
	char buf[SESSION_COOKIE_MAX];
	char *f[SESSION_FIELDS];

	buyer[0] = sid[0] = '\0';
	if (!session_peek(value, buf, f) || !sid_valid(f[1]))
		return false;
	memcpy(buyer, f[2], strlen(f[2]) + 1);
	memcpy(sid, f[1], SID_LEN + 1);
	return true;
}

bool
session_allows(const struct session *s, const char *buyer_of_order, const char *order_no)
{
	if (s == NULL || buyer_of_order == NULL || order_no == NULL)
		return false;
	/* An empty or zeroed session must never match an order with no buyer. */
	if (s->buyer[0] == '\0' || strcmp(s->buyer, buyer_of_order) != 0)
		return false;
	return strcmp(s->scope, "*") == 0 ||
	    (s->scope[0] != '\0' && strcmp(s->scope, order_no) == 0);
}

/* ---- CSRF ---- */

/* The sid is a buyer session id or a staff one: any identifier up to 64. */
void
csrf_token(const char *secret, const char *sid, char out[65])
{
	char msg[8 + CSRF_SID_MAX];
	int n;

	out[0] = '\0';
	if (secret == NULL || !ident_valid(sid, CSRF_SID_MAX))
		return;
	n = snprintf(msg, sizeof(msg), "csrf:%s", sid);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return;
	hmac_str(secret, msg, (size_t)n, out);
}

bool
csrf_valid(const char *secret, const char *sid, const char *given)
{
	char want[65];

	if (secret == NULL || !ident_valid(sid, CSRF_SID_MAX) || !hex64_valid(given))
		return false;
	csrf_token(secret, sid, want);
	return ct_streq(want, given);
}

/* ---- the Cookie header ---- */

static bool
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * RFC 6265 section 5.4 says pairs are separated by "; " but clients and
 * proxies vary, so whitespace around ';' and '=' is skipped. Pairs without '='
 * are ignored. The first pair with exactly this name wins: a later duplicate
 * (say, one set for a wider path by someone else) must not override it.
 */
bool
cookie_get(const char *header, const char *name, char *out, size_t cap)
{
	const char *p, *s, *e, *eq, *ne, *v;
	size_t nlen, vlen;

	if (out == NULL || cap == 0)
		return false;
	out[0] = '\0';
	if (header == NULL || name == NULL || (nlen = strlen(name)) == 0)
		return false;
	for (p = header; *p != '\0'; p = (*e == ';') ? e + 1 : e) {
		for (s = p; is_ows(*s); s++)
			continue;
		for (e = s; *e != '\0' && *e != ';'; e++)
			continue;
		if ((eq = memchr(s, '=', (size_t)(e - s))) == NULL)
			continue;
		for (ne = eq; ne > s && is_ows(ne[-1]); ne--)
			continue;
		if ((size_t)(ne - s) != nlen || memcmp(s, name, nlen) != 0)
			continue;
		for (v = eq + 1; v < e && is_ows(*v); v++)
			continue;
		while (e > v && is_ows(e[-1]))
			e--;
		vlen = (size_t)(e - v);
		if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
			v++;
			vlen -= 2;
		}
		if (vlen >= cap)
			return false;
		memcpy(out, v, vlen);
		out[vlen] = '\0';
		return true;
	}
	return false;
}
