/* desk.h: what a staff role may do with a refund in its current state. */
#ifndef RD_DESK_H
#define RD_DESK_H

#include "rules/flow.h"
#include "store/model.h"
#include "store/staff.h"

/* The staff's actions are the flow's first events (rules/flow.h): the
 * names are the decision form's values, the labels its buttons. */
enum desk_action {
	DA_APPROVE = FE_APPROVE, DA_REJECT = FE_REJECT, DA_REQUEST_INFO = FE_REQUEST_INFO,
	DA_ESCALATE = FE_ESCALATE, DA_TO_BALANCE = FE_TO_BALANCE, DA__MAX = FE_STAFF__MAX
};
#define desk_action_names flow_event_names      /* the first DA__MAX */
#define desk_action_labels flow_event_labels

/* The staff member may see this refund at all (merchants: their own). */
bool desk_may_see(const struct staff *s, const char *merchant_id);
/* The states a role's queue lists: what it decides, and for customer
 * service also what waits on the buyer or the payment service. */
bool desk_queue_shows(enum staff_role role, enum refund_state st);
/* The same states as names for Q_DESK_QUEUE's five slots ("" pads). */
#define DESK_QUEUE_SLOTS 5
void desk_queue_states(enum staff_role role, const char *out[DESK_QUEUE_SLOTS]);
/* Bit (1u << enum desk_action) for each action allowed now, from the
 * flow's rows. Pure. */
unsigned desk_actions(enum staff_role role, const struct refund *rf);

#endif
