/* h_refund_new.c: /refund/new. GET shows the order, what each refund type
 * allows and why, and the form; POST validates, stores evidence and files
 * the request (submit.c), or shows the form again with one message per
 * bad field and the entered values kept. */
#include <stdio.h>
#include <string.h>

#include "web/body.h"
#include "base/config.h"
#include "base/crypto.h"
#include "store/db.h"
#include "pages/handlers.h"
#include "web/html.h"
#include "base/log.h"
#include "base/money.h"
#include "store/submit.h"
#include "views/view.h"

/* The form's fields and their limits: refund_form in pages/fields.c. */

/* What the buyer typed, to show again; and a message per field. */
struct form_state {
	const char *type, *reason, *dest, *wrong, *idem;
	const char *err[F__MAX];
	const char *err_evidence;
	const struct decision *verdicts;   /* per type, decided once for the request */
};

static void
field_error(struct req *r, const char *id, const char *msg)
{
	if (msg == NULL)
		return;
	html_raw(r, "<p class=\"err\" id=\"err-");
	html_esc(r, id);
	html_raw(r, "\">");
	html_esc(r, msg);
	html_raw(r, "</p>");
}

static void
evidence_hint(struct req *r, const struct decision *d)
{
	html_raw(r, d->evidence_required ? "需要上传凭证（截图或记录）" : "无需凭证");
}

/* One radio per type with its verdict: instant, review or not allowed. */
static void
render_types(struct req *r, const struct form_state *fs)
{
	html_raw(r, "<fieldset class=\"card\"><legend><h2>选择退款类型</h2></legend><ul class=\"types\">");
	for (int t = 0; t < RT__MAX; t++) {
		const struct decision d = fs->verdicts[t];
		bool ok = d.kind != DECIDE_NOT_ALLOWED;
		html_raw(r, ok ? "<li>" : "<li class=\"no\">");
		html_raw(r, "<label><input type=\"radio\" name=\"type\" value=\"");
		html_esc(r, refund_type_names[t]);
		html_raw(r, "\"");
		if (!ok)
			html_raw(r, " disabled");
		else if (fs->type != NULL && strcmp(fs->type, refund_type_names[t]) == 0)
			html_raw(r, " checked");
		html_raw(r, "><span>");
		html_esc(r, refund_type_labels[t]);
		html_raw(r, d.kind == DECIDE_INSTANT ? "<span class=\"tag instant\">秒退</span>" :
		    d.kind == DECIDE_REVIEW ? "<span class=\"tag\">人工审核</span>" :
		    "<span class=\"tag no\">不可申请</span>");
		html_raw(r, "</span></label><p class=\"why\">");
		html_esc(r, policy_reason_text(d.reason));
		if (ok) {
			html_raw(r, "<br>");
			view_amounts(r, d.requested, d.fee, d.refund);
			html_raw(r, "；");
			evidence_hint(r, &d);
			if (d.deadline) {
				html_raw(r, "；申请截止 ");
				html_time(r, d.deadline);
			}
		} else if (d.deadline) {
			html_raw(r, "（截止 ");
			html_time(r, d.deadline);
			html_raw(r, "）");
		}
		html_raw(r, "</p></li>");
	}
	html_raw(r, "</ul>");
	field_error(r, "type", fs->err[F_TYPE]);
	html_raw(r, "</fieldset>");
}

