/* dash_range.h: the dashboard's range from its checked query (from, to:
 * Beijing days), shared by the page and its CSV so both show the same days. */
#ifndef RD_DASH_RANGE_H
#define RD_DASH_RANGE_H

#include <stdbool.h>

#include "rules/dashboard.h"
#include "store/claim_reads.h"
#include "store/staff.h"
#include "web/http.h"

/* Signed in as admin or arbiter (the dashboard's roles); false after
 * answering (the login redirect, or 403 for cs and merchants). */
bool dash_staff(struct req *r, struct staff *st);
/* dash_init()s d for the query's range: to defaults to today, from to 29
 * days before it; a bad value counts as absent (r->q.err says why); from
 * after to is swapped; a range over DASH_DAYS_MAX days keeps its last
 * DASH_DAYS_MAX (*clipped true). */
void dash_range_of(struct req *r, struct dashboard *d, bool *clipped);
/* Both routes' start: the staff check, the range, the figures' read and
 * the per-supplier claim figures' (claim_figures_load, every claim so
 * far: a claim settles days after its request, so it has no filing day
 * of the range). NULL after answering (login, 403, an error page); else
 * the figures, in the request's arena. */
struct dashboard *dash_page_load(struct req *r, struct staff *st, bool *clipped,
    struct supplier_claim_figures **figures, size_t *nfigures);

#endif
