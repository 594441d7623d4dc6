/* anomaly.h: what is odd about a refund, so that no deadline decides it by
 * itself (issue 9, "no decision by failure"): a request the merchant could
 * not read (a page of it failed to render), one whose buyer hit the note
 * cap, one whose timeline is longer than any page shows, one with risk
 * flags. The worker sends such a request to arbitration, with the reason on
 * its timeline, instead of taking silence as consent. */
#ifndef RD_ANOMALY_H
#define RD_ANOMALY_H

#include "store/db.h"

#define ANOMALY_RENDER_FAILED 1u   /* a page or API answer of it did not fit its memory */
#define ANOMALY_NOTE_CAP 2u        /* the buyer posted past buyer_posts_per_refund */

/* Records bit on the refund (autocommit; errors are logged, not returned:
 * the caller is already answering with an error). */
void refund_mark_anomaly(struct db *db, const char *public_id, unsigned bit);
/* NULL when the refund may be decided by its deadline, else the reason
 * (Chinese, for the timeline). */
enum rd_err refund_anomaly(struct db *db, struct arena *a, long long refund_id, const char **why);

#endif
