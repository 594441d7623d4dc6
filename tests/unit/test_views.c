/* test_views.c: views render from the struct their handler filled, with no
 * database behind them (app->db is NULL here: a view that reached for it
 * would crash the test), escape every value, and show only what the struct
 * says. */
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/config.h"
#include "base/i18n.h"
#include "rules/desk.h"
#include "rules/next_step.h"
#include "views/view.h"
#include "views/view_desk_preview.h"
#include "views/view_desk_refund.h"
#include "views/view_refund_form.h"
#include "views/view_refund_status.h"
#include "views/view_desk_queue.h"
#include "views/view_desk_activity.h"
#include "web/csv.h"
#include "web/http.h"
#include "view_req.h"




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
	h.rows[0] = (struct buyer_history_row){ "R0", "O0<", RS_REFUNDED, RT_NOT_DELIVERED, 1999, 0 };
	h.rows[1] = (struct buyer_history_row){ "R1", "O1", -1, -1, 5, 0 };  /* states this build does not know */
	/* Figures as policy_risk_figures() gives them; the 24 h check fired at filing. */
	struct risk_figure risk[RC__MAX] = { { 5, 2, true }, { 6, 0, false }, { 1, 20, false }, { 0, 1, false } };
	rf.risk_flags = RISK_BUYER_24H;
	struct refund_file files[] = { { 1, 2048, "image/png", "shot<1>.png" }, { 2, 100, "application/pdf", "bill.pdf" } };
	rf.files = files;
	rf.nfiles = 2;
	struct view_desk_refund v = { .rf = &rf, .o = &o, .history = &h, .history_this_shop_only = true,
		.allowed = 0, .csrf = "tok", .risk = risk, .risk_counts = true };
	view_desk_refund(&r, &v);
	s = buf_cstr(&r.body);
	/* The heading: the order and the type, the id only beneath it. */
	assert_non_null(strstr(s, "<h1 id=\"title\">订单 O1 · 未发货"));
	/* Risk as numbers, the fired one marked; a limit of 0 is said to be off. */
	assert_non_null(strstr(s, "买家 24 小时内退款 5 次，上限 2 <strong>已触发</strong>"));
	assert_non_null(strstr(s, "买家 90 天内退款 6 次，未设上限</li>"));
	assert_non_null(strstr(s, "同一 IP 1 小时内申请 1 次，上限 20</li>"));
	assert_non_null(strstr(s, "黑名单：不在名单中"));
	/* A merchant: which checks fired, not the buyer's counts at every shop. */
	buf_reset(&r.body);
	v.risk_counts = false;
	view_desk_refund(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "买家 24 小时内退款 <strong>已触发</strong>"));
	assert_non_null(strstr(s, "买家 90 天内退款：未触发</li>"));
	assert_null(strstr(s, "5 次"));
	v.risk_counts = true;
	buf_reset(&r.body);
	view_desk_refund(&r, &v);
	s = buf_cstr(&r.body);
	/* Evidence: the image inline through the staff route, the PDF a download. */
	assert_non_null(strstr(s, "class=\"thumb\"><img src=\"/desk/refund/R1/evidence/1\" alt=\"shot&lt;1&gt;.png\""));
	assert_non_null(strstr(s, "href=\"/desk/refund/R1/evidence/2\" class=\"doc\" download>bill.pdf</a>"));
	assert_null(strstr(s, "<img src=\"/desk/refund/R1/evidence/2\""));
	/* The buyer's other requests linked, this one marked. */
	assert_non_null(strstr(s, "<a href=\"/desk/refund/R0\">订单 O0&lt;</a>"));
	assert_non_null(strstr(s, "<tr class=\"current\"><td>"));
	assert_non_null(strstr(s, "<a href=\"/desk/refund/R1\" aria-current=\"page\">订单 O1</a> <span class=\"tag\">当前</span>"));
	/* One static script, no inline one. */
	assert_non_null(strstr(s, "<script src=\"/static/desk.js\" defer></script>"));
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
	/* Yuan, never fen (issue 10): the quick choices and the custom field. */
	assert_non_null(strstr(s, "最多 ¥10.00）"));
	assert_null(strstr(s, "（分"));
	assert_non_null(strstr(s, "name=\"amount_choice\" value=\"net\" checked"));
	assert_non_null(strstr(s, "name=\"internal_note\""));
	assert_non_null(strstr(s, "预览处理结果"));
	/* Each action's shortcut letter, and the field typed in after it. */
	assert_non_null(strstr(s, "value=\"approve\" data-key=\"a\" data-focus=\"\""));
	assert_null(strstr(s, "仅本店"));

	/* A refused form: the values as sent, escaped, and each field's message. */
	struct view_desk_form f = { 0 };
	f.kept[DD_AMOUNT] = "70.505<";
	f.kept[DD_CHOICE] = "custom";
	f.kept[DD_INTERNAL] = "内部<b>";
	f.err[DD_AMOUNT] = "退款金额最多两位小数（精确到分）。";
	v.form = &f;
	buf_reset(&r.body);
	view_desk_refund(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "value=\"70.505&lt;\""));
	assert_non_null(strstr(s, "value=\"custom\" checked"));
	assert_null(strstr(s, "value=\"net\" checked"));
	assert_non_null(strstr(s, "内部&lt;b&gt;</textarea>"));
	assert_non_null(strstr(s, "id=\"err-amount\">退款金额最多两位小数"));

	/* Reply templates: only those of the actions allowed now, escaped. */
	static char t0[] = "同意<b>", t1[] = "驳回模板";
	struct reply_templates tp = { .n = 2 };
	snprintf(tp.t[0].action, sizeof(tp.t[0].action), "approve");
	tp.t[0].text = t0;
	snprintf(tp.t[1].action, sizeof(tp.t[1].action), "reject");
	tp.t[1].text = t1;
	v.templates = &tp;
	v.form = NULL;
	buf_reset(&r.body);
	view_desk_refund(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "name=\"reply_template\" value=\"0\"> <span class=\"tag\">同意退款</span> 同意&lt;b&gt;"));
	assert_null(strstr(s, "驳回模板"));                /* reject is not allowed here */
	req_done(&r);
}