static void
render_form(struct req *r, const struct order *o, const struct form_state *fs)
{
	const char *dest = fs->dest ? fs->dest : "original";
	int nerr = 0;

	for (int i = 0; i < F__MAX; i++)
		nerr += fs->err[i] != NULL;
	nerr += fs->err_evidence != NULL;
	html_begin(r, "申请退款");
	html_raw(r, "<h1>申请退款</h1>");
	if (nerr > 0)
		html_raw(r, "<p class=\"banner\" role=\"alert\">提交的内容有误，请按提示修改后重新提交。</p>");
	view_order_card(r, o);
	if (o->open_refund[0] != '\0') {
		html_raw(r, "<section class=\"card\"><p class=\"banner\">该订单已有一个正在处理的退款申请。</p>"
		    "<p><a href=\"");
		html_url(r, "/refund/%s", o->open_refund);
		html_raw(r, "\">查看退款进度</a></p></section>");
		html_end(r);
		return;
	}
	if (order_refundable(o) == 0) {
		html_raw(r, "<section class=\"card\"><p class=\"ok\">该订单的款项已全部退还，没有可再申请退款的金额。</p></section>");
		html_end(r);
		return;
	}
	html_raw(r, "<form method=\"post\" action=\"");
	html_url(r, "/refund/new");
	html_raw(r, "\" enctype=\"multipart/form-data\" novalidate>");
	html_hidden(r, "csrf", req_csrf(r));
	html_hidden(r, "order", o->order_no);
	html_hidden(r, "idem", fs->idem);
	render_types(r, fs);

	html_raw(r, "<section class=\"card\"><label class=\"f\" for=\"reason\">退款原因</label>"
	    "<textarea id=\"reason\" name=\"reason\" maxlength=\"");
	html_int(r, (long long)form_attr_maxlength(refund_form, F_REASON));
	html_raw(r, "\" required placeholder=\"请说明遇到的问题，例如：卡密提示无效、充值未到账的时间和账号（");
	html_int(r, (long long)refund_form[F_REASON].min_chars);
	html_raw(r, "-");
	html_int(r, (long long)form_attr_maxlength(refund_form, F_REASON));
	html_raw(r, " 字）\">");
	html_esc(r, fs->reason ? fs->reason : "");
	html_raw(r, "</textarea>");
	field_error(r, "reason", fs->err[F_REASON]);

	html_raw(r, "<label class=\"f\" for=\"wrong_account\">正确的充值账号（仅「充错账号」时填写）</label>"
	    "<input type=\"text\" id=\"wrong_account\" name=\"wrong_account\" maxlength=\"");
	html_int(r, (long long)form_attr_maxlength(refund_form, F_WRONG));
	html_raw(r, "\" value=\"");
	html_esc(r, fs->wrong ? fs->wrong : "");
	html_raw(r, "\">");
	field_error(r, "wrong_account", fs->err[F_WRONG]);

	html_raw(r, "<fieldset class=\"dest\"><legend class=\"f\">退款去向</legend><label><input type=\"radio\" name=\"destination\" value=\"original\"");
	if (strcmp(dest, "balance") != 0)
		html_raw(r, " checked");
	html_raw(r, "> 原路返回（");
	html_esc(r, pay_channel_labels[o->channel]);
	html_raw(r, "，以支付机构到账为准）</label><label><input type=\"radio\" name=\"destination\" value=\"balance\"");
	if (strcmp(dest, "balance") == 0)
		html_raw(r, " checked");
	html_raw(r, "> 退到平台余额（即时到账）</label></fieldset>");
	field_error(r, "destination", fs->err[F_DEST]);

	html_raw(r, "<label class=\"f\" for=\"evidence\">上传凭证</label>"
	    "<input type=\"file\" id=\"evidence\" name=\"evidence\" multiple "
	    "accept=\"image/png,image/jpeg,image/webp,application/pdf\">"
	    "<p class=\"hint\">PNG、JPEG、WebP 或 PDF，每个不超过 ");
	html_int(r, r->app->cfg->evidence_max_bytes >> 20);
	html_raw(r, " MB，最多 ");
	html_int(r, r->app->cfg->evidence_max_files);
	html_raw(r, " 个。");
	if (nerr > 0)
		html_raw(r, "如已选择文件，请重新选择。");
	html_raw(r, "</p>");
	field_error(r, "evidence", fs->err_evidence);
	html_raw(r, "<button type=\"submit\">提交退款申请</button></section></form>");
	if (o->hold_state == HOLD_HELD) {
		/* Goods fine? Confirming receipt releases the payment to the merchant. */
		html_raw(r, "<section class=\"card\"><h2>商品没有问题？</h2><p class=\"hint\">确认收货后货款将结算给商家，之后仍可因商品缺陷申请退款。</p>"
		    "<form method=\"post\" action=\"");
		html_url(r, "/order/%s/confirm", o->order_no);
		html_raw(r, "\">");
		html_hidden(r, "csrf", req_csrf(r));
		html_raw(r, "<button type=\"submit\" class=\"sec\">确认收货</button></form></section>");
	}
	html_end(r);
}

