/* view_desk_activity.c: the staff activity log page, through the HTML
 * writer only: a filter by account, a table (cards on a phone, as the
 * queue), pages with counts. */
#include <string.h>

#include "pages/fields.h"
#include "rules/desk.h"
#include "rules/domain.h"
#include "views/view.h"
#include "views/view_desk_activity.h"
#include "views/view_desk_queue.h"
#include "web/html.h"

/* A stored name as people read it: its label when this build knows it. */
static const char *
label_of(const char *const *names, const char *const *labels, size_t n, const char *name)
{
	int i = enum_lookup(names, n, name);
	return i >= 0 ? i18n_tr(labels[i]) : name;
}

static void
row_html(struct req *r, const struct staff_activity_row *row)
{
	html_raw(r, "<tr><td data-l=\"");
	html_t(r, "时间");
	html_raw(r, "\">");
	html_time(r, row->at);
	html_raw(r, "</td><td data-l=\"");
	html_t(r, "工作人员");
	html_raw(r, "\" class=\"act-who\"><a href=\"");
	html_url(r, "/desk/activity?staff=%s", row->login);
	html_raw(r, "\">");
	html_esc(r, row->login);
	html_raw(r, "</a> <span class=\"hint\">");
	html_esc(r, label_of(staff_role_names, staff_role_labels, ROLE__MAX, row->role));
	html_raw(r, "</span></td><td data-l=\"");
	html_t(r, "操作");
	html_raw(r, "\" class=\"act-action\" data-action=\"");
	html_esc(r, row->action);
	html_raw(r, "\">");
	html_esc(r, label_of(desk_action_names, desk_action_labels, DA__MAX, row->action));
	if (row->amount > 0) {
		html_raw(r, " ");
		html_money(r, row->amount);
	}
	html_raw(r, "</td><td data-l=\"");
	html_t(r, "申请");
	html_raw(r, "\" class=\"act-refund\"><a href=\"");
	html_url(r, "/desk/refund/%s", row->public_id);
	html_raw(r, "\">");
	html_t(r, "订单 ");
	html_esc(r, row->order_no);
	html_raw(r, "</a></td><td data-l=\"");
	html_t(r, "状态");
	html_raw(r, "\">");
	html_esc(r, label_of(refund_state_names, refund_state_labels, RS__MAX, row->from_state));
	html_raw(r, " → ");
	html_esc(r, label_of(refund_state_names, refund_state_labels, RS__MAX, row->to_state));
	html_raw(r, "</td><td data-l=\"");
	html_t(r, "地址");
	html_raw(r, "\" class=\"act-ip\">");
	html_esc(r, row->client_ip);
	html_raw(r, "</td></tr>");
}

/* Page p of the log, its filter kept (view_pager). */
static void
page_href(struct req *r, const void *ctx, long long p)
{
	const struct view_desk_activity *v = ctx;
	if (v->staff[0] != '\0')
		html_url(r, "/desk/activity?staff=%s&page=%lld", v->staff, p);
	else
		html_url(r, "/desk/activity?page=%lld", p);
}

static void
filter(struct req *r, const struct view_desk_activity *v)
{
	html_raw(r, "<form method=\"get\" class=\"filters card\" action=\"");
	html_url(r, "/desk/activity");
	html_raw(r, "\"><label class=\"grow\">");
	html_t(r, "工作人员");
	html_raw(r, "<select name=\"staff\" id=\"staff\"><option value=\"\">");
	html_t(r, "全部");
	html_raw(r, "</option>");
	for (size_t i = 0; i < v->nlogins; i++) {
		html_raw(r, "<option value=\"");
		html_esc(r, v->logins[i]);
		html_raw_if(r, strcmp(v->logins[i], v->staff) == 0, "\" selected>", "\">");
		html_esc(r, v->logins[i]);
		html_raw(r, "</option>");
	}
	html_raw(r, "</select></label><button type=\"submit\">");
	html_t(r, "筛选");
	html_raw(r, "</button></form>");
}

void
view_desk_activity(struct req *r, const struct view_desk_activity *v)
{
	const struct staff_activity *log = v->log;
	long long pages = (log->total + STAFF_ACTIVITY_PAGE - 1) / STAFF_ACTIVITY_PAGE;

	html_begin_wide(r, _("操作记录"));
	html_raw(r, "<p><a href=\"");
	html_url(r, "/desk");
	html_raw(r, "\">");
	html_t(r, "← 返回待处理");
	html_raw(r, "</a></p><h1>");
	html_t(r, "工作人员操作记录");
	html_raw(r, "</h1>");
	view_query_errors(r, v->qerr, AF__MAX);
	filter(r, v);
	html_raw(r, "<section class=\"card\">");
	if (log->n == 0) {
		html_raw(r, "<p class=\"hint\" id=\"activity-empty\">");
		html_t(r, "没有操作记录。");
		html_raw(r, "</p>");
	} else {
		html_raw(r, "<p class=\"hint\" id=\"activity-total\">");
		view_desk_count(r, log->total, false, v->page, pages);
		html_raw(r, "</p><table class=\"queue\" id=\"activity\"><thead><tr>");
		static const char *const heads[] = { N_("时间"), N_("工作人员"), N_("操作"), N_("申请"), N_("状态"), N_("地址") };
		view_desk_heads(r, heads, sizeof(heads) / sizeof(heads[0]));
		html_raw(r, "</tr></thead><tbody>");
		for (size_t i = 0; i < log->n; i++)
			row_html(r, &log->rows[i]);
		html_raw(r, "</tbody></table>");
	}
	view_pager(r, v->page, pages, page_href, v);
	html_raw(r, "</section>");
	html_end(r);
}
