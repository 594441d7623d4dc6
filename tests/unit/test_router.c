/* test_router.c: route_match on a table of patterns and paths, and the
 * dispatcher's answers that need no database (404, 405, 411, 413, the
 * compiled-in stylesheet), driven through a fake http_io. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/config.h"
#include "web/html.h"
#include "web/router.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define SEG64 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"

struct match_case {
	const char *pattern, *path;
	bool want;
	const char *p0, *p1;      /* captures when want */
};

static const struct match_case match_cases[] = {
	/* Exact paths. */
	{ "/healthz", "/healthz", true, NULL, NULL },
	{ "/refund/lookup", "/refund/lookup", true, NULL, NULL },
	{ "/healthz", "/healthz/", false, NULL, NULL },        /* trailing slash */
	{ "/healthz", "/healthzz", false, NULL, NULL },
	{ "/healthz", "/health", false, NULL, NULL },
	{ "/healthz", "/HEALTHZ", false, NULL, NULL },
	{ "/healthz", "", false, NULL, NULL },
	{ "/healthz", "/", false, NULL, NULL },
	{ "/healthz", "healthz", false, NULL, NULL },
	{ "/refund/new", "/refund/newx", false, NULL, NULL },  /* prefix only */
	{ "/refund/new", "/refund/ne", false, NULL, NULL },
	{ "/refund/new", "/refund/new/extra", false, NULL, NULL },
	{ "/refund/new", "/refund/new?x=1", false, NULL, NULL },
	/* One capture. */
	{ "/refund/:id", "/refund/R20261122abc", true, "R20261122abc", NULL },
	{ "/refund/:id", "/refund/a", true, "a", NULL },
	{ "/refund/:id", "/refund/a_b-C9", true, "a_b-C9", NULL },
	{ "/refund/:id", "/refund/" SEG64, true, SEG64, NULL },           /* 64 bytes */
	{ "/refund/:id", "/refund/" SEG64 "x", false, NULL, NULL },       /* 65 bytes */
	{ "/refund/:id", "/refund/", false, NULL, NULL },                 /* empty */
	{ "/refund/:id", "/refund", false, NULL, NULL },
	{ "/refund/:id", "/refund/a.b", false, NULL, NULL },
	{ "/refund/:id", "/refund/..", false, NULL, NULL },
	{ "/refund/:id", "/refund/a%2Fb", false, NULL, NULL },
	{ "/refund/:id", "/refund/a%00", false, NULL, NULL },
	{ "/refund/:id", "/refund/a b", false, NULL, NULL },
	{ "/refund/:id", "/refund/a+b", false, NULL, NULL },
	{ "/refund/:id", "/refund/退款", false, NULL, NULL },
	{ "/refund/:id", "/refund/a\\b", false, NULL, NULL },
	{ "/refund/:id", "/refund/abc/", false, NULL, NULL },              /* trailing slash */
	{ "/refund/:id", "/refund/abc/cancel", false, NULL, NULL },        /* longer path */
	{ "/refund/:id", "/refund//", false, NULL, NULL },
	/* The table lists "/refund/new" before "/refund/:id" because both match. */
	{ "/refund/:id", "/refund/new", true, "new", NULL },
	/* A capture in the middle. */
	{ "/refund/:id/cancel", "/refund/abc/cancel", true, "abc", NULL },
	{ "/refund/:id/cancel", "/refund//cancel", false, NULL, NULL },
	{ "/refund/:id/cancel", "/refund/abc", false, NULL, NULL },
	{ "/refund/:id/cancel", "/refund/abc/", false, NULL, NULL },
	{ "/refund/:id/cancel", "/refund/abc/cancelx", false, NULL, NULL },
	{ "/refund/:id/cancel", "/refund/abc/cancel/", false, NULL, NULL },
	{ "/refund/:id/cancel", "/refund/a.c/cancel", false, NULL, NULL },
	{ "/refund/:id/cancel", "/refund/abc/appeal", false, NULL, NULL },
	/* Two captures. */
	{ "/refund/:id/evidence/:n", "/refund/abc/evidence/3", true, "abc", "3" },
	{ "/refund/:id/evidence/:n", "/refund/" SEG64 "/evidence/123456789", true, SEG64, "123456789" },
	/* Each parameter is checked by its name (the gate): ":n" is 1..9 digits,
	 * ":no" an order number of at most 32; a pattern name without a check
	 * matches nothing. */
	{ "/refund/:id/evidence/:n", "/refund/" SEG64 "/evidence/" SEG64, false, NULL, NULL },
	{ "/refund/:id/evidence/:n", "/refund/abc/evidence/1234567890", false, NULL, NULL },
	{ "/refund/:id/evidence/:n", "/refund/abc/evidence/1e3", false, NULL, NULL },
	{ "/refund/:id/evidence/:n", "/refund/abc/evidence/-1", false, NULL, NULL },
	{ "/order/:no/confirm", "/order/" "abcdefghijklmnopqrstuvwxyzABCDEF" "/confirm", true,
	    "abcdefghijklmnopqrstuvwxyzABCDEF", NULL },
	{ "/order/:no/confirm", "/order/" "abcdefghijklmnopqrstuvwxyzABCDEFG" "/confirm", false, NULL, NULL },
	{ "/x/:nope", "/x/abc", false, NULL, NULL },
	{ "/refund/:id/evidence/:n", "/refund/abc/evidence/", false, NULL, NULL },
	{ "/refund/:id/evidence/:n", "/refund/abc/evidence", false, NULL, NULL },
	{ "/refund/:id/evidence/:n", "/refund/abc/evidence/3/", false, NULL, NULL },
	{ "/refund/:id/evidence/:n", "/refund/abc/evidence/3/x", false, NULL, NULL },
	{ "/refund/:id/evidence/:n", "/refund/abc/evidence/..", false, NULL, NULL },
	{ "/refund/:id/evidence/:n", "/refund//evidence/3", false, NULL, NULL },
	{ "/api/v1/orders/:no/delivery", "/api/v1/orders/T123/delivery", true, "T123", NULL },
	{ "/api/v1/orders/:no/delivery", "/api/v1/orders/T123/usage", false, NULL, NULL },
	/* More captures than a request has room for. */
	{ "/:id/:id/:id", "/x/y/z", false, NULL, NULL },
	{ "/:id/:id", "/x/y", true, "x", "y" },
};

