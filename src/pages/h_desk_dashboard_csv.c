/* h_desk_dashboard_csv.c: GET /desk/dashboard.csv: the dashboard's figures
 * for the same range as a spreadsheet (per day, the total, the median,
 * the merchants). Admins and arbiters, as the page. */
#include "pages/dash_range.h"
#include "pages/handlers.h"
#include "views/view_desk_dashboard.h"

void
h_desk_dashboard_csv(struct req *r)
{
	struct staff st;
	bool clipped;
	struct supplier_claim_figures *figures;
	size_t nfigures;
	const struct dashboard *d = dash_page_load(r, &st, &clipped, &figures, &nfigures);

	if (d != NULL)
		view_desk_dashboard_csv(r, d, figures, nfigures);
}
