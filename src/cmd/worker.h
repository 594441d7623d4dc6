/* worker.h: one pass of the worker's jobs, bounded in time; run by
 * `refund-desk worker` and by POST /cron. */
#ifndef RD_WORKER_H
#define RD_WORKER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "store/claim_follow.h"
#include "store/webhook_send.h"

struct app;

struct worker_report {
	bool housekeeping;          /* this pass held the lease */
	char held_by[65];           /* else: the node that holds it */
	int released, deadlines, swept;
	struct webhook_report wh;
	struct claims_report claims; /* i15-chain: claims up the chain */
};

/* Runs the housekeeping jobs if the lease is free, then delivers webhooks,
 * and returns by start + max_seconds (plus a second or two). RD_ERR_DB when
 * the database failed on the way. */
enum rd_err worker_pass(struct app *app, int max_seconds, struct worker_report *out);
void worker_summary(const struct worker_report *r, char *out, size_t cap);

#endif
