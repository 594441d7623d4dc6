/* config_claims.c: reads the suppliers and the claim settings (config_claims.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config_claims.h"

const char *const supplier_kind_names[SUPPLIER_KIND__MAX] = { "desk", "storefront" };

/* The reasons a supplier answers for unless a category says otherwise: its
 * goods never arrived, its top-up failed, its item was invalid. */
#define ANSWERS_DEFAULT ((1u << RT_NOT_DELIVERED) | (1u << RT_TOPUP_FAILED) | (1u << RT_INVALID_ITEM))

static enum rd_err
bad(char *errmsg, size_t cap, const char *key, const char *what)
{
	snprintf(errmsg, cap, "config: %s: %s", key, what);
	return RD_ERR_INPUT;
}

static bool
id_ok(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= SUPPLIER_ID_MAX && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-") == n;
}

/* A string member that is present, a string, 1..max bytes, with no control
 * character (it goes into a header or a URL). */
static const char *
text(json_object *o, const char *key, size_t max)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	const char *s = json_object_get_string(v);
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return NULL;
	return s;
}

static enum rd_err
load_supplier(struct supplier *s, const char *id, json_object *o, char *errmsg, size_t cap)
{
	json_object *v;

	snprintf(s->id, sizeof(s->id), "%s", id);
	s->kind = SUPPLIER_DESK;
	if (json_object_object_get_ex(o, "kind", &v)) {
		int k = json_object_is_type(v, json_type_string) ?
		    ENUM_LOOKUP(supplier_kind_names, json_object_get_string(v)) : -1;
		if (k < 0)
			return bad(errmsg, cap, "suppliers.kind", "must be desk or storefront");
		s->kind = (enum supplier_kind)k;
	}
	if (s->kind == SUPPLIER_STOREFRONT)
		return RD_OK;
	const char *url = text(o, "url", 500), *client = text(o, "client", 64), *secret = text(o, "secret", 128);
	if (url == NULL || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
		return bad(errmsg, cap, "suppliers.url", "a desk supplier needs its base URL (http:// or https://)");
	if (client == NULL || secret == NULL || strlen(secret) < 32)
		return bad(errmsg, cap, "suppliers.client", "a desk supplier needs client and secret (api-client add)");
	if ((s->url = strdup(url)) == NULL || (s->client = strdup(client)) == NULL ||
	    (s->secret = strdup(secret)) == NULL)
		return RD_ERR_NOMEM;
	size_t n = strlen(s->url);
	while (n > 0 && s->url[n - 1] == '/')
		s->url[--n] = '\0';
	return RD_OK;
}

static enum rd_err
get_secs(json_object *o, const char *key, long long lo, long long hi, long long def, long long *out,
    char *errmsg, size_t cap)
{
	json_object *v;

	*out = def;
	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return RD_OK;
	errno = 0;
	if (!json_object_is_type(v, json_type_int) || (*out = json_object_get_int64(v), errno != 0) ||
	    *out < lo || *out > hi)
		return bad(errmsg, cap, key, "must be an integer in range");
	return RD_OK;
}

static enum rd_err
load_answers(struct claims_config *c, json_object *root, char *errmsg, size_t cap)
{
	json_object *cats = NULL, *o, *arr;

	if (root != NULL)
		json_object_object_get_ex(root, "categories", &cats);
	for (int k = 0; k < CAT__MAX; k++) {
		c->answers_mask[k] = ANSWERS_DEFAULT;
		if (cats == NULL || !json_object_object_get_ex(cats, category_names[k], &o) ||
		    !json_object_is_type(o, json_type_object) ||
		    !json_object_object_get_ex(o, "supplier_answers_for", &arr))
			continue;
		if (!json_object_is_type(arr, json_type_array))
			return bad(errmsg, cap, "supplier_answers_for", "must be an array of refund types");
		c->answers_mask[k] = 0;
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			json_object *t = json_object_array_get_idx(arr, i);
			int rt = json_object_is_type(t, json_type_string) ?
			    ENUM_LOOKUP(refund_type_names, json_object_get_string(t)) : -1;
			if (rt < 0)
				return bad(errmsg, cap, "supplier_answers_for", "unknown refund type");
			c->answers_mask[k] |= 1u << rt;
		}
	}
	return RD_OK;
}

enum rd_err
claims_config_load(struct claims_config *c, json_object *root, char *errmsg, size_t cap)
{
	json_object *sup = NULL, *claims = NULL;
	enum rd_err e;

	memset(c, 0, sizeof(*c));
	if (root != NULL && json_object_object_get_ex(root, "suppliers", &sup)) {
		if (!json_object_is_type(sup, json_type_object))
			return bad(errmsg, cap, "suppliers", "must be an object of supplier id to supplier");
		json_object_object_foreach(sup, id, o) {
			if (c->nsuppliers == SUPPLIERS_MAX)
				return bad(errmsg, cap, "suppliers", "at most 16");
			if (!id_ok(id) || !json_object_is_type(o, json_type_object))
				return bad(errmsg, cap, "suppliers", "ids are [A-Za-z0-9_-]{1,32}, each an object");
			if ((e = load_supplier(&c->suppliers[c->nsuppliers++], id, o, errmsg, cap)) != RD_OK)
				return e;
		}
	}
	if (root != NULL)
		json_object_object_get_ex(root, "claims", &claims);
	if (claims != NULL && !json_object_is_type(claims, json_type_object))
		return bad(errmsg, cap, "claims", "must be an object");
	long long t;
	if ((e = get_secs(claims, "expiry_seconds", 60, 365LL * 86400, 7 * 86400, &c->expiry_secs, errmsg, cap)) ||
	    (e = get_secs(claims, "retry_seconds", 1, 86400, 60, &c->retry_secs, errmsg, cap)) ||
	    (e = get_secs(claims, "poll_seconds", 1, 86400, 30, &c->poll_secs, errmsg, cap)) ||
	    (e = get_secs(claims, "timeout_seconds", 1, 120, 10, &t, errmsg, cap)))
		return e;
	c->timeout_secs = (long)t;
	return load_answers(c, root, errmsg, cap);
}

void
claims_config_free(struct claims_config *c)
{
	for (int i = 0; i < c->nsuppliers; i++) {
		free(c->suppliers[i].url);
		free(c->suppliers[i].client);
		free(c->suppliers[i].secret);
	}
	c->nsuppliers = 0;
}

const struct supplier *
supplier_find(const struct claims_config *c, const char *id)
{
	for (int i = 0; i < c->nsuppliers; i++)
		if (strcmp(c->suppliers[i].id, id) == 0)
			return &c->suppliers[i];
	return NULL;
}
