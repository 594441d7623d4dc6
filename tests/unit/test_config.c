/* test_config.c: config_parse's defaults, every refusal (with the key it
 * names), the per-category overrides, and config_load's file limits. Every
 * parse, good or bad, ends in config_free, so ASan sees any leak. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/config.h"
#include "rules/domain.h"
#include "rules/policy.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define S32 "0123456789abcdef0123456789abcdef"       /* 32 characters */
#define S31 "0123456789abcdef0123456789abcde"
#define DB "\"database\":{\"name\":\"rd\"}"
#define SF "\"storefront_secret\":\"" S32 "\""
#define SS "\"session_secret\":\"s" S32 "\""
#define ED "\"evidence_dir\":\"/var/lib/refund-desk/evidence\""
#define BASE DB "," SF "," SS "," ED
/* The minimal valid file with one more member. */
#define WITH(m) "{" BASE "," m "}"
#define LIMIT(k, v) WITH("\"limits\":{\"" k "\":" v "}")
#define RISK(k, v) WITH("\"risk\":{\"" k "\":" v "}")
#define CAT(c, body) WITH("\"categories\":{\"" c "\":{" body "}}")

static const char minimal[] = "{" BASE "}";

static enum rd_err
parse(struct config *cfg, const char *text)
{
	return config_parse(cfg, text, strlen(text));
}

static void
test_minimal_defaults(void **state)
{
	struct config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, minimal), RD_OK);
	assert_string_equal(cfg.errmsg, "");
	assert_string_equal(cfg.db_name, "rd");
	assert_string_equal(cfg.db_user, "root");
	assert_string_equal(cfg.db_socket, "");
	assert_string_equal(cfg.db_host, "");
	assert_string_equal(cfg.db_password, "");
	assert_int_equal(cfg.db_port, 0);
	assert_string_equal(cfg.storefront_secret, S32);
	assert_string_equal(cfg.session_secret, "s" S32);
	assert_string_equal(cfg.sql_dir, "sql");
	assert_string_equal(cfg.evidence_dir, "/var/lib/refund-desk/evidence");
	assert_string_equal(cfg.evidence_internal, "/_evidence/");
	assert_string_equal(cfg.public_url, "http://127.0.0.1:8080");
	assert_false(cfg.https);
	assert_int_equal(cfg.link_max_age, 900);
	assert_int_equal(cfg.api_skew, 300);
	assert_int_equal(cfg.evidence_max_bytes, 5 * 1024 * 1024);
	assert_int_equal(cfg.evidence_max_files, 5);
	assert_int_equal(cfg.body_max_bytes, 26 * 1024 * 1024);
	assert_int_equal(cfg.session_ttl, 86400);
	assert_int_equal(cfg.lookup_failures_per_hour, 20);
	assert_int_equal(cfg.risk.max_refunds_24h, 3);
	assert_int_equal(cfg.risk.max_refunds_90d, 10);
	assert_int_equal(cfg.risk.max_ip_requests_1h, 20);
	assert_string_equal(cfg.webhook_url, "");
	assert_string_equal(cfg.webhook_secret, "");
	assert_int_equal(cfg.webhook_timeout, 10);
	assert_string_equal(cfg.cron_secret, "");
	for (int c = 0; c < CAT__MAX; c++) {
		struct category_policy d;
		policy_defaults((enum category)c, &d);
		assert_int_equal(cfg.categories[c].window_secs, d.window_secs);
		assert_int_equal(cfg.categories[c].fee_bp, d.fee_bp);
		assert_int_equal(cfg.categories[c].used_refundable, d.used_refundable);
		assert_int_equal(cfg.categories[c].evidence_mask, d.evidence_mask);
		assert_int_equal(cfg.categories[c].hold_secs, d.hold_secs);
	}
	/* Spot-check the defaults themselves, so a change to both shows. */
	assert_int_equal(cfg.categories[CAT_GAME_CARD].window_secs, 72 * 3600);
	assert_int_equal(cfg.categories[CAT_GAME_CARD].fee_bp, 1000);
	assert_false(cfg.categories[CAT_PHONE_CREDIT].used_refundable);
	config_free(&cfg);
	/* Freeing twice is harmless: pointers are cleared. */
	assert_null(cfg.db_name);
	config_free(&cfg);
}

static const char full[] =
    "{\"database\":{\"socket\":\"/run/mysqld/mysqld.sock\",\"host\":\"db1\",\"user\":\"rd\","
    "\"password\":\"pw\",\"name\":\"refunds\",\"port\":3306},"
    SF "," SS ",\"sql_dir\":\"/usr/share/refund-desk/sql\","
    "\"evidence_dir\":\"/srv/ev\",\"evidence_internal\":\"/_ev/\","
    "\"public_url\":\"https://refund.example.com\",\"https\":true,"
    "\"limits\":{\"link_max_age\":86400,\"api_skew\":1,\"evidence_max_bytes\":1024,"
    "\"evidence_max_files\":0,\"body_max_bytes\":4096,\"session_ttl\":60,"
    "\"lookup_failures_per_hour\":100000},"
    "\"risk\":{\"max_refunds_24h\":0,\"max_refunds_90d\":100000,\"max_ip_requests_1h\":7},"
    "\"webhook\":{\"url\":\"https://shop.example.com/hook\",\"secret\":\"whsec-0123456789abcdef0123456789abcdef\"}}";

