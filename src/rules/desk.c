/* desk.c: the staff rules. Customer service decides first (cs_review), the
 * merchant where the goods are disputed (merchant_review), the arbiter on
 * escalation and appeal (arbitration); an admin may act for any of them. A
 * failed original-path payout can be moved to the platform balance. */
#include <string.h>

#include "rules/desk.h"

const char *const desk_action_names[DA__MAX] = { "approve", "reject", "request_info", "escalate", "to_balance" };
const char *const desk_action_labels[DA__MAX] = { "同意退款", "驳回", "要求补充材料", "升级处理", "改退平台余额" };

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
	const unsigned decide = 1u << DA_APPROVE | 1u << DA_REJECT | 1u << DA_REQUEST_INFO;

	switch (rf->state) {
	case RS_CS_REVIEW:
		return (role == ROLE_CS || role == ROLE_ADMIN) ? decide | 1u << DA_ESCALATE : 0;
	case RS_MERCHANT_REVIEW:
		return (role == ROLE_MERCHANT || role == ROLE_ADMIN) ? decide | 1u << DA_ESCALATE : 0;
	case RS_ARBITRATION:
		return (role == ROLE_ARBITER || role == ROLE_ADMIN) ? decide : 0;
	case RS_REFUNDING:
		/* Only once the payment service said the payout failed: otherwise
		 * the money may still arrive the original way, and would be paid twice. */
		return (rf->payout_failed && (role == ROLE_CS || role == ROLE_ADMIN)) ? 1u << DA_TO_BALANCE : 0;
	default:
		return 0;
	}
}
