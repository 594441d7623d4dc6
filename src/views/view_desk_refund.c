/* view_desk_refund.c: the desk's refund page, through the HTML writer only. */
#include <stdio.h>
#include <string.h>

#include "base/money.h"
#include "rules/desk.h"
#include "views/view.h"
#include "views/view_desk_claims.h"
#include "views/view_desk_refund.h"
#include "web/html.h"

/* The risk rule's checks as people read them: what was counted, in
 * enum risk_check's order (rules/policy.h). */
static const char *const risk_counted[RC__MAX] = {
	N_("买家 24 小时内退款"), N_("买家 90 天内退款"), N_("同一 IP 1 小时内申请"), N_("黑名单"),
};

/* Each check with its numbers ("买家 24 小时内退款 5 次，上限 2"), the
 * ones that sent this request to a person marked; the request's stored
 * flags say which fired when it was filed. */
static void
render_risk(struct req *r, const struct view_desk_refund *v)
{
	const struct refund *rf = v->rf;

	html_raw(r, "<section class=\"card\" id=\"risk\"><h2>");
	html_t(r, "风控");
	html_raw(r, "</h2>");
	html_raw_if(r, rf->risk_flags != 0, "<p class=\"banner\" id=\"risk-flagged\">", "<p class=\"hint\">");
	html_esc(r, rf->risk_flags != 0 ? _("风控规则将此申请转为人工审核。") : _("提交时未触发风控规则。"));
	html_raw(r, "</p>");
	html_raw(r, "<ul class=\"risk\">");
	for (int i = 0; i < RC__MAX; i++) {
		const struct risk_figure *f = &v->risk[i];
		bool fired = (rf->risk_flags & (1u << i)) != 0;
		html_raw_if(r, fired, "<li class=\"fired\" data-fired=\"1\" id=\"risk-", "<li data-fired=\"0\" id=\"risk-");
		html_int(r, i);
		html_raw(r, "\">");
		html_esc(r, i18n_tr(risk_counted[i]));
		if (!v->risk_counts) {
			if (!fired)
				html_t(r, "：未触发");
		} else if (i == RC_BLACKLIST) {
			html_esc(r, f->count > 0 ? _("：在名单中") : _("：不在名单中"));
		} else {
			html_raw(r, " ");
			html_int(r, f->count);
			html_t(r, " 次，");
			if (f->limit > 0) {
				html_t(r, "上限 ");
				html_int(r, f->limit);
			} else {
				html_t(r, "未设上限");
			}
		}
		if (fired) {
			html_raw(r, " <strong>");
			html_t(r, "已触发");
			html_raw(r, "</strong>");
		}
		html_raw(r, "</li>");
	}
	html_raw(r, "</ul><p class=\"hint\">");
	html_esc(r, v->risk_counts ? _("次数按提交时计算（不含本次）；上限为当前配置，达到上限即转人工审核。") :
	    _("具体次数仅平台工作人员可见。"));
	html_raw(r, "</p></section>");
}

/* i15-console: what the order was bought for and from whom, and the claim
 * that asks it back (a claim's times: booked; settled once it ended). */
