/* fuzz_config.c: libFuzzer harness for config_parse over arbitrary bytes.
 * No crash, no leak (config_free after every parse, good or bad), and what
 * a successful parse promises holds: every string set, secrets of 32+
 * bytes, an absolute evidence_dir, limits inside their ranges; a failed
 * one says why in errmsg.
 *
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined
 *   -fno-sanitize-recover=undefined -D_GNU_SOURCE -Isrc src/base/config.c
 *   src/rules/policy.c src/rules/domain.c src/base/money.c tests/fuzz/fuzz_config.c
 *   $(pkg-config --cflags --libs json-c) -o fuzz_config
 * Run:   ./fuzz_config -dict=tests/fuzz/config.dict tests/fuzz/corpus/config
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
bad(const char *what)
{
	fprintf(stderr, "fuzz_config: %s\n", what);
	abort();
}

static void
check_ok(const struct config *c)
{
	const char *const strs[] = {
		c->db_socket, c->db_host, c->db_user, c->db_password, c->db_name,
		c->storefront_secret, c->session_secret, c->sql_dir, c->evidence_dir,
		c->evidence_internal, c->public_url, c->webhook_url, c->webhook_secret,
	};

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if (strs[i] == NULL)
			bad("a string left NULL after success");
	if (strlen(c->storefront_secret) < 32 || strlen(c->session_secret) < 32)
		bad("short secret accepted");
	if (c->evidence_dir[0] != '/' || strlen(c->evidence_dir) > 400)
		bad("bad evidence_dir accepted");
	if (c->db_port > 65535 || c->link_max_age < 1 || c->link_max_age > 86400 ||
	    c->api_skew < 1 || c->api_skew > 3600 || c->evidence_max_bytes < 1024 ||
	    c->evidence_max_bytes > (64LL << 20) || c->evidence_max_files < 0 ||
	    c->evidence_max_files > 20 || c->body_max_bytes < 4096 || c->body_max_bytes > (1LL << 30) ||
	    c->session_ttl < 60 || c->session_ttl > 30 * 86400 || c->lookup_failures_per_hour < 1 ||
	    c->risk.max_refunds_24h < 0 || c->risk.max_refunds_90d < 0 || c->risk.max_ip_requests_1h < 0)
		bad("limit out of range accepted");
	for (int k = 0; k < CAT__MAX; k++) {
		const struct category_policy *p = &c->categories[k];
		if (p->fee_bp < 0 || p->fee_bp > 10000 || p->window_secs < 0 || p->hold_secs < 0 ||
		    p->evidence_mask >= (1u << RT__MAX))
			bad("category policy out of range accepted");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	enum rd_err e;

	if (size > (1 << 20))                 /* config_load's own limit */
		return 0;
	e = config_parse(&cfg, (const char *)data, size);
	if (e == RD_OK)
		check_ok(&cfg);
	else if (e == RD_ERR_INPUT && strncmp(cfg.errmsg, "config: ", 8) != 0)
		bad("refused without a message");
	else if (e != RD_ERR_INPUT && e != RD_ERR_NOMEM)
		bad("unexpected error code");
	if (memchr(cfg.errmsg, '\0', sizeof(cfg.errmsg)) == NULL)
		bad("errmsg not terminated");
	config_free(&cfg);
	return 0;
}
