/* view_desk_queue.c: the desk's queue page, through the HTML writer only:
 * a table on a wide screen, one card per request on a phone (the
 * stylesheet's .queue rules read each cell's data-l as its label). */
#include <stdio.h>
#include <string.h>

#include "pages/fields.h"
#include "rules/desk.h"
#include "rules/domain.h"
#include "views/view.h"
#include "views/view_desk_queue.h"
#include "web/html.h"

/* Admins see the accounts locked by failed logins, and can end every
 * staff session. */
static void
admin_panel(struct req *r, const struct view_desk_queue *v)
{
	html_raw(r, "<section class=\"card\" id=\"admin\"><h2>");
	html_t(r, "安全");
	html_raw(r, "</h2><p><a id=\"activity-link\" href=\"");
	html_url(r, "/desk/activity");
	html_raw(r, "\">");
	html_t(r, "工作人员操作记录");
	html_raw(r, "</a>");
	html_t(r, "（谁在何时从哪个地址做了哪些处理）");
	html_raw(r, "</p>");
	if (v->nlocks > 0) {
		html_raw(r, "<p class=\"banner\">");
		html_t(r, "以下账号 24 小时内因多次登录失败被暂时锁定过：");
		html_raw(r, "</p><ul id=\"login-locks\">");
		for (size_t i = 0; i < v->nlocks; i++) {
			html_raw(r, "<li>");
			html_esc(r, v->locks[i].login);
			html_t(r, "（");
			html_int(r, v->locks[i].attempts);
			html_t(r, " 次尝试，自 ");
			html_time(r, v->locks[i].since);
			html_t(r, "）");
			html_raw(r, "</li>");
		}
		html_raw(r, "</ul>");
	}
	html_raw(r, "<form method=\"post\" action=\"");
	html_url(r, "/desk/sessions/end");
	html_raw(r, "\">");
	html_hidden(r, "csrf", v->st->csrf);
	html_raw(r, "<button type=\"submit\" class=\"sec\">");
	html_t(r, "结束所有工作人员的会话");
	html_raw(r, "</button></form></section>");
}

/* The query of this view with page p (0: none), percent-encoded, into
 * out ("" when nothing is set): links to other pages and the export keep
 * every filter. */
static void
query_of(const struct view_desk_queue *v, long long p, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;

	out[0] = '\0';
	for (int i = 0; i < DF__MAX; i++) {
		const char *val = v->qv[i];
		if (i == DF_PAGE || val == NULL || val[0] == '\0')
			continue;
		const char *name = desk_query[i].name;
		if (n + strlen(name) + 3 * strlen(val) + 3 >= cap)
			return;                /* never reached: the gate bounds every value */
		char sep = n == 0 ? '?' : '&';
		out[n++] = sep;
		n += (size_t)snprintf(out + n, cap - n, "%s=", name);
		for (const unsigned char *s = (const unsigned char *)val; *s; s++) {
			if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
			    *s == '-' || *s == '_' || *s == '.')
				out[n++] = (char)*s;
			else {
				out[n++] = '%';
				out[n++] = hex[*s >> 4];
				out[n++] = hex[*s & 15];
			}
		}
		out[n] = '\0';
	}
	if (p > 0)
		snprintf(out + n, cap - n, "%spage=%lld", n == 0 ? "?" : "&", p);
}

static void
option(struct req *r, const char *value, const char *label, const char *selected)
{
	html_raw(r, "<option value=\"");
	html_esc(r, value);
	html_raw_if(r, selected != NULL && strcmp(selected, value) == 0, "\" selected>", "\">");
	html_esc(r, label);
	html_raw(r, "</option>");
}