/* Every timeline entry names its actor; the buyer's text is quoted as the
 * buyer's, and a staff login shows on staff pages only. */
static void
test_timeline_actors(void **state)
{
	struct refund rf;
	struct req r;
	const char *s;
	struct refund_event ev[] = {
		{ 1, 0, "submitted", "buyer", "系统：已同意退款", "" },
		{ 2, 0, "cs_review", "system", "转客服初审", "" },
		{ 3, 0, "merchant_review", "cs", "升级处理", "alice" },
		{ 4, 0, "arbitration", "merchant", "", "shop1" },
		{ 5, 0, "approved", "arbiter", "同意退款", "judge" },
		{ 6, 0, "refunded", "forged<", "x", "" },
	};

	(void)state;
	req_setup(&r);
	fake_refund(&rf);
	rf.events = ev;
	rf.nevents = sizeof(ev) / sizeof(ev[0]);
	view_timeline(&r, &rf, false);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "<li class=\"by-buyer\" data-actor=\"buyer\">"));
	assert_non_null(strstr(s, "<span class=\"who\">买家</span>"));
	assert_non_null(strstr(s, "<q class=\"buyer-text\">系统：已同意退款</q>"));
	assert_non_null(strstr(s, "<span class=\"who\">系统</span>"));
	assert_non_null(strstr(s, "<span class=\"who\">客服</span>"));
	assert_non_null(strstr(s, "<span class=\"who\">商家</span>"));
	assert_non_null(strstr(s, "<span class=\"who\">仲裁</span>"));
	assert_non_null(strstr(s, "<li class=\"by-other\""));     /* an unknown actor is nobody's */
	assert_null(strstr(s, "alice"));                         /* buyers see no staff login */
	buf_reset(&r.body);
	view_timeline(&r, &rf, true);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "<span class=\"who\">客服 alice</span>"));
	req_done(&r);
}

/* The preview: the movement as planned, and a confirm form carrying the
 * same fields with confirm=1. */
