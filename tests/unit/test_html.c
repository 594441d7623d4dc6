/* test_html.c: the one escaper, the Beijing clock, and the few writers that
 * wrap them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/config.h"
#include "web/html.h"
#include "web/http.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Escapes s[0..n) into a fresh buffer and compares with want. */
static void
check_escape(const char *s, size_t n, const char *want, size_t wlen)
{
	struct buf b;

	buf_init(&b);
	html_escape_buf(&b, s, n);
	assert_false(b.failed);
	if (b.len != wlen || (wlen > 0 && memcmp(b.data, want, wlen) != 0))
		print_error("escape(\"%.*s\") = \"%.*s\", want \"%s\"\n", (int)n, s, (int)b.len,
		    b.data ? b.data : "", want);
	assert_int_equal(b.len, wlen);
	if (wlen > 0)
		assert_memory_equal(b.data, want, wlen);
	buf_free(&b);
}

struct esc_case {
	const char *in, *want;
};

static const struct esc_case esc_cases[] = {
	{ "", "" },
	{ "plain text 123", "plain text 123" },
	{ "&", "&amp;" },
	{ "<", "&lt;" },
	{ ">", "&gt;" },
	{ "\"", "&quot;" },
	{ "'", "&#39;" },
	{ "<>&\"'", "&lt;&gt;&amp;&quot;&#39;" },
	{ "''''", "&#39;&#39;&#39;&#39;" },
	{ "a<b", "a&lt;b" },
	{ "<b>x</b>", "&lt;b&gt;x&lt;/b&gt;" },
	{ "x&amp;y", "x&amp;amp;y" },                /* escaped twice is still text */
	{ "<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" },
	{ "\" onmouseover=\"x", "&quot; onmouseover=&quot;x" },
	{ "tail&", "tail&amp;" },
	{ "&head", "&amp;head" },
	/* UTF-8 and other bytes pass through untouched. */
	{ "退款中 ¥19.99", "退款中 ¥19.99" },
	{ "游戏<点卡>", "游戏&lt;点卡&gt;" },
	{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },
	{ "\xff\xfe\x80", "\xff\xfe\x80" },
	{ "tab\tnl\ncr\r", "tab\tnl\ncr\r" },
	{ "`=/\\", "`=/\\" },
};

static void
test_escape_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(esc_cases); i++)
		check_escape(esc_cases[i].in, strlen(esc_cases[i].in), esc_cases[i].want,
		    strlen(esc_cases[i].want));
}

/* The length decides, not a NUL: bytes after one are escaped too. */
static void
test_escape_embedded_nul(void **state)
{
	static const char in[] = "a\0<b\0";
	static const char want[] = "a\0&lt;b\0";

	(void)state;
	check_escape(in, sizeof(in) - 1, want, sizeof(want) - 1);
	/* n shorter than the string: only the prefix. */
	check_escape("<tag>", 1, "&lt;", 4);
	check_escape("<tag>", 0, "", 0);
}

/* Appends, never replaces: what the buffer held stays. */
static void
test_escape_appends(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "<p>");
	html_escape_buf(&b, "1<2", 3);
	buf_puts(&b, "</p>");
	assert_string_equal(buf_cstr(&b), "<p>1&lt;2</p>");
	buf_free(&b);
}

/* A long string of specials grows the buffer fivefold-plus correctly. */
static void
test_escape_long(void **state)
{
	char in[3000];
	struct buf b;

	(void)state;
	memset(in, '<', sizeof(in));
	buf_init(&b);
	html_escape_buf(&b, in, sizeof(in));
	assert_int_equal(b.len, 4 * sizeof(in));
	for (size_t i = 0; i < sizeof(in); i++)
		assert_memory_equal(b.data + 4 * i, "&lt;", 4);
	buf_free(&b);
}

struct time_case {
	long long t;
	const char *want;
};

static const struct time_case time_cases[] = {
	{ 0, "1970-01-01 08:00" },
	{ 59, "1970-01-01 08:00" },
	{ 60, "1970-01-01 08:01" },
	{ 16 * 3600 - 1, "1970-01-01 23:59" },
	{ 16 * 3600, "1970-01-02 00:00" },          /* the Beijing day turns at 16:00 UTC */
	{ -1, "-" },                                /* no time before the epoch is ours */
	{ 1795350600, "2026-11-22 20:30" },         /* 2026-11-22 12:30 UTC */
	{ 1767196800, "2026-01-01 00:00" },         /* 2025-12-31 16:00 UTC */
	{ 1782835199, "2026-06-30 23:59" },
	{ 1782838800, "2026-07-01 01:00" },         /* summer: still +8, no DST */
	{ 4102444799LL, "2100-01-01 07:59" },       /* 2099-12-31 23:59:59 UTC */
	/* Past what struct tm can hold: the placeholder, not garbage. */
	{ 1LL << 60, "-" },
	{ -(1LL << 60), "-" },
	{ 9223372036854775807LL, "-" },            /* no overflow adding the offset */
};

