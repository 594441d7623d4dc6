/* webhook_send.h: delivery of queued webhook events to the storefront.
 *
 * Events are claimed in the database before they are sent (a claim token
 * and an expiry, one UPDATE), so runs that overlap (cron, POST /cron, a
 * daemon on another node) never send one event twice. Only the head of a
 * stream is claimed: an event is not sent while an earlier event about the
 * same order is undelivered, so one order's events arrive in order, while
 * events of different orders go out side by side, WEBHOOK_PARALLEL at once.
 * A receiver that hangs costs one connection its timeout, not the pass. */
#ifndef RD_WEBHOOK_SEND_H
#define RD_WEBHOOK_SEND_H

#include <stdbool.h>

struct app;

#define WEBHOOK_PARALLEL 8      /* transfers in flight at once */

struct webhook_report {
	int delivered;          /* acknowledged with a 2xx */
	int failed;             /* refused or unreachable: retried later with backoff */
	int deferred;           /* the pass ran out of time: claim given back, no attempt counted */
};

/* Sends due events until none is left or the clock reaches deadline (UNIX
 * seconds); in-flight transfers are cut at the deadline. False when the
 * database failed (what was done is still counted). */
bool webhook_send_due(struct app *app, long long deadline, struct webhook_report *out);

/* Backoff after the attempts-th failure: 10 s, 20 s, ... capped at one hour. */
long long webhook_backoff(long long attempts);

#endif
