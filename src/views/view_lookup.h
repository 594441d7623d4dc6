/* view_lookup.h: GET/POST /refund/lookup: the guest look-up form (order
 * number, contact on the order, query code). */
#ifndef RD_VIEW_LOOKUP_H
#define RD_VIEW_LOOKUP_H

#include "web/http.h"

struct view_lookup {
	const char *csrf;              /* of the visitor's (perhaps anonymous) session */
	const char *banner;            /* why the last look-up failed, or NULL */
};

void view_lookup(struct req *r, const struct view_lookup *v);

#endif