/* Every member set, limits at their bounds. */
static void
test_full(void **state)
{
	struct config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, full), RD_OK);
	assert_string_equal(cfg.db_socket, "/run/mysqld/mysqld.sock");
	assert_string_equal(cfg.db_host, "db1");
	assert_string_equal(cfg.db_user, "rd");
	assert_string_equal(cfg.db_password, "pw");
	assert_string_equal(cfg.db_name, "refunds");
	assert_int_equal(cfg.db_port, 3306);
	assert_string_equal(cfg.sql_dir, "/usr/share/refund-desk/sql");
	assert_string_equal(cfg.evidence_dir, "/srv/ev");
	assert_string_equal(cfg.evidence_internal, "/_ev/");
	assert_string_equal(cfg.public_url, "https://refund.example.com");
	assert_true(cfg.https);
	assert_int_equal(cfg.link_max_age, 86400);
	assert_int_equal(cfg.api_skew, 1);
	assert_int_equal(cfg.evidence_max_bytes, 1024);
	assert_int_equal(cfg.evidence_max_files, 0);
	assert_int_equal(cfg.body_max_bytes, 4096);
	assert_int_equal(cfg.session_ttl, 60);
	assert_int_equal(cfg.lookup_failures_per_hour, 100000);
	assert_int_equal(cfg.risk.max_refunds_24h, 0);
	assert_int_equal(cfg.risk.max_refunds_90d, 100000);
	assert_int_equal(cfg.risk.max_ip_requests_1h, 7);
	assert_string_equal(cfg.webhook_url, "https://shop.example.com/hook");
	assert_string_equal(cfg.webhook_secret, "whsec-0123456789abcdef0123456789abcdef");
	config_free(&cfg);
}

struct ok_case {
	const char *what, *text;
};

/* Accepted variations. */
static const struct ok_case ok_cases[] = {
	{ "whitespace around", " \n\t{" BASE "}\n\n" },
	{ "secrets of exactly 32", "{" DB "," SF ",\"session_secret\":\"" S32 "\"," ED "}" },
	{ "evidence_dir of 400 bytes", "{" DB "," SF "," SS ",\"evidence_dir\":\"/"
	    S32 S32 S32 S32 S32 S32 S32 S32 S32 S32 S32 S32 "012345678901234\"}" },
	{ "max evidence bytes", LIMIT("evidence_max_bytes", "67108864") },
	{ "max files", LIMIT("evidence_max_files", "20") },
	{ "max port", WITH("\"database\":{\"name\":\"rd\",\"port\":65535}") },
	{ "unknown members ignored", WITH("\"colour\":\"blue\",\"limits\":{\"typo_max_age\":1}") },
	{ "unknown category ignored", CAT("gift_card", "\"fee_bp\":99999") },
	{ "empty sections", WITH("\"limits\":{},\"risk\":{},\"webhook\":{},\"categories\":{}") },
	{ "limits not an object: defaults", WITH("\"limits\":5") },
	{ "https false", WITH("\"https\":false") },
	{ "cron_secret 32, webhook timeout at bounds",
	    WITH("\"cron_secret\":\"" S32 "\",\"webhook\":{\"timeout_seconds\":60}") },
	{ "webhook timeout 1", WITH("\"webhook\":{\"timeout_seconds\":1}") },
	{ "window at bounds", CAT("licence", "\"window_hours\":8760,\"hold_hours\":0,\"fee_bp\":10000") },
};

static void
test_ok_table(void **state)
{
	struct config cfg;

	(void)state;
	for (size_t i = 0; i < NELEM(ok_cases); i++) {
		enum rd_err e = parse(&cfg, ok_cases[i].text);
		if (e != RD_OK)
			print_error("%s: %d \"%s\"\n", ok_cases[i].what, (int)e, cfg.errmsg);
		assert_int_equal(e, RD_OK);
		config_free(&cfg);
	}
}

struct bad_case {
	const char *what, *text;
	const char *msg;          /* a substring of errmsg */
};

