/* h_desk_dashboard.c: GET /desk/dashboard: the figures of the requests
 * filed in a range of days (admins and arbiters), one read
 * (store/dash_reads.c), drawn by views/view_desk_dashboard.c. */
#include "pages/dash_range.h"
#include "pages/handlers.h"
#include "store/dash_reads.h"
#include "views/view_desk_dashboard.h"

void
h_desk_dashboard(struct req *r)
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
	struct view_desk_dashboard v = { .st = &st, .d = d, .qerr = r->q.err, .clipped = clipped };
	view_desk_dashboard(r, &v);
}
