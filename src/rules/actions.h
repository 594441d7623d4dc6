/* actions.h: which buyer actions a refund allows now. Pure. */
#ifndef RD_ACTIONS_H
#define RD_ACTIONS_H

#include "store/model.h"

enum buyer_act {
	ACT_CANCEL = 1u << 0,      /* while nobody has decided yet */
	ACT_EVIDENCE = 1u << 1,    /* while it is being reviewed or info was asked */
	ACT_APPEAL = 1u << 2,      /* once, after a rejection, within the window */
};

unsigned refund_actions(const struct refund *rf, long long now);

#endif
