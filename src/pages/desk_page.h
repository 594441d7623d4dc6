/* desk_page.h: the desk's refund page, shown by GET /desk/refund/ID and
 * again by a refused decision (its values kept, a message per field). */
#ifndef RD_DESK_PAGE_H
#define RD_DESK_PAGE_H

#include "store/staff.h"
#include "views/view_desk_refund.h"
#include "web/http.h"

/* Loads the refund, its order, the buyer's history and the internal notes
 * (all before a byte is written: a failed read is an error page) and
 * renders the page; form NULL: a fresh decision form. */
void desk_refund_page(struct req *r, const struct staff *st, const struct view_desk_form *form);

#endif
