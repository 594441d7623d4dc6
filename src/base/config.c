/* config.c: JSON config with defaults for everything but the secrets and
 * the database name, strict about types and ranges. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "base/config.h"
#include "store/sql_prefix.h"

#define CONFIG_MAX_BYTES (1 << 20)

const char *const evidence_delivery_names[ED__MAX] = { "auto", "x-accel", "x-sendfile", "stream" };
const char *const request_limits_names[RL__MAX] = { "auto", "on", "off" };

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

/* A string member naming one of names[0..n) (names[0], absent, is the
 * default); *out gets its index. */
static enum rd_err
get_enum(struct config *cfg, json_object *o, const char *key, const char *const *names, size_t n,
    const char *what, int *out)
{
	char *s = NULL;
	enum rd_err e;

	if ((e = get_str(cfg, o, key, names[0], &s)))
		return e;
	*out = enum_lookup(names, n, s);
	free(s);
	return *out < 0 ? fail(cfg, what, key) : RD_OK;
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

/* "nodes": [{"socket": "..."} | {"host": "...", "port": N}, ...], at most
 * DB_MAX_NODES; absent: the one node of socket/host/port. */
static enum rd_err
load_db_nodes(struct config *cfg, json_object *db)
{
	json_object *arr, *o;
	enum rd_err e;
	long long n;

	if (db == NULL || !json_object_object_get_ex(db, "nodes", &arr)) {
		struct db_node *d = &cfg->db_nodes[0];
		cfg->db_nnodes = 1;
		d->port = cfg->db_port;
		return (d->socket = strdup(cfg->db_socket)) && (d->host = strdup(cfg->db_host)) ?
		    RD_OK : RD_ERR_NOMEM;
	}
	if (!json_object_is_type(arr, json_type_array) || json_object_array_length(arr) < 1 ||
	    json_object_array_length(arr) > DB_MAX_NODES)
		return fail(cfg, "must be an array of 1 to 8 nodes", "nodes");
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct db_node *d = &cfg->db_nodes[i];
		o = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(o, json_type_object))
			return fail(cfg, "each node must be an object", "nodes");
		cfg->db_nnodes = (int)i + 1;
		if ((e = get_str(cfg, o, "socket", "", &d->socket)) ||
		    (e = get_str(cfg, o, "host", "", &d->host)) ||
		    (e = get_int(cfg, o, "port", 0, 65535, 0, &n)))
			return e;
		d->port = (unsigned int)n;
		if (!d->socket[0] && !d->host[0])
			return fail(cfg, "each node needs a socket or a host", "nodes");
	}
	return RD_OK;
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

/* A relative path becomes base/path; without a base it is refused. */
static enum rd_err
resolve_path(char **path, const char *base)
{
	if ((*path)[0] == '/' || (*path)[0] == '\0')
		return RD_OK;
	if (base == NULL)
		return RD_OK;        /* the caller's absolute-path check refuses it */
	char *full = malloc(strlen(base) + strlen(*path) + 2);
	if (full == NULL)
		return RD_ERR_NOMEM;
	sprintf(full, "%s/%s", base, *path);
	free(*path);
	*path = full;
	return RD_OK;
}

/* public_url = http[s]://HOST[:PORT][/PATH]; the mount is PATH without its
 * last '/', plain characters only since it goes into every URL we write. */
static enum rd_err
derive_mount(struct config *cfg)
{
	const char *u = cfg->public_url, *p;

	if (strncmp(u, "http://", 7) == 0)
		p = u + 7;
	else if (strncmp(u, "https://", 8) == 0)
		p = u + 8;
	else
		return fail(cfg, "must start with http:// or https://", "public_url");
	p += strcspn(p, "/");
	size_t n = strlen(p);
	while (n > 0 && p[n - 1] == '/')
		n--;
	if (strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/") < n ||
	    strstr(p, "//") != NULL || strstr(p, "/.") != NULL || n > 200)
		return fail(cfg, "path must be plain (letters, digits, - . _ ~ and single slashes)", "public_url");
	if ((cfg->mount = strndup(p, n)) == NULL)
		return RD_ERR_NOMEM;
	return RD_OK;
}

