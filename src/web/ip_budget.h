/* ip_budget.h: failed guesses per client address (guest look-up and staff
 * login share one budget): after lookup_failures_per_hour failures in the
 * last hour, the address gets 429 whatever it sends. */
#ifndef RD_IP_BUDGET_H
#define RD_IP_BUDGET_H

#include <stdbool.h>

#include "web/http.h"

/* RD_OK with *spent telling whether the budget is used up. */
enum rd_err ip_budget_spent(struct req *r, bool *spent);
/* Records one failure for the request's address (best effort). */
void ip_budget_charge(struct req *r);

#endif
