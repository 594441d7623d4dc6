/* flow_apply.h: the one writer of refund transitions. Inside the caller's
 * transaction, with the refund (and, for money, its order) locked. */
#ifndef RD_FLOW_APPLY_H
#define RD_FLOW_APPLY_H

#include "rules/flow.h"
#include "store/model.h"

struct flow_step {
	enum flow_event event;
	enum flow_role role;
	const char *note;                  /* NULL or "": the row's note */
	long long now;
	const struct order *o;             /* FLOW_HOLD_REFUND pays from this order */
	bool recycle_item;                 /* an approval: the item goes back to stock */
	long long upstream_wait;           /* FDL_UPSTREAM rows: seconds to the deadline */
	const char *actor_name;            /* the staff login acting, or NULL */
};

/* Finds the row for rf's state, the event and the role (its guard checked:
 * none is RD_ERR_CONFLICT) and writes it: the state UPDATE (conditional on
 * the state rf was read in, skipped when rf->row_ahead), the mark, the
 * timeline event, the hold effect, the webhook. An approval goes on to its
 * payment step (FE_PAY_ORIGINAL or FE_PAY_BALANCE). Updates rf in memory.
 * Every write is deferred: no round trip of its own. */
enum rd_err flow_apply(struct db *db, struct arena *a, struct refund *rf, const struct flow_step *st);

#endif
