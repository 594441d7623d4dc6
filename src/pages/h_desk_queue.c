/* h_desk_queue.c: GET /desk: loads the requests waiting on people; each role
 * sees what it decides, merchants only their own. views/view_desk_queue.c
 * shows them, soonest deadline first. */
#include <string.h>

#include "base/config.h"
#include "rules/desk.h"
#include "rules/domain.h"
#include "pages/handlers.h"
#include "pages/staff_auth.h"
#include "store/desk_reads.h"
#include "views/view_desk_queue.h"

void
h_desk_queue(struct req *r)
{
	struct staff st;
	struct desk_queue q;
	struct login_lock locks[LOGIN_LOCKS_MAX];
	bool *shown = NULL;
	enum rd_err e;

	if (!staff_require(r, &st))
		return;
	const char *states[DESK_QUEUE_SLOTS];
	desk_queue_states(st.role, states);
	if ((e = desk_queue_load(r->app->db, r->a, &st, states, &q)) != RD_OK ||
	    (q.n > 0 && (shown = arena_alloc(r->a, q.n * sizeof(*shown))) == NULL)) {
		fail_page(r, e ? e : RD_ERR_NOMEM);
		return;
	}
	struct view_desk_queue v = { .st = &st, .q = &q, .shown = shown, .locks = locks };
	for (size_t i = 0; i < q.n; i++) {
		shown[i] = q.rows[i].state >= 0 && q.rows[i].type >= 0 &&
		    desk_queue_shows(st.role, (enum refund_state)q.rows[i].state);
		v.nshown += shown[i];
	}
	/* The panel's list is a courtesy: unread, the panel still offers its button. */
	if (st.role == ROLE_ADMIN &&
	    login_locks_load(r->app->db, r->a, r->app->cfg->login_failures_per_account,
	    r->now - LOGIN_LOCKS_WINDOW, locks, &v.nlocks) != RD_OK)
		v.nlocks = 0;
	view_desk_queue(r, &v);
}
