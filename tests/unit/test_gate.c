/* test_gate.c: the one validation gate. Walks the router's table: every
 * route that takes input names its fields in a table, and every table
 * entry has a check, a limit and a label; every path parameter has a
 * check. Then the gate itself: a query field given twice is refused (it
 * used to be the first one), values are checked, kept and worded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "pages/fields.h"
#include "web/gate.h"
#include "web/router.h"

/* Routes that take a body the gate does not parse: each reads a signed raw
 * body itself (the API's JSON through api.c's checks, /cron's signature). */
static bool
raw_body_route(const struct route *rt)
{
	return strncmp(rt->pattern, "/api/", 5) == 0 || strcmp(rt->pattern, "/cron") == 0;
}

static void
check_table(const char *route, const struct form_field *t, size_t n)
{
	assert_non_null(t);
	assert_true(n > 0);
	assert_true(n <= REQ_FIELDS_MAX);
	for (size_t i = 0; i < n; i++) {
		const struct form_field *f = &t[i];
		if (f->name == NULL || f->check == NULL || f->label == NULL)
			print_error("%s: field %zu lacks a name, check or label\n", route, i);
		assert_non_null(f->name);
		assert_non_null(f->check);
		assert_non_null(f->label);
		/* A limit: a choice is bounded by its choices, everything else by max_chars. */
		if (f->check == form_check_choice) {
			assert_non_null(f->choices);
			assert_true(f->nchoices > 0);
		} else {
			if (f->max_chars == 0)
				print_error("%s: %s has no max\n", route, f->name);
			assert_true(f->max_chars > 0);
			assert_true(f->min_chars <= f->max_chars);
		}
		assert_int_equal(form_attr_maxlength(t, i), f->max_chars);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(t[j].name, f->name);
	}
}

static void
test_every_route_reads_its_fields_from_a_table(void **state)
{
	size_t forms = 0, queries = 0;

	(void)state;
	assert_true(router_nroutes > 0);
	for (size_t i = 0; i < router_nroutes; i++) {
		const struct route *rt = &router_routes[i];
		/* Every POST that is an HTML form has a body table, and its first
		 * field is the CSRF token the handler checks. */
		if (rt->method == HM_POST && !raw_body_route(rt)) {
			if (rt->in.body == NULL)
				print_error("POST %s reads its body without a table\n", rt->pattern);
			assert_non_null(rt->in.body);
			assert_string_equal(rt->in.body[F_CSRF].name, "csrf");
			forms++;
		}
		if (rt->in.body != NULL) {
			assert_int_equal(rt->method, HM_POST);
			check_table(rt->pattern, rt->in.body, rt->in.nbody);
		}
		if (rt->in.query != NULL) {
			check_table(rt->pattern, rt->in.query, rt->in.nquery);
			queries++;
		}
		/* Files stream to disk: only after the admit gate (budget, session). */
		if (rt->in.files != NULL)
			assert_non_null(rt->in.admit);
		/* Each path parameter is checked by its name. */
		for (const char *p = strchr(rt->pattern, ':'); p != NULL; p = strchr(p + 1, ':')) {
			size_t n = strcspn(p, "/");
			const struct form_field *f = route_param_field(p, n);
			if (f == NULL)
				print_error("%s: parameter %.*s has no check\n", rt->pattern, (int)n, p);
			assert_non_null(f);
			assert_non_null(f->check);
			assert_true(f->max_chars > 0 && f->max_chars <= 64);
		}
	}
	/* The HTML forms of today (9 POST pages) and the query-reading pages. */
	assert_true(forms >= 12);
	assert_true(queries >= 3);
}

/* The routes that read a query string name their table. */
static void
test_query_routes_named(void **state)
{
	static const char *const want[] = { "/refund/start", "/refund/new", "/healthz" };

	(void)state;
	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
		bool found = false;
		for (size_t i = 0; i < router_nroutes; i++) {
			const struct route *rt = &router_routes[i];
			if (rt->method == HM_GET && strcmp(rt->pattern, want[w]) == 0)
				found = rt->in.query != NULL;
		}
		assert_true(found);
	}
}

static void
check_query(const char *query, const struct form_field *t, size_t n, struct req_fields *out)
{
	struct form_value vals[GATE_QUERY_MAX];
	struct arena a;
	struct req r;
	size_t nv;

	memset(&r, 0, sizeof(r));
	arena_init(&a, 0);
	r.a = &a;
	gate_query_parse(&a, query, vals, &nv);
	gate_check(&r, t, n, vals, nv, out);
	/* The values live in the arena: copy out what the caller looks at. */
	static char keep[REQ_FIELDS_MAX][256], errs[REQ_FIELDS_MAX][256];
	for (size_t i = 0; i < n; i++) {
		if (out->kept[i] != NULL) {
			bool same = out->v[i] == out->kept[i];
			snprintf(keep[i], sizeof(keep[i]), "%s", out->kept[i]);
			out->kept[i] = keep[i];
			if (same)
				out->v[i] = keep[i];
		}
		if (out->err[i] != NULL) {
			snprintf(errs[i], sizeof(errs[i]), "%s", out->err[i]);
			out->err[i] = errs[i];
		}
	}
	arena_free(&a);
}

