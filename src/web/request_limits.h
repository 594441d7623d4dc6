/* request_limits.h: the app's own requests-per-address limits, for where no
 * nginx limit_req stands in front (plain CGI, mod_fcgid, panels): look-ups,
 * refund submissions and the other buyer POSTs, each counted per client
 * address over the last hour in request_log. */
#ifndef RD_REQUEST_LIMITS_H
#define RD_REQUEST_LIMITS_H

#include <stdbool.h>

#include "web/http.h"

enum request_kind { RK_LOOKUP, RK_SUBMIT, RK_BUYER_POST, RK__MAX };

/* The kind a route counts as, or -1 for routes without a limit. */
int request_kind_of(const char *route);
/* Are the limits on for this request? (config: on, off, or auto = on
 * unless the request came through nginx.) */
bool request_limits_apply(struct req *r);
/* Counts the request; false (and a 429 page written) when its address has
 * used up its budget for the hour. A database failure lets it through:
 * the limit is a brake, not a gate. */
bool request_limits_admit(struct req *r, enum request_kind kind);

#endif
