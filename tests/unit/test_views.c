/* test_views.c: views render from the struct their handler filled, with no
 * database behind them (app->db is NULL here: a view that reached for it
 * would crash the test), escape every value, and show only what the struct
 * says. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/config.h"
#include "rules/desk.h"
#include "views/view_desk_refund.h"
#include "views/view_refund_form.h"
#include "views/view_desk_queue.h"
#include "web/csv.h"
#include "web/http.h"

static struct config cfg;
static struct app app;

static void
req_setup(struct req *r)
{
	memset(r, 0, sizeof(*r));
	memset(&app, 0, sizeof(app));
	memset(&cfg, 0, sizeof(cfg));
	app.cfg = &cfg;                      /* no app.db: views must not need one */
	r->app = &app;
	r->status = 200;
	buf_init(&r->head);
	buf_init(&r->body);
}

static void
req_done(struct req *r)
{
	buf_free(&r->body);
	buf_free(&r->head);
}

static void
fake_refund(struct refund *rf)
{
	memset(rf, 0, sizeof(*rf));
	rf->public_id = "R1";
	rf->state = RS_CS_REVIEW;
	rf->type = RT_NOT_DELIVERED;
	rf->reason = "<script>alert(1)</script>";
	rf->wrong_account = "";
	rf->buyer_id = "b<1>";
	rf->order_no = "O1";
	rf->title = "t";
	rf->requested = 1000;
	rf->amount = 1000;
}

static void
fake_order(struct order *o)
{
	memset(o, 0, sizeof(*o));
	o->order_no = "O1";
	o->buyer_id = "b";
	o->title = "卡密 <100元>";
	o->hold_state = HOLD_HELD;
	o->open_refund = "";
}

static void
test_desk_refund_from_struct(void **state)
{
	struct refund rf;
	struct order o;
	struct buyer_history h;
	struct req r;
	const char *s;

	(void)state;
	req_setup(&r);
	fake_refund(&rf);
	fake_order(&o);
	memset(&h, 0, sizeof(h));
	h.n = 2;
	h.total = 7;
	h.rows[0] = (struct buyer_history_row){ RS_REFUNDED, RT_NOT_DELIVERED, 1999, 0 };
	h.rows[1] = (struct buyer_history_row){ -1, -1, 5, 0 };  /* states this build does not know */
	struct view_desk_refund v = { .rf = &rf, .o = &o, .history = &h, .history_this_shop_only = true,
		.allowed = 0, .csrf = "tok" };
	view_desk_refund(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_null(strstr(s, "<script>"));
	assert_non_null(strstr(s, "买家退款记录（b&lt;1&gt;，仅本店）"));
	assert_non_null(strstr(s, "共 7 条，显示最近 2 条。"));
	assert_non_null(strstr(s, "¥19.99"));
	assert_non_null(strstr(s, "卡密 &lt;100元&gt;"));
	assert_null(strstr(s, "/decision"));            /* nothing allowed: no form */
	assert_non_null(strstr(s, "</html>\n"));

	buf_reset(&r.body);
	v.allowed = 1u << DA_APPROVE;
	v.history_this_shop_only = false;
	view_desk_refund(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "action=\"/desk/refund/R1/decision\""));
	assert_non_null(strstr(s, "name=\"csrf\" value=\"tok\""));
	assert_non_null(strstr(s, "退款金额（分，最多 1000）"));
	assert_null(strstr(s, "仅本店"));
	req_done(&r);
}

/* The form shows the verdicts it is given, the kept values escaped, and a
 * message per bad field; a held payment offers "确认收货". */
static void
test_refund_form_from_struct(void **state)
{
	struct view_refund_form v;
	struct order o;
	struct req r;
	const char *s;

	(void)state;
	req_setup(&r);
	fake_order(&o);
	memset(&v, 0, sizeof(v));
	for (int t = 0; t < RT__MAX; t++)
		v.types[t].kind = DECIDE_NOT_ALLOWED;
	v.types[RT_NOT_DELIVERED].kind = DECIDE_INSTANT;
	v.types[RT_NOT_DELIVERED].refund = 500;
	v.o = &o;
	v.reason = "太慢了\"><b>";
	v.type = "not_delivered";
	v.idem = "idem1";
	v.csrf = "tok";
	v.err[F_REASON] = "退款原因至少 10 个字。";
	v.evidence_max_mb = 5;
	v.evidence_max_files = 3;
	v.can_confirm = true;
	view_refund_form(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "提交的内容有误"));
	assert_non_null(strstr(s, "太慢了&quot;&gt;&lt;b&gt;</textarea>"));
	assert_non_null(strstr(s, "<p class=\"err\" id=\"err-reason\">退款原因至少 10 个字。</p>"));
	assert_non_null(strstr(s, "value=\"not_delivered\" checked>"));
	assert_non_null(strstr(s, "<span class=\"tag instant\">秒退</span>"));
	assert_non_null(strstr(s, "每个不超过 5 MB，最多 3 个。"));
	assert_non_null(strstr(s, "/order/O1/confirm"));
	/* Every other type is refused: disabled. */
	size_t disabled = 0;
	for (const char *p = s; (p = strstr(p, " disabled")) != NULL; p++)
		disabled++;
	assert_int_equal(disabled, RT__MAX - 1);

	buf_reset(&r.body);
	v.fully_refunded = true;
	view_refund_form(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "没有可再申请退款的金额"));
	assert_null(strstr(s, "<form"));
	req_done(&r);
}

