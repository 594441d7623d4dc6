/* config.h: the one JSON configuration file, read once at start-up. */
#ifndef RD_CONFIG_H
#define RD_CONFIG_H

#include <stdbool.h>
#include "base/err.h"
#include "base/reply_templates.h"
#include "base/buyer_pages_cfg.h"
#include "rules/policy.h"
#include "base/config_claims.h"

/* How evidence files reach the client. AUTO: X-Accel-Redirect when the
 * request came through nginx (SERVER_SOFTWARE "nginx/..."), else STREAM. */
enum evidence_delivery { ED_AUTO, ED_XACCEL, ED_XSENDFILE, ED_STREAM, ED__MAX };
extern const char *const evidence_delivery_names[ED__MAX];
/* request_limits.enabled: auto = on unless nginx stands in front. */
enum request_limits_mode { RL_AUTO, RL_ON, RL_OFF, RL__MAX };
extern const char *const request_limits_names[RL__MAX];
#define DB_MAX_NODES 8

struct config {
	/* database */
	char *db_socket, *db_host, *db_user, *db_password, *db_name;
	unsigned int db_port;
	/* Several database hosts (a Galera cluster): a worker uses the first
	 * that answers and is Synced, this worker's preferred one first. Without
	 * "nodes" the one node is socket/host/port above. */
	struct db_node {
		char *socket, *host;
		unsigned int port;
	} db_nodes[DB_MAX_NODES];
	int db_nnodes;
	bool db_galera;            /* database.galera: sync-wait reads, node state checks */
	char *table_prefix;        /* before every table name; "" by default */
	/* secrets */
	char *storefront_secret;   /* signs hand-off links and API requests */
	char *session_secret;      /* signs cookies and CSRF tokens */
	char *staff_secret;        /* derived: signs staff cookies, never valid for buyers' */
	/* paths */
	char *sql_dir;
	char *evidence_dir;        /* outside any web root */
	char *evidence_internal;   /* nginx internal location prefix, e.g. "/_evidence/" */
	char *public_url;
	char *mount;               /* public_url's path without the last '/': "" or "/refund-desk" */
	bool https;
	/* proxies whose X-Forwarded-For / -Proto are believed (exact addresses) */
	char **trusted_proxies;
	int ntrusted_proxies;
	enum evidence_delivery evidence_delivery;
	/* limits */
	long link_max_age;
	long api_skew;
	long long evidence_max_bytes;
	int evidence_max_files;
	long long body_max_bytes;
	long session_ttl;
	int lookup_failures_per_hour;
	/* the app's own per-address limits, for fronts without nginx's */
	enum request_limits_mode request_limits;
	int limit_per_hour[3];     /* by enum request_kind (request_limits.h) */
	struct risk_limits risk;
	/* upstream.wait_seconds: how long the storefront has to answer a
	 * usage.requested before a person reviews (0: never ask, review at once) */
	long long upstream_wait;
	/* issue 9: what one buyer, address or login may spend */
	int buyer_posts_per_refund;      /* notes/evidence posts on one refund */
	int files_per_refund;            /* evidence files on one refund, in total */
	int buyer_posts_per_minute;      /* buyer POSTs per session */
	int buyer_posts_per_minute_ip;   /* buyer POSTs per address */
	int login_failures_per_hour;     /* staff login failures per address */
	int login_failures_per_account;  /* then the account waits out the window */
	int lookup_failures_per_order;   /* guest look-ups of one order, per hour */
	int password_slots;              /* argon2 evaluations at once, machine-wide */
	long long request_memory;        /* one request's arena, bytes (64 MiB) */
	/* webhooks */
	char *webhook_url, *webhook_secret;
	long webhook_timeout;      /* seconds one delivery may take */
	/* timers without a daemon: signs POST /cron; "" turns the route off */
	char *cron_secret;
	/* per-category policy */
	struct category_policy categories[CAT__MAX];
	/* the desk's reply templates per decision (reply_templates.h) */
	struct reply_templates reply_templates;
	/* i10-buyer: the 返回商城 link and expected arrival per channel */
	struct buyer_pages_cfg buyer;
	/* i15-chain: suppliers and claims up the chain (config_claims.h) */
	struct claims_config claims;
	/* bookkeeping */
	char errmsg[256];
};

/* Reads and validates FILE. Relative paths in it (evidence_dir, the
 * database socket) are taken from FILE's folder. On failure cfg->errmsg
 * says what and where. */
enum rd_err config_load(struct config *cfg, const char *path);
/* Parses a JSON text (used by config_load and the fuzzer); base is the
 * folder relative paths resolve against, NULL to refuse relative paths. */
enum rd_err config_parse_in(struct config *cfg, const char *text, size_t len, const char *base);
enum rd_err config_parse(struct config *cfg, const char *text, size_t len);
/* Which file to read, without relying on the environment reaching us
 * (mod_fcgid, suEXEC): the --config argument, else REFUND_DESK_CONFIG,
 * else refund-desk.json beside the executable (exe: /proc/self/exe's
 * target). Writes the path to out; false when none fits in cap. */
bool config_find(const char *arg, const char *env, const char *exe, char *out, size_t cap);
void config_free(struct config *cfg);

#endif
