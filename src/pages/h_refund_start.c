/* h_refund_start.c: GET /refund/start: the storefront's signed hand-off.
 * A good link starts a session for its buyer and is spent: the signature is
 * a primary key, so the same link never works twice. A browser that is
 * already signed in as another buyer is asked first (POST /refund/start
 * with the current session's CSRF token): a link must not silently log a
 * victim in as whoever sent it. POST /refund/logout ends the buyer's
 * sessions. */
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "base/crypto.h"
#include "store/db.h"
#include "base/i18n.h"
#include "pages/handlers.h"
#include "web/body.h"
#include "web/html.h"
#include "base/log.h"
#include "store/session_gen.h"
#include "views/view_switch_buyer.h"

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
	html_error_page(r, 403, N_("链接无效或已过期"),
	    N_("这个退款链接无效、已过期或已经使用过。请回到商城的订单页重新点击「申请退款」。"));
}

/* Verifies and spends the link, sets the cookie, 303 to the form. */
static void
start(struct req *r, const char *order, const char *buyer, const char *ts, const char *sig)
{
	const struct config *cfg = r->app->cfg;
	struct session s;
	char cookie[SESSION_COOKIE_MAX], loc[80];
	enum rd_err e;

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
	if ((e = buyer_cookie_encode(r, &s, cookie, sizeof(cookie))) != RD_OK) {
		fail_page(r, e);
		return;
	}
	struct start_tx t = { sig, &s, r->now };
	e = db_tx(r->app->db, start_tx, &t);
	/* The link spent by this very request: a COMMIT lost with its node (a
	 * Galera view change outlasting the read timeout), then either no
	 * answer or the transaction run again and refused by its own first
	 * run. The fresh session row says which. */
	bool ours = false;
	if ((e == RD_ERR_CONFLICT || e == RD_ERR_DB) && session_committed(r, s.sid, &ours) == RD_OK && ours)
		e = RD_OK;
	if (e != RD_OK) {
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

/* Signed in as a real buyer other than the link's ('_' placeholders of a
 * guest look-up form are nobody). */
static bool
other_buyer(struct req *r, const char *buyer)
{
	return session_resolve(r) && r->sess.buyer[0] != '_' && strcmp(r->sess.buyer, buyer) != 0;
}

static void
ask_switch(struct req *r, const char *order, const char *buyer, const char *ts, const char *sig)
{
	struct view_switch_buyer v = {
		.current_buyer = r->sess.buyer, .order = order, .buyer = buyer, .ts = ts, .sig = sig,
		.csrf = req_csrf(r),
	};
	view_switch_buyer(r, &v);
}

void
h_refund_start(struct req *r)
{
	const struct config *cfg = r->app->cfg;
	/* Checked by the gate (start_query): NULL when absent, bad or given twice. */
	const char *order = r->q.v[SQ_ORDER], *buyer = r->q.v[SQ_BUYER];
	const char *ts = r->q.v[SQ_TS], *sig = r->q.v[SQ_SIG];

	if (order == NULL || buyer == NULL || ts == NULL || sig == NULL) {
		link_refused(r, "missing field");
		return;
	}
	if (other_buyer(r, buyer)) {
		/* Checked, not spent: the link stays good for the answer. */
		if (link_verify(cfg->storefront_secret, order, buyer, ts, sig, (time_t)r->now,
		    cfg->link_max_age) != RD_OK) {
			link_refused(r, "bad or expired signature");
			return;
		}
		ask_switch(r, order, buyer, ts, sig);
		return;
	}
	start(r, order, buyer, ts, sig);
}

void
h_refund_start_post(struct req *r)
{
	if (!buyer_form_read(r))
		return;
	const char *order = r->f.v[SF_ORDER], *buyer = r->f.v[SF_BUYER];
	const char *ts = r->f.v[SF_TS], *sig = r->f.v[SF_SIG];
	if (order == NULL || buyer == NULL || ts == NULL || sig == NULL) {
		link_refused(r, "missing field");
		return;
	}
	start(r, order, buyer, ts, sig);
}

void
h_refund_logout(struct req *r)
{
	enum rd_err e;

	if (!buyer_form_read(r))
		return;
	if (r->sess.buyer[0] != '_' && (e = buyer_sessions_end(r, r->sess.buyer)) != RD_OK) {
		fail_page(r, e);
		return;
	}
	resp_session_cookie(r, NULL, 0);
	resp_redirect(r, "/refund/lookup");
}