static void
tabs(struct req *r, const struct view_desk_queue *v)
{
	html_raw(r, "<nav class=\"tabs\" aria-label=\"");
	html_t(r, "分组");
	html_raw(r, "\">");
	for (int t = 0; t < DESK_TAB__MAX; t++) {
		html_raw(r, "<a id=\"tab-");
		html_esc(r, desk_tab_names[t]);
		html_raw(r, "\" href=\"");
		html_url(r, "/desk?tab=%s", desk_tab_names[t]);
		html_raw_if(r, (int)v->vq->tab == t, "\" aria-current=\"page\">", "\">");
		html_tl(r, desk_tab_labels[t]);
		if (v->have_counts) {
			html_raw(r, " <span class=\"count\">");
			html_int(r, v->tab_count[t]);
			html_raw(r, "</span>");
		}
		html_raw(r, "</a>");
	}
	html_raw(r, "</nav>");
}

static void
filters(struct req *r, const struct view_desk_queue *v)
{
	const char *const *qv = v->qv;
	char export[1024];

	html_raw(r, "<form method=\"get\" class=\"card filters\" role=\"search\" action=\"");
	html_url(r, "/desk");
	html_raw(r, "\">");
	if (v->vq->tab != DESK_TAB_MINE)
		html_hidden(r, "tab", desk_tab_names[v->vq->tab]);
	html_raw(r, "<label class=\"grow\">");
	html_t(r, "搜索");
	html_raw(r, "<input type=\"search\" name=\"q\" id=\"q\" placeholder=\"");
	html_t(r, "订单号 / 买家 / 申请编号");
	html_raw(r, "\" maxlength=\"");
	html_int(r, (long long)form_attr_maxlength(desk_query, DF_SEARCH));
	html_raw(r, "\" value=\"");
	html_esc(r, qv[DF_SEARCH] ? qv[DF_SEARCH] : "");
	html_raw(r, "\"></label><label>");
	html_t(r, "状态");
	html_raw(r, "<select name=\"state\" id=\"f-state\"><option value=\"\">");
	html_t(r, "全部");
	html_raw(r, "</option>");
	for (int s = 0; s < RS__MAX; s++)
		if (!refund_state_final((enum refund_state)s) &&
		    desk_queue_shows(v->st->role, (enum refund_state)s) == (v->vq->tab == DESK_TAB_MINE))
			option(r, refund_state_names[s], i18n_tr(refund_state_labels[s]), qv[DF_STATE]);
	html_raw(r, "</select></label><label>");
	html_t(r, "类型");
	html_raw(r, "<select name=\"type\" id=\"f-type\"><option value=\"\">");
	html_t(r, "全部");
	html_raw(r, "</option>");
	for (int t = 0; t < RT__MAX; t++)
		option(r, refund_type_names[t], i18n_tr(refund_type_labels[t]), qv[DF_TYPE]);
	html_raw(r, "</select></label>");
	if (v->st->role != ROLE_MERCHANT) {
		html_raw(r, "<label>");
		html_t(r, "商家");
		html_raw(r, "<input type=\"text\" name=\"merchant\" id=\"f-merchant\" maxlength=\"");
		html_int(r, (long long)form_attr_maxlength(desk_query, DF_MERCHANT));
		html_raw(r, "\" value=\"");
		html_esc(r, qv[DF_MERCHANT] ? qv[DF_MERCHANT] : "");
		html_raw(r, "\"></label>");
	}
	html_raw(r, "<label>");
	html_t(r, "排序");
	html_raw(r, "<select name=\"sort\" id=\"f-sort\">");
	option(r, "deadline", _("剩余时间最少"), qv[DF_SORT] ? qv[DF_SORT] : "deadline");
	option(r, "newest", _("最新提交"), qv[DF_SORT]);
	html_raw_if(r, qv[DF_RISK] != NULL,
	    "</select></label><label class=\"chk\"><input type=\"checkbox\" name=\"risk\" value=\"1\" checked>",
	    "</select></label><label class=\"chk\"><input type=\"checkbox\" name=\"risk\" value=\"1\">");
	html_t(r, "仅风控");
	html_raw_if(r, qv[DF_OVERDUE] != NULL,
	    "</label><label class=\"chk\"><input type=\"checkbox\" name=\"overdue\" value=\"1\" checked>",
	    "</label><label class=\"chk\"><input type=\"checkbox\" name=\"overdue\" value=\"1\">");
	html_t(r, "仅已超时");
	html_raw(r, "</label><button type=\"submit\">");
	html_t(r, "筛选");
	html_raw(r, "</button><a class=\"act\" href=\"");
	html_url(r, "/desk?tab=%s", desk_tab_names[v->vq->tab]);
	html_raw(r, "\">");
	html_t(r, "清除");
	html_raw(r, "</a><a class=\"act\" id=\"export\" href=\"");
	query_of(v, 0, export, sizeof(export));
	html_url(r, "/desk/queue.csv%s", export);
	html_raw(r, "\">");
	html_t(r, "导出 CSV");
	html_raw(r, "</a></form>");
}

