/* upstream_ask.c: the storefront answered usage.requested: decide again. */
#include "store/flow_apply.h"
#include "store/upstream_ask.h"

enum rd_err
upstream_answer(struct db *db, struct arena *a, const struct config *cfg, const struct order *o,
    long long now, const char **did)
{
	struct refund rf;
	struct decision d;
	enum rd_err e;
	const char *done = NULL;

	if (did != NULL)
		*did = NULL;
	if (o->open_refund[0] == '\0')
		return RD_OK;
	if ((e = refund_load(db, a, o->open_refund, true, &rf)) != RD_OK)
		return e;
	if (rf.state != RS_AWAITING_UPSTREAM)
		return RD_OK;
	/* The window is judged at the moment the buyer asked, not when the
	 * storefront got round to answering; risk was checked at submission
	 * (a flagged request never waits here). */
	policy_decide(&o->facts, &cfg->categories[o->facts.category], rf.type, rf.created_at, NULL, NULL, &d);
	if (d.kind == DECIDE_REVIEW && d.ask_upstream) {
		done = "still waiting (usage still unknown)";
		goto out;
	}
	struct flow_step step = { .role = FROLE_SYSTEM, .now = now, .o = o, .recycle_item = d.recycle_item };
	/* Instant only for exactly the amounts the buyer was shown; a changed
	 * policy or a smaller refundable balance is for a person to settle. */
	if (d.kind == DECIDE_INSTANT && d.refund == rf.amount && d.fee == rf.fee &&
	    rf.amount <= order_refundable(o)) {
		step.event = FE_APPROVE;
		step.note = arena_printf(a, "上游已核实：%s", policy_reason_text(d.reason));
		done = "approved (upstream answered)";
	} else {
		step.event = FE_ROUTE_CS;
		step.note = arena_printf(a, "上游已答复，转人工审核：%s", policy_reason_text(d.reason));
		done = "sent to review (upstream answered)";
	}
	if ((e = flow_apply(db, a, &rf, &step)) != RD_OK)
		return e;
out:
	if (did != NULL)
		*did = done;
	return RD_OK;
}
