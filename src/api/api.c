/* api.c: signed JSON requests from the storefront. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "base/config.h"
#include "store/db.h"
#include "pages/handlers.h"
#include "web/json_keys.h"
#include "base/log.h"
#include "base/money.h"
#include "store/replay.h"
#include "store/api_clients.h"
#include "base/utf8.h"

void
api_error(struct req *r, int status, const char *code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_object *o = json_object_new_object(), *e = json_object_new_object();
	json_object_object_add(e, "code", json_object_new_string(code));
	json_object_object_add(e, "message", json_object_new_string(msg));
	json_object_object_add(o, "error", e);
	api_json(r, status, o);
}

void
api_json(struct req *r, int status, json_object *obj)
{
	buf_reset(&r->body);
	r->status = status;
	resp_header(r, "Content-Type", "application/json");
	buf_puts(&r->body, json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN));
	buf_putc(&r->body, '\n');
	json_object_put(obj);
}

void
api_fail(struct req *r, enum rd_err e)
{
	switch (e) {
	case RD_ERR_NOTFOUND:
		api_error(r, 404, "not_found", "no such order or refund");
		break;
	case RD_ERR_CONFLICT:
		api_error(r, 409, "conflict", "the request conflicts with the current state");
		break;
	case RD_ERR_DB:
	case RD_ERR_RETRY:
		resp_header(r, "Retry-After", "5");
		api_error(r, 503, "unavailable", "the database is unavailable; retry later");
		break;
	case RD_ERR_NOMEM:
		log_warn("api %s: request memory exhausted", r->route ? r->route : "-");
		mark_unrendered(r);
		resp_header(r, "Retry-After", "5");
		api_error(r, 503, "overloaded", "the answer does not fit the request's memory; retry later");
		break;
	default:
		api_error(r, 500, "internal", "internal error");
		break;
	}
}

static int
hex4(const char *p, size_t n)
{
	int v = 0;

	if (n < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 :
		    (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* json-c turns \u0000 into a string that ends early and an unpaired
 * surrogate into U+FFFD: either way what we store is not what was sent.
 * Backslashes only occur inside JSON strings, so a plain scan suffices. */
static bool
json_escapes_ok(const char *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (p[i] != '\\')
			continue;
		if (p[i + 1] != 'u') {
			i++;                             /* \" \\ \n ...: skip the pair */
			continue;
		}
		int u = hex4(p + i + 2, n - i - 2);
		if (u <= 0 || (u >= 0xdc00 && u <= 0xdfff))
			return false;
		if (u >= 0xd800 && u <= 0xdbff) {
			int lo = (i + 7 < n && p[i + 6] == '\\' && p[i + 7] == 'u') ? hex4(p + i + 8, n - i - 8) : -1;
			if (lo < 0xdc00 || lo > 0xdfff)
				return false;
			i += 6;
		}
		i += 5;
	}
	return true;
}

/* X-RD-Client names an API client (CONTRACT.md §7): its derived secret
 * signs the request and its buyer is the one the handler serves. Unknown
 * or revoked: the same 401 as a bad signature. */
static bool
client_secret(struct req *r, const char *client, bool clients, char secret[65], const char **buyer)
{
	if (!clients) {
		api_error(r, 403, "storefront_only", "this call takes the storefront's signature, not an API client's");
		return false;
	}
	char *b = arena_alloc(r->a, BUYER_ID_MAX + 1);
	enum rd_err e = b == NULL ? RD_ERR_NOMEM : !ident_valid(client, API_CLIENT_ID_LEN) ? RD_ERR_NOTFOUND :
	    api_client_buyer(r->app->db, r->a, client, b);
	if (e == RD_ERR_NOTFOUND) {
		api_error(r, 401, "bad_signature", "missing, stale or invalid X-RD-Signature");
		return false;
	}
	if (e != RD_OK) {
		api_fail(r, e);
		return false;
	}
	api_client_secret(r->app->cfg, client, secret);
	*buyer = b;
	return true;
}

bool
api_begin(struct req *r, json_object **root)
{
	return api_begin_as(r, root, false, NULL);
}

bool
api_signer(struct req *r, bool clients, char csecret[65], const char **secret, const char **buyer)
{
	const char *client = req_param(r, "HTTP_X_RD_CLIENT");

	*secret = r->app->cfg->storefront_secret;
	if (buyer != NULL)
		*buyer = NULL;
	if (client[0] == '\0')
		return true;
	const char *cb = NULL;
	if (!client_secret(r, client, clients, csecret, &cb))
		return false;
	*secret = csecret;
	*buyer = cb;
	return true;
}

