/* submit.c: filing a refund request, all writes in one transaction. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "base/config.h"
#include "store/ledger.h"
#include "base/crypto.h"
#include "base/log.h"
#include "store/flow_apply.h"
#include "store/submit.h"

static void
risk_from_cells(const struct dbres *res, size_t col, struct risk_facts *out)
{
	out->refunds_24h = (int)db_cell_int(res, 0, col);
	out->refunds_90d = (int)db_cell_int(res, 0, col + 1);
	out->ip_requests_1h = (int)db_cell_int(res, 0, col + 2);
	out->blacklisted = db_cell_int(res, 0, col + 3) > 0;
}

/* The order with the risk facts of a submission now (columns 26-29);
 * idem: the submission's form key (Q_ORDER_SUBMIT_GET), or NULL for the
 * form page's read (Q_ORDER_FORM_GET, which takes no key). */
static enum rd_err
read_with_risk(struct db *db, struct arena *a, enum stmt_id id, const char *idem, const char *order_no,
    const char *ip, long long now, const struct risk_limits *lim, struct order *o, struct risk_facts *risk,
    struct dbres *res)
{
	/* Each count's limit, the offset of its limit-th row, the limit again
	 * (COUNT_UPTO in stmts.h); an offset is never negative, even unused. */
	long long l24 = lim->max_refunds_24h, l90 = lim->max_refunds_90d, lip = lim->max_ip_requests_1h;
	struct dbval p[] = { DB_STR(idem ? idem : ""),
		DB_INT(l24), DB_INT(now - 86400), DB_INT(l24 > 0 ? l24 - 1 : 0), DB_INT(l24), DB_INT(now - 86400),
		DB_INT(l90), DB_INT(now - 90 * 86400), DB_INT(l90 > 0 ? l90 - 1 : 0), DB_INT(l90),
		DB_INT(now - 90 * 86400),
		DB_INT(lip), DB_STR(ip), DB_INT(now - 3600), DB_INT(lip > 0 ? lip - 1 : 0), DB_INT(lip),
		DB_STR(ip), DB_INT(now - 3600),
		DB_STR(ip), DB_STR(order_no) };
	size_t skip = idem == NULL ? 1 : 0;   /* the form's read takes no key */
	size_t np = sizeof(p) / sizeof(p[0]) - skip;
	enum rd_err e;

	/* Every limit off: the lock's read without the counts (RISK_COLS_OFF). */
	if (id == Q_ORDER_SUBMIT_LOCK && l24 <= 0 && l90 <= 0 && lip <= 0) {
		id = Q_ORDER_SUBMIT_LOCK_NORISK;
		p[1] = p[18];
		p[2] = p[19];
		np = 3;
	}
	memset(risk, 0, sizeof(*risk));
	if ((e = db_query_sync(db, a, id, p + skip, np, res)) != RD_OK)
		return e;
	if (res->nrows == 0)
		return RD_ERR_NOTFOUND;
	order_from_row(res, o);
	risk_from_cells(res, 26, risk);
	return RD_OK;
}

enum rd_err
submit_read(struct db *db, struct arena *a, const char *order_no, const char *idem, const char *ip,
    long long now, const struct risk_limits *lim, struct order *o, const char **idem_hit,
    struct risk_facts *risk)
{
	struct dbres res;
	enum rd_err e;

	*idem_hit = NULL;
	if ((e = read_with_risk(db, a, Q_ORDER_SUBMIT_GET, idem ? idem : "", order_no, ip, now, lim, o, risk,
	    &res)) != RD_OK)
		return e;
	if (idem != NULL && idem[0] != '\0' && db_cell(&res, 0, 25)[0] != '\0')
		*idem_hit = db_cell(&res, 0, 25);
	return RD_OK;
}

enum rd_err
form_read(struct db *db, struct arena *a, const char *order_no, const char *ip, long long now,
    const struct risk_limits *lim, struct order *o, struct risk_facts *risk)
{
	struct dbres res;
	enum rd_err e;

	if ((e = read_with_risk(db, a, Q_ORDER_FORM_GET, NULL, order_no, ip, now, lim, o, risk, &res)) != RD_OK)
		return e;
	o->buyer_gen = db_cell_int(&res, 0, 25);
	return RD_OK;
}

