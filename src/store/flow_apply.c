/* flow_apply.c: writes a row of the flow's table (rules/flow.c). */
#include <string.h>

#include "store/flow_apply.h"
#include "store/ledger.h"
#include "store/settle.h"
#include "store/supplier_claim.h"

static enum rd_err
set_state(struct db *db, struct refund *rf, const struct flow_row *row, long long deadline, long long now)
{
	/* Inserted already in the state it ends in: nothing to update. */
	if (rf->row_ahead)
		return RD_OK;
	struct dbval p[] = {
		DB_STR(refund_state_names[row->to]),
		refund_state_final(row->to) ? DB_NULLV : DB_INT(rf->order_id),
		DB_INT(deadline), DB_INT(now), DB_INT(rf->id), DB_STR(refund_state_names[rf->state]),
	};

	/* Conditional on the state it was read in: another change since makes
	 * the transaction fail with RD_ERR_CONFLICT (when sent). A final state
	 * frees the order's open slot; reopening (an appeal) takes it again,
	 * and the unique key refuses that if another request opened meanwhile. */
	return db_defer(db, Q_REFUND_SET_STATE, p, 6, DB_ONE_ROW);
}

static enum rd_err
mark(struct db *db, struct refund *rf, enum flow_mark m)
{
	struct dbval p[] = { DB_INT(rf->id) };

	switch (m) {
	case FLOW_MARK_APPEALED:
		rf->appealed = true;
		return db_defer(db, Q_REFUND_APPEAL, p, 1, DB_ONE_ROW);
	case FLOW_MARK_APPEALED_PARTIAL:
		rf->appealed = rf->appealed_partial = true;
		return db_defer(db, Q_REFUND_APPEAL_PARTIAL, p, 1, DB_ONE_ROW);
	case FLOW_MARK_PAYOUT_FAILED:
		rf->payout_failed = true;
		return db_defer(db, Q_REFUND_PAYOUT_FAILED, p, 1, 0);
	default:
		return RD_OK;
	}
}

static enum rd_err
hold(struct db *db, const struct refund *rf, const struct flow_step *st, enum flow_hold h)
{
	switch (h) {
	case FLOW_HOLD_FREEZE:
		return ledger_freeze(db, rf->order_id);
	case FLOW_HOLD_UNFREEZE:
		return ledger_unfreeze(db, rf->order_id);
	case FLOW_HOLD_REFUND:
		return st->o != NULL ? ledger_refund(db, st->o, rf, st->now) : RD_ERR_INTERNAL;
	case FLOW_HOLD_PAYOUT_DONE:
		return ledger_payout_done(db, rf, st->now);
	case FLOW_HOLD_PAYOUT_TO_BALANCE:
		return ledger_payout_to_balance(db, rf, st->now);
	case FLOW_HOLD_APPEAL_AWARD:
		return st->o != NULL && rf->award > 0 ? ledger_appeal_refund(db, st->o, rf, st->now) : RD_ERR_INTERNAL;
	default:
		return RD_OK;
	}
}

enum rd_err
flow_apply(struct db *db, struct arena *a, struct refund *rf, const struct flow_step *st)
{
	struct flow_facts f = flow_facts_of(rf);
	bool award = false;
	const struct flow_row *row = flow_allowed(rf->state, st->event, st->role, &f, st->now);
	enum rd_err e;

	if (row == NULL)
		return RD_ERR_CONFLICT;
	const char *note = row->note_fixed || st->note == NULL || st->note[0] == '\0' ? row->note : st->note;
	if (row->to != row->from) {
		long long deadline = flow_deadline(row, &f, st->now, st->upstream_wait);
		if ((e = set_state(db, rf, row, deadline, st->now)) != RD_OK)
			return e;
		rf->state = row->to;
		rf->deadline = deadline;
	}
	if ((e = mark(db, rf, row->mark)) != RD_OK ||
	    (e = refund_event(db, rf->id, st->now, rf->state, flow_actor_names[st->role], st->actor_name, note)) != RD_OK ||
	    (e = hold(db, rf, st, row->hold)) != RD_OK)
		return e;
	if (row->webhook != NULL) {
		/* An approval tells the storefront what becomes of the item; a
		 * question to the storefront, by when it must answer. */
		award = row->hold == FLOW_HOLD_APPEAL_AWARD;
		const char *json = row->hold == FLOW_HOLD_REFUND ?
		    refund_event_json(a, rf, st->recycle_item ? "recycle_item" : "revoke_item", "true") :
		    row->deadline == FDL_UPSTREAM ?
		    refund_event_json(a, rf, "deadline", arena_printf(a, "%lld", rf->deadline)) :
		    refund_event_json(a, rf, NULL, NULL);
		if (json == NULL || (e = webhook_enqueue(db, a, row->webhook, json, st->now)) != RD_OK)
			return e ? e : RD_ERR_NOMEM;
	}
	if (row->hold != FLOW_HOLD_REFUND && row->hold != FLOW_HOLD_APPEAL_AWARD)
		return RD_OK;
	/* i15-chain: a refund the supplier answers for is claimed up the chain
	 * (an award is the merchant's own loss: not claimed). */
	if (!award && (e = claim_on_approval(db, a, rf, st->o, st->now)) != RD_OK)
		return e;
	/* Approved: the money goes the original way (a payout the payment
	 * service confirms) or to the balance at once. */
	struct flow_step pay = {
		.event = ledger_needs_payout(plan_refund_of(rf).dest, rf->channel) ? FE_PAY_ORIGINAL : FE_PAY_BALANCE,
		.role = FROLE_SYSTEM, .now = st->now, .o = st->o,
	};
	return flow_apply(db, a, rf, &pay);
}
