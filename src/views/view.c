/* view.c: fragments shared by the pages, through the HTML writer only. */
#include <stdio.h>
#include <string.h>

#include "rules/domain.h"
#include "rules/flow.h"
#include "web/html.h"
#include "views/view.h"

void
view_order_card(struct req *r, const struct order *o)
{
	html_raw(r, "<section class=\"card\"><h2>");
	html_t(r, "订单信息");
	html_raw(r, "</h2><dl><dt>");
	html_t(r, "商品");
	html_raw(r, "</dt><dd id=\"order-title\">");
	html_esc(r, o->title);
	html_raw(r, "</dd><dt>");
	html_t(r, "订单号");
	html_raw(r, "</dt><dd>");
	html_esc(r, o->order_no);
	html_raw(r, "</dd><dt>");
	html_t(r, "类别");
	html_raw(r, "</dt><dd>");
	html_tl(r, category_labels[o->facts.category]);
	html_raw(r, "</dd><dt>");
	html_t(r, "实付金额");
	html_raw(r, "</dt><dd>");
	html_money(r, o->facts.amount);
	html_raw(r, "</dd><dt>");
	html_t(r, "支付方式");
	html_raw(r, "</dt><dd>");
	html_tl(r, pay_channel_labels[o->channel]);
	html_raw(r, "</dd><dt>");
	html_t(r, "付款时间");
	html_raw(r, "</dt><dd>");
	html_time(r, o->facts.paid_at);
	html_raw(r, "</dd><dt>");
	html_t(r, "发货状态");
	html_raw(r, "</dt><dd>");
	html_tl(r, delivery_state_labels[o->facts.delivery]);
	if (o->facts.delivered_at) {
		html_t(r, "（");
		html_time(r, o->facts.delivered_at);
		html_t(r, "）");
	}
	html_raw(r, "</dd>");
	if (o->facts.key_revealed_at || o->facts.redeemed || o->facts.activated_at ||
	    o->facts.topup != TOPUP_UNKNOWN) {
		html_raw(r, "<dt>");
		html_t(r, "使用情况");
		html_raw(r, "</dt><dd>");
		if (o->facts.topup != TOPUP_UNKNOWN) {
			html_t(r, "充值");
			html_tl(r, topup_state_labels[o->facts.topup]);
			html_raw(r, " ");
		}
		if (o->facts.key_revealed_at) {
			html_t(r, "卡密已查看");
			html_raw(r, " ");
		}
		if (o->facts.redeemed) {
			html_t(r, "已兑换");
			html_raw(r, " ");
		}
		if (o->facts.activated_at)
			html_t(r, "已激活");
		html_raw(r, "</dd>");
	}
	html_raw(r, "</dl></section>");
}

void
view_amounts(struct req *r, int64_t requested, int64_t fee, int64_t refund)
{
	html_t(r, "退款");
	html_raw(r, " ");
	html_money(r, refund);
	if (fee > 0) {
		html_t(r, "（订单金额");
		html_raw(r, " ");
		html_money(r, requested);
		html_t(r, "，扣除回收手续费");
		html_raw(r, " ");
		html_money(r, fee);
		html_t(r, "）");
	}
}

/* Who wrote a timeline entry (refund_events.actor, flow_actor_names), as
 * people read it; the class styles it. Unknown names are nobody's: they
 * never borrow the platform's voice. */
static const struct {
	const char *actor, *label;
} timeline_actors[] = {
	{ "buyer", N_("买家") }, { "cs", N_("客服") }, { "merchant", N_("商家") }, { "arbiter", N_("仲裁") },
	{ "admin", N_("平台管理员") }, { "system", N_("系统") }, { "storefront", N_("商城") },
};

/* A buyer's entry may carry the flow row's own words ("买家提交退款申请"
 * when the buyer wrote nothing): those are msgids; anything else the
 * buyer typed is shown as written. (i10-lang-buyer) */
static bool
is_flow_note(const char *note)
{
	for (size_t i = 0; i < flow_nrows; i++)
		if (flow_rows[i].note != NULL && strcmp(flow_rows[i].note, note) == 0)
			return true;
	return false;
}

static size_t
actor_index(const char *actor)
{
	size_t i;

	for (i = 0; i < sizeof(timeline_actors) / sizeof(timeline_actors[0]); i++)
		if (strcmp(actor, timeline_actors[i].actor) == 0)
			return i;
	return i;
}

void
view_timeline(struct req *r, const struct refund *rf, bool staff)
{
	const size_t nactors = sizeof(timeline_actors) / sizeof(timeline_actors[0]);

	html_raw(r, "<section class=\"card\"><h2>");
	html_t(r, "处理进度");
	html_raw(r, "</h2>");
	if (rf->events_total > (long long)rf->nevents) {
		char s[160];
		snprintf(s, sizeof(s), _("共 %lld 条记录，仅显示最近 %lld 条。"), rf->events_total,
		    (long long)rf->nevents);
		html_raw(r, "<p class=\"hint\" id=\"timeline-total\">");
		html_esc(r, s);
		html_raw(r, "</p>");
	}
	html_raw(r, "<ol class=\"timeline\">");
	for (size_t i = 0; i < rf->nevents; i++) {
		const struct refund_event *ev = &rf->events[i];
		int st = ENUM_LOOKUP(refund_state_names, ev->state);
		size_t who = actor_index(ev->actor);
		/* Every entry names its author; what the buyer wrote is quoted in
		 * its own style: it must not read as a word from the platform. */
		bool buyer = who == 0;
		html_raw(r, "<li class=\"by-");
		html_esc(r, who < nactors ? timeline_actors[who].actor : "other");
		html_raw(r, "\" data-actor=\"");
		html_esc(r, who < nactors ? timeline_actors[who].actor : "other");
		html_raw(r, "\"><span class=\"when\">");
		html_time(r, ev->at);
		html_raw(r, "</span> <span class=\"who\">");
		html_tl(r, who < nactors ? timeline_actors[who].label : N_("其他"));
		/* The login behind a staff entry: for colleagues, not for buyers. */
		if (staff && ev->actor_name != NULL && ev->actor_name[0] != '\0') {
			html_raw(r, " ");
			html_esc(r, ev->actor_name);
		}
		html_raw(r, "</span><br><strong>");
		html_tl(r, st >= 0 ? refund_state_labels[st] : "");
		html_raw(r, "</strong>");
		if (ev->note[0] != '\0') {
			html_raw_if(r, buyer, " · <q class=\"buyer-text\">", " · <span class=\"note\">");
			/* The platform's own words (a flow row's note, the worker's)
			 * are msgids; what a person wrote is shown as written. */
			html_esc(r, buyer && !is_flow_note(ev->note) ? ev->note : i18n_tr(ev->note));
			html_raw_if(r, buyer, "</q>", "</span>");
		}
		html_raw(r, "</li>");
	}
	html_raw(r, "</ol></section>");
}