bool
api_verify(struct req *r, const char *secret, const char *body, size_t blen, const char *body_sha256)
{
	const struct config *cfg = r->app->cfg;

	/* The signed string names the path as sent: nginx folds "//", dot
	 * segments and escapes into the same route, so such a spelling would
	 * be a second valid URI for one signature. */
	char target[2048];
	if (!uri_path_normal(req_param(r, "REQUEST_URI")) ||
	    !signed_target(r->path, r->query, target, sizeof(target))) {
		api_error(r, 400, "bad_path", "the path must be normalised: no '//', dot segments or %%-escapes");
		return false;
	}
	const char *sig = req_param(r, "HTTP_X_RD_SIGNATURE"), *ts = req_param(r, "HTTP_X_RD_TIMESTAMP");
	enum rd_err e = body_sha256 != NULL ?
	    apisig_verify_hashed(secret, r->method_str, target, ts, sig, body_sha256, (time_t)r->now, cfg->api_skew) :
	    apisig_verify(secret, r->method_str, target, ts, sig, body ? body : "", blen, (time_t)r->now,
	    cfg->api_skew);
	if (e != RD_OK) {
		char ip[64];
		log_info("api signature refused from %s", log_safe(r->remote_addr, ip, sizeof(ip)));
		api_error(r, 401, "bad_signature", "missing, stale or invalid X-RD-Signature");
		return false;
	}
	/* A verified timestamp is digits within the skew: atoll is exact. */
	e = replay_record(r->app->db, sig, atoll(ts));
	if (e == RD_ERR_CONFLICT) {
		char ip[64];
		log_warn("api replay refused from %s", log_safe(r->remote_addr, ip, sizeof(ip)));
		api_error(r, 409, "replayed", "this signature was already used: sign every request afresh");
		return false;
	}
	if (e != RD_OK) {
		api_fail(r, e);
		return false;
	}
	return true;
}

bool
api_begin_as(struct req *r, json_object **root, bool clients, const char **buyer)
{
	const char *secret;
	char csecret[65];
	char *body = NULL;
	size_t blen = 0;

	*root = NULL;
	if (!api_signer(r, clients, csecret, &secret, buyer))
		return false;
	if (r->content_length > API_BODY_MAX) {
		api_error(r, 413, "too_large", "body over %d bytes", API_BODY_MAX);
		return false;
	}
	if (r->content_length > 0) {
		if ((body = arena_alloc(r->a, (size_t)r->content_length + 1)) == NULL) {
			api_fail(r, RD_ERR_NOMEM);
			return false;
		}
		while (blen < (size_t)r->content_length) {
			long got = req_read(r, body + blen, (size_t)r->content_length - blen);
			if (got <= 0) {
				api_error(r, 400, "bad_body", "body shorter than Content-Length");
				return false;
			}
			blen += (size_t)got;
		}
	}
	if (!api_verify(r, secret, body, blen, NULL))
		return false;
	if (r->method != HM_POST)
		return true;
	return api_parse_json(r, body ? body : "", blen, root);
}

bool
api_parse_json(struct req *r, const char *body, size_t blen, json_object **root)
{
	*root = NULL;
	if (!json_escapes_ok(body ? body : "", blen)) {
		api_error(r, 400, "bad_json", "\\u0000 and unpaired surrogate escapes are not accepted");
		return false;
	}
	json_tokener *tok = json_tokener_new();
	if (tok == NULL) {
		api_error(r, 500, "internal", "out of memory");
		return false;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	*root = blen ? json_tokener_parse_ex(tok, body, (int)blen) : NULL;
	bool whole = *root != NULL && json_tokener_get_parse_end(tok) == blen;
	json_tokener_free(tok);
	if (!whole || !json_object_is_type(*root, json_type_object) || !utf8_valid(body, blen)) {
		json_object_put(*root);
		*root = NULL;
		api_error(r, 400, "bad_json", "the body must be one JSON object in UTF-8");
		return false;
	}
	bool nomem = false;
	if (json_dup_keys(body, blen, r->a, &nomem) || nomem) {
		json_object_put(*root);
		*root = NULL;
		if (nomem)
			api_fail(r, RD_ERR_NOMEM);
		else
			api_error(r, 400, "duplicate_key", "an object of the body names one member twice");
		return false;
	}
	return true;
}

static json_object *
member(json_object *o, const char *key)
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return NULL;
	return v;
}

/* The JSON bridge to the form checks (web/form.h): a string member runs
 * through the same text rules as an HTML field (form_text_fault, one line),
 * then f->check; the API words the fault as its own error codes. Returns
 * 1 valid, 0 after writing the error, -1 when f->check refused it (the
 * caller words that: the code is bad_value, the rule is the caller's). */
