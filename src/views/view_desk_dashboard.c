/* view_desk_dashboard.c: the dashboard page, through the HTML writer and
 * the SVG charts only. Every series is by the day a request was filed
 * (Beijing time). */
#include <stdio.h>
#include <string.h>

#include "base/money.h"
#include "pages/fields.h"
#include "views/svg_chart.h"
#include "views/view_desk_claims.h"
#include "views/view_desk_dashboard.h"
#include "views/view_desk_queue.h"
#include "web/csv.h"
#include "web/html.h"

/* The per-merchant table's columns, on the page and in the CSV. */
static const char *const merchant_heads[] = { N_("商家"), N_("订单"), N_("申请"), N_("争议"), N_("争议率") };

/* The series the charts draw, per day of the range, in the arena. */
struct dash_series {
	const char **xlabels;
	long long *outcome[DO__MAX], *instant, *fees;
};

static bool
series_of(struct req *r, const struct dashboard *d, struct dash_series *s)
{
	size_t n = (size_t)d->ndays;
	char *labels = arena_alloc(r->a, n * 6);

	s->xlabels = arena_alloc(r->a, n * sizeof(*s->xlabels));
	s->instant = arena_alloc(r->a, n * sizeof(long long));
	s->fees = arena_alloc(r->a, n * sizeof(long long));
	if (labels == NULL || s->xlabels == NULL || s->instant == NULL || s->fees == NULL)
		return false;
	for (int o = 0; o < DO__MAX; o++)
		if ((s->outcome[o] = arena_alloc(r->a, n * sizeof(long long))) == NULL)
			return false;
	for (size_t i = 0; i < n; i++) {
		const struct dash_day *day = &d->days[i];
		dash_day_short(d->day0 + (long long)i, labels + 6 * i);
		s->xlabels[i] = labels + 6 * i;
		for (int o = 0; o < DO__MAX; o++)
			s->outcome[o][i] = day->count[o];
		/* A day without requests has no share: the line breaks. */
		s->instant[i] = day->filed > 0 ? dash_permille(day->instant, day->filed) : -1;
		s->fees[i] = day->fees;
	}
	return true;
}

static void
range_form(struct req *r, const struct view_desk_dashboard *v, const char *from, const char *to)
{
	html_raw(r, "<form method=\"get\" class=\"card filters\" action=\"");
	html_url(r, "/desk/dashboard");
	html_raw(r, "\"><label>");
	html_t(r, "开始日期");
	html_raw(r, "<input type=\"date\" name=\"from\" id=\"from\" value=\"");
	html_esc(r, from);
	html_raw(r, "\"></label><label>");
	html_t(r, "结束日期");
	html_raw(r, "<input type=\"date\" name=\"to\" id=\"to\" value=\"");
	html_esc(r, to);
	html_raw(r, "\"></label><button type=\"submit\" class=\"inline\">");
	html_t(r, "查看");
	html_raw(r, "</button><a class=\"act\" id=\"dash-csv\" href=\"");
	html_url(r, "/desk/dashboard.csv?from=%s&to=%s", from, to);
	html_raw(r, "\" download>");
	html_t(r, "导出 CSV");
	html_raw(r, "</a></form>");
	for (int i = 0; i < DR__MAX; i++)
		if (v->qerr[i] != NULL) {
			html_raw(r, "<p class=\"banner\" id=\"query-error\">");
			html_esc(r, i18n_tr(form_attr_label(dash_query, (size_t)i)));
			html_t(r, "：");
			html_esc(r, i18n_tr(v->qerr[i]));
			html_t(r, "（已按默认范围显示）");
			html_raw(r, "</p>");
		}
	if (v->clipped) {
		html_raw(r, "<p class=\"banner\" id=\"range-clipped\">");
		html_t(r, "一次最多显示 ");
		html_int(r, DASH_DAYS_MAX);
		html_t(r, " 天：只显示了所选范围的最后 ");
		html_int(r, DASH_DAYS_MAX);
		html_t(r, " 天。");
		html_raw(r, "</p>");
	}
}