static void
test_match_table(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 0);
	for (size_t i = 0; i < NELEM(match_cases); i++) {
		const struct match_case *c = &match_cases[i];
		const char *params[ROUTE_PARAMS] = { NULL, NULL };
		bool got = route_match(c->pattern, c->path, &a, params);
		if (got != c->want)
			print_error("route_match(\"%s\", \"%s\") = %d\n", c->pattern, c->path, got);
		assert_int_equal(got, c->want);
		/* Without params the answer is the same and nothing is captured. */
		assert_int_equal(route_match(c->pattern, c->path, NULL, NULL), c->want);
		if (!c->want)
			continue;
		if (c->p0 == NULL) {
			assert_null(params[0]);
		} else {
			assert_non_null(params[0]);
			assert_string_equal(params[0], c->p0);
			/* A copy in the arena, not a pointer into the path. */
			assert_true(params[0] < c->path || params[0] > c->path + strlen(c->path));
		}
		if (c->p1 == NULL)
			assert_null(params[1]);
		else
			assert_string_equal(params[1], c->p1);
	}
	arena_free(&a);
}

/* An arena that cannot hold the capture refuses the match. */
static void
test_match_arena_full(void **state)
{
	const char *params[ROUTE_PARAMS] = { NULL, NULL };
	struct arena a;

	(void)state;
	arena_init(&a, 16);
	assert_false(route_match("/refund/:id", "/refund/" SEG64, &a, params));
	assert_true(route_match("/refund/:id", "/refund/short", &a, params));
	assert_string_equal(params[0], "short");
	arena_free(&a);
}

/* A fake gateway: CGI variables from a table, output into a buffer. */
struct fake_io {
	const char *vars[16][2];
	struct buf out;
	int writes;
};

static const char *
fake_param(void *io, const char *name)
{
	struct fake_io *f = io;

	for (size_t i = 0; i < NELEM(f->vars) && f->vars[i][0] != NULL; i++)
		if (strcmp(f->vars[i][0], name) == 0)
			return f->vars[i][1];
	return NULL;
}

static long
fake_read(void *io, char *p, size_t n)
{
	(void)io, (void)n, (void)p;
	return 0;
}

static int
fake_write(void *io, const char *p, size_t n)
{
	struct fake_io *f = io;

	buf_append(&f->out, p, n);
	f->writes++;
	return 0;
}

struct dispatch_case {
	const char *method, *path, *content_length;
	const char *status;       /* "Status: 404 " prefix */
	const char *has[3];       /* substrings of the whole response */
	const char *lacks;        /* must not appear */
};