static int
api_field(struct req *r, json_object *o, const struct form_field *f, bool optional, const char **out)
{
	json_object *v = member(o, f->name);
	unsigned long cp = 0;
	size_t chars = 0;
	char msg[256];

	*out = NULL;
	if (v == NULL) {
		if (optional)
			return 1;
		api_error(r, 422, "missing_field", "%s is required", f->name);
		return 0;
	}
	if (!json_object_is_type(v, json_type_string)) {
		api_error(r, 422, "bad_type", "%s must be a string", f->name);
		return 0;
	}
	const char *s = json_object_get_string(v);
	size_t n = (size_t)json_object_get_string_len(v);
	switch (form_text_fault(s, n, f, false, &cp, &chars)) {
	case FF_OK:
		break;
	case FF_DECEPTIVE:
		api_error(r, 422, "deceptive_text",
		    "%s holds U+%04lX (a bidi control or invisible character)", f->name, cp);
		return 0;
	case FF_SHORT:
	case FF_LONG:
		api_error(r, 422, "bad_length", "%s must be %zu to %zu characters", f->name, f->min_chars,
		    f->max_chars);
		return 0;
	default:
		api_error(r, 422, "bad_value", "%s must be UTF-8 text without control characters", f->name);
		return 0;
	}
	if (f->check != form_check_line && f->check(s, n, f, msg, sizeof(msg)) != NULL)
		return -1;
	*out = s;
	return 1;
}

bool
api_form_field(struct req *r, json_object *o, const struct form_field *f, bool optional, const char **out)
{
	int k = api_field(r, o, f, optional, out);

	if (k < 0) {
		*out = NULL;
		api_error(r, 422, "bad_value", "%s is not in the accepted form", f->name);
	}
	return k == 1;
}

bool
api_str(struct req *r, json_object *o, const char *key, size_t min_chars, size_t max_chars,
    bool optional, const char **out)
{
	const struct form_field f = { key, NULL, form_check_line, min_chars, max_chars, !optional, NULL, 0 };

	return api_field(r, o, &f, optional, out) == 1;
}

bool
api_ident(struct req *r, json_object *o, const char *key, size_t max, const char **out)
{
	const struct form_field f = { key, NULL, form_check_ident, 1, max, true, NULL, 0 };
	int k = api_field(r, o, &f, false, out);

	if (k == 0)
		return false;
	/* '_' first is reserved for the desk's own placeholders. */
	if (k < 0 || (*out)[0] == '_') {
		*out = NULL;
		api_error(r, 422, "bad_value", "%s must be 1 to %zu of [A-Za-z0-9_-], not starting with '_'", key, max);
		return false;
	}
	return true;
}

bool
api_int(struct req *r, json_object *o, const char *key, long long lo, long long hi, bool optional,
    bool *present, long long *out)
{
	json_object *v = member(o, key);

	if (present != NULL)
		*present = v != NULL;
	if (v == NULL) {
		if (optional)
			return true;
		api_error(r, 422, "missing_field", "%s is required", key);
		return false;
	}
	if (!json_object_is_type(v, json_type_int)) {
		api_error(r, 422, "bad_type", "%s must be an integer", key);
		return false;
	}
	/* json-c clamps out-of-range numbers to INT64_MIN/MAX; the range check
	 * below refuses those along with everything else outside [lo, hi]. */
	long long n = json_object_get_int64(v);
	if (n < lo || n > hi) {
		api_error(r, 422, "out_of_range", "%s must be between %lld and %lld", key, lo, hi);
		return false;
	}
	*out = n;
	return true;
}

bool
api_bool(struct req *r, json_object *o, const char *key, bool *present, bool *out)
{
	json_object *v = member(o, key);

	*present = v != NULL;
	if (v == NULL)
		return true;
	if (!json_object_is_type(v, json_type_boolean)) {
		api_error(r, 422, "bad_type", "%s must be true or false", key);
		return false;
	}
	*out = json_object_get_boolean(v);
	return true;
}

int
api_enum(struct req *r, json_object *o, const char *key, const char *const *table, size_t n,
    bool optional)
{
	const char *s;

	if (!api_str(r, o, key, 0, 64, optional, &s))
		return -2;
	if (s == NULL)
		return -1;
	int k = enum_lookup(table, n, s);
	if (k < 0 || table[k][0] == '\0') {
		api_error(r, 422, "bad_value", "%s is not one of the accepted values", key);
		return -2;
	}
	return k;
}