void
view_field_error(struct req *r, const char *id, const char *msg)
{
	if (msg == NULL)
		return;
	html_raw(r, "<p class=\"err\" id=\"err-");
	html_esc(r, id);
	html_raw(r, "\">");
	html_esc(r, i18n_tr(msg));    /* i10-i18n: a message the catalog has, else as given */
	html_raw(r, "</p>");
}

void
view_file_input(struct req *r, const char *id, const char *label, long long max_bytes, int max_files)
{
	html_raw(r, "<label class=\"f\" for=\"");
	html_esc(r, id);
	html_raw(r, "\">");
	html_esc(r, label);
	html_raw(r, "</label><input type=\"file\" id=\"");
	html_esc(r, id);
	html_raw(r, "\" name=\"evidence\" multiple accept=\"image/png,image/jpeg,image/webp,application/pdf\" "
	    "data-max-bytes=\"");
	html_int(r, max_bytes);
	html_raw(r, "\" data-max-files=\"");
	html_int(r, max_files);
	html_raw(r, "\"><p class=\"hint\">");
	char s[160];
	snprintf(s, sizeof(s), _("PNG、JPEG、WebP 或 PDF，每个不超过 %lld MB，最多 %d 个。"), max_bytes >> 20, max_files);
	html_esc(r, s);
	html_raw(r, "</p>");
}

void
view_upload_script(struct req *r)
{
	html_raw(r, "<script src=\"");
	html_url(r, "/static/rd-upload.js");
	html_raw(r, "\" defer></script>");
}

void
view_evidence(struct req *r, const char *base, const struct refund *rf)
{
	if (rf->nfiles == 0)
		return;
	html_raw(r, "<section class=\"card\"><h2>");
	html_t(r, "已上传凭证");
	html_raw(r, "</h2><ul class=\"evidence\">");
	for (size_t i = 0; i < rf->nfiles; i++) {
		const struct refund_file *f = &rf->files[i];
		html_raw(r, "<li><a href=\"");
		html_url(r, "%s%s/evidence/%lld", base, rf->public_id, f->seq);
		html_raw(r, "\">");
		html_esc(r, f->name[0] ? f->name : _("凭证"));
		html_raw(r, "</a> <span class=\"hint\">");
		html_esc(r, f->mime);
		html_t(r, "，");
		html_int(r, (f->size + 1023) / 1024);
		html_raw(r, " KB</span></li>");
	}
	html_raw(r, "</ul></section>");
}

void
view_logout(struct req *r, bool signed_in)
{
	if (!signed_in)
		return;
	html_raw(r, "<form method=\"post\" action=\"");
	html_url(r, "/refund/logout");
	html_raw(r, "\" class=\"logout\">");
	html_hidden(r, "csrf", req_csrf(r));
	html_raw(r, "<button type=\"submit\" class=\"sec\">");
	html_t(r, "退出");
	html_raw(r, "</button></form>");
}

void
view_banner(struct req *r, const char *id, const char *msg)
{
	if (msg == NULL)
		return;
	html_raw(r, "<p class=\"banner\" id=\"");
	html_esc(r, id);
	html_raw(r, "\">");
	html_esc(r, i18n_tr(msg));    /* i10-i18n: a message the catalog has, else as given */
	html_raw(r, "</p>");
}

void
view_query_errors(struct req *r, const char *const *qerr, int n)
{
	for (int i = 0; i < n; i++)
		if (qerr[i] != NULL) {
			html_raw(r, "<p class=\"banner\" id=\"query-error\">");
			html_esc(r, qerr[i]);
			html_t(r, "（此条件未使用）");
			html_raw(r, "</p>");
		}
}

void
view_pager(struct req *r, long long page, long long pages, view_page_href href, const void *ctx)
{
	if (page <= 1 && page >= pages)
		return;
	html_raw(r, "<nav class=\"pager\" aria-label=\"");
	html_t(r, "分页");
	html_raw(r, "\">");
	if (page > 1) {
		html_raw(r, "<a rel=\"prev\" id=\"page-prev\" href=\"");
		href(r, ctx, page - 1);
		html_raw(r, "\">");
		html_t(r, "上一页");
		html_raw(r, "</a>");
	} else {
		html_raw(r, "<span></span>");
	}
	if (page < pages) {
		html_raw(r, "<a rel=\"next\" id=\"page-next\" href=\"");
		href(r, ctx, page + 1);
		html_raw(r, "\">");
		html_t(r, "下一页");
		html_raw(r, "</a>");
	}
	html_raw(r, "</nav>");
}