static void
render_upstream(struct req *r, const struct desk_upstream *up)
{
	if (up == NULL || !up->has)
		return;
	html_raw(r, "<section class=\"card\" id=\"upstream\"><h2>");
	html_t(r, "上游");
	html_raw(r, "</h2><dl><dt>");
	html_t(r, "供应商");
	html_raw(r, "</dt><dd id=\"upstream-supplier\">");
	html_esc(r, up->supplier);
	html_raw(r, "</dd><dt>");
	html_t(r, "上游订单号");
	html_raw(r, "</dt><dd id=\"upstream-order\">");
	html_esc(r, up->order_no);
	html_raw(r, "</dd><dt>");
	html_t(r, "进货成本");
	html_raw(r, "</dt><dd id=\"upstream-cost\">");
	html_money(r, up->cost);
	html_raw(r, "</dd></dl>");
	if (!up->has_claim) {
		html_raw(r, "<p class=\"hint\" id=\"claim-none\">");
		html_t(r, "未向上游追偿。");
		html_raw(r, "</p></section>");
		return;
	}
	bool known = up->claim_state >= 0 && up->claim_state < CLAIM__MAX;
	html_raw(r, "<h3>");
	html_t(r, "向上游追偿");
	html_raw(r, "</h3><dl id=\"claim\"><dt>");
	html_t(r, "状态");
	html_raw(r, "</dt><dd class=\"claim-state\" data-state=\"");
	html_esc(r, known ? claim_state_names[up->claim_state] : "");
	html_raw(r, "\">");
	html_esc(r, known ? i18n_tr(claim_state_labels[up->claim_state]) : _("未知状态"));
	html_raw(r, "</dd><dt>");
	html_t(r, "追偿金额");
	html_raw(r, "</dt><dd id=\"claim-amount\">");
	html_money(r, up->amount);
	html_raw(r, "</dd><dt>");
	html_t(r, "已追回");
	html_raw(r, "</dt><dd id=\"claim-recovered\">");
	html_money(r, up->recovered);
	html_raw(r, "</dd><dt>");
	html_t(r, "已核销");
	html_raw(r, "</dt><dd id=\"claim-written-off\">");
	html_money(r, up->written_off);
	html_raw(r, "</dd><dt>");
	html_t(r, "上游退款编号");
	html_raw(r, "</dt><dd id=\"claim-supplier-refund\">");
	html_esc(r, up->supplier_refund_id[0] != '\0' ? up->supplier_refund_id : "—");
	html_raw(r, "</dd><dt>");
	html_t(r, "提出时间");
	html_raw(r, "</dt><dd id=\"claim-filed-at\">");
	html_time(r, up->filed_at);
	html_raw(r, "</dd><dt>");
	html_t(r, "结清时间");
	html_raw(r, "</dt><dd id=\"claim-settled-at\">");
	if (known && claim_state_final(up->claim_state))
		html_time(r, up->updated_at);
	else
		html_t(r, "未结清");
	html_raw(r, "</dd><dt>");
	html_t(r, "追偿编号");
	html_raw(r, "</dt><dd class=\"hint\">");
	html_esc(r, up->claim_id);
	html_raw(r, "</dd></dl></section>");
}

static void
render_history(struct req *r, const struct view_desk_refund *v)
{
	const struct buyer_history *h = v->history;

	html_raw(r, "<section class=\"card\" id=\"history\"><h2>");
	html_t(r, "买家退款记录（");
	html_esc(r, v->rf->buyer_id);
	if (v->history_this_shop_only)
		html_t(r, "，仅本店");
	html_t(r, "）");
	html_raw(r, "</h2>");
	if (h->n > 0) {
		char shown[128];
		snprintf(shown, sizeof(shown), _("共 %lld 条，显示最近 %lld 条。"), h->total, (long long)h->n);
		html_raw(r, "<p class=\"hint\">");
		html_esc(r, shown);
		html_raw(r, "</p>");
	}
	html_raw(r, "<table class=\"history\"><tbody>");
	for (size_t i = 0; i < h->n; i++) {
		const struct buyer_history_row *row = &h->rows[i];
		bool current = strcmp(row->public_id, v->rf->public_id) == 0;
		html_raw_if(r, current, "<tr class=\"current\"><td>", "<tr><td>");
		html_time(r, row->created_at);
		html_raw(r, "</td><td><a href=\"");
		html_url(r, "/desk/refund/%s", row->public_id);
		html_raw_if(r, current, "\" aria-current=\"page\">", "\">");
		html_t(r, "订单 ");
		html_esc(r, row->order_no);
		html_raw(r, "</a>");
		if (current) {
			html_raw(r, " <span class=\"tag\">");
			html_t(r, "当前");
			html_raw(r, "</span>");
		}
		html_raw(r, "</td><td>");
		html_esc(r, row->type >= 0 ? i18n_tr(refund_type_labels[row->type]) : "");
		html_raw(r, "</td><td>");
		html_esc(r, row->state >= 0 ? i18n_tr(refund_state_labels[row->state]) : "");
		html_raw(r, "</td><td>");
		html_money(r, row->amount);
		html_raw(r, "</td></tr>");
	}
	html_raw(r, "</tbody></table></section>");
}

