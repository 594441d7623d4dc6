/* config.c: JSON config with defaults for everything but the secrets and
 * the database name, strict about types and ranges. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "config.h"

#define CONFIG_MAX_BYTES (1 << 20)

static enum rd_err
fail(struct config *cfg, const char *what, const char *key)
{
	snprintf(cfg->errmsg, sizeof(cfg->errmsg), "config: %s: %s", key, what);
	return RD_ERR_INPUT;
}

/* A string member; absent leaves *out as def (copied), wrong type fails. */
static enum rd_err
get_str(struct config *cfg, json_object *o, const char *key, const char *def, char **out)
{
	json_object *v;
	const char *s = def;

	if (o != NULL && json_object_object_get_ex(o, key, &v)) {
		if (!json_object_is_type(v, json_type_string))
			return fail(cfg, "must be a string", key);
		s = json_object_get_string(v);
	}
	if (s == NULL)
		return fail(cfg, "is required", key);
	if ((*out = strdup(s)) == NULL)
		return RD_ERR_NOMEM;
	return RD_OK;
}

static enum rd_err
get_int(struct config *cfg, json_object *o, const char *key, long long lo, long long hi,
    long long def, long long *out)
{
	json_object *v;

	*out = def;
	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return RD_OK;
	if (!json_object_is_type(v, json_type_int))
		return fail(cfg, "must be an integer", key);
	errno = 0;
	long long n = json_object_get_int64(v);
	if (errno != 0 || n < lo || n > hi)
		return fail(cfg, "out of range", key);
	*out = n;
	return RD_OK;
}

static enum rd_err
get_bool(struct config *cfg, json_object *o, const char *key, bool def, bool *out)
{
	json_object *v;

	*out = def;
	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return RD_OK;
	if (!json_object_is_type(v, json_type_boolean))
		return fail(cfg, "must be true or false", key);
	*out = json_object_get_boolean(v);
	return RD_OK;
}

static json_object *
get_obj(json_object *o, const char *key)
{
	json_object *v;

	if (o != NULL && json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_object))
		return v;
	return NULL;
}

/* "categories": {"game_card": {"window_hours": 72, "fee_bp": 1000,
 * "used_refundable": true, "hold_hours": 72, "evidence": ["invalid_item", ...]}} */
static enum rd_err
load_categories(struct config *cfg, json_object *root)
{
	json_object *cats = get_obj(root, "categories");
	enum rd_err e;
	long long n;

	for (int c = 0; c < CAT__MAX; c++) {
		struct category_policy *cp = &cfg->categories[c];
		policy_defaults((enum category)c, cp);
		json_object *o = get_obj(cats, category_names[c]);
		if (o == NULL)
			continue;
		if ((e = get_int(cfg, o, "window_hours", 1, 24 * 365, cp->window_secs / 3600, &n)))
			return e;
		cp->window_secs = n * 3600;
		if ((e = get_int(cfg, o, "fee_bp", 0, 10000, cp->fee_bp, &n)))
			return e;
		cp->fee_bp = (int)n;
		if ((e = get_int(cfg, o, "hold_hours", 0, 24 * 365, cp->hold_secs / 3600, &n)))
			return e;
		cp->hold_secs = n * 3600;
		if ((e = get_bool(cfg, o, "used_refundable", cp->used_refundable, &cp->used_refundable)))
			return e;
		json_object *ev;
		if (json_object_object_get_ex(o, "evidence", &ev)) {
			if (!json_object_is_type(ev, json_type_array))
				return fail(cfg, "must be an array of refund types", "evidence");
			cp->evidence_mask = 0;
			for (size_t i = 0; i < json_object_array_length(ev); i++) {
				json_object *t = json_object_array_get_idx(ev, i);
				int k = json_object_is_type(t, json_type_string) ?
				    ENUM_LOOKUP(refund_type_names, json_object_get_string(t)) : -1;
				if (k < 0)
					return fail(cfg, "unknown refund type", "evidence");
				cp->evidence_mask |= 1u << k;
			}
		}
	}
	return RD_OK;
}

