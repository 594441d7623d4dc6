/* model.c: row <-> struct mapping and the state-changing writes. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "base/crypto.h"
#include "store/model.h"

static int
lookup_or(const char *const *table, size_t n, const char *name, int def)
{
	int k = enum_lookup(table, n, name);
	return k < 0 ? def : k;
}
#define LOOKUP(table, name, def) lookup_or((table), sizeof(table) / sizeof((table)[0]), (name), (def))

int64_t
order_refundable(const struct order *o)
{
	if (hold_state_open(o->hold_state))
		return o->hold_amount;
	if (o->hold_state == HOLD_RELEASED)
		return o->released;
	return 0;
}

enum rd_err
order_load(struct db *db, struct arena *a, const char *order_no, bool lock, struct order *o)
{
	struct dbres res;
	struct dbval p[] = { DB_STR(order_no) };
	enum rd_err e;

	memset(o, 0, sizeof(*o));
	/* lock: the transaction decides from this order, so it writes it (see
	 * sql/030); a read for a page waits for the cluster's newer writes. */
	if (lock && (e = db_defer(db, Q_ORDER_BUMP, p, 1, 0)) != RD_OK)
		return e;
	if ((e = lock ? db_query(db, a, Q_ORDER_LOCK, p, 1, &res) :
	    db_query_sync(db, a, Q_ORDER_GET, p, 1, &res)) != RD_OK)
		return e;
	if (res.nrows == 0)
		return RD_ERR_NOTFOUND;
	order_from_row(&res, o);
	if (!lock)
		o->buyer_gen = db_cell_int(&res, 0, 25);
	return RD_OK;
}

void
order_from_row(const struct dbres *res, struct order *o)
{
	memset(o, 0, sizeof(*o));
	o->id = db_cell_int(res, 0, 0);
	o->order_no = db_cell(res, 0, 1);
	o->buyer_id = db_cell(res, 0, 2);
	o->merchant_id = db_cell(res, 0, 3);
	o->facts.category = LOOKUP(category_names, db_cell(res, 0, 4), CAT_GAME_CARD);
	o->title = db_cell(res, 0, 5);
	o->facts.amount = db_cell_int(res, 0, 6);
	o->currency = db_cell(res, 0, 7);
	o->channel = LOOKUP(pay_channel_names, db_cell(res, 0, 8), PAY_BALANCE);
	o->facts.paid_at = db_cell_int(res, 0, 9);
	o->facts.delivery = LOOKUP(delivery_state_names, db_cell(res, 0, 10), DELIV_PENDING);
	o->facts.kind = LOOKUP(delivery_kind_names, db_cell(res, 0, 11), KIND_NONE);
	o->facts.delivered_at = db_cell_int(res, 0, 12);
	o->facts.key_revealed_at = db_cell_int(res, 0, 13);
	o->facts.redeemed = db_cell_int(res, 0, 14) != 0;
	o->facts.topup = LOOKUP(topup_state_names, db_cell(res, 0, 15), TOPUP_UNKNOWN);
	o->facts.activated_at = db_cell_int(res, 0, 16);
	o->confirmed_at = db_cell_int(res, 0, 17);
	/* An unknown state (none is ever written) counts as resolved: nothing
	 * refundable, nothing to release. */
	o->hold_state = LOOKUP(hold_state_names, db_cell(res, 0, 18), HOLD_REFUNDED);
	o->hold_amount = db_cell_int(res, 0, 19);
	o->released = db_cell_int(res, 0, 20);
	o->refunded = db_cell_int(res, 0, 21);
	o->fees = db_cell_int(res, 0, 22);
	o->release_at = db_cell_int(res, 0, 23);
	o->open_refund = db_cell(res, 0, 24);
}

