/* desk.c: the staff rules. Customer service decides first (cs_review), the
 * merchant where the goods are disputed (merchant_review), the arbiter on
 * escalation and appeal (arbitration); an admin may act for any of them.
 * What each may decide is in the flow's table (rules/flow.c). */
#include <string.h>

#include "rules/desk.h"

_Static_assert((int)ROLE_CS == (int)FROLE_CS && (int)ROLE_MERCHANT == (int)FROLE_MERCHANT &&
    (int)ROLE_ARBITER == (int)FROLE_ARBITER && (int)ROLE_ADMIN == (int)FROLE_ADMIN, "staff roles are flow roles");

bool
desk_may_see(const struct staff *s, const char *merchant_id)
{
	return s->role != ROLE_MERCHANT || strcmp(s->merchant_id, merchant_id) == 0;
}

bool
desk_queue_shows(enum staff_role role, enum refund_state st)
{
	switch (role) {
	case ROLE_CS: return st == RS_CS_REVIEW || st == RS_NEED_INFO || st == RS_REFUNDING;
	case ROLE_MERCHANT: return st == RS_MERCHANT_REVIEW;
	case ROLE_ARBITER: return st == RS_ARBITRATION;
	default: return true;
	}
}

void
desk_queue_states(enum staff_role role, const char *out[DESK_QUEUE_SLOTS])
{
	size_t n = 0;

	for (int st = 0; st < RS__MAX && n < DESK_QUEUE_SLOTS; st++)
		if ((st == RS_CS_REVIEW || st == RS_MERCHANT_REVIEW || st == RS_ARBITRATION || st == RS_NEED_INFO ||
		    st == RS_REFUNDING) && desk_queue_shows(role, (enum refund_state)st))
			out[n++] = refund_state_names[st];
	while (n < DESK_QUEUE_SLOTS)
		out[n++] = "";
}

unsigned
desk_actions(enum staff_role role, const struct refund *rf)
{
	/* enum staff_role and the flow's staff roles share their order. */
	struct flow_facts f = flow_facts_of(rf);
	return flow_events_allowed(rf->state, (enum flow_role)role, &f, 0) & ((1u << DA__MAX) - 1);
}
