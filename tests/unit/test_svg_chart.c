/* test_svg_chart.c: the dashboard's charts (views/svg_chart.c) and figures
 * (rules/dashboard.c): scales, ticks, bands and stacks computed right, the
 * SVG obeying the CSP (no style attribute or element, no script) with its
 * text escaped, and Beijing days, outcomes, medians and shares exact. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/config.h"
#include "base/i18n.h"
#include "rules/dashboard.h"
#include "rules/domain.h"
#include "views/svg_chart.h"
#include "web/http.h"
#include "view_req.h"



static const char *
body(struct req *r)
{
	buf_putc(&r->body, '\0');
	return r->body.data;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static void
test_nice_max_and_ticks(void **state)
{
	static const long long cases[][2] = {
		{ 0, 5 }, { 1, 5 }, { 5, 5 }, { 6, 10 }, { 10, 10 }, { 11, 20 }, { 20, 20 }, { 21, 50 },
		{ 49, 50 }, { 51, 100 }, { 101, 200 }, { 999, 1000 }, { 1001, 2000 }, { 123456, 200000 },
	};
	long long ticks[6];
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(chart_nice_max(cases[i][0]), cases[i][1]);
	/* Equal whole steps from 0 to the maximum, 4 or 5 of them. */
	static const long long maxes[] = { 5, 10, 20, 50, 100, 200, 500, 1000, 200000 };
	for (size_t i = 0; i < sizeof(maxes) / sizeof(maxes[0]); i++) {
		int n = chart_ticks(maxes[i], ticks);
		assert_true(n == 5 || n == 6);
		assert_int_equal(ticks[0], 0);
		assert_int_equal(ticks[n - 1], maxes[i]);
		for (int k = 1; k < n; k++)
			assert_int_equal(ticks[k] - ticks[k - 1], ticks[1]);
	}
	assert_int_equal(chart_ticks(20, ticks), 5);
	assert_int_equal(ticks[1], 5);
}

static void
test_y_and_bands(void **state)
{
	const struct chart_frame f = { 100, 120, 10, 10, 10, 10 };   /* plot 80 x 100 */
	int x, w, c;
	(void)state;

	assert_int_equal(chart_y(&f, 50, 0), 110);
	assert_int_equal(chart_y(&f, 50, 50), 10);
	assert_int_equal(chart_y(&f, 50, 25), 60);
	assert_int_equal(chart_y(&f, 50, 500), 10);      /* clamped */
	assert_int_equal(chart_y(&f, 50, -3), 110);
	/* Four bands of 20: bars of 14 centred in each, touching nothing. */
	for (size_t i = 0; i < 4; i++) {
		chart_band(&f, 4, i, &x, &w, &c);
		assert_int_equal(w, 14);
		assert_int_equal(x, 10 + 20 * (int)i + 3);
		assert_int_equal(c, 10 + 20 * (int)i + 10);
	}
	/* More bands than pixels: every bar still 1 wide, inside the plot. */
	for (size_t i = 0; i < 366; i++) {
		chart_band(&f, 366, i, &x, &w, &c);
		assert_true(w >= 1);
		assert_true(x >= 10 && x + w <= 90 + 1);
	}
	assert_int_equal(chart_label_every(7, 8), 1);
	assert_int_equal(chart_label_every(30, 8), 4);
	assert_int_equal(chart_label_every(366, 8), 46);
}

static void
test_value_text(void **state)
{
	char s[32];
	(void)state;

	chart_value_text(CU_COUNT, 12, s);
	assert_string_equal(s, "12");
	chart_value_text(CU_PERMILLE, 500, s);
	assert_string_equal(s, "50%");
	chart_value_text(CU_PERMILLE, 125, s);
	assert_string_equal(s, "12.5%");
	chart_value_text(CU_FEN, 350, s);
	assert_string_equal(s, "¥3.50");
	chart_value_text(CU_FEN, 20000, s);
	assert_string_equal(s, "¥200");
	chart_axis_text(CU_FEN, 200LL * 100000000, s);        /* ¥2 亿 in fen */
	assert_string_equal(s, "¥2亿");
	chart_axis_text(CU_FEN, 5000LL * 10000 * 100, s);
	assert_string_equal(s, "¥5000万");
	chart_axis_text(CU_FEN, 5000 * 100, s);
	assert_string_equal(s, "¥5000");
	chart_axis_text(CU_FEN, 1000000 * 100 + 50, s);        /* not whole yuan: in full */
	assert_string_equal(s, "¥1000000.50");
	chart_axis_text(CU_COUNT, 200000, s);
	assert_string_equal(s, "20万");
	chart_axis_text(CU_PERMILLE, 1000, s);
	assert_string_equal(s, "100%");
}

/* Stacks sum: the bars of one band stand on each other, the tallest band
 * reaches its share of the axis, and zero values draw nothing. */