static void
test_query_duplicate_refused(void **state)
{
	struct req_fields q;

	(void)state;
	/* The signed order first, a second "order" after it: neither is used. */
	check_query("order=T1&buyer=b1&ts=1700000000&sig=ab12&order=T2", start_query, SQ__MAX, &q);
	assert_null(q.v[SQ_ORDER]);
	assert_string_equal(q.err[SQ_ORDER], "重复的字段");
	assert_string_equal(q.kept[SQ_ORDER], "T1");
	assert_string_equal(q.v[SQ_BUYER], "b1");
	assert_string_equal(q.v[SQ_TS], "1700000000");
	assert_int_equal(q.bad, 1);

	/* Twice with the same value is still twice. */
	check_query("order=T1&order=T1", new_query, NQ__MAX, &q);
	assert_null(q.v[NQ_ORDER]);
	assert_int_equal(q.bad, 1);

	check_query("strict=1&strict=1", healthz_query, HQ__MAX, &q);
	assert_null(q.v[HQ_STRICT]);
}

static void
test_query_checked(void **state)
{
	struct req_fields q;

	(void)state;
	check_query("order=T-1_a", new_query, NQ__MAX, &q);
	assert_string_equal(q.v[NQ_ORDER], "T-1_a");
	assert_int_equal(q.bad, 0);
	/* Not an order number: refused, worded, kept for nothing but the form. */
	check_query("order=a%27b", new_query, NQ__MAX, &q);
	assert_null(q.v[NQ_ORDER]);
	assert_non_null(q.err[NQ_ORDER]);
	assert_string_equal(q.kept[NQ_ORDER], "a'b");
	/* A NUL is never a value, not even a kept one. */
	check_query("order=T1%00x", new_query, NQ__MAX, &q);
	assert_null(q.v[NQ_ORDER]);
	assert_null(q.kept[NQ_ORDER]);
	/* Absent and required. */
	check_query("", new_query, NQ__MAX, &q);
	assert_null(q.v[NQ_ORDER]);
	assert_string_equal(q.err[NQ_ORDER], "请填写订单号");
	/* Optional and absent: no error, no value. */
	check_query("x=1", healthz_query, HQ__MAX, &q);
	assert_null(q.v[HQ_STRICT]);
	assert_null(q.err[HQ_STRICT]);
	/* A malformed query counts as empty (as it always answered). */
	check_query("order=%zz", new_query, NQ__MAX, &q);
	assert_null(q.v[NQ_ORDER]);
	/* Names are not unescaped into a match: "order%00x" is not "order". */
	check_query("order%00x=T1", new_query, NQ__MAX, &q);
	assert_null(q.v[NQ_ORDER]);
}

/* The limits views show come from the tables the gate checks with. */
static void
test_attrs_from_the_table(void **state)
{
	(void)state;
	assert_int_equal(form_attr_maxlength(refund_form, F_REASON), 1000);
	assert_int_equal(form_attr_maxlength(refund_form, F_WRONG), 200);
	assert_string_equal(form_attr_label(refund_form, F_REASON), "退款原因");
	assert_int_equal(form_attr_maxlength(buyer_note_form, BA_NOTE), 1000);
	assert_int_equal(form_attr_maxlength(decision_form, DD_NOTE), 1000);
}

/* The faults the API words as its codes (api.c's bridge) come from the
 * same checks as the HTML fields, in the same order. */
static void
test_text_faults(void **state)
{
	static const struct {
		const char *v;
		size_t len;
		bool multiline;
		enum form_fault want;
	} cases[] = {
		{ "ok text", 7, false, FF_OK },
		{ "a\0b", 3, false, FF_NUL },
		{ "\xc0\xaf", 2, false, FF_ENCODING },
		{ "a\0\xc0", 3, false, FF_NUL },              /* NUL first */
		{ "a\r\nb", 4, false, FF_NEWLINE },
		{ "a\r\nb", 4, true, FF_OK },
		{ "a\x01" "b", 3, true, FF_CONTROL },
		{ "ab\xe2\x80\xae" "cd", 7, false, FF_DECEPTIVE },   /* U+202E */
		{ "  a  ", 5, false, FF_SHORT },                /* blanks do not count toward min */
		{ "abcdefghijk", 11, false, FF_LONG },
	};
	const struct form_field f = { "title", NULL, form_check_line, 2, 10, true, NULL, 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long cp = 0;
		size_t n = 0;
		enum form_fault got = form_text_fault(cases[i].v, cases[i].len, &f, cases[i].multiline, &cp, &n);
		if (got != cases[i].want)
			print_error("case %zu: fault %d, want %d\n", i, (int)got, (int)cases[i].want);
		assert_int_equal(got, cases[i].want);
		if (got == FF_DECEPTIVE)
			assert_int_equal(cp, 0x202E);
		if (got == FF_LONG)
			assert_int_equal(n, 11);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_reads_its_fields_from_a_table),
		cmocka_unit_test(test_query_routes_named),
		cmocka_unit_test(test_query_duplicate_refused),
		cmocka_unit_test(test_query_checked),
		cmocka_unit_test(test_attrs_from_the_table),
		cmocka_unit_test(test_text_faults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