/* Evidence as staff judge it: images inline as thumbnails (the download
 * route's own bytes, scaled by CSS; a tap opens the full image), a PDF as
 * a link the route serves as an attachment, never opened in the desk. */
static void
render_evidence(struct req *r, const struct refund *rf)
{
	if (rf->nfiles == 0)
		return;
	html_raw(r, "<section class=\"card\" id=\"evidence\"><h2>");
	html_t(r, "已上传凭证");
	html_raw(r, "</h2><ul class=\"thumbs\">");
	for (size_t i = 0; i < rf->nfiles; i++) {
		const struct refund_file *f = &rf->files[i];
		const char *name = f->name[0] ? f->name : _("凭证");
		bool image = strncmp(f->mime, "image/", 6) == 0;
		html_raw(r, "<li><a href=\"");
		html_url(r, "/desk/refund/%s/evidence/%lld", rf->public_id, f->seq);
		if (image) {
			html_raw(r, "\" class=\"thumb\"><img src=\"");
			html_url(r, "/desk/refund/%s/evidence/%lld", rf->public_id, f->seq);
			html_raw(r, "\" alt=\"");
			html_esc(r, name);
			html_raw(r, "\" loading=\"lazy\"></a><span class=\"hint\">");
			html_esc(r, name);
		} else {
			html_raw(r, "\" class=\"doc\" download>");
			html_esc(r, name);
			html_raw(r, "</a><span class=\"hint\">");
			html_t(r, "PDF，下载查看");
		}
		html_t(r, "，");
		html_int(r, (f->size + 1023) / 1024);
		html_raw(r, " KB</span></li>");
	}
	html_raw(r, "</ul></section>");
}

static const char *
kept(const struct view_desk_refund *v, int i)
{
	return v->form != NULL && v->form->kept[i] != NULL ? v->form->kept[i] : "";
}

static const char *
err(const struct view_desk_refund *v, int i)
{
	return v->form != NULL ? v->form->err[i] : NULL;
}