static void
test_stacked_bars_svg(void **state)
{
	struct req r;
	const long long a[] = { 2, 0, 5 }, b[] = { 3, 0, 0 };
	const struct chart_series s[] = { { "s-refunded", "已退<款>", a }, { "s-open", "处理中", b } };
	const char *const labels[] = { "12-01", "12-02", "12-03" };
	(void)state;

	req_setup(&r);
	svg_stacked_bars(&r, "c1", "每日 \"申请\"", s, 2, 3, labels, CU_COUNT);
	const char *svg = body(&r);
	assert_non_null(strstr(svg, "<svg class=\"chart\" id=\"c1\" role=\"img\" aria-labelledby=\"c1-t\" viewBox=\"0 0 400 200\""));
	assert_non_null(strstr(svg, "<title id=\"c1-t\">每日 &quot;申请&quot;</title>"));
	assert_null(strstr(svg, "style"));
	assert_null(strstr(svg, "script"));
	assert_null(strstr(svg, "<款>"));
	assert_non_null(strstr(svg, "已退&lt;款&gt;"));
	assert_int_equal(count(svg, "<rect "), 3);      /* 2+3 on day 1, 5 on day 3, nothing on day 2 */
	assert_int_equal(count(svg, "</svg>"), 1);
	/* Axis 0..5 (5 is the nice maximum of 5), plot 350 wide from x 44
	 * and from y 10 to 176: band 1 is 116 wide, its bar 81 from x 61;
	 * day 1's 2 reaches 176 - 2*166/5 = 110, its 3 on top up to 10. */
	assert_non_null(strstr(svg, "class=\"s-refunded\" x=\"61\" y=\"110\" width=\"81\" height=\"66\""));
	assert_non_null(strstr(svg, "class=\"s-open\" x=\"61\" y=\"10\" width=\"81\" height=\"100\""));
	buf_free(&r.body);
	buf_free(&r.head);
}

static void
test_line_breaks_on_missing_days(void **state)
{
	struct req r;
	const long long v[] = { 500, -1, 1000, 0 };
	const struct chart_series s = { "s-instant", "秒退", v };
	const char *const labels[] = { "a", "b", "c", "d" };
	(void)state;

	req_setup(&r);
	svg_permille_line(&r, "c2", "t", &s, 4, labels);
	const char *svg = body(&r);
	assert_int_equal(count(svg, "<polyline "), 2);   /* day 1; days 3-4 */
	assert_int_equal(count(svg, "<circle "), 3);
	assert_non_null(strstr(svg, ">100%</text>"));
	assert_null(strstr(svg, "style"));
	buf_free(&r.body);
	buf_free(&r.head);
}

static void
test_hbars_svg(void **state)
{
	struct req r;
	const long long v[] = { 250, 40 };
	const char *const labels[] = { "m<1>", "m2" };
	(void)state;

	req_setup(&r);
	svg_hbars(&r, "c3", "争议率", "s-dispute", labels, v, 2, CU_PERMILLE);
	const char *svg = body(&r);
	assert_int_equal(count(svg, "<rect "), 2);
	assert_non_null(strstr(svg, "m&lt;1&gt;"));
	assert_non_null(strstr(svg, ">25%</text>"));
	assert_non_null(strstr(svg, ">4%</text>"));
	/* 250 of the nice maximum 500 is half the 230 wide plot. */
	assert_non_null(strstr(svg, "x=\"120\" y=\"7\" width=\"115\" height=\"16\""));
	buf_free(&r.body);
	buf_free(&r.head);
}