static const struct bad_case bad_cases[] = {
	/* Not one JSON object. */
	{ "empty", "", "not a JSON object" },
	{ "spaces", "   ", "not a JSON object" },
	{ "not json", "database = rd", "not a JSON object" },
	{ "unclosed", "{" BASE, "not a JSON object" },
	{ "trailing garbage", "{" BASE "}x", "not a JSON object" },
	{ "two objects", "{" BASE "}{}", "not a JSON object" },
	{ "array", "[{" BASE "}]", "not a JSON object" },
	{ "string", "\"config\"", "not a JSON object" },
	{ "number", "42", "not a JSON object" },
	{ "null", "null", "not a JSON object" },
	/* Required members. */
	{ "no name", "{" SF "," SS "," ED "}", "name: is required" },
	{ "database not object", "{\"database\":\"rd\"," SF "," SS "," ED "}", "name: is required" },
	{ "no storefront secret", "{" DB "," SS "," ED "}", "storefront_secret: is required" },
	{ "no session secret", "{" DB "," SF "," ED "}", "session_secret: is required" },
	{ "no evidence dir", "{" DB "," SF "," SS "}", "evidence_dir: is required" },
	/* Secrets and paths. */
	{ "storefront secret short", "{" DB ",\"storefront_secret\":\"" S31 "\"," SS "," ED "}",
	    "at least 32" },
	{ "session secret short", "{" DB "," SF ",\"session_secret\":\"" S31 "\"," ED "}", "at least 32" },
	{ "secret empty", "{" DB "," SF ",\"session_secret\":\"\"," ED "}", "at least 32" },
	{ "evidence_dir relative", "{" DB "," SF "," SS ",\"evidence_dir\":\"var/ev\"}", "evidence_dir: must be" },
	{ "evidence_dir dot", "{" DB "," SF "," SS ",\"evidence_dir\":\"./ev\"}", "evidence_dir: must be" },
	{ "evidence_dir empty", "{" DB "," SF "," SS ",\"evidence_dir\":\"\"}", "evidence_dir: must be" },
	{ "evidence_dir 401 bytes", "{" DB "," SF "," SS ",\"evidence_dir\":\"/"
	    S32 S32 S32 S32 S32 S32 S32 S32 S32 S32 S32 S32 "0123456789012345\"}", "evidence_dir: must be" },
	/* Wrong types. */
	{ "name int", "{\"database\":{\"name\":5}," SF "," SS "," ED "}", "name: must be a string" },
	{ "name null", "{\"database\":{\"name\":null}," SF "," SS "," ED "}", "name: must be a string" },
	{ "secret array", "{" DB ",\"storefront_secret\":[\"" S32 "\"]," SS "," ED "}",
	    "storefront_secret: must be a string" },
	{ "evidence_dir int", "{" DB "," SF "," SS ",\"evidence_dir\":1}", "evidence_dir: must be a string" },
	{ "public_url bool", WITH("\"public_url\":true"), "public_url: must be a string" },
	{ "webhook url int", WITH("\"webhook\":{\"url\":1}"), "url: must be a string" },
	{ "webhook url without its own secret", WITH("\"webhook\":{\"url\":\"https://s.example/h\"}"),
	    "webhook.secret: must be at least 32" },
	{ "cron_secret short", WITH("\"cron_secret\":\"" S31 "\""), "cron_secret: must be empty" },
	{ "cron_secret int", WITH("\"cron_secret\":1"), "cron_secret: must be a string" },
	{ "webhook timeout 0", WITH("\"webhook\":{\"timeout_seconds\":0}"), "timeout_seconds: out of range" },
	{ "webhook timeout 61", WITH("\"webhook\":{\"timeout_seconds\":61}"), "timeout_seconds: out of range" },
	{ "port string", WITH("\"database\":{\"name\":\"rd\",\"port\":\"3306\"}"), "port: must be an integer" },
	{ "link_max_age string", LIMIT("link_max_age", "\"900\""), "link_max_age: must be an integer" },
	{ "link_max_age double", LIMIT("link_max_age", "900.5"), "link_max_age: must be an integer" },
	{ "link_max_age 900.0", LIMIT("link_max_age", "900.0"), "link_max_age: must be an integer" },
	{ "link_max_age bool", LIMIT("link_max_age", "true"), "link_max_age: must be an integer" },
	{ "api_skew null", LIMIT("api_skew", "null"), "api_skew: must be an integer" },
	{ "max bytes exp", LIMIT("evidence_max_bytes", "1e7"), "evidence_max_bytes: must be an integer" },
	{ "https string", WITH("\"https\":\"yes\""), "https: must be true or false" },
	{ "https int", WITH("\"https\":1"), "https: must be true or false" },
	{ "risk object", RISK("max_refunds_24h", "{}"), "max_refunds_24h: must be an integer" },
	/* Out of range, each side of each limit. */
	{ "port -1", WITH("\"database\":{\"name\":\"rd\",\"port\":-1}"), "port: out of range" },
	{ "port 65536", WITH("\"database\":{\"name\":\"rd\",\"port\":65536}"), "port: out of range" },
	{ "link_max_age 0", LIMIT("link_max_age", "0"), "link_max_age: out of range" },
	{ "link_max_age 86401", LIMIT("link_max_age", "86401"), "link_max_age: out of range" },
	{ "link_max_age huge", LIMIT("link_max_age", "99999999999999999999"), "link_max_age: out of range" },
	{ "link_max_age -huge", LIMIT("link_max_age", "-99999999999999999999"), "link_max_age: out of range" },
	{ "api_skew 0", LIMIT("api_skew", "0"), "api_skew: out of range" },
	{ "api_skew 3601", LIMIT("api_skew", "3601"), "api_skew: out of range" },
	{ "max bytes 1023", LIMIT("evidence_max_bytes", "1023"), "evidence_max_bytes: out of range" },
	{ "max bytes 64Mi+1", LIMIT("evidence_max_bytes", "67108865"), "evidence_max_bytes: out of range" },
	{ "max files -1", LIMIT("evidence_max_files", "-1"), "evidence_max_files: out of range" },
	{ "max files 21", LIMIT("evidence_max_files", "21"), "evidence_max_files: out of range" },
	{ "body 4095", LIMIT("body_max_bytes", "4095"), "body_max_bytes: out of range" },
	{ "body 1Gi+1", LIMIT("body_max_bytes", "1073741825"), "body_max_bytes: out of range" },
	{ "session_ttl 59", LIMIT("session_ttl", "59"), "session_ttl: out of range" },
	{ "session_ttl 31d", LIMIT("session_ttl", "2592001"), "session_ttl: out of range" },
	{ "lookups 0", LIMIT("lookup_failures_per_hour", "0"), "lookup_failures_per_hour: out of range" },
	{ "risk 24h -1", RISK("max_refunds_24h", "-1"), "max_refunds_24h: out of range" },
	{ "risk 90d 100001", RISK("max_refunds_90d", "100001"), "max_refunds_90d: out of range" },
	{ "risk ip -1", RISK("max_ip_requests_1h", "-1"), "max_ip_requests_1h: out of range" },
	/* Categories. */
	{ "window 0", CAT("game_card", "\"window_hours\":0"), "window_hours: out of range" },
	{ "window 8761", CAT("game_card", "\"window_hours\":8761"), "window_hours: out of range" },
	{ "fee -1", CAT("membership", "\"fee_bp\":-1"), "fee_bp: out of range" },
	{ "fee 10001", CAT("membership", "\"fee_bp\":10001"), "fee_bp: out of range" },
	{ "fee string", CAT("membership", "\"fee_bp\":\"10%\""), "fee_bp: must be an integer" },
	{ "hold -1", CAT("licence", "\"hold_hours\":-1"), "hold_hours: out of range" },
	{ "used string", CAT("licence", "\"used_refundable\":\"no\""), "used_refundable: must be true or false" },
	{ "evidence unknown", CAT("game_card", "\"evidence\":[\"invalid_item\",\"refund_everything\"]"),
	    "evidence: unknown refund type" },
	{ "evidence case", CAT("game_card", "\"evidence\":[\"Invalid_Item\"]"), "evidence: unknown refund type" },
	{ "evidence int", CAT("game_card", "\"evidence\":[1]"), "evidence: unknown refund type" },
	{ "evidence null item", CAT("game_card", "\"evidence\":[null]"), "evidence: unknown refund type" },
	{ "evidence string", CAT("game_card", "\"evidence\":\"invalid_item\""), "evidence: must be an array" },
	{ "evidence object", CAT("game_card", "\"evidence\":{}"), "evidence: must be an array" },
	/* An error in a later category after a good one. */
	{ "second category bad", WITH("\"categories\":{\"game_card\":{\"fee_bp\":1},"
	    "\"licence\":{\"fee_bp\":20000}}"), "fee_bp: out of range" },
	/* database.nodes, database.galera */
	{ "nodes not array", "{\"database\":{\"name\":\"rd\",\"nodes\":{}}," SF "," SS "," ED "}",
	  "nodes: must be an array of 1 to 8 nodes" },
	{ "no nodes", "{\"database\":{\"name\":\"rd\",\"nodes\":[]}," SF "," SS "," ED "}",
	  "nodes: must be an array of 1 to 8 nodes" },
	{ "nine nodes", "{\"database\":{\"name\":\"rd\",\"nodes\":[{\"host\":\"a\"},{\"host\":\"a\"},"
	  "{\"host\":\"a\"},{\"host\":\"a\"},{\"host\":\"a\"},{\"host\":\"a\"},{\"host\":\"a\"},"
	  "{\"host\":\"a\"},{\"host\":\"a\"}]}," SF "," SS "," ED "}", "nodes: must be an array of 1 to 8" },
	{ "node not object", "{\"database\":{\"name\":\"rd\",\"nodes\":[\"db1\"]}," SF "," SS "," ED "}",
	  "nodes: each node must be an object" },
	{ "empty node", "{\"database\":{\"name\":\"rd\",\"nodes\":[{}]}," SF "," SS "," ED "}",
	  "nodes: each node needs a socket or a host" },
	{ "bad port", "{\"database\":{\"name\":\"rd\",\"nodes\":[{\"host\":\"a\",\"port\":70000}]},"
	  SF "," SS "," ED "}", "port: out of range" },
	{ "galera not bool", "{\"database\":{\"name\":\"rd\",\"galera\":1}," SF "," SS "," ED "}",
	  "galera: must be true or false" },
	/* i15-chain: suppliers, claims, supplier_answers_for. */
	{ "suppliers/claims", WITH("\"suppliers\":[]"), "suppliers: must be an object" },
	{ "suppliers/claims", WITH("\"suppliers\":{\"a b\":{}}"), "suppliers: ids are" },
	{ "suppliers/claims", WITH("\"suppliers\":{\"s1\":{\"kind\":\"fax\"}}"), "suppliers.kind" },
	{ "suppliers/claims", WITH("\"suppliers\":{\"s1\":{}}"), "suppliers.url" },
	{ "suppliers/claims", WITH("\"suppliers\":{\"s1\":{\"url\":\"ftp://x\",\"client\":\"c\",\"secret\":\"" S32 "\"}}"),
	    "suppliers.url" },
	{ "suppliers/claims", WITH("\"suppliers\":{\"s1\":{\"url\":\"http://x\",\"client\":\"c\",\"secret\":\"short\"}}"),
	    "suppliers.client" },
	{ "suppliers/claims", WITH("\"suppliers\":{\"s1\":{\"url\":\"http://x\\n\",\"client\":\"c\",\"secret\":\"" S32 "\"}}"),
	    "suppliers.url" },
	{ "suppliers/claims", WITH("\"claims\":{\"expiry_seconds\":5}"), "expiry_seconds" },
	{ "supplier_answers_for", CAT("game_card", "\"supplier_answers_for\":[\"nope\"]"), "supplier_answers_for" },
};