void
refund_from_row(const struct dbres *res, size_t row, struct refund *rf)
{
	memset(rf, 0, sizeof(*rf));
	rf->id = db_cell_int(res, row, 0);
	rf->public_id = db_cell(res, row, 1);
	rf->state = LOOKUP(refund_state_names, db_cell(res, row, 2), RS_SUBMITTED);
	rf->type = LOOKUP(refund_type_names, db_cell(res, row, 3), RT_NOT_DELIVERED);
	rf->dest = LOOKUP(destination_names, db_cell(res, row, 4), DEST_BALANCE);
	rf->reason = db_cell(res, row, 5);
	rf->requested = db_cell_int(res, row, 6);
	rf->fee = db_cell_int(res, row, 7);
	rf->amount = db_cell_int(res, row, 8);
	rf->deadline = db_cell_int(res, row, 9);
	rf->created_at = db_cell_int(res, row, 10);
	rf->updated_at = db_cell_int(res, row, 11);
	rf->appealed = db_cell_int(res, row, 12) != 0;
	rf->reviewer = db_cell(res, row, 13);
	rf->risk_flags = (unsigned)db_cell_int(res, row, 14);
	rf->wrong_account = db_cell(res, row, 15);
	rf->order_id = db_cell_int(res, row, 16);
	rf->order_no = db_cell(res, row, 17);
	rf->buyer_id = db_cell(res, row, 18);
	rf->title = db_cell(res, row, 19);
	rf->order_amount = db_cell_int(res, row, 20);
	rf->channel = LOOKUP(pay_channel_names, db_cell(res, row, 21), PAY_BALANCE);
	rf->merchant_id = db_cell(res, row, 22);
	rf->category = LOOKUP(category_names, db_cell(res, row, 23), CAT_GAME_CARD);
	rf->payout_failed = db_cell_int(res, row, 24) != 0;
	rf->appealed_partial = db_cell_int(res, row, 25) == 2;
	rf->award = db_cell_int(res, row, 26);
}

/* The evidence summary column: [[seq, size, mime, name], ...]. */
static enum rd_err
parse_files(struct arena *a, const char *json, struct refund *rf)
{
	json_object *arr;
	size_t n;

	rf->nfiles = 0;
	if (json[0] == '\0')
		return RD_OK;
	if ((arr = json_tokener_parse(json)) == NULL || !json_object_is_type(arr, json_type_array)) {
		json_object_put(arr);
		return RD_ERR_INTERNAL;
	}
	n = json_object_array_length(arr);
	if ((rf->files = arena_alloc(a, (n ? n : 1) * sizeof(*rf->files))) == NULL) {
		json_object_put(arr);
		return RD_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(arr, i);
		struct refund_file *out = &rf->files[rf->nfiles];
		const char *mime = json_object_get_string(json_object_array_get_idx(f, 2));
		const char *name = json_object_get_string(json_object_array_get_idx(f, 3));
		out->seq = json_object_get_int64(json_object_array_get_idx(f, 0));
		out->size = json_object_get_int64(json_object_array_get_idx(f, 1));
		out->mime = arena_strdup(a, mime ? mime : "");
		out->name = arena_strdup(a, name ? name : "");
		if (out->mime == NULL || out->name == NULL) {
			json_object_put(arr);
			return RD_ERR_NOMEM;
		}
		rf->nfiles++;
	}
	json_object_put(arr);
	return RD_OK;
}

/* Rows of Q_REFUND_PAGE / Q_REFUNDS_OF_ORDER: REFUND_COLS, then the event
 * (id, at, state, actor, note; NULL when there is none), then the evidence
 * summary, the refund's total number of events, its buyer's session
 * generation and the event's actor_name (sql/046). Refunds keep the order they first appear in; events are
 * sorted by id here, so the query needs no ORDER BY (a temporary table). */
static enum rd_err
collect(const struct dbres *res, struct arena *a, struct refund *out, size_t cap, size_t *n)
{
	const size_t c = REFUND_NCOLS;
	enum rd_err e;

	*n = 0;
	for (size_t i = 0; i < res->nrows; i++) {
		long long id = db_cell_int(res, i, 0);
		struct refund *rf = NULL;
		for (size_t k = 0; k < *n && rf == NULL; k++)
			if (out[k].id == id)
				rf = &out[k];
		if (rf == NULL) {
			if (*n == cap)
				return RD_ERR_INTERNAL;
			rf = &out[(*n)++];
			refund_from_row(res, i, rf);
			rf->events_total = db_cell_int(res, i, c + 6);
			rf->buyer_gen = db_cell_int(res, i, c + 7);
			if ((rf->events = arena_alloc(a, res->nrows * sizeof(*rf->events))) == NULL)
				return RD_ERR_NOMEM;
			if ((e = parse_files(a, db_cell(res, i, c + 5), rf)) != RD_OK)
				return e;
		}
		if (res->cells[i * res->ncols + c].null)
			continue;                        /* a refund with no events yet */
		struct refund_event *ev = &rf->events[rf->nevents];
		ev->id = db_cell_int(res, i, c);
		ev->at = db_cell_int(res, i, c + 1);
		ev->state = db_cell(res, i, c + 2);
		ev->actor = db_cell(res, i, c + 3);
		ev->note = db_cell(res, i, c + 4);
		ev->actor_name = db_cell(res, i, c + 8);
		for (size_t k = rf->nevents++; k > 0 && rf->events[k - 1].id > rf->events[k].id; k--) {
			struct refund_event t = rf->events[k];
			rf->events[k] = rf->events[k - 1];
			rf->events[k - 1] = t;
		}
	}
	return RD_OK;
}

