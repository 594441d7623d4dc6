/* view_desk_claims.h: GET /desk/claims: claims up the chain for admins and
 * arbiters (a filter by state and supplier, pages with counts, each claim
 * linked to its request) and each supplier's figures; and the pieces other
 * staff pages show: a claim state's label, the supplier figures table. */
#ifndef RD_VIEW_DESK_CLAIMS_H
#define RD_VIEW_DESK_CLAIMS_H

#include <stdint.h>

#include "rules/domain.h"
#include "store/claim_reads.h"
#include "web/http.h"

/* A claim state as people read it, in enum claim_state's order. */
extern const char *const claim_state_labels[CLAIM__MAX];

/* The share of settled money that came back, in tenths of a percent
 * (rounded half up): recovered / (recovered + written_off); -1 when
 * nothing is settled yet (no rate to show). Integer arithmetic: no double. */
int claim_recovery_permille(int64_t recovered, int64_t written_off);

/* The per-supplier table (id "supplier-figures"): claims open, recovered
 * and written off (count and ¥), the recovery rate; each supplier's name
 * links to its claims on /desk/claims. Database-free: a dashboard that
 * loaded the rows (claim_figures_load) can show it too. */
void view_claim_figures(struct req *r, const struct supplier_claim_figures *rows, size_t n);

struct view_desk_claims {
	const struct claims_list *list;             /* this page's claims */
	const struct supplier_claim_figures *figures;
	size_t nfigures;
	const char *state, *supplier;               /* the filters, "" all */
	long long page;                             /* 1-based */
	const char *const *qerr;                    /* claims_query's messages (a refused value) */
};

void view_desk_claims(struct req *r, const struct view_desk_claims *v);

#endif
