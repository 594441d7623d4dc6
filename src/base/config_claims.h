/* config_claims.h: the config of claims up the chain (CONTRACT.md §7):
 * `suppliers` (a desk reached by URL with an API client's id and secret, or
 * a supplier reached through the storefront), which refund types each
 * category's supplier answers for, and how long a claim may stay open. */
#ifndef RD_CONFIG_CLAIMS_H
#define RD_CONFIG_CLAIMS_H

#include <stdbool.h>

#include <json-c/json.h>

#include "base/err.h"
#include "rules/domain.h"

#define SUPPLIERS_MAX 16
#define SUPPLIER_ID_MAX 32

enum supplier_kind { SUPPLIER_DESK, SUPPLIER_STOREFRONT, SUPPLIER_KIND__MAX };
extern const char *const supplier_kind_names[SUPPLIER_KIND__MAX];

struct supplier {
	char id[SUPPLIER_ID_MAX + 1];
	enum supplier_kind kind;
	char *url;                  /* desk: its base URL, no trailing '/' */
	char *client, *secret;      /* desk: `api-client add` at the supplier */
};

struct claims_config {
	struct supplier suppliers[SUPPLIERS_MAX];
	int nsuppliers;
	unsigned answers_mask[CAT__MAX]; /* bit (1u << refund_type): claimed up the chain */
	long long expiry_secs;      /* claims.expiry_seconds: open longer is written off (7 days) */
	long long retry_secs;       /* claims.retry_seconds: a supplier that did not answer is tried again (60) */
	long long poll_secs;        /* claims.poll_seconds: a filed claim is asked about again (30) */
	long timeout_secs;          /* claims.timeout_seconds: one call to a supplier (10) */
};

/* Reads root's "suppliers", "claims" and each category's
 * "supplier_answers_for". On failure errmsg says what and where. */
enum rd_err claims_config_load(struct claims_config *c, json_object *root, char *errmsg, size_t cap);
void claims_config_free(struct claims_config *c);
/* The supplier named id, or NULL. */
const struct supplier *supplier_find(const struct claims_config *c, const char *id);

#endif