static void
test_bad_table(void **state)
{
	struct config cfg;

	(void)state;
	for (size_t i = 0; i < NELEM(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		enum rd_err e = parse(&cfg, c->text);
		if (e != RD_ERR_INPUT || strstr(cfg.errmsg, c->msg) == NULL)
			print_error("%s: %d \"%s\", want \"%s\"\n", c->what, (int)e, cfg.errmsg, c->msg);
		assert_int_equal(e, RD_ERR_INPUT);
		assert_non_null(strstr(cfg.errmsg, c->msg));
		assert_memory_equal(cfg.errmsg, "config: ", 8);
		config_free(&cfg);
	}
}

/* The length decides: a NUL inside, or a length short of the text, is
 * refused rather than read past or half-read. */
static void
test_lengths(void **state)
{
	char text[sizeof(minimal) + 1];
	struct config cfg;

	(void)state;
	memcpy(text, minimal, sizeof(minimal));
	assert_int_equal(config_parse(&cfg, text, sizeof(minimal)), RD_ERR_INPUT);   /* with its NUL */
	config_free(&cfg);
	assert_int_equal(config_parse(&cfg, text, strlen(minimal) - 1), RD_ERR_INPUT);
	config_free(&cfg);
	assert_int_equal(config_parse(&cfg, text, 0), RD_ERR_INPUT);
	config_free(&cfg);
	assert_int_equal(config_parse(&cfg, text, strlen(minimal)), RD_OK);
	config_free(&cfg);
}

/* Per-category overrides apply to that category only. */
static void
test_categories_override(void **state)
{
	(void)state;
	static const char text[] = WITH("\"categories\":{"
	    "\"game_card\":{\"window_hours\":24,\"fee_bp\":0,\"used_refundable\":false,"
	    "\"hold_hours\":1,\"evidence\":[\"not_delivered\",\"changed_mind\"]},"
	    "\"phone_credit\":{\"used_refundable\":true,\"evidence\":[]},"
	    "\"licence\":{\"fee_bp\":2500}}");
	struct category_policy d;
	struct config cfg;

	assert_int_equal(parse(&cfg, text), RD_OK);
	const struct category_policy *g = &cfg.categories[CAT_GAME_CARD];
	assert_int_equal(g->window_secs, 24 * 3600);
	assert_int_equal(g->fee_bp, 0);
	assert_false(g->used_refundable);
	assert_int_equal(g->hold_secs, 3600);
	assert_int_equal(g->evidence_mask, (1u << RT_NOT_DELIVERED) | (1u << RT_CHANGED_MIND));

	const struct category_policy *p = &cfg.categories[CAT_PHONE_CREDIT];
	policy_defaults(CAT_PHONE_CREDIT, &d);
	assert_true(p->used_refundable);
	assert_int_equal(p->evidence_mask, 0);             /* [] means none */
	assert_int_equal(p->window_secs, d.window_secs);  /* untouched members keep defaults */
	assert_int_equal(p->fee_bp, d.fee_bp);
	assert_int_equal(p->hold_secs, d.hold_secs);

	const struct category_policy *l = &cfg.categories[CAT_LICENCE];
	policy_defaults(CAT_LICENCE, &d);
	assert_int_equal(l->fee_bp, 2500);
	assert_int_equal(l->window_secs, d.window_secs);
	assert_int_equal(l->evidence_mask, d.evidence_mask);

	/* Categories not named keep every default. */
	for (int c = 0; c < CAT__MAX; c++) {
		if (c == CAT_GAME_CARD || c == CAT_PHONE_CREDIT || c == CAT_LICENCE)
			continue;
		policy_defaults((enum category)c, &d);
		assert_int_equal(cfg.categories[c].window_secs, d.window_secs);
		assert_int_equal(cfg.categories[c].fee_bp, d.fee_bp);
		assert_int_equal(cfg.categories[c].used_refundable, d.used_refundable);
		assert_int_equal(cfg.categories[c].evidence_mask, d.evidence_mask);
		assert_int_equal(cfg.categories[c].hold_secs, d.hold_secs);
	}
	config_free(&cfg);
}

/* Every refund type name is a valid evidence entry. */
static void
test_categories_all_types(void **state)
{
	char text[1024], list[512] = "";
	struct config cfg;

	(void)state;
	for (int t = 0; t < RT__MAX; t++) {
		size_t n = strlen(list);
		snprintf(list + n, sizeof(list) - n, "%s\"%s\"", t ? "," : "", refund_type_names[t]);
	}
	snprintf(text, sizeof(text), "{" BASE ",\"categories\":{\"direct_topup\":{\"evidence\":[%s]}}}", list);
	assert_int_equal(parse(&cfg, text), RD_OK);
	assert_int_equal(cfg.categories[CAT_DIRECT_TOPUP].evidence_mask, (1u << RT__MAX) - 1);
	config_free(&cfg);
}

/* A file on disk: missing, too large, and fine. */
static void
test_load(void **state)
{
	char path[] = "/tmp/rd-config-XXXXXX";
	struct config cfg;
	FILE *f;
	int fd;

	(void)state;
	assert_int_equal(config_load(&cfg, "/nonexistent/refund-desk.json"), RD_ERR_IO);
	assert_non_null(strstr(cfg.errmsg, "/nonexistent/refund-desk.json"));
	config_free(&cfg);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(minimal, f);
	fputc('\n', f);
	fclose(f);
	assert_int_equal(config_load(&cfg, path), RD_OK);
	assert_string_equal(cfg.db_name, "rd");
	config_free(&cfg);

	/* Over 1 MiB: refused before parsing, even if it is valid JSON. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(minimal, f);
	for (int i = 0; i < (1 << 20); i++)
		fputc(' ', f);
	fclose(f);
	assert_int_equal(config_load(&cfg, path), RD_ERR_TOOBIG);
	assert_non_null(strstr(cfg.errmsg, "larger than 1 MiB"));
	config_free(&cfg);
	unlink(path);
}

/* database.nodes (several hosts, a Galera cluster) and database.galera;
 * without nodes the one node is socket/host/port, as before. */
static void
test_db_nodes(void **state)
{
	struct config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "{\"database\":{\"name\":\"rd\",\"socket\":\"/s\",\"port\":3307},"
	    SF "," SS "," ED "}"), RD_OK);
	assert_false(cfg.db_galera);
	assert_int_equal(cfg.db_nnodes, 1);
	assert_string_equal(cfg.db_nodes[0].socket, "/s");
	assert_string_equal(cfg.db_nodes[0].host, "");
	assert_int_equal(cfg.db_nodes[0].port, 3307);
	config_free(&cfg);

	assert_int_equal(parse(&cfg, "{\"database\":{\"name\":\"rd\",\"galera\":true,\"nodes\":["
	    "{\"socket\":\"/run/a.sock\"},{\"host\":\"db2\",\"port\":3306},{\"host\":\"db3\"}]},"
	    SF "," SS "," ED "}"), RD_OK);
	assert_true(cfg.db_galera);
	assert_int_equal(cfg.db_nnodes, 3);
	assert_string_equal(cfg.db_nodes[0].socket, "/run/a.sock");
	assert_string_equal(cfg.db_nodes[1].host, "db2");
	assert_int_equal(cfg.db_nodes[1].port, 3306);
	assert_string_equal(cfg.db_nodes[2].host, "db3");
	assert_int_equal(cfg.db_nodes[2].port, 0);
	config_free(&cfg);
}

