/* settle.c: the hold's own move at the end: releasing it to the merchant. */
#include <json-c/json.h>

#include "store/ledger.h"
#include "store/settle.h"

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
