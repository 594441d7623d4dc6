/* submit.c: filing a refund request, all writes in one transaction. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "log.h"
#include "settle.h"
#include "submit.h"

enum rd_err
risk_load(struct db *db, struct arena *a, const char *buyer, const char *ip, long long now,
    const struct risk_limits *lim, struct risk_facts *out)
{
	struct dbval p[] = { DB_INT(lim->max_refunds_24h), DB_STR(buyer), DB_INT(now - 86400),
		DB_INT(lim->max_refunds_90d), DB_STR(buyer), DB_INT(now - 90 * 86400),
		DB_INT(lim->max_ip_requests_1h), DB_STR(ip), DB_INT(now - 3600),
		DB_INT(lim->max_ip_requests_1h > 0 ? lim->max_ip_requests_1h : 0), DB_STR(buyer), DB_STR(ip) };
	struct dbres res;
	enum rd_err e;

	memset(out, 0, sizeof(*out));
	if ((e = db_query(db, a, Q_RISK_FACTS, p, 12, &res)) != RD_OK)
		return e;
	out->refunds_24h = (int)db_cell_int(&res, 0, 0);
	out->refunds_90d = (int)db_cell_int(&res, 0, 1);
	out->ip_requests_1h = (int)db_cell_int(&res, 0, 2);
	out->blacklisted = db_cell_int(&res, 0, 3) > 0;
	return RD_OK;
}

static enum rd_err
find_idem(struct db *db, struct submit *s)
{
	struct dbval p[] = { DB_STR(s->buyer_id), DB_STR(s->idem) };
	struct dbres res;
	enum rd_err e;

	if ((e = db_query_sync(db, s->a, Q_REFUND_BY_IDEM, p, 2, &res)) != RD_OK)
		return e;
	if (res.nrows == 1) {
		snprintf(s->public_id, sizeof(s->public_id), "%s", db_cell(&res, 0, 0));
		s->existing = true;
	}
	return RD_OK;
}

static enum rd_err
add_evidence(struct db *db, struct submit *s, long long refund_id)
{
	for (size_t i = 0; i < s->nfiles; i++) {
		const struct upload *u = s->files[i];
		struct dbval p[] = { DB_INT(refund_id), DB_INT(i + 1), DB_STR(u->sha256),
			DB_STR(evidence_mime[u->type]), DB_INT(u->size), DB_STR(u->orig_name), DB_INT(s->now) };
		enum rd_err e = db_exec(db, Q_EVIDENCE_INSERT, p, 7, NULL, NULL);
		if (e != RD_OK)
			return e;
	}
	return s->nfiles ? refund_evidence_changed(db, refund_id) : RD_OK;
}

static enum rd_err
submit_tx(struct db *db, void *ctx)
{
	struct submit *s = ctx;
	const struct config *cfg = s->cfg;
	struct order o;
	struct risk_facts risk;
	struct refund rf;
	unsigned long long id = 0;
	enum rd_err e;

	s->existing = false;
	s->open_refund = NULL;
	s->refusal = NULL;
	if ((e = order_load(db, s->a, s->order_no, true, &o)) != RD_OK)
		return e;
	if ((e = find_idem(db, s)) != RD_OK || s->existing)
		return e;
	if (o.open_refund[0] != '\0') {
		s->open_refund = o.open_refund;
		return RD_ERR_CONFLICT;
	}
	if ((e = risk_load(db, s->a, s->buyer_id, s->client_ip, s->now, &cfg->risk, &risk)) != RD_OK)
		return e;
	policy_decide(&o.facts, &cfg->categories[o.facts.category], s->type, s->now, &risk,
	    &cfg->risk, &s->d);
	if (s->d.kind == DECIDE_NOT_ALLOWED)
		return RD_ERR_INPUT;
	/* Money already paid back (or a merchant already clawed back to
	 * nothing) leaves less than this refund needs: no request nobody could pay. */
	if (s->d.refund > order_refundable(&o)) {
		s->refusal = "该订单剩余可退金额不足，无法再申请这笔退款。";
		return RD_ERR_INPUT;
	}

	random_token(s->public_id, 22);
	const char *reviewer = s->d.kind == DECIDE_REVIEW ? reviewer_names[s->d.reviewer] : "";
	struct dbval p[] = {
		DB_STR(s->public_id), DB_INT(o.id), DB_STR(s->buyer_id), DB_STR(refund_type_names[s->type]),
		DB_STR(refund_state_names[RS_SUBMITTED]), DB_STR(destination_names[s->dest]),
		DB_STR(s->reason), DB_STR(s->wrong_account ? s->wrong_account : ""),
		DB_INT(s->d.requested), DB_INT(s->d.fee), DB_INT(s->d.refund), DB_STR(reviewer),
		DB_INT(s->d.risk_flags), DB_INT(0), DB_STR(s->client_ip), DB_STR(s->idem), DB_INT(o.id),
		DB_INT(s->now), DB_INT(s->now),
	};
	if ((e = db_exec(db, Q_REFUND_INSERT, p, 19, NULL, &id)) != RD_OK)
		return e;
	memset(&rf, 0, sizeof(rf));
	rf.id = (long long)id;
	rf.public_id = s->public_id;
	rf.state = RS_SUBMITTED;
	rf.type = s->type;
	rf.dest = s->dest;
	rf.requested = s->d.requested;
	rf.fee = s->d.fee;
	rf.amount = s->d.refund;
	rf.order_id = o.id;
	rf.order_no = o.order_no;
	rf.buyer_id = s->buyer_id;
	rf.merchant_id = o.merchant_id;
	rf.channel = o.channel;
	if ((e = refund_event(db, rf.id, s->now, RS_SUBMITTED, "buyer", "买家提交退款申请")) != RD_OK ||
	    (e = add_evidence(db, s, rf.id)) != RD_OK)
		return e;
	const char *json = refund_event_json(s->a, &rf, NULL, NULL);
	if (json == NULL || (e = webhook_enqueue(db, s->a, "refund.submitted", json, s->now)) != RD_OK)
		return e ? e : RD_ERR_NOMEM;

	if (s->d.kind == DECIDE_INSTANT)
		return settle_refund(db, s->a, &o, &rf, s->d.recycle_item, "system",
		    policy_reason_text(s->d.reason), s->now);

	/* Review: the hold is frozen while the request is open. */
	struct dbval h[] = { DB_STR("frozen"), DB_INT(o.id), DB_STR("held") };
	if ((e = db_exec(db, Q_HOLD_SET_STATE, h, 3, NULL, NULL)) != RD_OK)
		return e;
	enum refund_state next = s->d.reviewer == REVIEWER_MERCHANT ? RS_MERCHANT_REVIEW : RS_CS_REVIEW;
	const char *note = s->d.risk_flags ? "风控复核：转人工审核" : policy_reason_text(s->d.reason);
	return refund_transition(db, &rf, next, refund_deadline_for(next, s->now), s->now, "system", note);
}

enum rd_err
submit_refund(struct db *db, struct submit *s)
{
	enum rd_err e = db_tx(db, submit_tx, s);

	/* Two submissions raced past the checks: the unique keys refused the
	 * second. Find which one: the same form (idem) or another request. */
	if (e == RD_ERR_CONFLICT && s->open_refund == NULL) {
		enum rd_err e2 = find_idem(db, s);
		if (e2 != RD_OK)
			return e2;
		if (s->existing)
			return RD_OK;
		struct order o;
		if (order_load(db, s->a, s->order_no, false, &o) == RD_OK && o.open_refund[0] != '\0')
			s->open_refund = o.open_refund;
	}
	return e;
}