/* The next cell, labelled for the phone's cards (data-l, translated). */
static void
next_cell(struct req *r, const char *label)
{
	html_raw(r, "</td><td data-l=\"");
	html_esc(r, label);
	html_raw(r, "\">");
}

static void
row_html(struct req *r, const struct view_desk_queue *v, const struct desk_queue_row *row)
{
	char left[48];
	bool over = desk_time_left(row->deadline, v->now, left);

	html_raw_if(r, over, "<tr class=\"over\"><td data-l=\"", "<tr><td data-l=\"");
	html_t(r, "剩余");
	html_raw(r, "\">");
	if (row->deadline > 0) {
		html_raw_if(r, over, "<strong class=\"left over\">", "<strong class=\"left\">");
		html_esc(r, left);
		html_raw(r, "</strong> <span class=\"when\">");
		html_time(r, row->deadline);
		html_raw(r, "</span>");
	} else
	{
		html_raw(r, "<span class=\"when\">");
		html_t(r, "无时限");
		html_raw(r, "</span>");
	}
	if (row->risk) {
		html_raw(r, " <span class=\"tag no\">");
		html_t(r, "风控");
		html_raw(r, "</span>");
	}
	next_cell(r, _("订单"));
	html_raw(r, "<a href=\"");
	html_url(r, "/desk/refund/%s", row->public_id);
	html_raw(r, "\">");
	html_esc(r, row->order_no);
	html_raw(r, "</a> ");
	html_esc(r, row->title);
	next_cell(r, _("状态"));
	html_esc(r, row->state >= 0 ? i18n_tr(refund_state_labels[row->state]) : "-");
	next_cell(r, _("类型"));
	html_esc(r, row->type >= 0 ? i18n_tr(refund_type_labels[row->type]) : "-");
	next_cell(r, _("金额"));
	html_money(r, row->amount);
	next_cell(r, _("买家"));
	html_esc(r, row->buyer_id);
	if (v->st->role != ROLE_MERCHANT) {
		next_cell(r, _("商家"));
		html_esc(r, row->merchant_id);
	}
	html_raw(r, "</td></tr>");
}

void
view_desk_page_of(struct req *r, long long p, long long pages)
{
	char s[96];

	snprintf(s, sizeof(s), _("第 %lld / %lld 页"), p, pages);
	html_esc(r, s);
}

void
view_desk_count(struct req *r, long long total, bool unit_claims, long long page, long long pages)
{
	char s[96];

	if (unit_claims)
		snprintf(s, sizeof(s), _("共 %lld 笔"), total);
	else
		snprintf(s, sizeof(s), _("共 %lld 条"), total);
	html_esc(r, s);
	html_raw(r, " · ");
	view_desk_page_of(r, page, pages);
}

void
view_desk_heads(struct req *r, const char *const *msgids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		html_raw(r, "<th>");
		html_esc(r, i18n_tr(msgids[i]));
		html_raw(r, "</th>");
	}
}

/* A link to page p of the same query: the next one or the one before. */
static void
page_link(struct req *r, const struct view_desk_queue *v, long long p, bool next)
{
	char qs[1024];

	query_of(v, p, qs, sizeof(qs));
	html_raw_if(r, next, "<a rel=\"next\" id=\"page-next\" href=\"", "<a rel=\"prev\" id=\"page-prev\" href=\"");
	html_url(r, "/desk%s", qs);
	html_raw(r, "\">");
	html_esc(r, next ? _("下一页") : _("上一页"));
	html_raw(r, "</a>");
}

