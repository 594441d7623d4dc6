/* model.h: orders and refunds as rows, loaded by one query each, and the
 * writes that change a refund's state (always inside a transaction). */
#ifndef RD_MODEL_H
#define RD_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"
#include "rules/domain.h"
#include "rules/policy.h"

struct order {
	long long id;
	const char *order_no, *buyer_id, *merchant_id, *title, *currency;
	enum pay_channel channel;
	struct order_facts facts;        /* category, amount, delivery and usage */
	long long confirmed_at;
	enum hold_state hold_state;
	int64_t hold_amount, released, refunded, fees;
	long long release_at;
	const char *open_refund;         /* public id of the open request, or "" */
	long long buyer_gen;             /* the buyer's session generation: order_load(.., false, ..) only */
};

/* What a refund can still take from this order, fen: the whole hold while
 * it is open, what the merchant was paid once released, nothing once the
 * hold went back to the buyer. */
int64_t order_refundable(const struct order *o);

/* Q_ORDER_GET or, inside a transaction, Q_ORDER_LOCK (FOR UPDATE). */
enum rd_err order_load(struct db *db, struct arena *a, const char *order_no, bool lock, struct order *o);
/* Fills o from the first row of a result that starts with ORDER_COLS and
 * the open request's public id (25 columns). */
void order_from_row(const struct dbres *res, struct order *o);

struct refund {
	long long id;
	const char *public_id;
	enum refund_state state;
	enum refund_type type;
	enum destination dest;
	const char *reason, *reviewer, *wrong_account;
	int64_t requested, fee, amount;  /* amount: what the buyer gets */
	long long deadline, created_at, updated_at;
	bool appealed;
	bool payout_failed;              /* the payment service reported failure */
	bool appealed_partial;           /* the appeal was of a partial refund (paid already) */
	int64_t award;                   /* the arbiter's award on that appeal, on top of amount */
	unsigned risk_flags;
	long long order_id;
	const char *order_no, *buyer_id, *title, *merchant_id;
	int64_t order_amount;
	enum pay_channel channel;
	enum category category;
	/* The row was inserted in this transaction already in the state its
	 * transitions lead to: flow_apply() then records only the event (and
	 * keeps state in memory), no UPDATE. */
	bool row_ahead;
	/* Only from refund_load(.., false, ..) and refunds_of_order(): */
	struct refund_event *events;     /* in the order they happened: the last TIMELINE_CAP */
	size_t nevents;
	long long events_total;          /* all of them, shown beside a capped timeline */
	long long buyer_gen;             /* the buyer's session generation (session_resolve_gen) */
	struct refund_file *files;       /* by seq */
	size_t nfiles;
};

struct refund_event {
	long long id, at;
	const char *state, *actor, *note;
	const char *actor_name;          /* the staff login; "" for others (staff pages only) */
};

struct refund_file {
	long long seq, size;
	const char *mime, *name;
};

/* Q_REFUND_PAGE (with timeline and evidence, one round trip) or, inside a
 * transaction, Q_REFUND_LOCK (the row only, locked). */
enum rd_err refund_load(struct db *db, struct arena *a, const char *public_id, bool lock, struct refund *rf);
/* Every refund of an order with its timeline (no evidence), oldest first. */
enum rd_err refunds_of_order(struct db *db, struct arena *a, const char *order_no, struct refund **out,
    size_t *n);
/* Fills rf from row `row` of a result in REFUND_COLS layout. */
void refund_from_row(const struct dbres *res, size_t row, struct refund *rf);

/* Rewrites the refund's evidence summary after evidence rows were added
 * (same transaction). */
enum rd_err refund_evidence_changed(struct db *db, long long refund_id);

/* actor: flow_actor_names; actor_name: the staff login, or NULL. */
enum rd_err refund_event(struct db *db, long long refund_id, long long at, enum refund_state st,
    const char *actor, const char *actor_name, const char *note);
/* Outbox: queue a webhook event in the current transaction. data_json is an
 * object's JSON text. */
enum rd_err webhook_enqueue(struct db *db, struct arena *a, const char *type, const char *data_json,
    long long now);
/* {"refund_id":..,"order_no":..,"state":..,"amount":..} for refund events. */
const char *refund_event_json(struct arena *a, const struct refund *rf, const char *extra_key,
    const char *extra_json);

#endif