/* Issue 8: table_prefix, the mount from public_url, trusted_proxies,
 * evidence_delivery; relative paths beside the file; where the file is. */
static void
test_anywhere_keys(void **state)
{
	struct config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, minimal), RD_OK);
	assert_string_equal(cfg.table_prefix, "");
	assert_string_equal(cfg.mount, "");
	assert_int_equal(cfg.ntrusted_proxies, 0);
	assert_int_equal(cfg.evidence_delivery, ED_AUTO);
	config_free(&cfg);

	assert_int_equal(parse(&cfg, "{\"database\":{\"name\":\"rd\",\"table_prefix\":\"rd_\"},"
	    SF "," SS "," ED ",\"public_url\":\"https://shop.example/refund-desk/\","
	    "\"trusted_proxies\":[\"127.0.0.1\",\"::1\"],\"evidence_delivery\":\"stream\"}"), RD_OK);
	assert_string_equal(cfg.table_prefix, "rd_");
	assert_string_equal(cfg.mount, "/refund-desk");
	assert_int_equal(cfg.ntrusted_proxies, 2);
	assert_string_equal(cfg.trusted_proxies[1], "::1");
	assert_int_equal(cfg.evidence_delivery, ED_STREAM);
	config_free(&cfg);

	assert_int_equal(parse(&cfg, WITH("\"public_url\":\"http://h:81/a/b\"")), RD_OK);
	assert_string_equal(cfg.mount, "/a/b");
	config_free(&cfg);

	static const char *const bad[][2] = {
		{ "{\"database\":{\"name\":\"rd\",\"table_prefix\":\"rd-\"}," SF "," SS "," ED "}", "table_prefix" },
		{ WITH("\"public_url\":\"ftp://h/\""), "public_url" },
		{ WITH("\"public_url\":\"http://h/a b\""), "public_url" },
		{ WITH("\"public_url\":\"http://h/a/../b\""), "public_url" },
		{ WITH("\"public_url\":\"http://h/a\\\"x\""), "public_url" },
		{ WITH("\"trusted_proxies\":\"127.0.0.1\""), "trusted_proxies" },
		{ WITH("\"trusted_proxies\":[\"127.0.0.1/8\"]"), "trusted_proxies" },
		{ WITH("\"evidence_delivery\":\"nginx\""), "evidence_delivery" },
	};
	for (size_t i = 0; i < NELEM(bad); i++) {
		assert_int_equal(parse(&cfg, bad[i][0]), RD_ERR_INPUT);
		if (strstr(cfg.errmsg, bad[i][1]) == NULL)
			fail_msg("%s: %s", bad[i][0], cfg.errmsg);
		config_free(&cfg);
	}
}