/* Time left as the queue shows it: minutes, hours, days; overdue said so. */
static void
test_time_left(void **state)
{
	static const struct { long long d; const char *want; bool over; } cases[] = {
		{ 0, "", false },                      /* no deadline: deadline 0 below */
		{ 30, "剩 1 分钟", false },
		{ 59 * 60 + 59, "剩 59 分钟", false },
		{ 3 * 3600 + 600, "剩 3 小时", false },
		{ 47 * 3600, "剩 47 小时", false },
		{ 3 * 86400 + 5, "剩 3 天", false },
		{ -20 * 60 - 30, "已超时 20 分钟", true },
		{ -5 * 3600, "已超时 5 小时", true },
	};
	char out[48];
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long long now = 1000000;
		bool over = desk_time_left(cases[i].d == 0 ? 0 : now + cases[i].d, now, out);
		assert_string_equal(out, cases[i].want);
		assert_int_equal(over, cases[i].over);
	}
}

/* Every cell quoted, quotes doubled, formula starters made inert. */
static void
test_csv_cells(void **state)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "plain", "\"plain\"" }, { "", "\"\"" }, { "a\"b", "\"a\"\"b\"" },
		{ "=1+2", "\"'=1+2\"" }, { "+1", "\"'+1\"" }, { "-1", "\"'-1\"" }, { "@SUM(A1)", "\"'@SUM(A1)\"" },
		{ "\tx", "\"'\tx\"" }, { "\rx", "\"'\rx\"" }, { "a=1", "\"a=1\"" }, { "a\nb", "\"a\nb\"" },
	};
	struct buf b;
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_init(&b);
		csv_cell(&b, cases[i].in, true);
		assert_string_equal(buf_cstr(&b), cases[i].want);
		buf_free(&b);
	}
	buf_init(&b);
	csv_cell(&b, "a", true);
	csv_cell(&b, "b", false);
	csv_row_end(&b);
	assert_string_equal(buf_cstr(&b), "\"a\",\"b\"\r\n");
	buf_free(&b);
}

/* The queue renders its rows escaped, overdue marked, filters kept in the
 * page links, and the merchant column only for those who pick merchants. */
static void
test_desk_queue_from_struct(void **state)
{
	struct req r;
	struct staff st = { .role = ROLE_CS, .login = "cs1", .merchant_id = "", .csrf = "c" };
	struct desk_queue_row rows[2] = {
		{ .public_id = "R1", .order_no = "O1", .title = "<b>卡</b>", .merchant_id = "m1", .buyer_id = "b1",
		  .state = RS_CS_REVIEW, .type = RT_INVALID_ITEM, .amount = 9850, .deadline = 100000 - 1230 },
		{ .public_id = "R2", .order_no = "O2", .title = "t", .merchant_id = "m2", .buyer_id = "b2",
		  .state = RS_CS_REVIEW, .type = RT_INVALID_ITEM, .amount = 100, .deadline = 100000 + 3 * 3600 + 5 },
	};
	struct desk_queue q = { .rows = rows, .n = 2, .total = 120 };
	struct desk_view_query vq = { .tab = DESK_TAB_MINE, .state = -1, .page = 2 };
	const char *qv[DF__MAX] = { [DF_MERCHANT] = "m1", [DF_PAGE] = "2" }, *qerr[DF__MAX] = { 0 };
	struct view_desk_queue v = { .st = &st, .q = &q, .vq = &vq, .qv = qv, .qerr = qerr, .now = 100000 };
	const char *s;
	(void)state;

	req_setup(&r);
	view_desk_queue(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "<main class=\"wide\">"));
	assert_null(strstr(s, "<b>卡"));
	assert_non_null(strstr(s, "<tr class=\"over\">"));
	assert_non_null(strstr(s, "已超时 20 分钟"));
	assert_non_null(strstr(s, "剩 3 小时"));
	assert_non_null(strstr(s, "共 120 条 · 第 2 / 3 页"));
	assert_non_null(strstr(s, "/desk?merchant=m1&amp;page=3"));
	assert_non_null(strstr(s, "/desk?merchant=m1&amp;page=1"));
	assert_non_null(strstr(s, "/desk/queue.csv?merchant=m1\""));
	assert_non_null(strstr(s, "<th>商家</th>"));
	req_done(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_desk_refund_from_struct),
		cmocka_unit_test(test_refund_form_from_struct),
		cmocka_unit_test(test_time_left),
		cmocka_unit_test(test_csv_cells),
		cmocka_unit_test(test_desk_queue_from_struct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
