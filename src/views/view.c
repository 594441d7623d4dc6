/* view.c: fragments shared by the pages, through the HTML writer only. */
#include <string.h>

#include "rules/domain.h"
#include "web/html.h"
#include "views/view.h"

void
view_order_card(struct req *r, const struct order *o)
{
	html_raw(r, "<section class=\"card\"><h2>订单信息</h2><dl><dt>商品</dt><dd id=\"order-title\">");
	html_esc(r, o->title);
	html_raw(r, "</dd><dt>订单号</dt><dd>");
	html_esc(r, o->order_no);
	html_raw(r, "</dd><dt>类别</dt><dd>");
	html_esc(r, category_labels[o->facts.category]);
	html_raw(r, "</dd><dt>实付金额</dt><dd>");
	html_money(r, o->facts.amount);
	html_raw(r, "</dd><dt>支付方式</dt><dd>");
	html_esc(r, pay_channel_labels[o->channel]);
	html_raw(r, "</dd><dt>付款时间</dt><dd>");
	html_time(r, o->facts.paid_at);
	html_raw(r, "</dd><dt>发货状态</dt><dd>");
	html_esc(r, delivery_state_labels[o->facts.delivery]);
	if (o->facts.delivered_at) {
		html_raw(r, "（");
		html_time(r, o->facts.delivered_at);
		html_raw(r, "）");
	}
	html_raw(r, "</dd>");
	if (o->facts.key_revealed_at || o->facts.redeemed || o->facts.activated_at ||
	    o->facts.topup != TOPUP_UNKNOWN) {
		html_raw(r, "<dt>使用情况</dt><dd>");
		if (o->facts.topup != TOPUP_UNKNOWN) {
			html_raw(r, "充值");
			html_esc(r, topup_state_labels[o->facts.topup]);
			html_raw(r, " ");
		}
		if (o->facts.key_revealed_at)
			html_raw(r, "卡密已查看 ");
		if (o->facts.redeemed)
			html_raw(r, "已兑换 ");
		if (o->facts.activated_at)
			html_raw(r, "已激活");
		html_raw(r, "</dd>");
	}
	html_raw(r, "</dl></section>");
}

void
view_amounts(struct req *r, int64_t requested, int64_t fee, int64_t refund)
{
	html_raw(r, "退款 ");
	html_money(r, refund);
	if (fee > 0) {
		html_raw(r, "（订单金额 ");
		html_money(r, requested);
		html_raw(r, "，扣除回收手续费 ");
		html_money(r, fee);
		html_raw(r, "）");
	}
}

/* Who wrote a timeline entry (refund_events.actor, flow_actor_names), as
 * people read it; the class styles it. Unknown names are nobody's: they
 * never borrow the platform's voice. */
static const struct {
	const char *actor, *label;
} timeline_actors[] = {
	{ "buyer", "买家" }, { "cs", "客服" }, { "merchant", "商家" }, { "arbiter", "仲裁" },
	{ "admin", "平台管理员" }, { "system", "系统" }, { "storefront", "商城" },
};

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

	html_raw(r, "<section class=\"card\"><h2>处理进度</h2>");
	if (rf->events_total > (long long)rf->nevents) {
		html_raw(r, "<p class=\"hint\" id=\"timeline-total\">共 ");
		html_int(r, rf->events_total);
		html_raw(r, " 条记录，仅显示最近 ");
		html_int(r, (long long)rf->nevents);
		html_raw(r, " 条。</p>");
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
		html_esc(r, who < nactors ? timeline_actors[who].label : "其他");
		/* The login behind a staff entry: for colleagues, not for buyers. */
		if (staff && ev->actor_name != NULL && ev->actor_name[0] != '\0') {
			html_raw(r, " ");
			html_esc(r, ev->actor_name);
		}
		html_raw(r, "</span><br><strong>");
		html_esc(r, st >= 0 ? refund_state_labels[st] : "");
		html_raw(r, "</strong>");
		if (ev->note[0] != '\0') {
			html_raw_if(r, buyer, " · <q class=\"buyer-text\">", " · <span class=\"note\">");
			html_esc(r, ev->note);
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
	html_raw(r, "\"><p class=\"hint\">PNG、JPEG、WebP 或 PDF，每个不超过 ");
	html_int(r, max_bytes >> 20);
	html_raw(r, " MB，最多 ");
	html_int(r, max_files);
	html_raw(r, " 个。</p>");
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
	html_raw(r, "<section class=\"card\"><h2>已上传凭证</h2><ul class=\"evidence\">");
	for (size_t i = 0; i < rf->nfiles; i++) {
		const struct refund_file *f = &rf->files[i];
		html_raw(r, "<li><a href=\"");
		html_url(r, "%s%s/evidence/%lld", base, rf->public_id, f->seq);
		html_raw(r, "\">");
		html_esc(r, f->name[0] ? f->name : "凭证");
		html_raw(r, "</a> <span class=\"hint\">");
		html_esc(r, f->mime);
		html_raw(r, "，");
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
	html_raw(r, "<button type=\"submit\" class=\"sec\">退出</button></form>");
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
			html_raw(r, "（此条件未使用）</p>");
		}
}

void
view_pager(struct req *r, long long page, long long pages, view_page_href href, const void *ctx)
{
	if (page <= 1 && page >= pages)
		return;
	html_raw(r, "<nav class=\"pager\" aria-label=\"分页\">");
	if (page > 1) {
		html_raw(r, "<a rel=\"prev\" id=\"page-prev\" href=\"");
		href(r, ctx, page - 1);
		html_raw(r, "\">上一页</a>");
	} else {
		html_raw(r, "<span></span>");
	}
	if (page < pages) {
		html_raw(r, "<a rel=\"next\" id=\"page-next\" href=\"");
		href(r, ctx, page + 1);
		html_raw(r, "\">下一页</a>");
	}
	html_raw(r, "</nav>");
}