static void
test_load_relative_paths(void **state)
{
	char dir[] = "/tmp/rd-config-dir-XXXXXX", path[128], want[160];
	struct config cfg;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/refund-desk.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"database\":{\"name\":\"rd\",\"socket\":\"db/mysql.sock\"}," SF "," SS ","
	    "\"evidence_dir\":\"private/evidence\"}", f);
	fclose(f);
	assert_int_equal(config_load(&cfg, path), RD_OK);
	snprintf(want, sizeof(want), "%s/private/evidence", dir);
	assert_string_equal(cfg.evidence_dir, want);
	snprintf(want, sizeof(want), "%s/db/mysql.sock", dir);
	assert_string_equal(cfg.db_socket, want);
	assert_string_equal(cfg.db_nodes[0].socket, want);    /* the node db.c connects to */
	config_free(&cfg);
	unlink(path);
	rmdir(dir);
}

static void
test_find(void **state)
{
	char out[64];

	(void)state;
	assert_true(config_find("/a.json", "/b.json", "/opt/rd/refund-desk", out, sizeof(out)));
	assert_string_equal(out, "/a.json");
	assert_true(config_find(NULL, "/b.json", "/opt/rd/refund-desk", out, sizeof(out)));
	assert_string_equal(out, "/b.json");
	assert_true(config_find("", "", "/opt/rd/refund-desk.fcgi", out, sizeof(out)));
	assert_string_equal(out, "/opt/rd/refund-desk.json");
	assert_false(config_find(NULL, NULL, "", out, sizeof(out)));
	assert_false(config_find(NULL, NULL, "/a/very/long/path/that/does/not/fit/in/sixty/four/bytes/at/all/x",
	    out, sizeof(out)));
}