/* "trusted_proxies": ["127.0.0.1", "10.0.0.5"]: exact addresses. */
static enum rd_err
load_proxies(struct config *cfg, json_object *root)
{
	json_object *v;

	if (!json_object_object_get_ex(root, "trusted_proxies", &v))
		return RD_OK;
	if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) > 64)
		return fail(cfg, "must be an array of at most 64 addresses", "trusted_proxies");
	size_t n = json_object_array_length(v);
	if (n == 0)
		return RD_OK;
	if ((cfg->trusted_proxies = calloc(n, sizeof(char *))) == NULL)
		return RD_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(v, i);
		const char *s = json_object_is_type(t, json_type_string) ? json_object_get_string(t) : "";
		if (s[0] == '\0' || strlen(s) > 45 || strspn(s, "0123456789abcdefABCDEF.:") != strlen(s))
			return fail(cfg, "each must be an IPv4 or IPv6 address", "trusted_proxies");
		if ((cfg->trusted_proxies[i] = strdup(s)) == NULL)
			return RD_ERR_NOMEM;
		cfg->ntrusted_proxies = (int)i + 1;
	}
	return RD_OK;
}

/* Issue 9's bounds on what one buyer, address or login may spend. */
static enum rd_err
abuse_limits(struct config *cfg, json_object *lim)
{
	static const struct {
		const char *key;
		long long lo, hi, def;
		size_t off;
	} t[] = {
		{ "buyer_posts_per_refund", 1, 1000, 20, offsetof(struct config, buyer_posts_per_refund) },
		{ "files_per_refund", 1, 1000, 20, offsetof(struct config, files_per_refund) },
		{ "buyer_posts_per_minute", 1, 100000, 60, offsetof(struct config, buyer_posts_per_minute) },
		{ "buyer_posts_per_minute_per_ip", 1, 1000000, 600,
		    offsetof(struct config, buyer_posts_per_minute_ip) },
		{ "login_failures_per_hour", 1, 100000, 20, offsetof(struct config, login_failures_per_hour) },
		{ "login_failures_per_account", 1, 1000, 5, offsetof(struct config, login_failures_per_account) },
		{ "lookup_failures_per_order", 1, 1000, 5, offsetof(struct config, lookup_failures_per_order) },
		{ "password_slots", 1, 64, 2, offsetof(struct config, password_slots) },
	};
	long long n;
	enum rd_err e;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if ((e = get_int(cfg, lim, t[i].key, t[i].lo, t[i].hi, t[i].def, &n)))
			return e;
		*(int *)((char *)cfg + t[i].off) = (int)n;
	}
	/* As low as 64 KiB so a test can make a page not fit. */
	return get_int(cfg, lim, "request_memory", 64LL << 10, 1LL << 30, 64LL << 20, &cfg->request_memory);
}

enum rd_err
config_parse(struct config *cfg, const char *text, size_t len)
{
	return config_parse_in(cfg, text, len, NULL);
}

