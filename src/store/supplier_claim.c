/* supplier_claim.c: a claim's rows, ledger and webhooks (supplier_claim.h). */
#include <string.h>

#include "base/config.h"
#include "base/crypto.h"
#include "store/db.h"
#include "store/ledger.h"
#include "store/supplier_claim.h"

#define CLAIM_ID_LEN 24

static struct plan_claim
plan_of(const struct claim *c)
{
	return (struct plan_claim){ .order_id = c->order_id, .refund_id = c->refund_id, .public_id = c->public_id,
		.supplier = c->supplier, .merchant_id = c->merchant_id };
}

/* The claim as GET /api/v1/orders/NO shows it (CONTRACT.md §7). */
static json_object *
claim_object(const struct claim *c)
{
	json_object *u = json_object_new_object();

	json_object_object_add(u, "id", json_object_new_string(c->public_id));
	json_object_object_add(u, "state", json_object_new_string(claim_state_names[c->state]));
	json_object_object_add(u, "amount", json_object_new_int64(c->amount));
	json_object_object_add(u, "supplier_refund_id", json_object_new_string(c->supplier_refund_id));
	json_object_object_add(u, "recovered", json_object_new_int64(c->recovered));
	json_object_object_add(u, "written_off", json_object_new_int64(c->written_off));
	json_object_object_add(u, "supplier", json_object_new_string(c->supplier));
	return u;
}

/* The webhooks' data: the claim, with the order, the refund that caused it
 * and the supplier's order. */