static void
headline(struct req *r, const struct dashboard *d)
{
	const struct dash_day *t = &d->total;
	char pm[32], dur[48];

	chart_value_text(CU_PERMILLE, dash_permille(t->instant, t->filed), pm);
	dash_duration_text(d->median_secs, dur);
	html_raw(r, "<section class=\"card\"><dl class=\"figures\"><dt>");
	html_t(r, "提交的申请");
	html_raw(r, "</dt><dd id=\"fig-filed\">");
	html_int(r, t->filed);
	html_raw(r, "</dd><dt>");
	html_t(r, "秒退");
	html_raw(r, "</dt><dd id=\"fig-instant\">");
	html_int(r, t->instant);
	html_t(r, "（");
	html_esc(r, pm);
	html_t(r, "）");
	html_raw(r, "</dd><dt>");
	html_t(r, "人工或超时决定的中位用时");
	html_raw(r, "</dt><dd id=\"fig-median\" data-secs=\"");
	html_int(r, d->median_secs);
	html_raw(r, "\">");
	html_esc(r, dur);
	html_t(r, "（");
	html_int(r, d->decided);
	html_t(r, " 件）");
	html_raw(r, "</dd><dt>");
	html_t(r, "手续费收入");
	html_raw(r, "</dt><dd id=\"fig-fees\">");
	html_money(r, t->fees);
	html_raw(r, "</dd>");
	for (int o = 0; o < DO__MAX; o++) {
		html_raw(r, "<dt>");
		html_tl(r, dash_outcome_labels[o]);
		html_raw(r, "</dt><dd id=\"fig-");
		html_esc(r, dash_outcome_names[o]);
		html_raw(r, "\">");
		html_int(r, t->count[o]);
		html_raw(r, "</dd>");
	}
	html_raw(r, "</dl><p class=\"hint\">");
	html_t(r, "按申请提交日（北京时间）统计；秒退：提交当时即同意；中位用时：从提交到首次同意或拒绝，不含秒退。");
	html_raw(r, "</p></section>");
}

static void
merchants(struct req *r, const struct dashboard *d)
{
	const char **labels = arena_alloc(r->a, (d->nmerchants + 1) * sizeof(*labels));
	long long *rate = arena_alloc(r->a, (d->nmerchants + 1) * sizeof(*rate));

	html_raw(r, "<section class=\"card\"><h2>");
	html_t(r, "商家争议率（前 ");
	html_int(r, DASH_MERCHANTS_MAX);
	html_t(r, "）");
	html_raw(r, "</h2>");
	if (d->nmerchants == 0 || labels == NULL || rate == NULL) {
		html_raw(r, "<p class=\"hint\" id=\"merchants-empty\">");
		html_t(r, "这段时间没有申请。");
		html_raw(r, "</p></section>");
		return;
	}
	for (size_t i = 0; i < d->nmerchants; i++) {
		/* The chart's label column holds about 16 characters; the table
		 * below has the whole id. Ids are ASCII (form_check_ident). */
		const char *id = d->merchants[i].merchant_id;
		char *cut = strlen(id) > 16 ? arena_alloc(r->a, 20) : NULL;
		if (cut != NULL)
			snprintf(cut, 20, "%.14s…", id);
		labels[i] = cut != NULL ? cut : id;
		rate[i] = dash_permille(d->merchants[i].disputes, d->merchants[i].orders);
	}
	svg_hbars(r, "chart-merchants", _("争议率（需人工处理的申请 / 订单）"), "s-dispute", labels, rate,
	    d->nmerchants, CU_PERMILLE);
	html_raw(r, "<table class=\"queue\" id=\"merchant-table\"><thead><tr>");
	view_desk_heads(r, merchant_heads, sizeof(merchant_heads) / sizeof(merchant_heads[0]));
	html_raw(r, "</tr></thead><tbody>");
	for (size_t i = 0; i < d->nmerchants; i++) {
		char pm[32];
		const struct dash_merchant *m = &d->merchants[i];
		chart_value_text(CU_PERMILLE, rate[i], pm);
		html_raw(r, "<tr><td data-l=\"");
		html_t(r, "商家");
		html_raw(r, "\">");
		html_esc(r, m->merchant_id);
		html_raw(r, "</td><td data-l=\"");
		html_t(r, "订单");
		html_raw(r, "\">");
		html_int(r, m->orders);
		html_raw(r, "</td><td data-l=\"");
		html_t(r, "申请");
		html_raw(r, "\">");
		html_int(r, m->requests);
		html_raw(r, "</td><td data-l=\"");
		html_t(r, "争议");
		html_raw(r, "\">");
		html_int(r, m->disputes);
		html_raw(r, "</td><td data-l=\"");
		html_t(r, "争议率");
		html_raw(r, "\">");
		html_esc(r, m->orders > 0 ? pm : "—");
		html_raw(r, "</td></tr>");
	}
	html_raw(r, "</tbody></table><p class=\"hint\">");
	html_t(r, "争议：未秒退、需人工或超时决定的申请；订单：这段时间在本平台登记的订单。");
	html_raw(r, "</p></section>");
}

