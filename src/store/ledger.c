/* ledger.c: money movements. Each function writes one transaction's entries
 * and keeps the holds row equal to their sums; uniqueness comes from keys
 * (ledger_txns.uniq_key, hold_resolutions.order_id), not from reads. */
#include <stdio.h>
#include <string.h>

#include "store/ledger.h"

struct entry {
	const char *account;
	int64_t amount;
};

/* One ledger transaction: its row, then (when it resolves the hold) the
 * hold's one resolution, then its entries, all deferred to the
 * transaction's next round trip. The resolution and the entries take the
 * transaction's id from LAST_INSERT_ID(), so they follow its INSERT at
 * once and nothing is read back. */
static enum rd_err
post(struct db *db, long long order_id, long long refund_id, const char *kind, const char *uniq,
    long long now, const struct entry *en, size_t n, const char *resolves)
{
	struct dbval t[] = { DB_INT(order_id), refund_id ? DB_INT(refund_id) : DB_NULLV, DB_STR(kind),
		DB_STR(uniq), DB_INT(now) };
	struct dbval p[2 * 8];
	size_t rows = 0;
	int64_t sum = 0;
	enum rd_err e;

	for (size_t i = 0; i < n; i++)
		sum += en[i].amount;
	if (sum != 0 || n > 8)
		return RD_ERR_INTERNAL;          /* an unbalanced transaction is a bug */
	for (size_t i = 0; i < n; i++) {
		if (en[i].amount == 0)
			continue;
		p[2 * rows] = DB_STR(en[i].account);
		p[2 * rows + 1] = DB_INT(en[i].amount);
		rows++;
	}
	if ((e = db_defer(db, Q_TXN_INSERT, t, 5, 0)) != RD_OK)
		return e;
	if (resolves != NULL) {
		struct dbval r[] = { DB_INT(order_id), DB_STR(resolves) };
		if ((e = db_defer(db, Q_RESOLUTION_INSERT, r, 2, 0)) != RD_OK)
			return e;
	}
	return db_defer_rows(db, Q_ENTRY_INSERT, p, 2, rows, 0);
}

bool
ledger_needs_payout(enum destination d, enum pay_channel ch)
{
	return d == DEST_ORIGINAL && ch != PAY_BALANCE;
}

static void
dest_account(const struct refund *rf, char *out, size_t cap)
{
	if (ledger_needs_payout(rf->dest, rf->channel))
		snprintf(out, cap, "payout:%s", pay_channel_names[rf->channel]);
	else
		snprintf(out, cap, "buyer:%s", rf->buyer_id);
}

enum rd_err
ledger_hold(struct db *db, long long order_id, int64_t amount, enum pay_channel ch,
    long long release_at, long long now)
{
	char escrow[40], ext[40], uniq[40];
	enum rd_err e;

	snprintf(escrow, sizeof(escrow), "escrow:%lld", order_id);
	snprintf(ext, sizeof(ext), "external:%s", pay_channel_names[ch]);
	snprintf(uniq, sizeof(uniq), "hold:%lld", order_id);
	struct entry en[] = { { ext, -amount }, { escrow, amount } };
	if ((e = post(db, order_id, 0, "hold", uniq, now, en, 2, NULL)) != RD_OK)
		return e;
	struct dbval p[] = { DB_INT(order_id), DB_INT(amount), DB_INT(release_at) };
	return db_defer(db, Q_HOLD_INSERT, p, 3, 0);
}

/* The hold's row follows its resolution (post() wrote the resolution row). */
static enum rd_err
resolve(struct db *db, long long order_id, const char *state, int64_t released, int64_t refunded,
    int64_t fees, long long now)
{
	struct dbval h[] = { DB_STR(state), DB_INT(released), DB_INT(refunded), DB_INT(fees),
		DB_INT(now), DB_INT(order_id) };
	return db_defer(db, Q_HOLD_RESOLVE, h, 6, DB_ONE_ROW);
}

enum rd_err
ledger_release(struct db *db, const struct order *o, long long now)
{
	char escrow[40], merchant[80], uniq[40];
	enum rd_err e;

	snprintf(escrow, sizeof(escrow), "escrow:%lld", o->id);
	snprintf(merchant, sizeof(merchant), "merchant:%s", o->merchant_id);
	snprintf(uniq, sizeof(uniq), "resolve:%lld", o->id);
	struct entry en[] = { { escrow, -o->hold_amount }, { merchant, o->hold_amount } };
	if ((e = post(db, o->id, 0, "release", uniq, now, en, 2, "release")) != RD_OK)
		return e;
	return resolve(db, o->id, "released", o->hold_amount, 0, 0, now);
}

enum rd_err
ledger_refund(struct db *db, const struct order *o, const struct refund *rf, long long now)
{
	char escrow[40], merchant[80], dest[80], uniq[40];
	enum rd_err e;

	snprintf(escrow, sizeof(escrow), "escrow:%lld", o->id);
	snprintf(merchant, sizeof(merchant), "merchant:%s", o->merchant_id);
	snprintf(uniq, sizeof(uniq), "refund:%lld", rf->id);
	dest_account(rf, dest, sizeof(dest));
	if (rf->amount <= 0 || rf->fee < 0)
		return RD_ERR_INTERNAL;

	if (strcmp(o->hold_state, "held") == 0 || strcmp(o->hold_state, "frozen") == 0) {
		int64_t rest = o->hold_amount - rf->amount - rf->fee;
		if (rest < 0)
			return RD_ERR_INTERNAL;
		struct entry en[] = { { escrow, -o->hold_amount }, { dest, rf->amount },
			{ "platform:fees", rf->fee }, { merchant, rest } };
		if ((e = post(db, o->id, rf->id, "refund", uniq, now, en, 4, "refund")) != RD_OK)
			return e;
		return resolve(db, o->id, "refunded", rest, rf->amount, rf->fee, now);
	}
	if (strcmp(o->hold_state, "released") == 0) {
		/* After release the merchant has the money: take it back. */
		if (rf->amount > o->released)
			return RD_ERR_CONFLICT;
		struct entry en[] = { { merchant, -rf->amount }, { dest, rf->amount } };
		if ((e = post(db, o->id, rf->id, "clawback", uniq, now, en, 2, NULL)) != RD_OK)
			return e;
		struct dbval h[] = { DB_INT(rf->amount), DB_INT(rf->amount), DB_INT(o->id) };
		return db_defer(db, Q_HOLD_ADD_REFUND, h, 3, DB_ONE_ROW);
	}
	return RD_ERR_CONFLICT;                  /* already refunded */
}

static enum rd_err
payout_move(struct db *db, const struct refund *rf, const char *to, const char *kind, long long now)
{
	char from[40], uniq[40];

	snprintf(from, sizeof(from), "payout:%s", pay_channel_names[rf->channel]);
	snprintf(uniq, sizeof(uniq), "payout:%lld", rf->id);
	struct entry en[] = { { from, -rf->amount }, { to, rf->amount } };
	return post(db, rf->order_id, rf->id, kind, uniq, now, en, 2, NULL);
}

enum rd_err
ledger_payout_done(struct db *db, const struct refund *rf, long long now)
{
	char to[40];
	snprintf(to, sizeof(to), "external:%s", pay_channel_names[rf->channel]);
	return payout_move(db, rf, to, "payout", now);
}

enum rd_err
ledger_payout_to_balance(struct db *db, const struct refund *rf, long long now)
{
	char to[80];
	snprintf(to, sizeof(to), "buyer:%s", rf->buyer_id);
	return payout_move(db, rf, to, "payout_balance", now);
}
