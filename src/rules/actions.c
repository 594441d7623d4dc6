/* actions.c: the buyer's allowed actions per state (DOMAIN.md, the flow). */
#include "rules/actions.h"

unsigned
refund_actions(const struct refund *rf, long long now)
{
	switch (rf->state) {
	case RS_SUBMITTED:
	case RS_CS_REVIEW:
	case RS_MERCHANT_REVIEW:
	case RS_NEED_INFO:
		return ACT_CANCEL | ACT_EVIDENCE;
	case RS_ARBITRATION:
		return ACT_CANCEL | ACT_EVIDENCE;
	case RS_REJECTED:
		return (!rf->appealed && (rf->deadline == 0 || now <= rf->deadline)) ? ACT_APPEAL : 0;
	default:
		return 0;
	}
}
