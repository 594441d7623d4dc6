/* h_desk_dashboard_csv.c: GET /desk/dashboard.csv: the dashboard's figures
 * for the same range as a spreadsheet (per day, the total, the median,
 * the merchants). Admins and arbiters, as the page. */
#include "pages/dash_range.h"
#include "pages/handlers.h"
#include "store/dash_reads.h"
#include "views/view_desk_dashboard.h"

void
h_desk_dashboard_csv(struct req *r)
{
	struct staff st;
	struct dashboard *d;
	bool clipped;
	enum rd_err e;

	if (!dash_staff(r, &st))
		return;
	if ((d = arena_alloc(r->a, sizeof(*d))) == NULL) {
		fail_page(r, RD_ERR_NOMEM);
		return;
	}
	dash_range_of(r, d, &clipped);
	if ((e = dash_load(r->app->db, r->a, d)) != RD_OK) {
		fail_page(r, e);
		return;
	}
	view_desk_dashboard_csv(r, d);
}