enum rd_err
config_parse_in(struct config *cfg, const char *text, size_t len, const char *base)
{
	json_tokener *tok;
	json_object *root, *db, *lim, *risk, *wh;
	enum rd_err e = RD_ERR_INPUT;
	long long n;
	int k;

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
	    (e = get_str(cfg, db, "table_prefix", "", &cfg->table_prefix)) ||
	    (e = get_int(cfg, db, "port", 0, 65535, 0, &n)))
		goto out;
	cfg->db_port = (unsigned int)n;
	if (!sql_prefix_valid(cfg->table_prefix)) {
		e = fail(cfg, "must be at most 32 of A-Z a-z 0-9 _", "table_prefix");
		goto out;
	}
	if ((e = get_bool(cfg, db, "galera", false, &cfg->db_galera)) || (e = load_db_nodes(cfg, db)))
		goto out;
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
	if ((e = resolve_path(&cfg->evidence_dir, base)) ||
	    (e = resolve_path(&cfg->db_socket, base)) ||
	    (e = derive_mount(cfg)) || (e = load_proxies(cfg, root)))
		goto out;
	for (int i = 0; i < cfg->db_nnodes; i++)
		if ((e = resolve_path(&cfg->db_nodes[i].socket, base)))
			goto out;
	if ((e = get_enum(cfg, root, "evidence_delivery", evidence_delivery_names, ED__MAX,
	    "must be auto, x-accel, x-sendfile or stream", &k)))
		goto out;
	cfg->evidence_delivery = (enum evidence_delivery)k;
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
	/* "request_limits": {"enabled": "auto", "lookups_per_hour": 60,
	 * "submissions_per_hour": 20, "buyer_posts_per_hour": 120} */
	json_object *rl = get_obj(root, "request_limits");
	if ((e = get_enum(cfg, rl, "enabled", request_limits_names, RL__MAX, "must be auto, on or off", &k)))
		goto out;
	cfg->request_limits = (enum request_limits_mode)k;
	static const char *const rl_keys[3] = { "lookups_per_hour", "submissions_per_hour", "buyer_posts_per_hour" };
	static const int rl_defaults[3] = { 60, 20, 120 };
	for (int i = 0; i < 3; i++) {
		if ((e = get_int(cfg, rl, rl_keys[i], 1, 1000000, rl_defaults[i], &n)))
			goto out;
		cfg->limit_per_hour[i] = (int)n;
	}
	if ((e = get_int(cfg, risk, "max_refunds_24h", 0, 100000, 3, &n)))
		goto out;
	cfg->risk.max_refunds_24h = (int)n;
	if ((e = get_int(cfg, risk, "max_refunds_90d", 0, 100000, 10, &n)))
		goto out;
	cfg->risk.max_refunds_90d = (int)n;
	if ((e = get_int(cfg, risk, "max_ip_requests_1h", 0, 100000, 20, &n)))
		goto out;
	cfg->risk.max_ip_requests_1h = (int)n;
	if ((e = get_int(cfg, get_obj(root, "upstream"), "wait_seconds", 0, 86400, 300, &cfg->upstream_wait)))
		goto out;
	if ((e = abuse_limits(cfg, lim)))
		goto out;
	/* Webhooks are signed with a secret of their own: a receiver holding
	 * it must not be able to sign API requests. */
	if (cfg->webhook_url[0] != '\0' && (strlen(cfg->webhook_secret) < 32 ||
	    strcmp(cfg->webhook_secret, cfg->storefront_secret) == 0)) {
		e = fail(cfg, "must be at least 32 characters and differ from storefront_secret "
		    "when webhook.url is set", "webhook.secret");
		goto out;
	}
	e = load_categories(cfg, root);
	if (e == RD_OK)   /* i10-money: the desk's reply templates */
		e = reply_templates_load(&cfg->reply_templates, root, cfg->errmsg, sizeof(cfg->errmsg));
	if (e == RD_OK)   /* i10-buyer */
		e = buyer_pages_cfg_load(&cfg->buyer, root, cfg->errmsg, sizeof(cfg->errmsg));
	if (e == RD_OK)   /* i15-chain: suppliers and claims */
		e = claims_config_load(&cfg->claims, root, cfg->errmsg, sizeof(cfg->errmsg));
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
	/* Relative paths in the file mean: beside the file. */
	char dirbuf[4096], *slash;
	snprintf(dirbuf, sizeof(dirbuf), "%s", path);
	if ((slash = strrchr(dirbuf, '/')) == NULL)
		snprintf(dirbuf, sizeof(dirbuf), ".");
	else if (slash == dirbuf)
		dirbuf[1] = '\0';
	else
		*slash = '\0';
	char *base = realpath(dirbuf, NULL);
	e = config_parse_in(cfg, text, n, base ? base : dirbuf);
	free(base);
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
		&cfg->table_prefix, &cfg->mount,
		&cfg->cron_secret,
	};
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		free(*strs[i]);
		*strs[i] = NULL;
	}
	for (int i = 0; i < DB_MAX_NODES; i++) {
		free(cfg->db_nodes[i].socket);
		free(cfg->db_nodes[i].host);
		cfg->db_nodes[i].socket = cfg->db_nodes[i].host = NULL;
	}
	for (int i = 0; i < cfg->ntrusted_proxies; i++)
		free(cfg->trusted_proxies[i]);
	free(cfg->trusted_proxies);
	cfg->trusted_proxies = NULL;
	cfg->ntrusted_proxies = 0;
	reply_templates_free(&cfg->reply_templates);
	claims_config_free(&cfg->claims);
}

bool
config_find(const char *arg, const char *env, const char *exe, char *out, size_t cap)
{
	int n;

	if (arg != NULL && arg[0] != '\0')
		n = snprintf(out, cap, "%s", arg);
	else if (env != NULL && env[0] != '\0')
		n = snprintf(out, cap, "%s", env);
	else if (exe != NULL && strrchr(exe, '/') != NULL)
		n = snprintf(out, cap, "%.*s/refund-desk.json", (int)(strrchr(exe, '/') - exe), exe);
	else
		return false;
	return n > 0 && (size_t)n < cap;
}
