/* view_desk_claims.c: the claims page, through the HTML writer only: the
 * per-supplier figures, a filter, the claims (a table; cards on a phone,
 * as the queue), pages with counts. Amounts in yuan (html_money). */
#include <string.h>

#include "pages/fields.h"
#include "views/view.h"
#include "views/view_desk_claims.h"
#include "views/view_desk_queue.h"
#include "web/html.h"

const char *const claim_state_labels[CLAIM__MAX] = {
	N_("待提交上游"), N_("上游处理中"), N_("已追回"), N_("上游拒绝"), N_("逾期核销"),
};

int
claim_recovery_permille(int64_t recovered, int64_t written_off)
{
	if (recovered < 0 || written_off < 0 || recovered > INT64_MAX - written_off || recovered + written_off == 0)
		return -1;
	int64_t total = recovered + written_off;
	/* Scaled down first where ×1000 would overflow (sums past 9×10^15 fen). */
	while (recovered > INT64_MAX / 1000) {
		recovered /= 1000;
		total /= 1000;
	}
	if (total == 0)
		return -1;
	return (int)((recovered * 1000 + total / 2) / total);
}

static void
html_rate(struct req *r, int permille)
{
	if (permille < 0) {
		html_raw(r, "—");
		return;
	}
	html_int(r, permille / 10);
	html_raw(r, ".");
	html_int(r, permille % 10);
	html_raw(r, "%");
}

static const char *
state_label(int st)
{
	return st >= 0 && st < CLAIM__MAX ? i18n_tr(claim_state_labels[st]) : _("未知状态");
}

void
view_claim_figures(struct req *r, const struct supplier_claim_figures *rows, size_t n)
{
	if (n == 0) {
		html_raw(r, "<p class=\"hint\" id=\"supplier-figures-empty\">");
		html_t(r, "还没有向上游提出的追偿。");
		html_raw(r, "</p>");
		return;
	}
	static const char *const heads[] = { N_("供应商"), N_("处理中"), N_("已追回"), N_("已核销"), N_("追回率") };
	html_raw(r, "<table class=\"queue\" id=\"supplier-figures\"><thead><tr>");
	view_desk_heads(r, heads, sizeof(heads) / sizeof(heads[0]));
	html_raw(r, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const struct supplier_claim_figures *f = &rows[i];
		html_raw(r, "<tr data-supplier=\"");
		html_esc(r, f->supplier);
		html_raw(r, "\"><td data-l=\"");
		html_t(r, "供应商");
		html_raw(r, "\"><a href=\"");
		html_url(r, "/desk/claims?supplier=%s", f->supplier);
		html_raw(r, "\">");
		html_esc(r, f->supplier);
		html_raw(r, "</a></td><td data-l=\"");
		html_t(r, "处理中");
		html_raw(r, "\" class=\"fig-open\">");
		html_int(r, f->open_n);
		html_t(r, " 笔 ");
		html_money(r, f->open_amount);
		html_raw(r, "</td><td data-l=\"");
		html_t(r, "已追回");
		html_raw(r, "\" class=\"fig-recovered\">");
		html_int(r, f->recovered_n);
		html_t(r, " 笔 ");
		html_money(r, f->recovered);
		html_raw(r, "</td><td data-l=\"");
		html_t(r, "已核销");
		html_raw(r, "\" class=\"fig-written-off\">");
		html_int(r, f->written_off_n);
		html_t(r, " 笔 ");
		html_money(r, f->written_off);
		html_raw(r, "</td><td data-l=\"");
		html_t(r, "追回率");
		html_raw(r, "\" class=\"fig-rate\">");
		html_rate(r, claim_recovery_permille(f->recovered, f->written_off));
		html_raw(r, "</td></tr>");
	}
	html_raw(r, "</tbody></table><p class=\"hint\">");
	html_t(r, "追回率 = 已追回金额 ÷ 已结清金额（已追回 + 已核销）；部分追回的一笔同时计入两栏。");
	html_raw(r, "</p>");
}

static void
row_html(struct req *r, const struct claims_row *c)
{
	html_raw(r, "<tr data-claim=\"");
	html_esc(r, c->public_id);
	html_raw(r, "\"><td data-l=\"");
	html_t(r, "提出时间");
	html_raw(r, "\">");
	html_time(r, c->created_at);
	html_raw(r, "</td><td data-l=\"");
	html_t(r, "申请");
	html_raw(r, "\" class=\"claim-refund\"><a href=\"");
	html_url(r, "/desk/refund/%s", c->refund_id);
	html_raw(r, "\">");
	html_t(r, "订单 ");
	html_esc(r, c->order_no);
	html_raw(r, "</a></td><td data-l=\"");
	html_t(r, "供应商");
	html_raw(r, "\" class=\"claim-supplier\">");
	html_esc(r, c->supplier);
	html_raw(r, " <span class=\"hint\">");
	html_esc(r, c->upstream_order_no);
	html_raw(r, "</span></td><td data-l=\"");
	html_t(r, "状态");
	html_raw(r, "\" class=\"claim-state\" data-state=\"");
	html_esc(r, c->state >= 0 ? claim_state_names[c->state] : "");
	html_raw(r, "\">");
	html_esc(r, state_label(c->state));
	html_raw(r, "</td><td data-l=\"");
	html_t(r, "金额");
	html_raw(r, "\" class=\"claim-amount\">");
	html_money(r, c->amount);
	html_raw(r, "</td><td data-l=\"");
	html_t(r, "追回 / 核销");
	html_raw(r, "\" class=\"claim-settled\">");
	html_money(r, c->recovered);
	html_raw(r, " / ");
	html_money(r, c->written_off);
	html_raw(r, "</td></tr>");
}