static void
test_days(void **state)
{
	long long day;
	char s[11], sh[6];
	(void)state;

	assert_true(dash_day_parse("2026-12-03", &day));
	dash_day_format(day, s);
	assert_string_equal(s, "2026-12-03");
	dash_day_short(day, sh);
	assert_string_equal(sh, "12-03");
	/* Beijing midnight of 12-03 is 12-02 16:00 UTC. */
	assert_int_equal(dash_day_start(day), 1796313600LL - 86400);
	assert_int_equal(dash_day_of(dash_day_start(day)), day);
	assert_int_equal(dash_day_of(dash_day_start(day) - 1), day - 1);
	assert_int_equal(dash_day_of(dash_day_start(day) + 86399), day);
	assert_true(dash_day_parse("2024-02-29", &day));
	dash_day_format(day, s);
	assert_string_equal(s, "2024-02-29");
	static const char *const bad[] = { "2023-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "1999-12-31",
		"2100-01-01", "2026-1-01", "2026/12/03", "2026-12-3x", "", "20261203xx" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(dash_day_parse(bad[i], &day));
}

static void
test_outcomes_and_sums(void **state)
{
	static struct dashboard d;
	(void)state;

	assert_int_equal(dash_outcome_of(RS_REFUNDED), DO_REFUNDED);
	assert_int_equal(dash_outcome_of(RS_REFUNDING), DO_REFUNDED);
	assert_int_equal(dash_outcome_of(RS_APPROVED), DO_REFUNDED);
	assert_int_equal(dash_outcome_of(RS_REJECTED), DO_REJECTED);
	assert_int_equal(dash_outcome_of(RS_CANCELLED), DO_ENDED);
	assert_int_equal(dash_outcome_of(RS_CLOSED), DO_ENDED);
	assert_int_equal(dash_outcome_of(RS_CS_REVIEW), DO_OPEN);
	assert_int_equal(dash_outcome_of(-1), DO_OPEN);
	dash_init(&d, 100, 3);
	assert_int_equal(d.median_secs, -1);
	assert_true(dash_add_day(&d, 100, RS_REFUNDED, 4, 3, 150));
	assert_true(dash_add_day(&d, 102, RS_REJECTED, 2, 0, 0));
	assert_false(dash_add_day(&d, 103, RS_REFUNDED, 9, 9, 9));   /* outside the range */
	assert_false(dash_add_day(&d, 99, RS_REFUNDED, 9, 9, 9));
	assert_int_equal(d.days[0].count[DO_REFUNDED], 4);
	assert_int_equal(d.days[2].count[DO_REJECTED], 2);
	assert_int_equal(d.total.filed, 6);
	assert_int_equal(d.total.instant, 3);
	assert_int_equal(d.total.fees, 150);
	dash_init(&d, 0, 10000);
	assert_int_equal(d.ndays, DASH_DAYS_MAX);
}

static void
test_median_share_duration(void **state)
{
	char s[48];
	(void)state;

	/* n odd: one middle; n even: the two averaged, rounded down. */
	assert_int_equal(dash_median_of_middle(600, 600), 600);
	assert_int_equal(dash_median_of_middle(3, 4), 3);
	assert_int_equal(dash_median_of_middle(7, 9), 8);
	assert_int_equal(dash_median_of_middle(INT64_MAX, INT64_MAX), INT64_MAX);
	assert_int_equal(dash_permille(1, 3), 333);
	assert_int_equal(dash_permille(2, 3), 667);
	assert_int_equal(dash_permille(5, 0), 0);
	assert_int_equal(dash_permille(3, 3), 1000);
	dash_duration_text(-1, s);
	assert_string_equal(s, "—");
	dash_duration_text(42, s);
	assert_string_equal(s, "42 秒");
	dash_duration_text(307, s);
	assert_string_equal(s, "5 分 7 秒");
	dash_duration_text(12000, s);
	assert_string_equal(s, "3 小时 20 分");
	dash_duration_text(2 * 86400 + 3 * 3600 + 59, s);
	assert_string_equal(s, "2 天 3 小时");
}

/* i10-lang-desk: the same figures in English: thousands and millions on
 * the axis where Chinese counts in 万 and 亿; durations in h / min / s. */
static void
test_english_texts(void **state)
{
	static const struct { enum chart_unit u; long long v; const char *want; } axis[] = {
		{ CU_FEN, 200LL * 100000000, "¥200M" }, { CU_FEN, 5000LL * 10000 * 100, "¥50M" },
		{ CU_FEN, 5000 * 100, "¥5k" }, { CU_FEN, 1000000 * 100 + 50, "¥1000000.50" },
		{ CU_COUNT, 200000, "200k" }, { CU_COUNT, 500, "500" }, { CU_PERMILLE, 1000, "100%" },
	};
	static const struct { long long secs; const char *want; } dur[] = {
		{ 42, "42 s" }, { 307, "5 min 7 s" }, { 12000, "3 h 20 min" }, { 2 * 86400 + 3 * 3600 + 59, "2 d 3 h" },
	};
	char s[48];
	(void)state;
	i18n_use(LANG_EN);
	for (size_t i = 0; i < sizeof(axis) / sizeof(axis[0]); i++) {
		chart_axis_text(axis[i].u, axis[i].v, s);
		assert_string_equal(s, axis[i].want);
	}
	for (size_t i = 0; i < sizeof(dur) / sizeof(dur[0]); i++) {
		dash_duration_text(dur[i].secs, s);
		assert_string_equal(s, dur[i].want);
	}
	i18n_use(LANG_ZH_CN);
	dash_duration_text(42, s);
	assert_string_equal(s, "42 秒");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nice_max_and_ticks),
		cmocka_unit_test(test_y_and_bands),
		cmocka_unit_test(test_value_text),
		cmocka_unit_test(test_stacked_bars_svg),
		cmocka_unit_test(test_line_breaks_on_missing_days),
		cmocka_unit_test(test_hbars_svg),
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_outcomes_and_sums),
		cmocka_unit_test(test_median_share_duration),
		cmocka_unit_test(test_english_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
