/* view_desk_queue_csv.h: GET /desk/queue.csv: the filtered queue as a
 * spreadsheet (UTF-8 with a BOM so spreadsheets read the Chinese; amounts
 * in 元 with two decimals; times in Beijing time). */
#ifndef RD_VIEW_DESK_QUEUE_CSV_H
#define RD_VIEW_DESK_QUEUE_CSV_H

#include "store/desk_reads.h"
#include "web/http.h"

void view_desk_queue_csv(struct req *r, const struct desk_queue *q, long long now);

#endif
