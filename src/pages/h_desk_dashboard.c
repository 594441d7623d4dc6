/* h_desk_dashboard.c: GET /desk/dashboard: the figures of the requests
 * filed in a range of days (admins and arbiters), one read
 * (store/dash_reads.c), drawn by views/view_desk_dashboard.c. */
#include "pages/dash_range.h"
#include "pages/handlers.h"
#include "views/view_desk_dashboard.h"

void
h_desk_dashboard(struct req *r)
{
	struct staff st;
	bool clipped;
	struct supplier_claim_figures *figures;
	size_t nfigures;
	const struct dashboard *d = dash_page_load(r, &st, &clipped, &figures, &nfigures);

	if (d == NULL)
		return;
	struct view_desk_dashboard v = { .st = &st, .d = d, .qerr = r->q.err, .clipped = clipped,
		.figures = figures, .nfigures = nfigures };
	view_desk_dashboard(r, &v);
}
