/* claim_follow.h: the worker's part of claims up the chain: files pending
 * claims at a desk supplier (POST /api/v1/refunds as the API client the
 * config names, the claim's id as `idem`, the buyer's evidence forwarded)
 * and follows filed ones (GET /api/v1/refunds/ID) until the supplier
 * refunds or rejects, or the claim expires. Every call to a supplier is
 * bounded by claims.timeout_seconds and the pass's deadline, a supplier
 * that did not answer is not called again in the same pass, and a claim is
 * leased while it is worked on, so overlapping passes never talk about one
 * claim at once. */
#ifndef RD_CLAIM_FOLLOW_H
#define RD_CLAIM_FOLLOW_H

#include <stdbool.h>

struct app;

struct claims_report {
	int filed;              /* accepted by a supplier this pass */
	int settled;            /* recovered, rejected or written off */
	int waiting;            /* asked again later (no answer yet, or the supplier unreachable) */
};

/* Works due claims until none is left or the clock reaches deadline.
 * False when the database failed. */
bool claims_follow_due(struct app *app, long long deadline, struct claims_report *out);

#endif
