/* ledger.c: money movements. Each function plans its movement (pure,
 * rules/ledger_plan.c) and post() writes the plan: one transaction's row,
 * entries and holds row; uniqueness comes from keys (ledger_txns.uniq_key,
 * hold_resolutions.order_id), not from reads. */
#include "store/ledger.h"

/* The ledger transaction's row, then (when it resolves the hold) the hold's
 * one resolution, then its entries, then the holds row, all deferred to the
 * transaction's next round trip. The resolution and the entries take the
 * transaction's id from LAST_INSERT_ID(), so they follow its INSERT at once
 * and nothing is read back. */
enum rd_err
ledger_post(struct db *db, const struct ledger_plan *pl, long long now)
{
	struct dbval t[] = { DB_INT(pl->order_id), pl->refund_id ? DB_INT(pl->refund_id) : DB_NULLV,
		DB_STR(txn_kind_names[pl->kind]), DB_STR(pl->uniq), DB_INT(now) };
	struct dbval p[2 * PLAN_ENTRIES_MAX];
	enum rd_err e;

	if (!ledger_plan_balanced(pl))
		return RD_ERR_INTERNAL;          /* an unbalanced transaction is a bug */
	for (size_t i = 0; i < pl->n; i++) {
		p[2 * i] = DB_STR(pl->entry[i].account);
		p[2 * i + 1] = DB_INT(pl->entry[i].amount);
	}
	if ((e = db_defer(db, Q_TXN_INSERT, t, 5, 0)) != RD_OK)
		return e;
	if (pl->hold == PLAN_HOLD_RESOLVE) {
		struct dbval r[] = { DB_INT(pl->order_id), DB_STR(txn_kind_names[pl->kind]) };
		if ((e = db_defer(db, Q_RESOLUTION_INSERT, r, 2, 0)) != RD_OK)
			return e;
	}
	if ((e = db_defer_rows(db, Q_ENTRY_INSERT, p, 2, pl->n, 0)) != RD_OK)
		return e;
	switch (pl->hold) {
	case PLAN_HOLD_OPEN: {
		struct dbval h[] = { DB_INT(pl->order_id), DB_INT(pl->amount), DB_INT(pl->release_at) };
		return db_defer(db, Q_HOLD_INSERT, h, 3, 0);
	}
	case PLAN_HOLD_RESOLVE: {
		struct dbval h[] = { DB_STR(hold_state_names[pl->hold_to]), DB_INT(pl->released),
			DB_INT(pl->refunded), DB_INT(pl->fees), DB_INT(now), DB_INT(pl->order_id) };
		return db_defer(db, Q_HOLD_RESOLVE, h, 6, DB_ONE_ROW);
	}
	case PLAN_HOLD_CLAWBACK: {
		struct dbval h[] = { DB_INT(pl->refunded), DB_INT(pl->refunded), DB_INT(pl->order_id) };
		return db_defer(db, Q_HOLD_ADD_REFUND, h, 3, DB_ONE_ROW);
	}
	case PLAN_HOLD_AWARD: {
		struct dbval h[] = { DB_INT(pl->refunded), DB_INT(pl->refunded), DB_INT(pl->order_id),
			DB_INT(pl->refunded) };
		return db_defer(db, Q_HOLD_ADD_AWARD, h, 4, DB_ONE_ROW);
	}
	case PLAN_HOLD_NONE:
		break;
	}
	return RD_OK;
}

struct plan_order
plan_order_of(const struct order *o)
{
	return (struct plan_order){ .id = o->id, .merchant_id = o->merchant_id, .state = o->hold_state,
		.amount = o->hold_amount, .released = o->released };
}

struct plan_refund
plan_refund_of(const struct refund *rf)
{
	/* An award goes as the first refund went: to the balance when the
	 * first original-path payout failed and was moved there. */
	bool to_balance = rf->award > 0 && rf->payout_failed;
	return (struct plan_refund){ .id = rf->id, .order_id = rf->order_id, .buyer_id = rf->buyer_id,
		.dest = to_balance ? DEST_BALANCE : rf->dest, .channel = rf->channel, .amount = rf->amount,
		.fee = rf->fee, .award = rf->award };
}

