/* desk.h: what a staff role may do with a refund in its current state. */
#ifndef RD_DESK_H
#define RD_DESK_H

#include "store/model.h"
#include "store/staff.h"

enum desk_action { DA_APPROVE, DA_REJECT, DA_REQUEST_INFO, DA_ESCALATE, DA_TO_BALANCE, DA__MAX };
extern const char *const desk_action_names[DA__MAX];
extern const char *const desk_action_labels[DA__MAX];

/* The staff member may see this refund at all (merchants: their own). */
bool desk_may_see(const struct staff *s, const char *merchant_id);
/* The states a role's queue lists: what it decides, and for customer
 * service also what waits on the buyer or the payment service. */
bool desk_queue_shows(enum staff_role role, enum refund_state st);
/* The same states as names for Q_DESK_QUEUE's five slots ("" pads). */
#define DESK_QUEUE_SLOTS 5
void desk_queue_states(enum staff_role role, const char *out[DESK_QUEUE_SLOTS]);
/* Bit (1u << enum desk_action) for each action allowed now. Pure. */
unsigned desk_actions(enum staff_role role, const struct refund *rf);

#endif
