/* h_desk_queue_csv.c: GET /desk/queue.csv: the rows GET /desk would show
 * with the same query, every page at once (up to DESK_QUEUE_CSV_MAX), as
 * a spreadsheet download. Staff only, as the queue. */
#include "pages/desk_filter.h"
#include "pages/handlers.h"
#include "pages/staff_auth.h"
#include "views/view_desk_queue_csv.h"

void
h_desk_queue_csv(struct req *r)
{
	struct staff st;
	struct desk_filter f;
	struct desk_view_query vq;
	struct desk_queue q;
	enum rd_err e;

	if (!staff_require(r, &st))
		return;
	desk_filter_of(r, &st, DESK_QUEUE_CSV_MAX, &f, &vq);
	f.offset = 0;                  /* the export is every page */
	if ((e = desk_queue_load(r->app->db, r->a, &st, &f, &q)) != RD_OK) {
		fail_page(r, e);
		return;
	}
	view_desk_queue_csv(r, &q, r->now);
}
