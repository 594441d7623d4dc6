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
/* The queue's tabs: what the role acts on, and every other open request
 * it may see (waiting on the buyer, the payment service, another role). */
enum desk_tab { DESK_TAB_MINE, DESK_TAB_OTHERS, DESK_TAB__MAX };
extern const char *const desk_tab_names[DESK_TAB__MAX];
extern const char *const desk_tab_labels[DESK_TAB__MAX];
/* The role acts on requests in state st: the flow has a staff row for it
 * from st (rules/flow.c), so a new state or row moves the tabs with it. */
bool desk_queue_shows(enum staff_role role, enum refund_state st);
/* A tab's states as names for the queue statements' slots ("" pads): the
 * open states the role acts on (DESK_TAB_MINE) or not (DESK_TAB_OTHERS);
 * only that state when only >= 0 (the state filter), none when it is not
 * in the tab. Returns how many. */
#define DESK_QUEUE_SLOTS 16
_Static_assert(RS__MAX <= DESK_QUEUE_SLOTS, "every state fits the queue's slots");
size_t desk_queue_states(enum staff_role role, enum desk_tab tab, int only,
    const char *out[DESK_QUEUE_SLOTS]);
/* Time left before deadline at now, as a person reads it: "剩 3 小时",
 * "已超时 20 分钟"; "" when there is no deadline (0). True when overdue. */
bool desk_time_left(long long deadline, long long now, char out[48]);
/* Bit (1u << enum desk_action) for each action allowed now, from the
 * flow's rows. Pure. */
unsigned desk_actions(enum staff_role role, const struct refund *rf);

#endif