static void
test_desk_preview(void **state)
{
	struct refund rf;
	struct order o;
	struct req r;
	const char *s;

	(void)state;
	req_setup(&r);
	fake_refund(&rf);
	fake_order(&o);
	rf.requested = 9850;
	rf.fee = 492;
	o.hold_amount = 9850;
	o.merchant_id = "m1";
	o.channel = PAY_ALIPAY;
	const struct flow_row *row = flow_find(RS_CS_REVIEW, FE_APPROVE, FROLE_CS);
	assert_non_null(row);
	struct view_desk_preview v = { .rf = &rf, .o = &o, .action = DA_APPROVE, .row = row, .choice = AC_CUSTOM,
		.amount = 4000, .fee = 492, .note = "说明<", .internal = "内部", .csrf = "tok" };
	struct plan_order po = { .id = 1, .merchant_id = "m1", .state = HOLD_FROZEN, .amount = 9850 };
	struct plan_refund pr = { .id = 2, .order_id = 1, .buyer_id = "b", .dest = DEST_ORIGINAL,
		.channel = PAY_ALIPAY, .amount = 4000, .fee = 492 };
	assert_int_equal(desk_money_preview(&po, &pr, &v.money), RD_OK);
	view_desk_preview(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "id=\"pv-buyer\">¥40.00"));
	assert_non_null(strstr(s, "id=\"pv-merchant\">¥53.58"));
	assert_non_null(strstr(s, "id=\"pv-fee\">¥4.92"));
	assert_non_null(strstr(s, "原路退回（支付宝"));
	assert_non_null(strstr(s, "name=\"amount\" value=\"40.00\""));
	assert_non_null(strstr(s, "name=\"confirm\" value=\"1\""));
	assert_non_null(strstr(s, "name=\"note\" value=\"说明&lt;\""));
	assert_non_null(strstr(s, "name=\"csrf\" value=\"tok\""));
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
	/* Issue 15: a review only for unknown use says upstream is asked first. */
	v.types[RT_CHANGED_MIND].kind = DECIDE_REVIEW;
	v.types[RT_CHANGED_MIND].ask_upstream = true;
	v.o = &o;
	v.reason = "太慢了\"><b>";
	v.type = "not_delivered";
	v.idem = "idem1";
	v.csrf = "tok";
	v.err[F_REASON] = "退款原因至少 10 个字。";
	v.evidence_max_bytes = 5 << 20;
	v.evidence_max_files = 3;
	v.can_confirm = true;
	view_refund_form(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "提交的内容有误"));
	assert_non_null(strstr(s, "太慢了&quot;&gt;&lt;b&gt;</textarea>"));
	assert_non_null(strstr(s, "<p class=\"err\" id=\"err-reason\">退款原因至少 10 个字。</p>"));
	assert_non_null(strstr(s, "value=\"not_delivered\" checked>"));
	assert_non_null(strstr(s, "<span class=\"tag instant\">通常秒退</span>"));
	assert_non_null(strstr(s, "每个不超过 5 MB，最多 3 个。"));
	/* The same limits for the upload script, and the script itself, by URL. */
	assert_non_null(strstr(s, "data-max-bytes=\"5242880\" data-max-files=\"3\""));
	assert_non_null(strstr(s, "<script src=\"/static/rd-upload.js\" defer></script>"));
	assert_non_null(strstr(s, "/order/O1/confirm"));
	/* Every other type is refused: disabled. */
	size_t disabled = 0;
	for (const char *p = s; (p = strstr(p, " disabled")) != NULL; p++)
		disabled++;
	assert_int_equal(disabled, RT__MAX - 2);
	assert_non_null(strstr(s, "<span class=\"tag\">先向上游核实</span>"));

	buf_reset(&r.body);
	v.fully_refunded = true;
	view_refund_form(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "没有可再申请退款的金额"));
	assert_null(strstr(s, "<form"));
	req_done(&r);
}