/* Page p of the list, its filters kept (view_pager). */
static void
page_href(struct req *r, const void *ctx, long long p)
{
	const struct view_desk_claims *v = ctx;
	html_url(r, "/desk/claims?state=%s&supplier=%s&page=%lld", v->state, v->supplier, p);
}

static void
filter(struct req *r, const struct view_desk_claims *v)
{
	bool listed = v->supplier[0] == '\0';

	html_raw(r, "<form method=\"get\" class=\"filters card\" action=\"");
	html_url(r, "/desk/claims");
	html_raw(r, "\"><label>");
	html_t(r, "状态");
	html_raw(r, "<select name=\"state\" id=\"claim-state\"><option value=\"\">");
	html_t(r, "全部");
	html_raw(r, "</option>");
	for (int i = 0; i < CLAIM__MAX; i++) {
		html_raw(r, "<option value=\"");
		html_esc(r, claim_state_names[i]);
		html_raw_if(r, strcmp(claim_state_names[i], v->state) == 0, "\" selected>", "\">");
		html_tl(r, claim_state_labels[i]);
		html_raw(r, "</option>");
	}
	html_raw(r, "</select></label><label class=\"grow\">");
	html_t(r, "供应商");
	html_raw(r, "<select name=\"supplier\" id=\"claim-supplier\"><option value=\"\">");
	html_t(r, "全部");
	html_raw(r, "</option>");
	for (size_t i = 0; i < v->nfigures; i++) {
		bool sel = strcmp(v->figures[i].supplier, v->supplier) == 0;
		listed = listed || sel;
		html_raw(r, "<option value=\"");
		html_esc(r, v->figures[i].supplier);
		html_raw_if(r, sel, "\" selected>", "\">");
		html_esc(r, v->figures[i].supplier);
		html_raw(r, "</option>");
	}
	if (!listed) {                    /* a supplier with no claims: kept as asked */
		html_raw(r, "<option selected value=\"");
		html_esc(r, v->supplier);
		html_raw(r, "\">");
		html_esc(r, v->supplier);
		html_raw(r, "</option>");
	}
	html_raw(r, "</select></label><button type=\"submit\">");
	html_t(r, "筛选");
	html_raw(r, "</button></form>");
}

void
view_desk_claims(struct req *r, const struct view_desk_claims *v)
{
	const struct claims_list *list = v->list;
	long long pages = (list->total + CLAIMS_PAGE - 1) / CLAIMS_PAGE;

	html_begin_wide(r, _("上游追偿"));
	html_raw(r, "<p><a href=\"");
	html_url(r, "/desk");
	html_raw(r, "\">");
	html_t(r, "← 返回待处理");
	html_raw(r, "</a></p><h1>");
	html_t(r, "上游追偿");
	html_raw(r, "</h1>");
	view_query_errors(r, v->qerr, CLF__MAX);
	html_raw(r, "<section class=\"card\"><h2>");
	html_t(r, "各供应商");
	html_raw(r, "</h2>");
	view_claim_figures(r, v->figures, v->nfigures);
	html_raw(r, "</section>");
	filter(r, v);
	html_raw(r, "<section class=\"card\">");
	if (list->n == 0) {
		html_raw(r, "<p class=\"hint\" id=\"claims-empty\">");
		html_t(r, "没有符合条件的追偿。");
		html_raw(r, "</p>");
	} else {
		html_raw(r, "<p class=\"hint\" id=\"claims-total\">");
		view_desk_count(r, list->total, true, v->page, pages);
		html_raw(r, "</p><table class=\"queue\" id=\"claims\"><thead><tr>");
		static const char *const heads[] = { N_("提出时间"), N_("申请"), N_("供应商"), N_("状态"), N_("金额"),
			N_("追回 / 核销") };
		view_desk_heads(r, heads, sizeof(heads) / sizeof(heads[0]));
		html_raw(r, "</tr></thead><tbody>");
		for (size_t i = 0; i < list->n; i++)
			row_html(r, &list->rows[i]);
		html_raw(r, "</tbody></table>");
	}
	view_pager(r, v->page, pages, page_href, v);
	html_raw(r, "</section>");
	html_end(r);
}
