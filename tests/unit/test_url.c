/* test_url.c: the route path below the mount from each server's CGI
 * variables, cookie names and paths per scheme and mount, and the client
 * address behind trusted proxies (nothing trusted by default). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/config.h"
#include "web/url.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void
test_route_path(void **state)
{
	(void)state;
	static const struct { const char *mount, *doc, *sn, *pi, *want; } c[] = {
		/* nginx at the root */
		{ "", "/refund/new", "", "", "/refund/new" },
		/* a panel's nginx under a mount: DOCUMENT_URI is the whole path */
		{ "/refund-desk", "/refund-desk/refund/new", "/refund-desk/refund/new", "", "/refund/new" },
		{ "/refund-desk", "/refund-desk", "", "", "/" },
		{ "/refund-desk", "/refund-desk/", "", "", "/" },
		/* not under the mount (a proxy stripped it): taken as it is */
		{ "/refund-desk", "/refund/new", "", "", "/refund/new" },
		/* /refund-desk-x is not under /refund-desk */
		{ "/refund-desk", "/refund-desk-x/a", "", "", "/refund-desk-x/a" },
		/* Apache: .htaccess rewrite to the script, or ScriptAlias */
		{ "/refund-desk", "", "/refund-desk/refund-desk.fcgi", "/api/v1/orders", "/api/v1/orders" },
		{ "/refund-desk", "", "/refund-desk", "/refund/lookup", "/refund/lookup" },
		{ "/refund-desk", "", "/refund-desk", "", "/" },
		/* plain CGI at the root */
		{ "", "", "/cgi-bin/refund-desk", "/healthz", "/healthz" },
		{ "", "", "", "", "/" },
	};
	for (size_t i = 0; i < NELEM(c); i++)
		assert_string_equal(url_route_path(c[i].mount, c[i].doc, c[i].sn, c[i].pi), c[i].want);
}

static void
test_cookie(void **state)
{
	struct config cfg;
	char name[32], path[64];

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.mount = "";
	url_cookie(&cfg, false, "rd", "", name, sizeof(name), path, sizeof(path));
	assert_string_equal(name, "rd");
	assert_string_equal(path, "/");
	url_cookie(&cfg, true, "rds", "/desk", name, sizeof(name), path, sizeof(path));
	assert_string_equal(name, "__Host-rds");
	assert_string_equal(path, "/");
	url_cookie(&cfg, false, "rds", "/desk", name, sizeof(name), path, sizeof(path));
	assert_string_equal(name, "rds");
	assert_string_equal(path, "/desk");
	cfg.mount = "/refund-desk";
	url_cookie(&cfg, false, "rd", "", name, sizeof(name), path, sizeof(path));
	assert_string_equal(name, "rd");
	assert_string_equal(path, "/refund-desk");
	url_cookie(&cfg, true, "rds", "/desk", name, sizeof(name), path, sizeof(path));
	assert_string_equal(name, "__Secure-rds");
	assert_string_equal(path, "/refund-desk/desk");
}

static void
test_forwarded(void **state)
{
	struct config cfg;
	char *proxies[] = { "127.0.0.1", "10.0.0.2" };
	char out[46] = "unchanged";

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	/* nothing trusted by default */
	assert_false(url_proxy_trusted(&cfg, "127.0.0.1"));
	cfg.trusted_proxies = proxies;
	cfg.ntrusted_proxies = 2;
	assert_true(url_proxy_trusted(&cfg, "10.0.0.2"));
	assert_false(url_proxy_trusted(&cfg, "10.0.0.20"));
	/* the last hop not ours; a forged left part does not matter */
	assert_true(url_forwarded_client(&cfg, "6.6.6.6, 203.0.113.9, 10.0.0.2", out, sizeof(out)));
	assert_string_equal(out, "203.0.113.9");
	assert_true(url_forwarded_client(&cfg, "2001:db8::1", out, sizeof(out)));
	assert_string_equal(out, "2001:db8::1");
	strcpy(out, "unchanged");
	assert_false(url_forwarded_client(&cfg, "", out, sizeof(out)));
	assert_false(url_forwarded_client(&cfg, "evil<script>", out, sizeof(out)));
	assert_false(url_forwarded_client(&cfg, "1.2.3.4,,", out, sizeof(out)));
	assert_string_equal(out, "unchanged");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_path),
		cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_forwarded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
