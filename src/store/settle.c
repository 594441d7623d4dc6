/* settle.c: the approval path shared by every decider. */
#include <json-c/json.h>

#include "store/ledger.h"
#include "store/settle.h"

enum rd_err
settle_refund(struct db *db, struct arena *a, const struct order *o, struct refund *rf,
    bool recycle_item, const char *actor, const char *note, long long now)
{
	enum rd_err e;
	const char *json;

	if ((e = refund_transition(db, rf, RS_APPROVED, 0, now, actor, note)) != RD_OK ||
	    (e = ledger_refund(db, o, rf, now)) != RD_OK)
		return e;
	json = refund_event_json(a, rf, recycle_item ? "recycle_item" : "revoke_item", "true");
	if (json == NULL || (e = webhook_enqueue(db, a, "refund.approved", json, now)) != RD_OK)
		return e ? e : RD_ERR_NOMEM;
	if (ledger_needs_payout(rf->dest, rf->channel)) {
		if ((e = refund_transition(db, rf, RS_REFUNDING, 0, now, "system", "已发起原路退款")) != RD_OK)
			return e;
		return webhook_enqueue(db, a, "refund.payout_requested", refund_event_json(a, rf, NULL, NULL), now);
	}
	if ((e = refund_transition(db, rf, RS_REFUNDED, 0, now, "system", "已退到平台余额")) != RD_OK)
		return e;
	return webhook_enqueue(db, a, "refund.refunded", refund_event_json(a, rf, NULL, NULL), now);
}

enum rd_err
settle_unfreeze(struct db *db, long long order_id)
{
	return ledger_unfreeze(db, order_id);
}

enum rd_err
settle_release(struct db *db, struct arena *a, const struct order *o, const char *reason, long long now)
{
	enum rd_err e;

	if ((e = ledger_release(db, o, now)) != RD_OK)
		return e;
	json_object *j = json_object_new_object();
	json_object_object_add(j, "order_no", json_object_new_string(o->order_no));
	json_object_object_add(j, "merchant_id", json_object_new_string(o->merchant_id));
	json_object_object_add(j, "amount", json_object_new_int64(o->hold_amount));
	json_object_object_add(j, "reason", json_object_new_string(reason));
	const char *data = arena_strdup(a, json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
	json_object_put(j);
	return data ? webhook_enqueue(db, a, "escrow.released", data, now) : RD_ERR_NOMEM;
}