static bool
is(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

/* The amount in yuan with its quick choices (no JavaScript: radios and a
 * text field; the custom amount counts only with 自定义 chosen or no choice). */
static void
render_amount(struct req *r, const struct view_desk_refund *v)
{
	const struct refund *rf = v->rf;
	int64_t net = rf->requested - rf->fee;
	const char *choice = kept(v, DD_CHOICE);
	char yuan[32];

	/* A fresh form: the policy's amount, as the choice it matches. */
	if (v->form == NULL)
		choice = rf->amount == net ? "net" : rf->amount == rf->requested && rf->fee == 0 ? "full" : "custom";
	html_raw(r, "<fieldset><legend class=\"f\">");
	html_t(r, "退款金额（元）");
	html_raw(r, "</legend><div class=\"choices\">");
	html_raw(r, "<label><input type=\"radio\" name=\"amount_choice\" value=\"full\"");
	html_raw_if(r, is(choice, "full"), " checked", "");
	html_raw(r, ">");
	html_t(r, " 全额 ");
	html_money(r, rf->requested);
	if (rf->fee > 0)
		html_t(r, "（免手续费）");
	html_raw(r, "</label><label><input type=\"radio\" name=\"amount_choice\" value=\"net\"");
	html_raw_if(r, is(choice, "net"), " checked", "");
	html_raw(r, ">");
	html_t(r, " 扣手续费后 ");
	html_money(r, net);
	html_raw(r, "</label><label><input type=\"radio\" name=\"amount_choice\" value=\"custom\"");
	html_raw_if(r, is(choice, "custom"), " checked", "");
	html_raw(r, ">");
	html_t(r, " 自定义");
	html_raw(r, "</label></div>");
	html_raw(r, "<label class=\"f\" for=\"amount\">");
	html_t(r, "自定义金额（元，如 70 或 70.50，最多 ");
	html_money(r, net);
	html_t(r, "）");
	html_raw(r, "</label><input type=\"text\" id=\"amount\" name=\"amount\" inputmode=\"decimal\" autocomplete=\"off\" maxlength=\"");
	html_int(r, (long long)form_attr_maxlength(decision_form, DD_AMOUNT));
	html_raw(r, "\" value=\"");
	if (v->form != NULL) {
		html_esc(r, kept(v, DD_AMOUNT));
	} else if (is(choice, "custom")) {
		money_format(rf->amount, yuan);
		html_esc(r, yuan);
	}
	html_raw(r, "\">");
	view_field_error(r, "amount", err(v, DD_AMOUNT));
	view_field_error(r, "amount_choice", err(v, DD_CHOICE));
	html_raw(r, "</fieldset>");
}

/* A note's textarea (id and name the field's), its kept text and message. */
static void
note_field(struct req *r, const struct view_desk_refund *v, int i)
{
	const char *name = decision_form[i].name;

	html_raw(r, "<textarea id=\"");
	html_esc(r, name);
	html_raw(r, "\" name=\"");
	html_esc(r, name);
	html_raw(r, "\" maxlength=\"");
	html_int(r, (long long)form_attr_maxlength(decision_form, (size_t)i));
	html_raw(r, "\">");
	html_esc(r, kept(v, i));
	html_raw(r, "</textarea>");
	view_field_error(r, name, err(v, i));
}

/* The config's reply templates for the actions allowed now: a choice
 * stands for the note (no JavaScript needed; the preview shows the text). */
static void
render_templates(struct req *r, const struct view_desk_refund *v)
{
	const struct reply_templates *t = v->templates;
	const char *chosen = kept(v, DD_TEMPLATE);
	bool any = false;
	char idx[12];

	for (int i = 0; t != NULL && i < t->n; i++) {
		int a = enum_lookup(desk_action_names, DA__MAX, t->t[i].action);
		if (a < 0 || !(v->allowed & (1u << a)))
			continue;
		if (!any) {
			html_raw(r, "<fieldset class=\"templates\"><legend class=\"hint\">");
			html_t(r, "常用回复（选一条代替上面的说明）");
			html_raw(r, "</legend>");
		}
		any = true;
		snprintf(idx, sizeof(idx), "%d", i);
		html_raw(r, "<label class=\"tpl\"><input type=\"radio\" name=\"reply_template\" value=\"");
		html_esc(r, idx);
		html_raw(r, "\"");
		html_raw_if(r, is(chosen, idx), " checked", "");
		html_raw(r, "> <span class=\"tag\">");
		html_tl(r, desk_action_labels[a]);
		html_raw(r, "</span> ");
		html_esc(r, t->t[i].text);
		html_raw(r, "</label>");
	}
	if (any) {
		html_raw(r, "</fieldset>");
		view_field_error(r, "reply_template", err(v, DD_TEMPLATE));
	}
}

/* The decision's keyboard shortcuts (static/desk.js reads them off the
 * radios): a letter per action and the field to type in after it ("":
 * none; an approval keeps the amount the quick choice proposes, so A,
 * Ctrl+Enter, Y approves it). */
static const struct {
	const char *key, *focus;
} action_keys[DA__MAX] = {
	[DA_APPROVE] = { "a", "" }, [DA_REJECT] = { "r", "note" }, [DA_REQUEST_INFO] = { "i", "note" },
	[DA_ESCALATE] = { "e", "internal_note" }, [DA_TO_BALANCE] = { "b", "internal_note" },
};

static void
render_decision(struct req *r, const struct view_desk_refund *v)
{
	const struct refund *rf = v->rf;
	const char *action = kept(v, DD_ACTION);

	if (v->allowed == 0)
		return;
	html_raw(r, "<section class=\"card\" id=\"decision\"><h2>");
	html_t(r, "处理");
	html_raw(r, "</h2>");
	if (v->form != NULL && v->form->banner == NULL) {
		html_raw(r, "<p class=\"banner\" id=\"decision-error\">");
		html_t(r, "提交的内容有误，请修改后重新预览。");
		html_raw(r, "</p>");
	}
	html_raw(r, "<form method=\"post\" action=\"");
	html_url(r, "/desk/refund/%s/decision", rf->public_id);
	html_raw(r, "\">");
	html_hidden(r, "csrf", v->csrf);
	for (int a = 0; a < DA__MAX; a++) {
		if (!(v->allowed & (1u << a)))
			continue;
		html_raw(r, "<label class=\"act\"><input type=\"radio\" name=\"action\" value=\"");
		html_esc(r, desk_action_names[a]);
		html_raw(r, "\" data-key=\"");
		html_esc(r, action_keys[a].key);
		html_raw(r, "\" data-focus=\"");
		html_esc(r, action_keys[a].focus);
		html_raw(r, "\"");
		html_raw_if(r, is(action, desk_action_names[a]), " checked", "");
		html_raw(r, "> ");
		html_tl(r, desk_action_labels[a]);
		html_raw(r, " <kbd class=\"key\">");
		html_esc(r, action_keys[a].key);
		html_raw(r, "</kbd></label>");
	}
	html_raw(r, "<p class=\"hint key\" id=\"key-help\">");
	html_t(r, "快捷键：按字母选择处理方式，Ctrl+Enter（⌘+Enter）预览。");
	html_raw(r, "</p>");
	view_field_error(r, "action", err(v, DD_ACTION));
	if (v->allowed & (1u << DA_APPROVE))
		render_amount(r, v);
	html_raw(r, "<label class=\"f\" for=\"note\">");
	html_t(r, "给买家的说明（买家可见；驳回、要求补充材料时必填）");
	html_raw(r, "</label>");
	note_field(r, v, DD_NOTE);
	render_templates(r, v);
	html_raw(r, "<label class=\"f\" for=\"internal_note\">");
	html_t(r, "内部备注（仅员工可见：不会出现在买家页面、API 和通知中）");
	html_raw(r, "</label>");
	note_field(r, v, DD_INTERNAL);
	html_raw(r, "<button type=\"submit\">");
	html_t(r, "预览处理结果");
	html_raw(r, "</button><p class=\"hint\">");
	html_t(r, "下一步显示资金去向，确认后才会执行。");
	html_raw(r, "</p></form></section>");
}

static void
render_internal(struct req *r, const struct view_desk_refund *v)
{
	const struct internal_notes *n = v->internal;

	if (n == NULL || n->n == 0)
		return;
	html_raw(r, "<section class=\"card internal\" id=\"internal-notes\"><h2>");
	html_t(r, "内部备注（仅员工可见）");
	html_raw(r, "</h2><ol class=\"timeline\">");
	for (size_t i = 0; i < n->n; i++) {
		const struct internal_note *x = &n->rows[i];
		int a = ENUM_LOOKUP(flow_event_names, x->action);
		html_raw(r, "<li class=\"by-");
		html_esc(r, x->actor);
		html_raw(r, "\"><span class=\"when\">");
		html_time(r, x->at);
		html_raw(r, "</span> <span class=\"who\">");
		html_esc(r, x->actor_name);
		html_raw(r, "</span> ");
		html_esc(r, a >= 0 ? i18n_tr(flow_event_labels[a]) : "");
		html_raw(r, "<br>");
		html_esc(r, x->note);
		html_raw(r, "</li>");
	}
	html_raw(r, "</ol></section>");
}

void
view_desk_refund(struct req *r, const struct view_desk_refund *v)
{
	const struct refund *rf = v->rf;

	html_begin(r, _("退款申请"));
	html_raw(r, "<div class=\"desk-page\">");
	html_raw(r, "<p><a href=\"");
	html_url(r, "/desk");
	html_raw(r, "\">");
	html_t(r, "← 返回待处理");
	html_raw(r, "</a></p><h1 id=\"title\">");
	html_t(r, "订单 ");
	html_esc(r, rf->order_no);
	html_raw(r, " · ");
	html_tl(r, refund_type_labels[rf->type]);
	html_raw(r, "</h1><p class=\"hint\" id=\"refund-id\">");
	html_t(r, "申请编号 ");
	html_esc(r, rf->public_id);
	html_raw(r, "</p>");
	/* Led here by the decision just made on prev: said, with its link. */
	if (v->prev != NULL) {
		html_raw(r, "<p class=\"banner\" id=\"prev-done\">");
		html_t(r, "上一条申请已处理，这是下一条待处理申请。");
		html_raw(r, " <a id=\"prev-link\" href=\"");
		html_url(r, "/desk/refund/%s", v->prev);
		html_raw(r, "\">");
		html_t(r, "查看上一条");
		html_raw(r, "</a></p>");
	}
	/* A decision that could not be made (409): why, above the state as it is now. */
	if (v->form != NULL)
		view_banner(r, "decision-error", v->form->banner);
	html_raw(r, "<section class=\"card\"><p>");
	html_t(r, "状态：");
	html_raw(r, "<span class=\"state\" data-state=\"");
	html_esc(r, refund_state_names[rf->state]);
	html_raw(r, "\">");
	html_tl(r, refund_state_labels[rf->state]);
	html_raw(r, "</span>");
	if (rf->deadline > 0) {
		char left[48];
		bool over = desk_time_left(rf->deadline, v->now, left);
		html_t(r, "，处理时限 ");
		html_time(r, rf->deadline);
		html_raw_if(r, over, " <strong class=\"left over\" id=\"time-left\">", " <strong class=\"left\" id=\"time-left\">");
		html_esc(r, left);
		html_raw(r, "</strong>");
	}
	html_raw(r, "</p><dl><dt>");
	html_t(r, "类型");
	html_raw(r, "</dt><dd>");
	html_tl(r, refund_type_labels[rf->type]);
	html_raw(r, "</dd><dt>");
	html_t(r, "金额");
	html_raw(r, "</dt><dd>");
	view_amounts(r, rf->requested, rf->fee, rf->amount);
	html_raw(r, "</dd><dt>");
	html_t(r, "去向");
	html_raw(r, "</dt><dd>");
	html_tl(r, destination_labels[rf->dest]);
	html_raw(r, "</dd><dt>");
	html_t(r, "原因");
	html_raw(r, "</dt><dd>");
	html_esc(r, rf->reason);
	html_raw(r, "</dd>");
	if (rf->wrong_account[0] != '\0') {
		html_raw(r, "<dt>");
		html_t(r, "正确账号");
		html_raw(r, "</dt><dd>");
		html_esc(r, rf->wrong_account);
		html_raw(r, "</dd>");
	}
	if (rf->appealed) {
		html_raw(r, "<dt>");
		html_t(r, "申诉");
		html_raw(r, "</dt><dd>");
		html_t(r, "买家已申诉");
		html_raw(r, "</dd>");
	}
	html_raw(r, "</dl>");
	html_raw(r, "</section>");
	/* What the decision is judged by first (the evidence, the risk), then
	 * the decision, then the rest of the record. */
	render_evidence(r, rf);
	render_risk(r, v);
	render_decision(r, v);
	view_order_card(r, v->o);
	render_upstream(r, v->upstream);
	view_timeline(r, rf, true);
	render_internal(r, v);
	render_history(r, v);
	/* The decision's shortcuts; the page works the same without them. */
	html_raw(r, "<script src=\"");
	html_url(r, "/static/desk.js");
	html_raw(r, "\" defer></script></div>");
	html_end(r);
}
