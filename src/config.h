/* config.h: the one JSON configuration file, read once at start-up. */
#ifndef RD_CONFIG_H
#define RD_CONFIG_H

#include <stdbool.h>
#include "err.h"
#include "policy.h"

struct config {
	/* database */
	char *db_socket, *db_host, *db_user, *db_password, *db_name;
	unsigned int db_port;
	/* secrets */
	char *storefront_secret;   /* signs hand-off links and API requests */
	char *session_secret;      /* signs cookies and CSRF tokens */
	char *staff_secret;        /* derived: signs staff cookies, never valid for buyers' */
	/* paths */
	char *sql_dir;
	char *evidence_dir;        /* outside any web root */
	char *evidence_internal;   /* nginx internal location prefix, e.g. "/_evidence/" */
	char *public_url;
	bool https;
	/* limits */
	long link_max_age;
	long api_skew;
	long long evidence_max_bytes;
	int evidence_max_files;
	long long body_max_bytes;
	long session_ttl;
	int lookup_failures_per_hour;
	struct risk_limits risk;
	/* webhooks */
	char *webhook_url, *webhook_secret;
	long webhook_timeout;      /* seconds one delivery may take */
	/* timers without a daemon: signs POST /cron; "" turns the route off */
	char *cron_secret;
	/* per-category policy */
	struct category_policy categories[CAT__MAX];
	/* bookkeeping */
	char errmsg[256];
};

/* Reads and validates FILE. On failure cfg->errmsg says what and where. */
enum rd_err config_load(struct config *cfg, const char *path);
/* Parses a JSON text (used by config_load and the fuzzer). */
enum rd_err config_parse(struct config *cfg, const char *text, size_t len);
void config_free(struct config *cfg);

#endif