/* The desk's reply templates (issue 10): defaults when absent, the
 * config's own list, {} for none, and each refusal naming its key. */
static void
test_reply_templates(void **state)
{
	struct config cfg;
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ WITH("\"reply_templates\":[]"), "reply_templates: must be an object of arrays" },
		{ WITH("\"reply_templates\":{\"refund\":[\"ok ok\"]}"), "no decision is called \"refund\"" },
		{ WITH("\"reply_templates\":{\"reject\":\"x\"}"), "reply_templates.reject: must be an array" },
		{ WITH("\"reply_templates\":{\"reject\":[1]}"), "reply_templates.reject: must be an array" },
		{ WITH("\"reply_templates\":{\"reject\":[\"x\"]}"), "reply_templates.reject: each must be 2-1000" },
		{ WITH("\"reply_templates\":{\"reject\":[\"a\\nb\"]}"), "reply_templates.reject: each must be" },
		{ WITH("\"reply_templates\":{\"reject\":[\"a\\u0000b\"]}"), "reply_templates.reject: each must be" },
	};

	(void)state;
	assert_int_equal(parse(&cfg, minimal), RD_OK);
	assert_true(cfg.reply_templates.n > 0);              /* the built-in set */
	config_free(&cfg);
	assert_int_equal(parse(&cfg, WITH("\"reply_templates\":{}")), RD_OK);
	assert_int_equal(cfg.reply_templates.n, 0);
	config_free(&cfg);
	assert_int_equal(parse(&cfg, WITH("\"reply_templates\":{\"reject\":[\"凭证不足\",\"已使用\"],"
	    "\"approve\":[\"同意\"]}")), RD_OK);
	assert_int_equal(cfg.reply_templates.n, 3);
	assert_string_equal(cfg.reply_templates.t[0].action, "reject");
	assert_string_equal(cfg.reply_templates.t[1].text, "已使用");
	assert_string_equal(cfg.reply_templates.t[2].action, "approve");
	config_free(&cfg);
	for (size_t i = 0; i < NELEM(bad); i++) {
		assert_int_equal(parse(&cfg, bad[i].text), RD_ERR_INPUT);
		if (strstr(cfg.errmsg, bad[i].msg) == NULL)
			fail_msg("%s: \"%s\", want \"%s\"", bad[i].text, cfg.errmsg, bad[i].msg);
		config_free(&cfg);
	}
}

