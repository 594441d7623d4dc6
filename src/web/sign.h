/* sign.h: everything we sign or verify with a shared secret: the storefront's
 * hand-off link, storefront API requests, buyer session cookies and CSRF
 * tokens. Pure apart from crypto.h: the caller passes the time in. */
#ifndef RD_SIGN_H
#define RD_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "base/err.h"

/* Identifiers that appear in links and cookies: [A-Za-z0-9_-], 1..max bytes. */
bool ident_valid(const char *s, size_t max);
#define ORDER_NO_MAX 32
#define BUYER_ID_MAX 64

/* sig = hex HMAC-SHA256(secret, "order=NO&buyer=ID&ts=UNIX"). out[65]. */
void link_sign(const char *secret, const char *order, const char *buyer, long long ts, char out[65]);
/* RD_OK, or RD_ERR_INPUT (missing/malformed field: order and buyer must pass
 * ident_valid, ts all digits), RD_ERR_AUTH (bad signature, ts in the future by
 * more than 60 s, or older than max_age seconds). Replay is the caller's job
 * (a unique key on the signature). */
enum rd_err link_verify(const char *secret, const char *order, const char *buyer,
    const char *ts, const char *sig, time_t now, long max_age);

/* API: hex HMAC-SHA256(secret, METHOD "\n" PATH "\n" TIMESTAMP "\n" hex(sha256(body))). */
void apisig_sign(const char *secret, const char *method, const char *path,
    long long ts, const void *body, size_t blen, char out[65]);
/* RD_ERR_AUTH for a missing or malformed header, skew over max_skew seconds
 * either way, or a bad signature (constant-time compare). */
enum rd_err apisig_verify(const char *secret, const char *method, const char *path,
    const char *ts_header, const char *sig_header, const void *body, size_t blen,
    time_t now, long max_skew);

/* The same over a body already hashed (hex SHA-256): a body streamed to
 * disk as it arrives (multipart evidence) is never held whole. */
enum rd_err apisig_verify_hashed(const char *secret, const char *method, const char *path,
    const char *ts_header, const char *sig_header, const char *body_sha256, time_t now, long max_skew);

/* The headers alone could pass: a timestamp within the skew, a signature of
 * 64 lowercase hex. Checked before a large body is read (then verified). */
bool apisig_headers_fresh(const char *ts_header, const char *sig_header, time_t now, long max_skew);

/* A webhook to url: apisig over "POST", the URL's path and query as the
 * receiver sees them (no scheme, host or fragment; "/" when there is no
 * path), with the webhook's own secret. Empty out when url has no host. */
void webhook_sign(const char *secret, const char *url, long long ts, const void *body, size_t blen,
    char out[65]);

/* A buyer session, carried whole in the cookie and verified by HMAC, so a
 * request needs no database round trip to know who is asking. */
struct session {
	char sid[33];                    /* random, names the session row */
	char buyer[BUYER_ID_MAX + 1];
	char scope[ORDER_NO_MAX + 1];    /* "*" every order of the buyer (hand-off), or one order_no (guest lookup) */
	long long exp;                   /* UNIX seconds */
};
/* Cookie value "v1.SID.BUYER.SCOPE.EXP.MAC"; out must hold SESSION_COOKIE_MAX. */
#define SESSION_COOKIE_MAX 256
enum rd_err session_encode(const char *secret, const struct session *s, char *out, size_t cap);
/* RD_ERR_AUTH for anything malformed, tampered or expired. */
enum rd_err session_decode(const char *secret, const char *value, time_t now, struct session *out);
/* Who a cookie claims to be (out->buyer, from a well-formed value), before
 * its MAC is checked: to find the generation its key depends on. Nothing
 * read here may be trusted until session_decode() accepts the cookie. */
bool session_peek_buyer(const char *value, char buyer[BUYER_ID_MAX + 1]);
/* The same, with the SID it claims (a buyer POST's budget is spent before
 * the check: budget_take_post). */
bool session_peek_sid(const char *value, char buyer[BUYER_ID_MAX + 1], char sid[33]);
/* The session may act on this order. */
bool session_allows(const struct session *s, const char *buyer_of_order, const char *order_no);

/* CSRF token bound to the session: hex HMAC(secret, "csrf:" SID). out[65]. */
void csrf_token(const char *secret, const char *sid, char out[65]);
bool csrf_valid(const char *secret, const char *sid, const char *given);

/* Finds name in a Cookie header ("a=1; b=2"); copies its value into out.
 * False when absent or longer than cap - 1. */
bool cookie_get(const char *header, const char *name, char *out, size_t cap);

#endif
