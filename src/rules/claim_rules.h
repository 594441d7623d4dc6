/* claim_rules.h: what a claim up the chain does next, given what the
 * supplier answered (CONTRACT.md §7). Pure: the worker (store/claim_follow.c)
 * asks, this decides, the store writes it. */
#ifndef RD_CLAIM_RULES_H
#define RD_CLAIM_RULES_H

#include <stdbool.h>

#include "rules/domain.h"

/* What came back from the supplier. */
enum claim_answer {
	CANS_NONE,            /* nobody was asked: a storefront-reached supplier */
	CANS_NO_ANSWER,       /* unreachable, a timeout, 5xx, 401, garbage: ask again */
	CANS_REFUSED,         /* 422: its policy will not take the claim */
	CANS_REFUND,          /* a refund of ours there, in refund_state */
};

enum claim_step {
	CSTEP_NOTHING,        /* the claim has ended already */
	CSTEP_RECOVERED,      /* the supplier refunded: settle what came back */
	CSTEP_REJECTED,       /* the supplier said no: write it off */
	CSTEP_WRITE_OFF,      /* expired unanswered: write it off */
	CSTEP_FILED,          /* the supplier has it: ask again later */
	CSTEP_LATER,          /* nothing usable: ask again (a storefront's: at expiry) */
};

/* refund_state: the supplier refund's state (CONTRACT.md §5) for CANS_REFUND. */
enum claim_step claim_next(enum claim_state state, enum claim_answer ans, enum refund_state refund_state,
    bool expired);

/* Seconds until a filed claim is asked about again: poll_secs at first,
 * then a tenth of its age, at most an hour (a supplier's reviewers take
 * hours; a week-long review costs a few hundred calls). */
long long claim_poll_after(long long poll_secs, long long age);

#endif