/* The buyer pages' keys (i10-buyer): the 返回商城 URL (http(s) on one line,
 * never javascript: or a quote) and the expected arrival per channel
 * (defaults, one replaced, unknown channels refused). */
static void
test_buyer_pages(void **state)
{
	struct config cfg;
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ WITH("\"storefront_url\":\"javascript:alert(1)\""), "storefront_url: must be an http(s) URL" },
		{ WITH("\"storefront_url\":\"https://a.example/\\\"x\""), "storefront_url: must be an http(s) URL" },
		{ WITH("\"storefront_url\":\"https://a.example/\\nx\""), "storefront_url: must be an http(s) URL" },
		{ WITH("\"storefront_url\":1"), "storefront_url: must be an http(s) URL" },
		{ WITH("\"refund_arrival\":[]"), "refund_arrival: must be an object" },
		{ WITH("\"refund_arrival\":{\"paypal\":\"1 天\"}"), "refund_arrival.paypal: a channel" },
		{ WITH("\"refund_arrival\":{\"alipay\":\"\"}"), "refund_arrival.alipay: a channel" },
		{ WITH("\"refund_arrival\":{\"alipay\":2}"), "refund_arrival.alipay: a channel" },
	};

	(void)state;
	/* base/ spells the channels itself: in rules/domain.h's order. */
	for (int i = 0; i < ARRIVAL_CHANNELS; i++)
		assert_string_equal(arrival_channel_names[i], pay_channel_names[i]);
	assert_int_equal(ARRIVAL_CHANNELS, PAY__MAX);
	assert_int_equal(parse(&cfg, minimal), RD_OK);
	assert_string_equal(cfg.buyer.storefront_url, "");
	assert_string_equal(cfg.buyer.arrival[PAY_ALIPAY], "1–3 个工作日");
	assert_string_equal(cfg.buyer.arrival[PAY_BALANCE], "即时到账");
	config_free(&cfg);
	assert_int_equal(parse(&cfg, WITH("\"storefront_url\":\"https://shop.example/orders\","
	    "\"refund_arrival\":{\"bank\":\"5 个工作日内\"}")), RD_OK);
	assert_string_equal(cfg.buyer.storefront_url, "https://shop.example/orders");
	assert_string_equal(cfg.buyer.arrival[PAY_BANK], "5 个工作日内");
	assert_string_equal(cfg.buyer.arrival[PAY_WECHAT], "1–3 个工作日");
	config_free(&cfg);
	for (size_t i = 0; i < NELEM(bad); i++) {
		assert_int_equal(parse(&cfg, bad[i].text), RD_ERR_INPUT);
		if (strstr(cfg.errmsg, bad[i].msg) == NULL)
			fail_msg("%s: \"%s\", want \"%s\"", bad[i].text, cfg.errmsg, bad[i].msg);
		config_free(&cfg);
	}
}

/* i15-chain: suppliers, claims and the reasons a supplier answers for. */
static void
test_suppliers(void **state)
{
	struct config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, minimal), RD_OK);
	assert_int_equal(cfg.claims.nsuppliers, 0);
	assert_int_equal(cfg.claims.expiry_secs, 7 * 86400);
	assert_int_equal(cfg.claims.answers_mask[CAT_GAME_CARD],
	    (1u << RT_NOT_DELIVERED) | (1u << RT_TOPUP_FAILED) | (1u << RT_INVALID_ITEM));
	config_free(&cfg);
	assert_int_equal(parse(&cfg, WITH("\"suppliers\":{\"up\":{\"url\":\"http://127.0.0.1:9/desk/\","
	    "\"client\":\"c1\",\"secret\":\"" S32 "\"},\"shop\":{\"kind\":\"storefront\"}},"
	    "\"claims\":{\"expiry_seconds\":600,\"retry_seconds\":2},"
	    "\"categories\":{\"game_card\":{\"supplier_answers_for\":[\"invalid_item\"]}}")), RD_OK);
	assert_int_equal(cfg.claims.nsuppliers, 2);
	const struct supplier *up = supplier_find(&cfg.claims, "up");
	assert_non_null(up);
	assert_int_equal(up->kind, SUPPLIER_DESK);
	assert_string_equal(up->url, "http://127.0.0.1:9/desk");   /* no trailing slash */
	assert_int_equal(supplier_find(&cfg.claims, "shop")->kind, SUPPLIER_STOREFRONT);
	assert_null(supplier_find(&cfg.claims, "nobody"));
	assert_int_equal(cfg.claims.expiry_secs, 600);
	assert_int_equal(cfg.claims.retry_secs, 2);
	assert_int_equal(cfg.claims.answers_mask[CAT_GAME_CARD], 1u << RT_INVALID_ITEM);
	config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal_defaults),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_ok_table),
		cmocka_unit_test(test_bad_table),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_categories_override),
		cmocka_unit_test(test_categories_all_types),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_db_nodes),
		cmocka_unit_test(test_anywhere_keys),
		cmocka_unit_test(test_load_relative_paths),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_reply_templates),
		cmocka_unit_test(test_buyer_pages),
		cmocka_unit_test(test_suppliers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
