/* test_view_claims.c: the claims page and the claim on the request page
 * render from their structs alone (app->db is NULL: a view reaching for
 * the database would crash), escape what they show, show amounts in yuan,
 * and the recovery rate is integer arithmetic that never divides by zero. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/config.h"
#include "store/claim_reads.h"
#include "views/view_desk_claims.h"
#include "views/view_desk_refund.h"
#include "web/http.h"
#include "view_req.h"




static void
test_recovery_permille(void **state)
{
	(void)state;
	assert_int_equal(claim_recovery_permille(0, 0), -1);          /* nothing settled: no rate */
	assert_int_equal(claim_recovery_permille(100, 0), 1000);
	assert_int_equal(claim_recovery_permille(0, 100), 0);
	assert_int_equal(claim_recovery_permille(875, 125), 875);
	assert_int_equal(claim_recovery_permille(1, 2), 333);         /* 33.33…% */
	assert_int_equal(claim_recovery_permille(2, 1), 667);         /* half up */
	assert_int_equal(claim_recovery_permille(1, 1999), 1);        /* 0.05% rounds up to 0.1% */
	assert_int_equal(claim_recovery_permille(1, 2001), 0);
	assert_int_equal(claim_recovery_permille(-1, 5), -1);         /* never from a bad sum */
	assert_int_equal(claim_recovery_permille(5, -1), -1);
	assert_int_equal(claim_recovery_permille(INT64_MAX, 1), -1);  /* the sum would overflow */
	assert_int_equal(claim_recovery_permille(INT64_MAX / 2, INT64_MAX / 2), 500);
	assert_int_equal(claim_recovery_permille(INT64_MAX / 4, INT64_MAX / 4 * 3), 250);
}

/* The list's count from the per-(supplier, state) figures. */
static void
test_claims_total(void **state)
{
	struct supplier_claim_figures f[2] = { { .supplier = "a", .all_n = 7 }, { .supplier = "b", .all_n = 3 } };

	(void)state;
	f[0].by_state[CLAIM_PENDING] = 2;
	f[0].by_state[CLAIM_RECOVERED] = 4;   /* and one in a state this build does not know */
	f[1].by_state[CLAIM_PENDING] = 3;
	assert_int_equal(claims_total(f, 2, "", ""), 10);
	assert_int_equal(claims_total(f, 2, "pending", ""), 5);
	assert_int_equal(claims_total(f, 2, "", "a"), 7);
	assert_int_equal(claims_total(f, 2, "recovered", "a"), 4);
	assert_int_equal(claims_total(f, 2, "recovered", "b"), 0);
	assert_int_equal(claims_total(f, 2, "", "c"), 0);
	assert_int_equal(claims_total(f, 2, "lost", ""), 0);
	assert_int_equal(claims_total(NULL, 0, "", ""), 0);
}

static void
test_claim_figures_table(void **state)
{
	struct supplier_claim_figures f[] = {
		{ .supplier = "up<1>", .open_n = 2, .recovered_n = 1, .written_off_n = 1, .open_amount = 3000,
		  .recovered = 1500, .written_off = 500 },
		{ .supplier = "shop", .open_n = 1, .open_amount = 990 },
	};
	struct req r;
	const char *s;

	(void)state;
	req_setup(&r);
	view_claim_figures(&r, f, 2);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "<tr data-supplier=\"up&lt;1&gt;\">"));
	assert_non_null(strstr(s, "href=\"/desk/claims?supplier=up&lt;1&gt;\">up&lt;1&gt;</a>"));
	assert_non_null(strstr(s, "class=\"fig-open\">2 笔 ¥30.00</td>"));
	assert_non_null(strstr(s, "class=\"fig-recovered\">1 笔 ¥15.00</td>"));
	assert_non_null(strstr(s, "class=\"fig-written-off\">1 笔 ¥5.00</td>"));
	assert_non_null(strstr(s, "class=\"fig-rate\">75.0%</td>"));
	assert_non_null(strstr(s, "class=\"fig-open\">1 笔 ¥9.90</td>"));
	assert_non_null(strstr(s, "class=\"fig-rate\">—</td>"));       /* nothing settled */
	assert_null(strstr(s, "<script"));
	req_done(&r);

	req_setup(&r);
	view_claim_figures(&r, NULL, 0);
	assert_non_null(strstr(buf_cstr(&r.body), "id=\"supplier-figures-empty\""));
	req_done(&r);
}