/* What the policy reads of an order, unchanged since it was decided on? */
static bool
same_facts(const struct order *a, const struct order *b)
{
	const struct order_facts *x = &a->facts, *y = &b->facts;
	return x->category == y->category && x->amount == y->amount && x->paid_at == y->paid_at &&
	    x->delivery == y->delivery && x->kind == y->kind && x->delivered_at == y->delivered_at &&
	    x->key_revealed_at == y->key_revealed_at && x->redeemed == y->redeemed &&
	    x->topup == y->topup && x->activated_at == y->activated_at &&
	    a->hold_state == b->hold_state && a->hold_amount == b->hold_amount &&
	    a->released == b->released && a->refunded == b->refunded;
}

/* The evidence summary of a new request (the column Q_EVIDENCE_SUMMARY
 * keeps, parse_files() in model.c reads), from the files this request
 * stores: written with the row, nothing read back (an aggregate over the
 * rows just inserted cost a temporary table on disk per submission). */
static const char *
evidence_summary(struct arena *a, const struct submit *s)
{
	if (s->nfiles == 0)
		return "";
	json_object *arr = json_object_new_array();
	bool ok = arr != NULL;
	for (size_t i = 0; ok && i < s->nfiles; i++) {
		const struct upload *u = s->files[i];
		json_object *f = json_object_new_array();
		ok = f != NULL && json_object_array_add(arr, f) == 0;
		if (!ok) {
			json_object_put(f);
			break;
		}
		json_object_array_add(f, json_object_new_int64((int64_t)i + 1));
		json_object_array_add(f, json_object_new_int64(u->size));
		json_object_array_add(f, json_object_new_string(evidence_mime[u->type]));
		json_object_array_add(f, json_object_new_string(u->orig_name));
	}
	const char *json = ok ? json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN) : NULL;
	const char *out = json ? arena_strdup(a, json) : NULL;
	json_object_put(arr);
	return out;
}

static enum rd_err
add_evidence(struct db *db, struct submit *s, long long refund_id)
{
	for (size_t i = 0; i < s->nfiles; i++) {
		const struct upload *u = s->files[i];
		struct dbval p[] = { DB_INT(refund_id), DB_INT(i + 1), DB_STR(u->sha256),
			DB_STR(evidence_mime[u->type]), DB_INT(u->size), DB_STR(u->orig_name), DB_INT(s->now) };
		enum rd_err e = db_defer(db, Q_EVIDENCE_INSERT, p, 7, 0);
		if (e != RD_OK)
			return e;
	}
	return RD_OK;
}

/* Round trips: the lock (with START TRANSACTION and the order's bump; with
 * s->check it is the submission's one read of the order), the request's
 * INSERT (its id names the ledger transaction and the events), then every
 * other write with COMMIT. */