static const struct dispatch_case dispatch_cases[] = {
	{ "GET", "/static/rd.css", NULL, "Status: 200 ",
	    { "Content-Type: text/css; charset=utf-8\r\n", "Cache-Control: public, max-age=86400\r\n",
	    ":root{" }, "Cache-Control: no-store" },
	{ "GET", "/nope", NULL, "Status: 404 ",
	    { "Content-Type: text/html; charset=utf-8\r\n", "页面不存在", "X-Frame-Options: DENY\r\n" }, NULL },
	{ "GET", "/api/v1/nope", NULL, "Status: 404 ",
	    { "{\"error\":{\"code\":\"not_found\"", "Content-Type: application/json\r\n", NULL }, "<html" },
	{ "GET", "/refund/a.b", NULL, "Status: 404 ", { NULL }, NULL },
	{ "GET", "/refund/abc/", NULL, "Status: 404 ", { NULL }, NULL },
	{ "POST", "/static/rd.css", "0", "Status: 405 ", { "Allow: GET, HEAD\r\n", NULL }, ":root{" },
	{ "OPTIONS", "/static/rd.css", NULL, "Status: 405 ", { "Allow: GET, HEAD\r\n", NULL }, NULL },
	{ "GET", "/api/v1/orders", NULL, "Status: 405 ",
	    { "Allow: POST\r\n", "\"code\":\"method_not_allowed\"", "Content-Type: application/json\r\n" }, NULL },
	{ "GET", "/refund/abc/cancel", NULL, "Status: 405 ", { "Allow: POST\r\n", NULL }, NULL },
	/* Both a GET and a POST route share the path: Allow names both. (The
	 * line currently reads "GET, HEAD, POST, GET, HEAD": "/refund/:id"
	 * matches "lookup" too and adds GET again. Harmless, reported.) */
	{ "OPTIONS", "/refund/lookup", NULL, "Status: 405 ", { "Allow: GET, HEAD, POST", NULL }, NULL },
	/* The body gates run before routing, for any POST. */
	{ "POST", "/nope", NULL, "Status: 411 ", { NULL }, NULL },
	{ "POST", "/refund/lookup", "-1", "Status: 411 ", { NULL }, NULL },
	{ "POST", "/refund/lookup", "12x", "Status: 411 ", { NULL }, NULL },
	{ "POST", "/refund/lookup", "4097", "Status: 413 ", { NULL }, NULL },
	{ "POST", "/nope", "4096", "Status: 404 ", { NULL }, NULL },
};

static void
run_dispatch(const char *method, const char *path, const char *cl, struct fake_io *f)
{
	struct config cfg;
	struct app app;
	struct arena a;
	struct http_io io = { fake_param, fake_read, fake_write, f };
	size_t k = 0;

	memset(&cfg, 0, sizeof(cfg));
	cfg.session_secret = "0123456789abcdef0123456789abcdef";
	cfg.body_max_bytes = 4096;
	memset(&app, 0, sizeof(app));
	app.cfg = &cfg;
	f->vars[k][0] = "REQUEST_METHOD", f->vars[k++][1] = method;
	f->vars[k][0] = "DOCUMENT_URI", f->vars[k++][1] = path;
	if (cl != NULL)
		f->vars[k][0] = "CONTENT_LENGTH", f->vars[k++][1] = cl;
	f->vars[k][0] = NULL;
	buf_init(&f->out);
	f->writes = 0;
	arena_init(&a, 0);
	router_dispatch(&app, &a, &io);
	arena_free(&a);
	/* The worker keeps its response buffers between requests; this one ends here. */
	buf_free(&app.head);
	buf_free(&app.body);
	buf_free(&app.out);
}

static void
test_dispatch_table(void **state)
{
	struct fake_io f;

	(void)state;
	for (size_t i = 0; i < NELEM(dispatch_cases); i++) {
		const struct dispatch_case *c = &dispatch_cases[i];
		memset(&f, 0, sizeof(f));
		run_dispatch(c->method, c->path, c->content_length, &f);
		const char *s = buf_cstr(&f.out);
		if (strncmp(s, c->status, strlen(c->status)) != 0)
			print_error("%s %s: \"%.40s\"\n", c->method, c->path, s);
		assert_memory_equal(s, c->status, strlen(c->status));
		for (size_t j = 0; j < NELEM(c->has) && c->has[j] != NULL; j++) {
			if (strstr(s, c->has[j]) == NULL)
				print_error("%s %s: no \"%s\"\n", c->method, c->path, c->has[j]);
			assert_non_null(strstr(s, c->has[j]));
		}
		if (c->lacks != NULL)
			assert_null(strstr(s, c->lacks));
		buf_free(&f.out);
	}
}

/* HEAD answers like GET, headers only: Content-Length is the GET body's. */
static void
test_dispatch_head(void **state)
{
	char want[64];
	struct fake_io f;

	(void)state;
	memset(&f, 0, sizeof(f));
	run_dispatch("HEAD", "/static/rd.css", NULL, &f);
	const char *s = buf_cstr(&f.out);
	assert_memory_equal(s, "Status: 200 ", 12);
	snprintf(want, sizeof(want), "Content-Length: %zu\r\n\r\n", strlen(html_stylesheet));
	assert_non_null(strstr(s, want));
	assert_null(strstr(s, ":root{"));
	assert_int_equal(f.writes, 1);
	buf_free(&f.out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_table),
		cmocka_unit_test(test_match_arena_full),
		cmocka_unit_test(test_dispatch_table),
		cmocka_unit_test(test_dispatch_head),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