json_object *
api_order_json(const struct order *o)
{
	json_object *j = json_object_new_object(), *d = json_object_new_object();
	json_object *u = json_object_new_object(), *h = json_object_new_object();

	json_object_object_add(j, "order_no", json_object_new_string(o->order_no));
	json_object_object_add(j, "buyer_id", json_object_new_string(o->buyer_id));
	json_object_object_add(j, "merchant_id", json_object_new_string(o->merchant_id));
	json_object_object_add(j, "category", json_object_new_string(category_names[o->facts.category]));
	json_object_object_add(j, "title", json_object_new_string(o->title));
	json_object_object_add(j, "amount", json_object_new_int64(o->facts.amount));
	json_object_object_add(j, "currency", json_object_new_string(o->currency));
	json_object_object_add(j, "pay_channel", json_object_new_string(pay_channel_names[o->channel]));
	json_object_object_add(j, "paid_at", json_object_new_int64(o->facts.paid_at));
	json_object_object_add(d, "state", json_object_new_string(delivery_state_names[o->facts.delivery]));
	json_object_object_add(d, "kind", json_object_new_string(delivery_kind_names[o->facts.kind]));
	json_object_object_add(d, "at", json_object_new_int64(o->facts.delivered_at));
	json_object_object_add(j, "delivery", d);
	json_object_object_add(u, "key_revealed_at", json_object_new_int64(o->facts.key_revealed_at));
	json_object_object_add(u, "redeemed", json_object_new_boolean(o->facts.redeemed));
	json_object_object_add(u, "topup", json_object_new_string(topup_state_names[o->facts.topup]));
	json_object_object_add(u, "activated_at", json_object_new_int64(o->facts.activated_at));
	json_object_object_add(j, "usage", u);
	json_object_object_add(h, "state", json_object_new_string(hold_state_names[o->hold_state]));
	json_object_object_add(h, "amount", json_object_new_int64(o->hold_amount));
	json_object_object_add(h, "released", json_object_new_int64(o->released));
	json_object_object_add(h, "refunded", json_object_new_int64(o->refunded));
	json_object_object_add(h, "fees", json_object_new_int64(o->fees));
	json_object_object_add(h, "release_at", json_object_new_int64(o->release_at));
	json_object_object_add(j, "hold", h);
	json_object_object_add(j, "confirmed_at", json_object_new_int64(o->confirmed_at));
	return j;
}

json_object *
api_refund_json(const struct refund *rf)
{
	json_object *j = json_object_new_object(), *tl = json_object_new_array();

	json_object_object_add(j, "id", json_object_new_string(rf->public_id));
	json_object_object_add(j, "order_no", json_object_new_string(rf->order_no));
	json_object_object_add(j, "type", json_object_new_string(refund_type_names[rf->type]));
	json_object_object_add(j, "state", json_object_new_string(refund_state_names[rf->state]));
	json_object_object_add(j, "destination", json_object_new_string(destination_names[rf->dest]));
	json_object_object_add(j, "requested_amount", json_object_new_int64(rf->requested));
	json_object_object_add(j, "fee", json_object_new_int64(rf->fee));
	json_object_object_add(j, "refund_amount", json_object_new_int64(rf->amount));
	/* README "Appeal after a partial refund": paid on top of refund_amount. */
	json_object_object_add(j, "appeal_award", json_object_new_int64(rf->award));
	json_object_object_add(j, "appeal", json_object_new_string(!rf->appealed ? "none" :
	    rf->appealed_partial ? "partial" : "rejection"));
	json_object_object_add(j, "created_at", json_object_new_int64(rf->created_at));
	json_object_object_add(j, "updated_at", json_object_new_int64(rf->updated_at));
	json_object_object_add(j, "deadline", json_object_new_int64(rf->deadline));
	json_object_object_add(j, "reviewer", json_object_new_string(rf->reviewer));
	json_object_object_add(j, "risk_flags", json_object_new_int64(rf->risk_flags));
	for (size_t i = 0; i < rf->nevents; i++) {
		const struct refund_event *ev = &rf->events[i];
		json_object *e = json_object_new_object();
		json_object_object_add(e, "at", json_object_new_int64(ev->at));
		json_object_object_add(e, "state", json_object_new_string(ev->state));
		json_object_object_add(e, "actor", json_object_new_string(ev->actor));
		json_object_object_add(e, "note", json_object_new_string(ev->note));
		json_object_array_add(tl, e);
	}
	json_object_object_add(j, "timeline", tl);
	/* The timeline holds the last TIMELINE_CAP events; this counts them all. */
	json_object_object_add(j, "timeline_total", json_object_new_int64(rf->events_total));
	return j;
}

json_object *
api_refund_json_for(const struct refund *rf, const char *client_buyer)
{
	json_object *j = api_refund_json(rf);

	/* A client is the buyer: the desk's risk rules and its reviewer are not theirs to read. */
	if (client_buyer != NULL) {
		json_object_object_del(j, "risk_flags");
		json_object_object_del(j, "reviewer");
	}
	return j;
}