enum rd_err
refunds_of_order(struct db *db, struct arena *a, const char *order_no, struct refund **out, size_t *n)
{
	struct dbres res;
	struct dbval p[] = { DB_STR(order_no) };
	enum rd_err e;

	*n = 0;
	if ((e = db_query(db, a, Q_REFUNDS_OF_ORDER, p, 1, &res)) != RD_OK)
		return e;
	if ((*out = arena_alloc(a, (res.nrows + 1) * sizeof(**out))) == NULL)
		return RD_ERR_NOMEM;
	if ((e = collect(&res, a, *out, res.nrows + 1, n)) != RD_OK)
		return e;
	/* Oldest first, as ids were given. */
	for (size_t i = 1; i < *n; i++)
		for (size_t k = i; k > 0 && (*out)[k - 1].id > (*out)[k].id; k--) {
			struct refund t = (*out)[k];
			(*out)[k] = (*out)[k - 1];
			(*out)[k - 1] = t;
		}
	return RD_OK;
}

enum rd_err
refund_load(struct db *db, struct arena *a, const char *public_id, bool lock, struct refund *rf)
{
	struct dbres res;
	struct dbval p[] = { DB_STR(public_id) };
	enum rd_err e;
	size_t n;

	memset(rf, 0, sizeof(*rf));
	if (lock && (e = db_defer(db, Q_REFUND_BUMP, p, 1, 0)) != RD_OK)
		return e;
	if ((e = lock ? db_query(db, a, Q_REFUND_LOCK, p, 1, &res) :
	    db_query_sync(db, a, Q_REFUND_PAGE, p, 1, &res)) != RD_OK)
		return e;
	if (res.nrows == 0)
		return RD_ERR_NOTFOUND;
	if (lock) {
		refund_from_row(&res, 0, rf);
		return RD_OK;
	}
	if ((e = collect(&res, a, rf, 1, &n)) != RD_OK)
		return e;
	return n == 1 ? RD_OK : RD_ERR_NOTFOUND;
}

enum rd_err
refund_event(struct db *db, long long refund_id, long long at, enum refund_state st,
    const char *actor, const char *actor_name, const char *note)
{
	struct dbval p[] = { DB_INT(refund_id), DB_INT(at), DB_STR(refund_state_names[st]),
		DB_STR(actor), DB_STR(note ? note : ""), DB_STR(actor_name ? actor_name : "") };
	return db_defer(db, Q_EVENT_INSERT, p, 6, 0);
}

enum rd_err
webhook_enqueue(struct db *db, struct arena *a, const char *type, const char *data_json, long long now)
{
	char id[33];

	random_token(id, 32);
	const char *payload = arena_printf(a, "{\"id\":\"%s\",\"type\":\"%s\",\"created_at\":%lld,\"data\":%s}",
	    id, type, now, data_json);
	if (payload == NULL)
		return RD_ERR_NOMEM;
	struct dbval p[] = { DB_STR(id), DB_STR(type), DB_STR(payload), DB_INT(now), DB_INT(now) };
	return db_defer(db, Q_WEBHOOK_INSERT, p, 5, 0);
}

const char *
refund_event_json(struct arena *a, const struct refund *rf, const char *extra_key, const char *extra_json)
{
	json_object *o = json_object_new_object();
	const char *s;

	json_object_object_add(o, "refund_id", json_object_new_string(rf->public_id));
	json_object_object_add(o, "order_no", json_object_new_string(rf->order_no));
	json_object_object_add(o, "type", json_object_new_string(refund_type_names[rf->type]));
	json_object_object_add(o, "state", json_object_new_string(refund_state_names[rf->state]));
	json_object_object_add(o, "destination", json_object_new_string(destination_names[rf->dest]));
	json_object_object_add(o, "refund_amount", json_object_new_int64(rf->amount));
	json_object_object_add(o, "fee", json_object_new_int64(rf->fee));
	if (rf->award > 0)           /* paid on top of refund_amount after an appeal */
		json_object_object_add(o, "appeal_award", json_object_new_int64(rf->award));
	if (extra_key != NULL)
		json_object_object_add(o, extra_key, json_tokener_parse(extra_json));
	s = arena_strdup(a, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return s;
}

enum rd_err
refund_evidence_changed(struct db *db, long long refund_id)
{
	struct dbval p[] = { DB_INT(refund_id), DB_INT(refund_id) };
	return db_defer(db, Q_EVIDENCE_SUMMARY, p, 2, 0);
}
