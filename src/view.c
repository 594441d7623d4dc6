/* view.c: order card and amount lines, through the HTML writer only. */
#include "domain.h"
#include "html.h"
#include "view.h"

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
