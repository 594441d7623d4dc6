/* view_desk_dashboard.h: GET /desk/dashboard (admins and arbiters): the
 * range form, the headline figures and the charts (views/svg_chart.c),
 * each supplier's claims up the chain (views/view_desk_claims.c),
 * and GET /desk/dashboard.csv: the same figures as a spreadsheet. */
#ifndef RD_VIEW_DESK_DASHBOARD_H
#define RD_VIEW_DESK_DASHBOARD_H

#include <stdbool.h>

#include "rules/dashboard.h"
#include "store/claim_reads.h"
#include "store/staff.h"
#include "web/http.h"

struct view_desk_dashboard {
	const struct staff *st;
	const struct dashboard *d;
	const char *const *qerr;       /* r->q.err in dash_query's order */
	bool clipped;                  /* the range asked was longer than DASH_DAYS_MAX */
	const struct supplier_claim_figures *figures;   /* every claim so far, per supplier */
	size_t nfigures;
};

void view_desk_dashboard(struct req *r, const struct view_desk_dashboard *v);
void view_desk_dashboard_csv(struct req *r, const struct dashboard *d,
    const struct supplier_claim_figures *figures, size_t nfigures);

#endif
