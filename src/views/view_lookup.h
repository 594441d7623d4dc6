/* view_lookup.h: GET/POST /refund/lookup: the guest look-up form (order
 * number, contact on the order, query code). */
#ifndef RD_VIEW_LOOKUP_H
#define RD_VIEW_LOOKUP_H

#include "web/http.h"

struct view_lookup {
	const char *csrf;              /* of the visitor's (perhaps anonymous) session */
	const char *banner;            /* why the last look-up failed, or NULL */
	/* What was typed, shown again after a failed try (NULL: empty). The
	 * query code is not: it is the order's secret. */
	const char *order_no, *contact;
};

void view_lookup(struct req *r, const struct view_lookup *v);

#endif
