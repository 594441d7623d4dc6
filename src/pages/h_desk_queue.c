/* h_desk_queue.c: GET /desk: one page of the requests a role acts on (or,
 * in the other tab, the open ones it does not), filtered, searched and
 * sorted in SQL (pages/desk_filter.c); merchants see only their own.
 * views/view_desk_queue.c shows them. */
#include <string.h>

#include "base/config.h"
#include "pages/desk_filter.h"
#include "pages/handlers.h"
#include "pages/staff_auth.h"
#include "views/view_desk_queue.h"

/* How many open requests each tab holds for st, unfiltered (what the tab's
 * link opens): one counted row each, the same SQL as the page. */
static enum rd_err
tab_counts(struct req *r, const struct staff *st, long long out[DESK_TAB__MAX])
{
	for (int t = 0; t < DESK_TAB__MAX; t++) {
		struct desk_filter f = { .type = "", .merchant = "", .search = "", .now = r->now, .limit = 1 };
		struct desk_queue q;
		enum rd_err e;

		desk_queue_states(st->role, (enum desk_tab)t, -1, f.states);
		if ((e = desk_queue_load(r->app->db, r->a, st, &f, &q)) != RD_OK)
			return e;
		out[t] = q.total;
	}
	return RD_OK;
}

void
h_desk_queue(struct req *r)
{
	struct staff st;
	struct desk_filter f;
	struct desk_view_query vq;
	struct desk_queue q;
	struct login_lock locks[LOGIN_LOCKS_MAX];
	enum rd_err e;

	if (!staff_require(r, &st))
		return;
	desk_filter_of(r, &st, DESK_QUEUE_PAGE, &f, &vq);
	if ((e = desk_queue_load(r->app->db, r->a, &st, &f, &q)) != RD_OK) {
		fail_page(r, e);
		return;
	}
	struct view_desk_queue v = { .st = &st, .q = &q, .vq = &vq,
		.qv = r->q.v, .qerr = r->q.err, .locks = locks, .now = r->now };
	/* The counts are a courtesy too: unread, the tabs show none. */
	v.have_counts = tab_counts(r, &st, v.tab_count) == RD_OK;
	/* The panel's list is a courtesy: unread, the panel still offers its button. */
	if (st.role == ROLE_ADMIN &&
	    login_locks_load(r->app->db, r->a, r->app->cfg->login_failures_per_account,
	    r->now - LOGIN_LOCKS_WINDOW, locks, &v.nlocks) != RD_OK)
		v.nlocks = 0;
	view_desk_queue(r, &v);
}