/* Loads the order and checks the session may see it. */
static bool
load_order(struct req *r, const char *no, struct order *o, int status_if_not_theirs)
{
	enum rd_err e;

	if (no == NULL) {                /* absent or not an order number (the gate) */
		if (require_session(r))
			not_found_page(r);
		return false;
	}
	/* The order's row brings its buyer's session generation: the cookie is
	 * checked without a round trip of its own (require_session_of). */
	e = order_load(r->app->db, r->a, no, false, o);
	if (!require_session_of(r, e == RD_OK ? o->buyer_id : NULL, o->buyer_gen))
		return false;
	if (e != RD_OK) {
		fail_page(r, e);
		return false;
	}
	if (!session_allows(&r->sess, o->buyer_id, o->order_no)) {
		if (status_if_not_theirs == 404)
			not_found_page(r);
		else
			html_error_page(r, 403, "无权操作", "这个订单不属于当前登录的买家。");
		return false;
	}
	return true;
}

/* load_order() for the POST: the one read of submit_read(). */
static bool
load_order_for_submit(struct req *r, const char *no, const char *idem, struct order *o,
    const char **idem_hit, struct risk_facts *risk)
{
	enum rd_err e;

	if (no == NULL) {
		not_found_page(r);
		return false;
	}
	if ((e = submit_read(r->app->db, r->a, no, idem, r->remote_addr, r->now, &r->app->cfg->risk, o,
	    idem_hit, risk)) != RD_OK) {
		fail_page(r, e);
		return false;
	}
	if (!session_allows(&r->sess, o->buyer_id, o->order_no)) {
		html_error_page(r, 403, "无权操作", "这个订单不属于当前登录的买家。");
		return false;
	}
	return true;
}

void
h_refund_new_get(struct req *r)
{
	struct order o;
	struct form_state fs;
	char idem[33];

	if ((r->session_cookie == NULL && !require_session(r)) || !load_order(r, r->q.v[NQ_ORDER], &o, 404))
		return;
	struct decision verdicts[RT__MAX];
	memset(&fs, 0, sizeof(fs));
	random_token(idem, 32);
	fs.idem = idem;
	policy_decide_all(&o.facts, &r->app->cfg->categories[o.facts.category], r->now, verdicts);
	fs.verdicts = verdicts;
	render_form(r, &o, &fs);
}

static void
redirect_to_refund(struct req *r, const char *public_id)
{
	char loc[64];
	snprintf(loc, sizeof(loc), "/refund/%s", public_id);
	resp_redirect(r, loc);
}

/* The gate's field checks, then what only the order can tell: is this type
 * allowed, is evidence needed, how many files. The type's verdict
 * (fs->verdicts, decided once for the request) with the risk facts (they
 * never refuse) goes to *d. Returns the number of bad fields. */
static int
validate(struct req *r, const struct form_body *b, struct form_state *fs, const struct risk_facts *risk,
    struct decision *d)
{
	int bad = (int)r->f.bad;

	memcpy(fs->err, r->f.err, sizeof(fs->err));

	if (fs->err[F_TYPE] == NULL) {
		enum refund_type t = (enum refund_type)ENUM_LOOKUP(refund_type_names, fs->type);
		*d = fs->verdicts[t];
		policy_apply_risk(d, risk, &r->app->cfg->risk);
		if (d->kind == DECIDE_NOT_ALLOWED) {
			fs->err[F_TYPE] = policy_reason_text(d->reason);
			bad++;
		} else if (d->evidence_required && b->nfiles == 0) {
			fs->err_evidence = "这类申请需要上传凭证（截图、充值记录或付款记录）。";
			bad++;
		}
		if (t == RT_WRONG_ACCOUNT && (fs->wrong == NULL || fs->wrong[0] == '\0') &&
		    fs->err[F_WRONG] == NULL) {
			fs->err[F_WRONG] = "请填写正确的充值账号。";
			bad++;
		}
	}
	if (b->files_over > 0 && fs->err_evidence == NULL) {
		fs->err_evidence = arena_printf(r->a, "最多只能上传 %d 个凭证文件（本次选择了 %zu 个）。",
		    r->app->cfg->evidence_max_files, b->nfiles + b->files_over);
		bad++;
	}
	return bad;
}

