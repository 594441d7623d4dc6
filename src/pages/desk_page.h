/* desk_page.h: the desk's refund page, shown by GET /desk/refund/ID and
 * again by a refused decision (its values kept, a message per field). */
#ifndef RD_DESK_PAGE_H
#define RD_DESK_PAGE_H

#include <stdbool.h>

#include "store/model.h"
#include "store/staff.h"
#include "views/view_desk_refund.h"
#include "web/http.h"

/* The refund of the route's :id and its order, unlocked, as this staff
 * member may see them; false: it answered (an error page or 404). */
bool desk_refund_load(struct req *r, const struct staff *st, struct refund *rf, struct order *o);
/* Loads the refund, its order, the buyer's history and the internal notes
 * (all before a byte is written: a failed read is an error page) and
 * renders the page; form NULL: a fresh decision form. */
void desk_refund_page(struct req *r, const struct staff *st, const struct view_desk_form *form);
/* The same, after a decision on prev (a refund id, or NULL) led here. */
void desk_refund_page_after(struct req *r, const struct staff *st, const struct view_desk_form *form,
    const char *prev);

#endif