static void
pager(struct req *r, const struct view_desk_queue *v, long long pages)
{
	long long p = v->vq->page;

	html_raw(r, "<nav class=\"pager\" aria-label=\"");
	html_t(r, "分页");
	html_raw(r, "\">");
	if (p > 1 && p <= pages)
		page_link(r, v, p - 1, false);
	else
		html_raw(r, "<span></span>");
	html_raw(r, "<span id=\"page-of\">");
	view_desk_page_of(r, p, pages);
	html_raw(r, "</span>");
	if (p < pages)
		page_link(r, v, p + 1, true);
	else
		html_raw(r, "<span></span>");
	html_raw(r, "</nav>");
}

void
view_desk_queue(struct req *r, const struct view_desk_queue *v)
{
	const struct staff *st = v->st;
	long long pages = (v->q->total + DESK_QUEUE_PAGE - 1) / DESK_QUEUE_PAGE;

	html_begin_wide(r, _("待处理"));
	html_raw(r, "<h1>");
	html_t(r, "退款申请队列");
	html_raw(r, "</h1><p class=\"hint\">");
	html_tl(r, staff_role_labels[st->role]);
	html_raw(r, " ");
	html_esc(r, st->login);
	if (st->role == ROLE_ADMIN || st->role == ROLE_ARBITER) {       /* i10-dash */
		html_raw(r, " · <a id=\"to-dashboard\" href=\"");
		html_url(r, "/desk/dashboard");
		html_raw(r, "\">");
		html_t(r, "数据看板");
		html_raw(r, "</a> · <a id=\"claims-link\" href=\"");  /* i15-console */
		html_url(r, "/desk/claims");
		html_raw(r, "\">");
		html_t(r, "上游追偿");
		html_raw(r, "</a>");
	}
	html_raw(r, "</p>");
	view_query_errors(r, v->qerr, DF__MAX);
	tabs(r, v);
	filters(r, v);
	html_raw(r, "<section class=\"card\">");
	if (v->q->n == 0) {
		html_raw(r, "<p class=\"hint\" id=\"queue-empty\">");
		html_esc(r, v->vq->page > 1 ? _("这一页没有申请。") : _("没有符合条件的申请。"));
		html_raw(r, "</p>");
		if (v->vq->page > 1) {
			char qs[1024];
			query_of(v, 0, qs, sizeof(qs));
			html_raw(r, "<p><a href=\"");
			html_url(r, "/desk%s", qs);
			html_raw(r, "\">");
			html_t(r, "回到第一页");
			html_raw(r, "</a></p>");
		}
	} else {
		html_raw(r, "<p class=\"hint\" id=\"queue-total\">");
		view_desk_count(r, v->q->total, false, v->vq->page, pages);
		html_raw(r, "</p><table class=\"queue\"><thead><tr>");
		static const char *const heads[] = { N_("剩余时间"), N_("订单"), N_("状态"), N_("类型"), N_("金额"),
			N_("买家"), N_("商家") };
		/* The merchant column (the last) is not a merchant's. */
		view_desk_heads(r, heads, sizeof(heads) / sizeof(heads[0]) - (st->role == ROLE_MERCHANT));
		html_raw(r, "</tr></thead><tbody>");
		for (size_t i = 0; i < v->q->n; i++)
			row_html(r, v, &v->q->rows[i]);
		html_raw(r, "</tbody></table>");
		pager(r, v, pages);
	}
	html_raw(r, "</section>");
	if (st->role == ROLE_ADMIN)
		admin_panel(r, v);
	html_raw(r, "<form method=\"post\" action=\"");
	html_url(r, "/desk/logout");
	html_raw(r, "\">");
	html_hidden(r, "csrf", st->csrf);
	html_raw(r, "<button type=\"submit\" class=\"sec\">");
	html_t(r, "退出登录");
	html_raw(r, "</button></form>");
	html_end(r);
}