static void
test_format_time(void **state)
{
	char out[32];

	(void)state;
	for (size_t i = 0; i < NELEM(time_cases); i++) {
		memset(out, 'x', sizeof(out));
		format_time(time_cases[i].t, out);
		if (strcmp(out, time_cases[i].want) != 0)
			print_error("format_time(%lld) = \"%s\"\n", time_cases[i].t, out);
		assert_string_equal(out, time_cases[i].want);
	}
}

/* A request with only what the writers touch. */
static void
req_setup(struct req *r)
{
	memset(r, 0, sizeof(*r));
	r->status = 200;
	buf_init(&r->head);
	buf_init(&r->body);
}

static void
test_writers(void **state)
{
	struct req r;

	(void)state;
	req_setup(&r);
	html_hidden(&r, "csrf", "a\"><script>");
	assert_string_equal(buf_cstr(&r.body),
	    "<input type=\"hidden\" name=\"csrf\" value=\"a&quot;&gt;&lt;script&gt;\">");
	buf_reset(&r.body);
	html_esc(&r, "<&>");
	html_int(&r, -42);
	html_raw(&r, "<br>");
	html_raw_if(&r, 1 < 2, "<i>", "<b>");
	html_money(&r, 1999);
	assert_string_equal(buf_cstr(&r.body), "&lt;&amp;&gt;-42<br><i>¥19.99");
	buf_reset(&r.body);
	html_time(&r, 0);
	assert_string_equal(buf_cstr(&r.body), "1970-01-01 08:00");
	/* In English: yuan grouped by thousands, dates day month year, the
	 * same Beijing clock (2026-12-03 16:05 UTC is 04 Dec 00:05 there). */
	i18n_use(LANG_EN);
	static const struct { int64_t fen; const char *want; } money[] = {
		{ 0, "¥0.00" }, { 5, "¥0.05" }, { 99999, "¥999.99" }, { 100000, "¥1,000.00" },
		{ 123456789, "¥1,234,567.89" }, { -100000, "¥-1,000.00" },
		{ INT64_MAX, "¥92,233,720,368,547,758.07" },
	};
	for (size_t i = 0; i < NELEM(money); i++) {
		buf_reset(&r.body);
		html_money(&r, money[i].fen);
		assert_string_equal(buf_cstr(&r.body), money[i].want);
	}
	buf_reset(&r.body);
	html_time(&r, 1796313900);
	assert_string_equal(buf_cstr(&r.body), "4 Dec 2026 00:05");
	buf_reset(&r.body);
	html_time(&r, -1);
	assert_string_equal(buf_cstr(&r.body), "-");
	i18n_use(LANG_ZH_CN);
	buf_reset(&r.body);
	html_money(&r, 123456789);
	html_time(&r, 1796313900);
	assert_string_equal(buf_cstr(&r.body), "¥1234567.892026-12-04 00:05");
	buf_free(&r.body);
	buf_free(&r.head);
}

/* Under a mount every link, form action and the stylesheet carry it. */
static void
test_urls_carry_mount(void **state)
{
	struct config cfg;
	struct app app;
	struct req r;
	const char *s;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	memset(&app, 0, sizeof(app));
	cfg.mount = "/refund-desk";
	app.cfg = &cfg;
	req_setup(&r);
	r.app = &app;
	html_url(&r, "/refund/%s/evidence/%d", "AB\"<", 2);
	assert_string_equal(buf_cstr(&r.body), "/refund-desk/refund/AB&quot;&lt;/evidence/2");
	buf_reset(&r.body);
	html_error_page(&r, 404, "t", "m");
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "href=\"/refund-desk/static/rd.css\""));
	assert_non_null(strstr(s, "href=\"/refund-desk/refund/lookup\""));
	assert_null(strstr(s, "href=\"/refund/"));
	assert_null(strstr(s, "href=\"/static/"));
	buf_free(&r.body);
	buf_free(&r.head);
}

/* An error page replaces whatever was written, escapes its texts, and keeps
 * the frame: one <html>, one </html>. */
static void
test_error_page(void **state)
{
	struct req r;
	const char *s;

	(void)state;
	req_setup(&r);
	buf_puts(&r.body, "half a page");
	html_error_page(&r, 404, "<Title>", "msg & more");
	s = buf_cstr(&r.body);
	assert_int_equal(r.status, 404);
	assert_null(strstr(s, "half a page"));
	assert_non_null(strstr(s, "<title>&lt;Title&gt; · 自助退款</title>"));
	assert_non_null(strstr(s, "<h1>&lt;Title&gt;</h1>"));
	assert_non_null(strstr(s, "<p>msg &amp; more</p>"));
	assert_null(strstr(s, "<Title>"));
	assert_memory_equal(s, "<!doctype html>", 15);
	assert_non_null(strstr(s, "</html>\n"));
	assert_ptr_equal(strstr(s, "<html"), strrchr(s, '\0') - strlen(strstr(s, "<html")));
	buf_free(&r.body);
	buf_free(&r.head);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_table),
		cmocka_unit_test(test_escape_embedded_nul),
		cmocka_unit_test(test_escape_appends),
		cmocka_unit_test(test_urls_carry_mount),
		cmocka_unit_test(test_escape_long),
		cmocka_unit_test(test_format_time),
		cmocka_unit_test(test_writers),
		cmocka_unit_test(test_error_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