enum rd_err
ledger_hold(struct db *db, long long order_id, int64_t amount, enum pay_channel ch,
    long long release_at, long long now)
{
	struct ledger_plan pl;
	enum rd_err e = ledger_plan_hold(&pl, order_id, amount, ch, release_at);
	return e != RD_OK ? e : ledger_post(db, &pl, now);
}

enum rd_err
ledger_release(struct db *db, const struct order *o, long long now)
{
	struct ledger_plan pl;
	struct plan_order po = plan_order_of(o);
	enum rd_err e = ledger_plan_release(&pl, &po);
	return e != RD_OK ? e : ledger_post(db, &pl, now);
}

/* Plans a movement of the order's hold for the refund, then posts it. */
static enum rd_err
post_for_refund(struct db *db, enum rd_err (*plan)(struct ledger_plan *, const struct plan_order *,
    const struct plan_refund *), const struct order *o, const struct refund *rf, long long now)
{
	struct ledger_plan pl;
	struct plan_order po = plan_order_of(o);
	struct plan_refund pr = plan_refund_of(rf);
	enum rd_err e = plan(&pl, &po, &pr);
	return e != RD_OK ? e : ledger_post(db, &pl, now);
}

enum rd_err
ledger_refund(struct db *db, const struct order *o, const struct refund *rf, long long now)
{
	return post_for_refund(db, ledger_plan_refund, o, rf, now);
}

enum rd_err
ledger_appeal_refund(struct db *db, const struct order *o, const struct refund *rf, long long now)
{
	return post_for_refund(db, ledger_plan_appeal_refund, o, rf, now);
}

enum rd_err
ledger_payout_done(struct db *db, const struct refund *rf, long long now)
{
	struct ledger_plan pl;
	struct plan_refund pr = plan_refund_of(rf);
	enum rd_err e = ledger_plan_payout_done(&pl, &pr);
	return e != RD_OK ? e : ledger_post(db, &pl, now);
}

enum rd_err
ledger_payout_to_balance(struct db *db, const struct refund *rf, long long now)
{
	struct ledger_plan pl;
	struct plan_refund pr = plan_refund_of(rf);
	enum rd_err e = ledger_plan_payout_to_balance(&pl, &pr);
	return e != RD_OK ? e : ledger_post(db, &pl, now);
}

enum rd_err
ledger_payout_kind(struct db *db, struct arena *a, long long refund_id, bool award, enum txn_kind *kind)
{
	char uniq[PLAN_UNIQ_MAX];
	struct dbres res;
	enum rd_err e;
	int k;

	if (!ledger_plan_payout_key(refund_id, award, uniq))
		return RD_ERR_INTERNAL;
	struct dbval q[] = { DB_STR(uniq) };
	if ((e = db_query(db, a, Q_TXN_KIND, q, 1, &res)) != RD_OK)
		return e;
	k = ENUM_LOOKUP(txn_kind_names, db_cell(&res, 0, 0));
	*kind = k < 0 ? TXN__MAX : (enum txn_kind)k;
	return RD_OK;
}

/* Conditional on the state it leaves, so a hold resolved meanwhile stays
 * resolved. */
static enum rd_err
hold_set_state(struct db *db, long long order_id, enum hold_state from, enum hold_state to)
{
	struct dbval h[] = { DB_STR(hold_state_names[to]), DB_INT(order_id), DB_STR(hold_state_names[from]) };
	return db_defer(db, Q_HOLD_SET_STATE, h, 3, 0);
}

enum rd_err
ledger_freeze(struct db *db, long long order_id)
{
	return hold_set_state(db, order_id, HOLD_HELD, HOLD_FROZEN);
}

enum rd_err
ledger_unfreeze(struct db *db, long long order_id)
{
	return hold_set_state(db, order_id, HOLD_FROZEN, HOLD_HELD);
}
