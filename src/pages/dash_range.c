/* dash_range.c: who may see the dashboard, and which days it shows. */
#include "pages/dash_range.h"
#include "pages/fields.h"
#include "pages/handlers.h"
#include "pages/staff_auth.h"
#include "store/dash_reads.h"
#include "web/html.h"

bool
dash_staff(struct req *r, struct staff *st)
{
	if (!staff_require(r, st))
		return false;
	if (st->role != ROLE_ADMIN && st->role != ROLE_ARBITER) {
		html_error_page(r, 403, N_("无权查看"), N_("数据看板仅对管理员和仲裁员开放。"));
		return false;
	}
	return true;
}

void
dash_range_of(struct req *r, struct dashboard *d, bool *clipped)
{
	long long from, to;

	if (r->q.v[DR_TO] == NULL || !dash_day_parse(r->q.v[DR_TO], &to))
		to = dash_day_of(r->now);
	if (r->q.v[DR_FROM] == NULL || !dash_day_parse(r->q.v[DR_FROM], &from))
		from = to - (DASH_DAYS_DEFAULT - 1);
	if (from > to) {
		long long t = from;
		from = to;
		to = t;
	}
	*clipped = to - from + 1 > DASH_DAYS_MAX;
	if (*clipped)
		from = to - (DASH_DAYS_MAX - 1);
	dash_init(d, from, to - from + 1);
}

struct dashboard *
dash_page_load(struct req *r, struct staff *st, bool *clipped, struct supplier_claim_figures **figures,
    size_t *nfigures)
{
	struct dashboard *d;
	enum rd_err e;

	if (!dash_staff(r, st))
		return NULL;
	if ((d = arena_alloc(r->a, sizeof(*d))) == NULL) {
		fail_page(r, RD_ERR_NOMEM);
		return NULL;
	}
	dash_range_of(r, d, clipped);
	if ((e = dash_load(r->app->db, r->a, d)) != RD_OK ||
	    (e = claim_figures_load(r->app->db, r->a, figures, nfigures)) != RD_OK) {
		fail_page(r, e);
		return NULL;
	}
	return d;
}
