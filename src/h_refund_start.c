/* h_refund_start.c: GET /refund/start: the storefront's signed hand-off.
 * A good link starts a session for its buyer and is spent: the signature is
 * a primary key, so the same link never works twice. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "db.h"
#include "handlers.h"
#include "html.h"
#include "log.h"

struct start_tx {
	const char *sig;
	const struct session *s;
	long long now;
};

static enum rd_err
start_tx(struct db *db, void *ctx)
{
	struct start_tx *t = ctx;
	struct dbval used[] = { DB_STR(t->sig), DB_INT(t->now) };
	struct dbval sess[] = { DB_STR(t->s->sid), DB_STR(t->s->buyer), DB_STR(t->s->scope),
		DB_STR("link"), DB_INT(t->now), DB_INT(t->s->exp) };
	enum rd_err e;

	/* Both go with COMMIT: one round trip; a replayed link fails it there. */
	if ((e = db_defer(db, Q_LINK_USE, used, 2, 0)) != RD_OK)
		return e;
	return db_defer(db, Q_SESSION_INSERT, sess, 6, 0);
}

static void
link_refused(struct req *r, const char *why)
{
	char safe[64];
	log_info("hand-off refused: %s from %s", why, log_safe(r->remote_addr, safe, sizeof(safe)));
	html_error_page(r, 403, "链接无效或已过期",
	    "这个退款链接无效、已过期或已经使用过。请回到商城的订单页重新点击「申请退款」。");
}

void
h_refund_start(struct req *r)
{
	const struct config *cfg = r->app->cfg;
	const char *order = query_get(r, "order"), *buyer = query_get(r, "buyer");
	const char *ts = query_get(r, "ts"), *sig = query_get(r, "sig");
	struct session s;
	char cookie[SESSION_COOKIE_MAX], loc[80];
	enum rd_err e;

	if (order == NULL || buyer == NULL || ts == NULL || sig == NULL) {
		link_refused(r, "missing field");
		return;
	}
	if (link_verify(cfg->storefront_secret, order, buyer, ts, sig, (time_t)r->now,
	    cfg->link_max_age) != RD_OK) {
		link_refused(r, "bad or expired signature");
		return;
	}
	memset(&s, 0, sizeof(s));
	random_token(s.sid, 32);
	snprintf(s.buyer, sizeof(s.buyer), "%s", buyer);
	snprintf(s.scope, sizeof(s.scope), "*");
	s.exp = r->now + cfg->session_ttl;
	if (session_encode(cfg->session_secret, &s, cookie, sizeof(cookie)) != RD_OK) {
		fail_page(r, RD_ERR_INTERNAL);
		return;
	}
	struct start_tx t = { sig, &s, r->now };
	if ((e = db_tx(r->app->db, start_tx, &t)) != RD_OK) {
		if (e == RD_ERR_CONFLICT)
			link_refused(r, "replayed");
		else
			fail_page(r, e);
		return;
	}
	resp_session_cookie(r, cookie, cfg->session_ttl);
	snprintf(loc, sizeof(loc), "/refund/new?order=%s", order);
	resp_redirect(r, loc);
}
