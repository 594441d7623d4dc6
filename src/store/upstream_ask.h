/* upstream_ask.h: the storefront's answer to usage.requested (issue 15,
 * CONTRACT.md §7). A request whose goods' use nobody had reported waits in
 * awaiting_upstream; a usage or delivery report on its order runs the
 * policy again at once, in the report's own transaction. */
#ifndef RD_UPSTREAM_ASK_H
#define RD_UPSTREAM_ASK_H

#include "base/config.h"
#include "store/model.h"

/* o: the order locked in this transaction, its facts as just written. When
 * its open request is awaiting_upstream: unused or failed goods pay the
 * instant refund the policy allows; a still-unknown answer leaves it
 * waiting; anything else (used, refused, amounts that no longer match)
 * goes to customer service with the policy's reason on the timeline.
 * *did (may be NULL) says which, or NULL when nothing was waiting. */
enum rd_err upstream_answer(struct db *db, struct arena *a, const struct config *cfg, const struct order *o,
    long long now, const char **did);

#endif
