/* view_desk_queue_csv.c: the queue's rows through the CSV writer only. */
#include "base/money.h"
#include "rules/desk.h"
#include "rules/domain.h"
#include "views/view_desk_queue_csv.h"
#include "web/csv.h"
#include "web/html.h"

static const char *const heads[] = { "申请编号", "订单号", "商品", "买家", "商家", "类型", "状态",
	"退款金额（元）", "提交时间", "截止时间", "剩余时间", "风控" };

void
view_desk_queue_csv(struct req *r, const struct desk_queue *q, long long now)
{
	struct buf *b = &r->body;
	char money[32], created[32], deadline[32], left[48];

	resp_header(r, "Content-Type", "text/csv; charset=utf-8");
	resp_header(r, "Content-Disposition", "attachment; filename=\"refund-queue.csv\"");
	resp_header(r, "Cache-Control", "no-store");
	buf_puts(b, "\xEF\xBB\xBF");
	csv_row(b, heads, sizeof(heads) / sizeof(heads[0]));
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
		csv_cell(b, row->type >= 0 ? refund_type_labels[row->type] : "", false);
		csv_cell(b, row->state >= 0 ? refund_state_labels[row->state] : "", false);
		csv_cell(b, money, false);
		csv_cell(b, created, false);
		csv_cell(b, deadline, false);
		csv_cell(b, left, false);
		csv_cell(b, row->risk ? "是" : "", false);
		csv_row_end(b);
	}
}