static void
test_claims_page_from_struct(void **state)
{
	struct claims_row rows[] = {
		{ "C1", "up", "SR9", "R1", "O<1>", "UP-1", CLAIM_RECOVERED, 1000, 1000, 0, 100, 200 },
		{ "C2", "up", "", "R2", "O2", "UP-2", CLAIM_PENDING, 250, 0, 0, 100, 100 },
		{ "C3", "up", "", "R3", "O3", "UP-3", -1, 1, 0, 0, 100, 100 },
	};
	struct claims_list list = { rows, 3, 120 };
	struct supplier_claim_figures f[] = { { .supplier = "up", .open_n = 1, .recovered_n = 1, .open_amount = 250,
		.recovered = 1000 } };
	const char *qerr[CLF__MAX] = { 0 };
	qerr[CLF_SUPPLIER] = "供应商格式不对";
	struct view_desk_claims v = { .list = &list, .figures = f, .nfigures = 1, .state = "recovered",
		.supplier = "up", .page = 2, .qerr = qerr };
	struct req r;
	const char *s;

	(void)state;
	req_setup(&r);
	view_desk_claims(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "共 120 笔 · 第 2 / 3 页"));
	assert_non_null(strstr(s, "<a href=\"/desk/refund/R1\">订单 O&lt;1&gt;</a>"));
	assert_non_null(strstr(s, "data-state=\"recovered\">已追回</td>"));
	assert_non_null(strstr(s, "data-state=\"pending\">待提交上游</td>"));
	assert_non_null(strstr(s, "data-state=\"\">未知状态</td>"));
	assert_non_null(strstr(s, "class=\"claim-amount\">¥2.50</td>"));
	assert_non_null(strstr(s, "class=\"claim-settled\">¥10.00 / ¥0.00</td>"));
	assert_non_null(strstr(s, "<option value=\"recovered\" selected>已追回</option>"));
	assert_non_null(strstr(s, "<option value=\"up\" selected>up</option>"));
	assert_non_null(strstr(s, "id=\"query-error\">供应商格式不对（此条件未使用）"));
	assert_non_null(strstr(s, "href=\"/desk/claims?state=recovered&amp;supplier=up&amp;page=1\">上一页"));
	assert_non_null(strstr(s, "href=\"/desk/claims?state=recovered&amp;supplier=up&amp;page=3\">下一页"));
	assert_non_null(strstr(s, "id=\"supplier-figures\""));
	req_done(&r);

	/* A supplier with no claims is still the one selected; none: the empty line. */
	struct claims_list none = { 0 };
	v.list = &none;
	v.supplier = "gone";
	v.page = 1;
	qerr[CLF_SUPPLIER] = NULL;
	req_setup(&r);
	view_desk_claims(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "<option selected value=\"gone\">gone</option>"));
	assert_non_null(strstr(s, "id=\"claims-empty\""));
	assert_null(strstr(s, "id=\"query-error\""));
	assert_null(strstr(s, "class=\"pager\""));
	req_done(&r);
}

static void
test_request_page_upstream(void **state)
{
	struct refund rf;
	struct order o;
	struct buyer_history h = { 0 };
	struct risk_figure risk[RC__MAX] = { 0 };
	struct desk_upstream up = { .has = true, .supplier = "up", .order_no = "UP<9>", .cost = 8000 };
	struct req r;
	const char *s;

	(void)state;
	memset(&rf, 0, sizeof(rf));
	rf.public_id = "R1";
	rf.state = RS_REFUNDED;
	rf.reason = "r";
	rf.wrong_account = "";
	rf.order_no = "O1";
	rf.buyer_id = "b";
	rf.title = "t";
	memset(&o, 0, sizeof(o));
	o.order_no = "O1";
	o.buyer_id = "b";
	o.title = "t";
	o.open_refund = "";
	struct view_desk_refund v = { .rf = &rf, .o = &o, .history = &h, .csrf = "c", .risk = risk,
		.upstream = &up };

	/* Bought from a supplier, nothing claimed. */
	req_setup(&r);
	view_desk_refund(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "id=\"upstream-supplier\">up</dd>"));
	assert_non_null(strstr(s, "id=\"upstream-order\">UP&lt;9&gt;</dd>"));
	assert_non_null(strstr(s, "id=\"upstream-cost\">¥80.00</dd>"));
	assert_non_null(strstr(s, "id=\"claim-none\""));
	req_done(&r);

	/* Claimed and settled: partly back, the rest written off. */
	up.has_claim = true;
	up.claim_id = "C1";
	up.claim_state = CLAIM_RECOVERED;
	up.amount = 8000;
	up.recovered = 6000;
	up.written_off = 2000;
	up.supplier_refund_id = "SR<1>";
	up.filed_at = 1700000000;
	up.updated_at = 1700003600;
	req_setup(&r);
	view_desk_refund(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "class=\"claim-state\" data-state=\"recovered\">已追回</dd>"));
	assert_non_null(strstr(s, "id=\"claim-amount\">¥80.00</dd>"));
	assert_non_null(strstr(s, "id=\"claim-recovered\">¥60.00</dd>"));
	assert_non_null(strstr(s, "id=\"claim-written-off\">¥20.00</dd>"));
	assert_non_null(strstr(s, "id=\"claim-supplier-refund\">SR&lt;1&gt;</dd>"));
	assert_null(strstr(s, "未结清"));
	req_done(&r);

	/* Open: not settled, no supplier refund yet. */
	up.claim_state = CLAIM_FILED;
	up.supplier_refund_id = "";
	req_setup(&r);
	view_desk_refund(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "id=\"claim-settled-at\">未结清</dd>"));
	assert_non_null(strstr(s, "id=\"claim-supplier-refund\">—</dd>"));
	req_done(&r);

	/* An order bought from no supplier: no section at all. */
	up.has = false;
	req_setup(&r);
	view_desk_refund(&r, &v);
	assert_null(strstr(buf_cstr(&r.body), "id=\"upstream\""));
	req_done(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recovery_permille),
		cmocka_unit_test(test_claims_total),
		cmocka_unit_test(test_claim_figures_table),
		cmocka_unit_test(test_claims_page_from_struct),
		cmocka_unit_test(test_request_page_upstream),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