/* The status page of a request waiting 125 s more on the storefront. */
static const char *
render_awaiting_upstream(struct req *r, struct refund *rf, struct view_refund_status *v)
{
	req_setup(r);
	fake_refund(rf);
	rf->state = RS_AWAITING_UPSTREAM;
	r->now = 1000000;
	rf->deadline = r->now + 125;
	memset(v, 0, sizeof(*v));
	v->rf = rf;
	v->csrf = "tok";
	view_refund_status(r, v);
	return buf_cstr(&r->body);
}

/* Issue 15: while the storefront is asked, the buyer reads the time left
 * and the page reloads itself; once decided, it does not. */
static void
test_refund_status_awaiting_upstream(void **state)
{
	struct view_refund_status v;
	struct refund rf;
	struct req r;
	const char *s;

	(void)state;
	s = render_awaiting_upstream(&r, &rf, &v);
	assert_non_null(strstr(s, "<meta http-equiv=\"refresh\" content=\"3\">"));
	assert_non_null(strstr(s, "正在向上游核实"));
	assert_non_null(strstr(s, "剩余约 2 分 5 秒"));
	assert_non_null(strstr(s, "data-state=\"awaiting_upstream\""));

	buf_reset(&r.body);
	rf.deadline = r.now - 10;                /* past: the worker has not run yet */
	view_refund_status(&r, &v);
	assert_non_null(strstr(buf_cstr(&r.body), "剩余约 0 秒"));

	buf_reset(&r.body);
	rf.state = RS_CS_REVIEW;
	view_refund_status(&r, &v);
	s = buf_cstr(&r.body);
	assert_null(strstr(s, "http-equiv"));
	assert_null(strstr(s, "正在向上游核实"));

	/* i10-buyer: the next step names its deadline and the time left, and
	 * brings the countdown script; never a bare 处理时限. */
	buf_reset(&r.body);
	rf.deadline = r.now + 2 * 86400 + 3 * 3600 + 5;
	next_step_of(&rf, false, r.now, &v.next);
	view_refund_status(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "id=\"next-step\""));
	assert_non_null(strstr(s, "<dt>审核时限</dt>"));
	assert_non_null(strstr(s, "还剩 2 天 3 小时"));
	assert_non_null(strstr(s, "/static/rd-time.js"));
	assert_null(strstr(s, "处理时限"));
	/* Rejected: no refund amount at all. */
	buf_reset(&r.body);
	rf.state = RS_REJECTED;
	next_step_of(&rf, false, r.now, &v.next);
	view_refund_status(&r, &v);
	s = buf_cstr(&r.body);
	assert_null(strstr(s, "退款金额"));
	assert_null(strstr(s, "amt-refund"));
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

/* i10-lang-buyer: the buyer's status page and form in English; the time
 * left and the upstream wait keep their numbers in the translated words. */
static void
test_buyer_pages_in_english(void **state)
{
	struct view_refund_status v;
	struct view_refund_form f;
	struct refund rf;
	struct order o;
	struct req r;
	char left[64];
	const char *s;

	(void)state;
	i18n_use(LANG_EN);
	assert_string_equal(time_left_text(2 * 86400 + 3 * 3600 + 5, left, sizeof(left)), "2 d 3 h left");
	assert_string_equal(time_left_text(3 * 3600 + 300, left, sizeof(left)), "3 h 5 min left");
	assert_string_equal(time_left_text(0, left, sizeof(left)), "overdue");
	s = render_awaiting_upstream(&r, &rf, &v);
	assert_non_null(strstr(s, "<h1>Refund progress</h1>"));
	assert_non_null(strstr(s, "about 2 min 5 s left"));
	buf_reset(&r.body);
	rf.state = RS_CS_REVIEW;
	rf.deadline = r.now + 2 * 86400 + 3 * 3600 + 5;
	next_step_of(&rf, false, r.now, &v.next);
	view_refund_status(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "<h2>What happens next</h2>"));
	assert_non_null(strstr(s, "<dt>Review due by</dt>"));
	assert_non_null(strstr(s, "2 d 3 h left"));
	assert_null(strstr(s, "还剩"));
	req_done(&r);

	req_setup(&r);
	fake_order(&o);
	memset(&f, 0, sizeof(f));
	for (int t = 0; t < RT__MAX; t++)
		f.types[t].kind = DECIDE_NOT_ALLOWED;
	f.types[RT_NOT_DELIVERED].kind = DECIDE_INSTANT;
	f.o = &o;
	f.csrf = "tok";
	f.idem = "i";
	f.evidence_max_bytes = 5 << 20;
	f.evidence_max_files = 3;
	view_refund_form(&r, &f);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "<span class=\"tag instant\">Usually instant</span>"));
	assert_non_null(strstr(s, "characters)\""));
	assert_non_null(strstr(s, "Send refund request</button>"));
	req_done(&r);
	i18n_use(LANG_ZH_CN);
}