void
view_desk_dashboard(struct req *r, const struct view_desk_dashboard *v)
{
	const struct dashboard *d = v->d;
	char from[11], to[11];
	struct dash_series s;

	dash_day_format(d->day0, from);
	dash_day_format(d->day0 + d->ndays - 1, to);
	if (!series_of(r, d, &s)) {
		html_error_page(r, 500, N_("内部错误"), N_("页面暂时无法显示，请稍后再试。"));
		return;
	}
	html_begin_wide(r, _("数据看板"));
	html_raw(r, "<h1>");
	html_t(r, "数据看板");
	html_raw(r, "</h1><p class=\"hint\"><a href=\"");
	html_url(r, "/desk");
	html_raw(r, "\">");
	html_t(r, "返回队列");
	html_raw(r, "</a> · ");
	html_tl(r, staff_role_labels[v->st->role]);
	html_raw(r, " ");
	html_esc(r, v->st->login);
	html_raw(r, " · ");
	html_esc(r, from);
	html_t(r, " 至 ");
	html_esc(r, to);
	html_raw(r, "</p>");
	range_form(r, v, from, to);
	headline(r, d);

	struct chart_series outcome[DO__MAX];
	for (int o = 0; o < DO__MAX; o++) {
		outcome[o].label = i18n_tr(dash_outcome_labels[o]);
		outcome[o].v = s.outcome[o];
	}
	outcome[DO_REFUNDED].cls = "s-refunded";
	outcome[DO_REJECTED].cls = "s-rejected";
	outcome[DO_ENDED].cls = "s-ended";
	outcome[DO_OPEN].cls = "s-open";
	size_t n = (size_t)d->ndays;
	html_raw(r, "<div class=\"charts\"><section class=\"card\"><h2>");
	html_t(r, "每日申请（按结果）");
	html_raw(r, "</h2>");
	svg_stacked_bars(r, "chart-outcomes", _("每日申请数，按结果堆叠"), outcome, DO__MAX, n, s.xlabels, CU_COUNT);
	chart_legend(r, outcome, DO__MAX);
	html_raw(r, "</section><section class=\"card\"><h2>");
	html_t(r, "每日秒退占比");
	html_raw(r, "</h2>");
	struct chart_series inst = { "s-instant", _("秒退占比"), s.instant };
	svg_permille_line(r, "chart-instant", _("每日秒退占比（无申请的日子不画点）"), &inst, n, s.xlabels);
	html_raw(r, "</section><section class=\"card\"><h2>");
	html_t(r, "每日手续费收入");
	html_raw(r, "</h2>");
	struct chart_series fees = { "s-fees", _("手续费收入"), s.fees };
	svg_stacked_bars(r, "chart-fees", _("每日手续费收入（元）"), &fees, 1, n, s.xlabels, CU_FEN);
	html_raw(r, "</section></div>");
	merchants(r, d);
	html_raw(r, "<section class=\"card\" id=\"dash-claims\"><h2>");
	html_t(r, "上游追偿（按供应商，全部时间）");
	html_raw(r, "</h2>");
	view_claim_figures(r, v->figures, v->nfigures);
	html_raw(r, "</section>");
	html_end(r);
}

/* The per-supplier claim rows after the merchants': as the page's table,
 * counts and yuan in columns of their own. */