enum rd_err
config_parse(struct config *cfg, const char *text, size_t len)
{
	json_tokener *tok;
	json_object *root, *db, *lim, *risk, *wh;
	enum rd_err e = RD_ERR_INPUT;
	long long n;

	memset(cfg, 0, sizeof(*cfg));
	if ((tok = json_tokener_new()) == NULL)
		return RD_ERR_NOMEM;
	root = json_tokener_parse_ex(tok, text, (int)len);
	if (root == NULL || json_tokener_get_parse_end(tok) != len ||
	    !json_object_is_type(root, json_type_object)) {
		snprintf(cfg->errmsg, sizeof(cfg->errmsg), "config: not a JSON object (%s)",
		    json_tokener_error_desc(json_tokener_get_error(tok)));
		goto out;
	}
	db = get_obj(root, "database");
	lim = get_obj(root, "limits");
	risk = get_obj(root, "risk");
	wh = get_obj(root, "webhook");
	if ((e = get_str(cfg, db, "socket", "", &cfg->db_socket)) ||
	    (e = get_str(cfg, db, "host", "", &cfg->db_host)) ||
	    (e = get_str(cfg, db, "user", "root", &cfg->db_user)) ||
	    (e = get_str(cfg, db, "password", "", &cfg->db_password)) ||
	    (e = get_str(cfg, db, "name", NULL, &cfg->db_name)) ||
	    (e = get_int(cfg, db, "port", 0, 65535, 0, &n)))
		goto out;
	cfg->db_port = (unsigned int)n;
	if ((e = get_str(cfg, root, "storefront_secret", NULL, &cfg->storefront_secret)) ||
	    (e = get_str(cfg, root, "session_secret", NULL, &cfg->session_secret)) ||
	    (e = get_str(cfg, root, "sql_dir", "sql", &cfg->sql_dir)) ||
	    (e = get_str(cfg, root, "evidence_dir", NULL, &cfg->evidence_dir)) ||
	    (e = get_str(cfg, root, "evidence_internal", "/_evidence/", &cfg->evidence_internal)) ||
	    (e = get_str(cfg, root, "public_url", "http://127.0.0.1:8080", &cfg->public_url)) ||
	    (e = get_bool(cfg, root, "https", false, &cfg->https)) ||
	    (e = get_str(cfg, wh, "url", "", &cfg->webhook_url)) ||
	    (e = get_str(cfg, wh, "secret", "", &cfg->webhook_secret)) ||
	    (e = get_str(cfg, root, "cron_secret", "", &cfg->cron_secret)))
		goto out;
	if (cfg->cron_secret[0] != '\0' && strlen(cfg->cron_secret) < 32) {
		e = fail(cfg, "must be empty (POST /cron off) or at least 32 characters", "cron_secret");
		goto out;
	}
	if ((e = get_int(cfg, wh, "timeout_seconds", 1, 60, 10, &n)))
		goto out;
	cfg->webhook_timeout = (long)n;
	/* A key of its own for staff cookies, so no buyer cookie can ever pass as one. */
	if ((cfg->staff_secret = malloc(strlen(cfg->session_secret) + 8)) == NULL) {
		e = RD_ERR_NOMEM;
		goto out;
	}
	sprintf(cfg->staff_secret, "%s|staff", cfg->session_secret);
	if (strlen(cfg->storefront_secret) < 32 || strlen(cfg->session_secret) < 32) {
		e = fail(cfg, "must be at least 32 characters", "storefront_secret/session_secret");
		goto out;
	}
	if (cfg->evidence_dir[0] != '/' || strlen(cfg->evidence_dir) > 400) {
		e = fail(cfg, "must be an absolute path of at most 400 bytes", "evidence_dir");
		goto out;
	}
	if ((e = get_int(cfg, lim, "link_max_age", 1, 86400, 900, &n)))
		goto out;
	cfg->link_max_age = (long)n;
	if ((e = get_int(cfg, lim, "api_skew", 1, 3600, 300, &n)))
		goto out;
	cfg->api_skew = (long)n;
	if ((e = get_int(cfg, lim, "evidence_max_bytes", 1024, 64LL << 20, 5LL << 20, &cfg->evidence_max_bytes)))
		goto out;
	if ((e = get_int(cfg, lim, "evidence_max_files", 0, 20, 5, &n)))
		goto out;
	cfg->evidence_max_files = (int)n;
	if ((e = get_int(cfg, lim, "body_max_bytes", 4096, 1LL << 30, 26LL << 20, &cfg->body_max_bytes)))
		goto out;
	if ((e = get_int(cfg, lim, "session_ttl", 60, 30 * 86400, 86400, &n)))
		goto out;
	cfg->session_ttl = (long)n;
	if ((e = get_int(cfg, lim, "lookup_failures_per_hour", 1, 100000, 20, &n)))
		goto out;
	cfg->lookup_failures_per_hour = (int)n;
	if ((e = get_int(cfg, risk, "max_refunds_24h", 0, 100000, 3, &n)))
		goto out;
	cfg->risk.max_refunds_24h = (int)n;
	if ((e = get_int(cfg, risk, "max_refunds_90d", 0, 100000, 10, &n)))
		goto out;
	cfg->risk.max_refunds_90d = (int)n;
	if ((e = get_int(cfg, risk, "max_ip_requests_1h", 0, 100000, 20, &n)))
		goto out;
	cfg->risk.max_ip_requests_1h = (int)n;
	e = load_categories(cfg, root);
out:
	json_object_put(root);
	json_tokener_free(tok);
	return e;
}

enum rd_err
config_load(struct config *cfg, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text;
	size_t n;
	enum rd_err e;

	memset(cfg, 0, sizeof(*cfg));
	if (f == NULL) {
		snprintf(cfg->errmsg, sizeof(cfg->errmsg), "config: %s: %s", path, strerror(errno));
		return RD_ERR_IO;
	}
	if ((text = malloc(CONFIG_MAX_BYTES + 1)) == NULL) {
		fclose(f);
		return RD_ERR_NOMEM;
	}
	n = fread(text, 1, CONFIG_MAX_BYTES + 1, f);
	fclose(f);
	if (n > CONFIG_MAX_BYTES) {
		free(text);
		snprintf(cfg->errmsg, sizeof(cfg->errmsg), "config: %s: larger than 1 MiB", path);
		return RD_ERR_TOOBIG;
	}
	e = config_parse(cfg, text, n);
	free(text);
	return e;
}

void
config_free(struct config *cfg)
{
	char **strs[] = {
		&cfg->db_socket, &cfg->db_host, &cfg->db_user, &cfg->db_password, &cfg->db_name,
		&cfg->storefront_secret, &cfg->session_secret, &cfg->staff_secret, &cfg->sql_dir, &cfg->evidence_dir,
		&cfg->evidence_internal, &cfg->public_url, &cfg->webhook_url, &cfg->webhook_secret,
		&cfg->cron_secret,
	};
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		free(*strs[i]);
		*strs[i] = NULL;
	}
}