/* The same in English (i10-lang-desk): the catalog's formats and units. */
static void
test_time_left_en(void **state)
{
	static const struct { long long d; const char *want; } cases[] = {
		{ 30, "1 min left" }, { 3 * 3600 + 600, "3 h left" }, { 3 * 86400 + 5, "3 days left" },
		{ -20 * 60 - 30, "20 min overdue" }, { -5 * 3600, "5 h overdue" },
	};
	char out[48];
	(void)state;
	i18n_use(LANG_EN);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		desk_time_left(1000000 + cases[i].d, 1000000, out);
		assert_string_equal(out, cases[i].want);
	}
	i18n_use(LANG_ZH_CN);
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

/* The activity log: each row's who, what (labelled; an unknown name as
 * stored, escaped), which request (linked), the address; pages keep the
 * account filter. */
static void
test_desk_activity_from_struct(void **state)
{
	struct staff st = { .login = "root", .role = ROLE_ADMIN };
	struct staff_activity_row rows[] = {
		{ "alice", "cs", "escalate", "R1", "O<1>", "cs_review", "merchant_review", "127.0.0.9", 0, 0 },
		{ "shop", "merchant", "approve", "R2", "O2", "merchant_review", "refunding", "::1", 1234, 0 },
		{ "bob", "cs", "fly<", "R3", "O3", "x", "y", "10.0.0.1", 0, 0 },
	};
	struct staff_activity log = { rows, 3, 120 };
	const char *logins[] = { "alice", "bob" }, *qerr[AF__MAX] = { 0 };
	struct view_desk_activity v = { .st = &st, .log = &log, .staff = "alice", .page = 2,
		.logins = logins, .nlogins = 2, .qerr = qerr };
	struct req r;
	const char *s;

	(void)state;
	req_setup(&r);
	view_desk_activity(&r, &v);
	s = buf_cstr(&r.body);
	assert_non_null(strstr(s, "共 120 条 · 第 2 / 3 页"));
	assert_non_null(strstr(s, "<a href=\"/desk/activity?staff=alice\">alice</a> <span class=\"hint\">客服</span>"));
	assert_non_null(strstr(s, ">升级处理</td>"));
	assert_non_null(strstr(s, "<a href=\"/desk/refund/R1\">订单 O&lt;1&gt;</a>"));
	assert_non_null(strstr(s, "客服初审 → 商家复核"));
	assert_non_null(strstr(s, "class=\"act-ip\">127.0.0.9</td>"));
	assert_non_null(strstr(s, ">同意退款 ¥12.34</td>"));
	assert_non_null(strstr(s, ">fly&lt;</td>"));
	assert_non_null(strstr(s, "<option value=\"alice\" selected>alice</option>"));
	assert_non_null(strstr(s, "href=\"/desk/activity?staff=alice&amp;page=1\">上一页"));
	assert_non_null(strstr(s, "href=\"/desk/activity?staff=alice&amp;page=3\">下一页"));
	req_done(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_desk_refund_from_struct),
		cmocka_unit_test(test_timeline_actors),
		cmocka_unit_test(test_desk_preview),
		cmocka_unit_test(test_refund_form_from_struct),
		cmocka_unit_test(test_refund_status_awaiting_upstream),
		cmocka_unit_test(test_time_left),
		cmocka_unit_test(test_buyer_pages_in_english),
		cmocka_unit_test(test_time_left_en),
		cmocka_unit_test(test_csv_cells),
		cmocka_unit_test(test_desk_queue_from_struct),
		cmocka_unit_test(test_desk_activity_from_struct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