static void
submit_failed(struct req *r, struct submit *s, enum rd_err e, const struct order *o,
    const struct decision *verdicts)
{
	if (e == RD_ERR_CONFLICT && s->open_refund != NULL) {
		html_begin(r, "已有退款申请");
		r->status = 409;
		html_raw(r, "<section class=\"card\"><h1>已有退款申请</h1><p>该订单已有一个正在处理的退款申请，不能重复提交。</p>"
		    "<p><a href=\"");
		html_url(r, "/refund/%s", s->open_refund);
		html_raw(r, "\">查看退款进度</a></p></section>");
		html_end(r);
		return;
	}
	if (e == RD_ERR_INPUT) {
		/* The order changed between the form check and the lock (delivery
		 * reported, window closed): the policy's reason, as a field error. */
		struct form_state fs;
		memset(&fs, 0, sizeof(fs));
		fs.type = s->type < RT__MAX ? refund_type_names[s->type] : NULL;
		fs.reason = s->reason;
		fs.dest = destination_names[s->dest];
		fs.wrong = s->wrong_account;
		fs.idem = s->idem;
		fs.verdicts = verdicts;
		fs.err[F_TYPE] = s->refusal ? s->refusal : policy_reason_text(s->d.reason);
		r->status = 422;
		render_form(r, o, &fs);
		return;
	}
	fail_page(r, e);
}

void
h_refund_new_post(struct req *r)
{
	const struct config *cfg = r->app->cfg;
	struct form_body *b = r->form;   /* read and checked by the gate, after budget and session */
	struct form_state fs;
	struct order o;
	enum rd_err e;

	if (!body_ok(r))
		return;
	if (!csrf_ok(r, r->f.v[F_CSRF])) {
		body_discard(r, b, true);
		return;
	}
	/* One read: the order, the request this form already made (a
	 * resubmitted form, double click or back button, finds its first
	 * result) and the risk facts. */
	const char *idem_hit = NULL;
	struct risk_facts risk;
	if (!load_order_for_submit(r, r->f.v[F_ORDER], r->f.v[F_IDEM], &o, &idem_hit, &risk)) {
		body_discard(r, b, true);
		return;
	}
	if (idem_hit != NULL) {
		body_discard(r, b, true);
		redirect_to_refund(r, idem_hit);
		return;
	}
	memset(&fs, 0, sizeof(fs));
	/* As typed: shown again when a field is wrong, the values once all pass. */
	fs.type = r->f.kept[F_TYPE];
	fs.reason = r->f.kept[F_REASON];
	fs.dest = r->f.kept[F_DEST];
	fs.wrong = r->f.kept[F_WRONG];
	fs.idem = r->f.kept[F_IDEM];
	struct decision verdicts[RT__MAX];
	policy_decide_all(&o.facts, &cfg->categories[o.facts.category], r->now, verdicts);
	fs.verdicts = verdicts;

	struct submit s = {
		.order_no = o.order_no, .buyer_id = o.buyer_id, .idem = fs.idem, .reason = fs.reason,
		.wrong_account = fs.wrong, .client_ip = r->remote_addr, .now = r->now, .cfg = cfg, .a = r->a,
		.pre = &o, .risk = risk,
	};
	if (validate(r, b, &fs, &risk, &s.d) > 0) {
		char idem[33];
		body_discard(r, b, true);
		if (fs.err[F_IDEM] != NULL) {
			random_token(idem, 32);
			fs.idem = idem;
		}
		r->status = 422;
		render_form(r, &o, &fs);
		return;
	}
	s.type = (enum refund_type)ENUM_LOOKUP(refund_type_names, fs.type);
	s.dest = (enum destination)ENUM_LOOKUP(destination_names, fs.dest);
	s.files = b->files;
	s.nfiles = b->nfiles;
	if (s.type != RT_WRONG_ACCOUNT)
		s.wrong_account = "";
	if (o.open_refund[0] != '\0') {
		body_discard(r, b, true);
		s.open_refund = o.open_refund;
		submit_failed(r, &s, RD_ERR_CONFLICT, &o, verdicts);
		return;
	}
	if ((e = body_place(r, b)) != RD_OK) {
		fail_page(r, e);
		return;
	}
	if ((e = submit_refund(r->app->db, &s)) != RD_OK || s.existing)
		body_discard_unrecorded(r, b);
	if (e != RD_OK) {
		submit_failed(r, &s, e, &o, verdicts);
		return;
	}
	log_info("refund %s order=%s type=%s decision=%s%s", s.public_id, o.order_no,
	    refund_type_names[s.type], s.existing ? "existing" : decision_kind_names[s.d.kind],
	    s.d.risk_flags ? " risk" : "");
	redirect_to_refund(r, s.public_id);
}