static void
claims_csv(struct buf *b, const struct supplier_claim_figures *f, size_t n)
{
	static const char *const heads[] = { N_("供应商（全部时间）"), N_("处理中（笔）"), N_("处理中（元）"),
		N_("已追回（笔）"), N_("已追回（元）"), N_("已核销（笔）"), N_("已核销（元）"), N_("追回率") };
	char cell[48];

	csv_row_end(b);
	csv_row_tr(b, heads, sizeof(heads) / sizeof(heads[0]));
	for (size_t i = 0; i < n; i++) {
		csv_cell(b, f[i].supplier, true);
		long long counts[] = { f[i].open_n, f[i].recovered_n, f[i].written_off_n };
		int64_t sums[] = { f[i].open_amount, f[i].recovered, f[i].written_off };
		for (int k = 0; k < 3; k++) {
			snprintf(cell, sizeof(cell), "%lld", counts[k]);
			csv_cell(b, cell, false);
			money_format(sums[k], cell);
			csv_cell(b, cell, false);
		}
		int rate = claim_recovery_permille(f[i].recovered, f[i].written_off);
		chart_value_text(CU_PERMILLE, rate, cell);
		csv_cell(b, rate >= 0 ? cell : "", false);
		csv_row_end(b);
	}
}

void
view_desk_dashboard_csv(struct req *r, const struct dashboard *d, const struct supplier_claim_figures *figures,
    size_t nfigures)
{
	/* In the exporter's language, as the queue's export (README, Languages). */
	static const char *const heads[] = { N_("日期"), N_("提交"), N_("已退款"), N_("已拒绝"), N_("已取消或关闭"),
		N_("处理中"), N_("秒退"), N_("秒退占比"), N_("手续费（元）") };
	struct buf *b = &r->body;
	char cell[48];

	resp_header(r, "Content-Type", "text/csv; charset=utf-8");
	resp_header(r, "Content-Disposition", "attachment; filename=\"refund-dashboard.csv\"");
	resp_header(r, "Cache-Control", "no-store");
	buf_puts(b, "\xEF\xBB\xBF");
	csv_row_tr(b, heads, sizeof(heads) / sizeof(heads[0]));
	for (long long i = 0; i <= d->ndays; i++) {
		/* Each day, then the total. */
		const struct dash_day *day = i < d->ndays ? &d->days[i] : &d->total;
		if (i < d->ndays)
			dash_day_format(d->day0 + i, cell);
		csv_cell(b, i < d->ndays ? cell : _("合计"), true);
		snprintf(cell, sizeof(cell), "%lld", day->filed);
		csv_cell(b, cell, false);
		for (int o = 0; o < DO__MAX; o++) {
			snprintf(cell, sizeof(cell), "%lld", day->count[o]);
			csv_cell(b, cell, false);
		}
		snprintf(cell, sizeof(cell), "%lld", day->instant);
		csv_cell(b, cell, false);
		chart_value_text(CU_PERMILLE, dash_permille(day->instant, day->filed), cell);
		csv_cell(b, day->filed > 0 ? cell : "", false);
		money_format(day->fees, cell);
		csv_cell(b, cell, false);
		csv_row_end(b);
	}
	csv_row_end(b);
	csv_cell(b, _("中位处理用时（秒，不含秒退）"), true);
	snprintf(cell, sizeof(cell), "%lld", d->median_secs);
	csv_cell(b, d->median_secs >= 0 ? cell : "", false);
	csv_cell(b, _("件数"), false);
	snprintf(cell, sizeof(cell), "%lld", d->decided);
	csv_cell(b, cell, false);
	csv_row_end(b);
	csv_row_end(b);
	csv_row_tr(b, merchant_heads, sizeof(merchant_heads) / sizeof(merchant_heads[0]));
	for (size_t i = 0; i < d->nmerchants; i++) {
		const struct dash_merchant *m = &d->merchants[i];
		csv_cell(b, m->merchant_id, true);
		long long nums[] = { m->orders, m->requests, m->disputes };
		for (int k = 0; k < 3; k++) {
			snprintf(cell, sizeof(cell), "%lld", nums[k]);
			csv_cell(b, cell, false);
		}
		chart_value_text(CU_PERMILLE, dash_permille(m->disputes, m->orders), cell);
		csv_cell(b, m->orders > 0 ? cell : "", false);
		csv_row_end(b);
	}
	claims_csv(b, figures, nfigures);
}
