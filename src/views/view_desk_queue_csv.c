/* view_desk_queue_csv.c: the queue's rows through the CSV writer only. */
#include "base/money.h"
#include "rules/desk.h"
#include "rules/domain.h"
#include "views/view_desk_queue_csv.h"
#include "web/csv.h"
#include "web/html.h"

/* Headers and labels in the exporter's language; the columns' order and
 * the values' formats (yuan as 70.50, Beijing time) are the same in both,
 * so a spreadsheet's formulas work on either export (README, Languages). */
static const char *const heads[] = { N_("申请编号"), N_("订单号"), N_("商品"), N_("买家"), N_("商家"), N_("类型"),
	N_("状态"), N_("退款金额（元）"), N_("提交时间"), N_("截止时间"), N_("剩余时间"), N_("风控") };
#define NHEADS (sizeof(heads) / sizeof(heads[0]))

void
view_desk_queue_csv(struct req *r, const struct desk_queue *q, long long now)
{
	struct buf *b = &r->body;
	char money[32], created[32], deadline[32], left[48];

	resp_header(r, "Content-Type", "text/csv; charset=utf-8");
	resp_header(r, "Content-Disposition", "attachment; filename=\"refund-queue.csv\"");
	resp_header(r, "Cache-Control", "no-store");
	buf_puts(b, "\xEF\xBB\xBF");
	csv_row_tr(b, heads, NHEADS);
	for (size_t i = 0; i < q->n; i++) {
		const struct desk_queue_row *row = &q->rows[i];
		money_format(row->amount, money);
		format_time(row->created_at, created);
		if (row->deadline > 0)
			format_time(row->deadline, deadline);
		else
			deadline[0] = '\0';
		desk_time_left(row->deadline, now, left);
		csv_cell(b, row->public_id, true);
		csv_cell(b, row->order_no, false);
		csv_cell(b, row->title, false);
		csv_cell(b, row->buyer_id, false);
		csv_cell(b, row->merchant_id, false);
		csv_cell(b, row->type >= 0 ? i18n_tr(refund_type_labels[row->type]) : "", false);
		csv_cell(b, row->state >= 0 ? i18n_tr(refund_state_labels[row->state]) : "", false);
		csv_cell(b, money, false);
		csv_cell(b, created, false);
		csv_cell(b, deadline, false);
		csv_cell(b, left, false);
		csv_cell(b, row->risk ? _("是") : "", false);
		csv_row_end(b);
	}
}