static const char *
claim_event_json(struct arena *a, const struct claim *c)
{
	json_object *o = json_object_new_object();
	const char *s;

	json_object_object_add(o, "order_no", json_object_new_string(c->order_no));
	json_object_object_add(o, "refund_id", json_object_new_string(c->refund_public_id));
	json_object_object_add(o, "supplier", json_object_new_string(c->supplier));
	json_object_object_add(o, "upstream_order_no", json_object_new_string(c->upstream_order_no));
	json_object_object_add(o, "upstream_claim", claim_object(c));
	s = arena_strdup(a, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return s;
}

static enum rd_err
announce(struct db *db, struct arena *a, const struct claim *c, const char *type, long long now)
{
	const char *json = claim_event_json(a, c);
	return json == NULL ? RD_ERR_NOMEM : webhook_enqueue(db, a, type, json, now);
}

enum rd_err
claim_on_approval(struct db *db, struct arena *a, const struct refund *rf, const struct order *o, long long now)
{
	const struct claims_config *cc = &db_config(db)->claims;
	struct dbres res;
	enum rd_err e;

	/* Only a desk with suppliers has orders bought from one: every other
	 * approval costs no round trip here. */
	if (cc->nsuppliers == 0 || !(cc->answers_mask[o->facts.category] & (1u << rf->type)))
		return RD_OK;
	struct dbval p[] = { DB_INT(o->id) };
	/* The supplier sold the order once: it is claimed once, whatever
	 * refunds follow (a later claw-back claims nothing more). */
	if ((e = db_query(db, a, Q_UPSTREAM_GET, p, 1, &res)) != RD_OK || res.nrows == 0 ||
	    db_cell_int(&res, 0, 3) > 0)
		return e;
	char *id = arena_printf(a, "%*s", CLAIM_ID_LEN, "");
	if (id == NULL)
		return RD_ERR_NOMEM;
	random_token(id, CLAIM_ID_LEN);
	struct claim c = {
		.order_id = o->id, .refund_id = rf->id, .public_id = id, .supplier = db_cell(&res, 0, 0),
		.merchant_id = o->merchant_id, .supplier_refund_id = "", .order_no = o->order_no,
		.upstream_order_no = db_cell(&res, 0, 1), .refund_public_id = rf->public_id, .type = rf->type,
		.state = CLAIM_PENDING, .amount = db_cell_int(&res, 0, 2), .expires_at = now + cc->expiry_secs,
	};
	if (c.amount <= 0)
		return RD_OK;              /* nothing was paid upstream: nothing to ask back */
	const struct supplier *sup = supplier_find(cc, c.supplier);
	bool by_storefront = sup != NULL && sup->kind == SUPPLIER_STOREFRONT;
	/* A desk supplier is filed by the next worker pass; a storefront's
	 * outcome comes through the API, so the worker only minds the expiry. */
	struct dbval q[] = { DB_STR(c.public_id), DB_INT(c.order_id), DB_INT(c.refund_id), DB_STR(c.supplier),
		DB_STR(c.merchant_id), DB_INT(c.amount), DB_STR(CLAIM_NAME_PENDING), DB_INT(now), DB_INT(now),
		DB_INT(c.expires_at), DB_INT(by_storefront ? c.expires_at : now) };
	struct plan_claim pc = plan_of(&c);
	struct ledger_plan plan;
	if ((e = db_defer(db, Q_CLAIM_INSERT, q, 11, 0)) != RD_OK ||
	    (e = ledger_plan_claim(&plan, &pc, c.amount)) != RD_OK || (e = ledger_post(db, &plan, now)) != RD_OK ||
	    (e = announce(db, a, &c, "supplier_claim.filed", now)) != RD_OK)
		return e;
	return by_storefront ? announce(db, a, &c, "supplier_claim.requested", now) : RD_OK;
}

static enum rd_err
lock_by(struct db *db, struct arena *a, enum stmt_id q, const char *key, struct claim *c)
{
	struct dbres res;
	struct dbval p[] = { DB_STR(key) };
	enum rd_err e;

	memset(c, 0, sizeof(*c));
	if ((e = db_query(db, a, q, p, 1, &res)) != RD_OK)
		return e;
	if (res.nrows == 0)
		return RD_ERR_NOTFOUND;
	c->id = db_cell_int(&res, 0, 0);
	c->public_id = db_cell(&res, 0, 1);
	c->order_id = db_cell_int(&res, 0, 2);
	c->refund_id = db_cell_int(&res, 0, 3);
	c->supplier = db_cell(&res, 0, 4);
	c->merchant_id = db_cell(&res, 0, 5);
	c->amount = db_cell_int(&res, 0, 6);
	c->recovered = db_cell_int(&res, 0, 7);
	c->written_off = db_cell_int(&res, 0, 8);
	int s = ENUM_LOOKUP(claim_state_names, db_cell(&res, 0, 9));
	c->state = s < 0 ? CLAIM_WRITTEN_OFF : (enum claim_state)s;   /* unknown: treat as ended */
	c->supplier_refund_id = db_cell(&res, 0, 10);
	c->expires_at = db_cell_int(&res, 0, 11);
	c->attempts = (int)db_cell_int(&res, 0, 12);
	c->order_no = db_cell(&res, 0, 13);
	c->upstream_order_no = db_cell(&res, 0, 14);
	c->refund_public_id = db_cell(&res, 0, 15);
	int t = ENUM_LOOKUP(refund_type_names, db_cell(&res, 0, 16));
	c->type = t < 0 ? RT_NOT_DELIVERED : (enum refund_type)t;
	c->reason = db_cell(&res, 0, 17);
	c->created_at = db_cell_int(&res, 0, 18);
	return RD_OK;
}

enum rd_err
claim_lock(struct db *db, struct arena *a, const char *public_id, struct claim *c)
{
	return lock_by(db, a, Q_CLAIM_LOCK, public_id, c);
}

enum rd_err
claim_lock_of_order(struct db *db, struct arena *a, const char *order_no, struct claim *c)
{
	return lock_by(db, a, Q_CLAIM_LOCK_OF_ORDER, order_no, c);
}

static enum rd_err
write_row(struct db *db, const struct claim *c, long long now, long long next_at, const char *error)
{
	struct dbval p[] = { DB_STR(claim_state_names[c->state]), DB_STR(c->supplier_refund_id),
		DB_INT(c->recovered), DB_INT(c->written_off), DB_INT(next_at), DB_INT(c->attempts),
		DB_STRN(error, strnlen(error, 200)), DB_INT(now), DB_INT(c->id) };
	return db_defer(db, Q_CLAIM_UPDATE, p, 9, DB_ONE_ROW);
}

enum rd_err
claim_mark_filed(struct db *db, struct claim *c, const char *supplier_refund_id, long long now, long long next_at)
{
	if (c->state != CLAIM_PENDING && c->state != CLAIM_FILED)
		return RD_ERR_CONFLICT;
	c->state = CLAIM_FILED;
	c->supplier_refund_id = supplier_refund_id;
	return write_row(db, c, now, next_at, "");
}

enum rd_err
claim_later(struct db *db, struct claim *c, long long now, long long next_at, const char *error)
{
	if (claim_state_final(c->state))
		return RD_ERR_CONFLICT;
	if (error[0] != '\0')
		c->attempts++;
	return write_row(db, c, now, next_at, error);
}

enum rd_err
claim_settle(struct db *db, struct arena *a, struct claim *c, enum claim_state outcome, int64_t recovered,
    long long now)
{
	struct plan_claim pc = plan_of(c);
	struct ledger_plan plan;
	enum rd_err e;

	if (claim_state_final(c->state) || !claim_state_final(outcome) || recovered < 0 ||
	    (outcome != CLAIM_RECOVERED && recovered != 0))
		return claim_state_final(c->state) ? RD_ERR_CONFLICT : RD_ERR_INTERNAL;
	/* More than was claimed is not ours to book: the receivable is what
	 * the merchant was owed. */
	c->recovered = recovered < c->amount ? recovered : c->amount;
	c->written_off = c->amount - c->recovered;
	c->state = outcome;
	if (c->recovered > 0 && ((e = ledger_plan_claim_recovered(&plan, &pc, c->recovered)) != RD_OK ||
	    (e = ledger_post(db, &plan, now)) != RD_OK))
		return e;
	if (c->written_off > 0 && ((e = ledger_plan_claim_write_off(&plan, &pc, c->written_off)) != RD_OK ||
	    (e = ledger_post(db, &plan, now)) != RD_OK))
		return e;
	if ((e = write_row(db, c, now, 0, "")) != RD_OK)
		return e;
	return announce(db, a, c, "supplier_claim.settled", now);
}

enum rd_err
claim_json_of_order(struct db *db, struct arena *a, long long order_id, json_object **out)
{
	struct dbres res;
	struct dbval p[] = { DB_INT(order_id) };
	enum rd_err e;

	*out = NULL;
	if ((e = db_query(db, a, Q_CLAIM_OF_ORDER, p, 1, &res)) != RD_OK || res.nrows == 0)
		return e;
	int st = ENUM_LOOKUP(claim_state_names, db_cell(&res, 0, 1));
	struct claim c = {
		.public_id = db_cell(&res, 0, 0), .state = st < 0 ? CLAIM_WRITTEN_OFF : (enum claim_state)st,
		.amount = db_cell_int(&res, 0, 2), .supplier_refund_id = db_cell(&res, 0, 3),
		.recovered = db_cell_int(&res, 0, 4), .written_off = db_cell_int(&res, 0, 5),
		.supplier = db_cell(&res, 0, 6),
	};
	*out = claim_object(&c);
	return RD_OK;
}