static enum rd_err
submit_tx(struct db *db, void *ctx)
{
	struct submit *s = ctx;
	const struct config *cfg = s->cfg;
	struct order o;
	struct refund rf;
	struct dbres res;
	unsigned long long id = 0;
	enum rd_err e;

	s->existing = false;
	s->open_refund = NULL;
	s->refusal = NULL;
	/* The decision writes the order it decides from (sql/030, as
	 * order_load with lock): the bump travels in the lock's round trip. */
	struct dbval bump[] = { DB_STR(s->order_no) };
	if ((e = db_defer(db, Q_ORDER_BUMP, bump, 1, 0)) != RD_OK)
		return e;
	if (s->check != NULL) {
		/* The one read: the caller vets the request on it and decides
		 * the policy (s->d) on this very row. */
		struct risk_facts risk;
		if ((e = read_with_risk(db, s->a, Q_ORDER_SUBMIT_LOCK, s->idem, s->order_no, s->client_ip, s->now,
		    &cfg->risk, &o, &risk, &res)) != RD_OK)
			return e;
		const char *hit = db_cell(&res, 0, 25)[0] != '\0' ? db_cell(&res, 0, 25) : NULL;
		if ((e = s->check(s, &o, &risk, hit, s->check_ctx)) != RD_OK)
			return e == RD_ERR_RETRY ? RD_ERR_INTERNAL : e;
		s->risk = risk;
	} else {
		struct dbval lk[] = { DB_STR(s->idem), DB_STR(s->order_no) };
		if ((e = db_query(db, s->a, Q_ORDER_LOCK_IDEM, lk, 2, &res)) != RD_OK)
			return e;
		if (res.nrows == 0)
			return RD_ERR_NOTFOUND;
		order_from_row(&res, &o);
	}
	if (db_cell(&res, 0, 25)[0] != '\0') {
		snprintf(s->public_id, sizeof(s->public_id), "%s", db_cell(&res, 0, 25));
		s->existing = true;
		return RD_OK;
	}
	if (o.open_refund[0] != '\0') {
		s->open_refund = o.open_refund;
		return RD_ERR_CONFLICT;
	}
	/* The policy was decided on the order as read before the lock; only
	 * when what it reads has changed since is it decided again. */
	if (s->check == NULL && !same_facts(s->pre, &o))
		policy_decide(&o.facts, &cfg->categories[o.facts.category], s->type, s->now, &s->risk,
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
	const char *summary = evidence_summary(s->a, s);
	if (summary == NULL)
		return RD_ERR_NOMEM;
	const char *reviewer = s->d.kind == DECIDE_REVIEW ? reviewer_names[s->d.reviewer] : "";
	/* The row goes in already in the state this transaction ends in (paid,
	 * or waiting for its reviewer): the flow's steps below add their events
	 * and webhooks, and no UPDATE (rf.row_ahead). */
	enum flow_event route = s->d.kind == DECIDE_INSTANT ? FE_APPROVE :
	    s->d.ask_upstream && cfg->upstream_wait > 0 ? FE_ASK_UPSTREAM :
	    s->d.reviewer == REVIEWER_MERCHANT ? FE_ROUTE_MERCHANT : FE_ROUTE_CS;
	const struct flow_row *step = flow_find(RS_SUBMITTED, route, FROLE_SYSTEM);
	enum refund_state end = s->d.kind != DECIDE_INSTANT ? step->to :
	    ledger_needs_payout(s->dest, o.channel) ? RS_REFUNDING : RS_REFUNDED;
	long long deadline = s->d.kind != DECIDE_INSTANT ? flow_deadline(step, false, s->now, cfg->upstream_wait) : 0;
	struct dbval p[] = {
		DB_STR(s->public_id), DB_INT(o.id), DB_STR(s->buyer_id), DB_STR(refund_type_names[s->type]),
		DB_STR(refund_state_names[end]), DB_STR(destination_names[s->dest]),
		DB_STR(s->reason), DB_STR(s->wrong_account ? s->wrong_account : ""),
		DB_INT(s->d.requested), DB_INT(s->d.fee), DB_INT(s->d.refund), DB_STR(reviewer),
		DB_INT(s->d.risk_flags), DB_INT(deadline), DB_STR(s->client_ip), DB_STR(s->idem),
		refund_state_final(end) ? DB_NULLV : DB_INT(o.id), DB_INT(s->now), DB_INT(s->now),
		DB_STR(summary),
	};
	/* A unique key refused it: a request of this form (idem) or another
	 * open one committed where the lock did not keep it out (on Galera,
	 * row locks are node-local). The whole transaction again: its lock
	 * reads which, once. */
	if ((e = db_exec(db, Q_REFUND_INSERT, p, 20, NULL, &id)) != RD_OK)
		return e == RD_ERR_CONFLICT ? RD_ERR_RETRY : e;
	memset(&rf, 0, sizeof(rf));
	rf.id = (long long)id;
	rf.public_id = s->public_id;
	rf.state = FLOW_NEW;
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
	rf.row_ahead = true;
	struct flow_step filed = { .event = FE_SUBMIT, .role = FROLE_BUYER, .now = s->now };
	if ((e = flow_apply(db, s->a, &rf, &filed)) != RD_OK || (e = add_evidence(db, s, rf.id)) != RD_OK)
		return e;
	/* Approved at once (the hold pays it), or frozen while it is reviewed. */
	struct flow_step next = {
		.event = route, .role = FROLE_SYSTEM, .now = s->now, .o = &o,
		.note = s->d.kind != DECIDE_INSTANT && s->d.risk_flags ? "风控复核：转人工审核" :
		    policy_reason_text(s->d.reason),
		.recycle_item = s->d.recycle_item, .upstream_wait = cfg->upstream_wait,
	};
	return flow_apply(db, s->a, &rf, &next);
}

enum rd_err
submit_refund(struct db *db, struct submit *s)
{
	return db_tx(db, submit_tx, s);
}
