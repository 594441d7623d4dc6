/* view_desk_preview.h: POST /desk/refund/ID/decision without confirm=1:
 * what the decision would do (the money movement of an approval, where the
 * request goes, deadlines, the notes) and a second form carrying the same
 * fields with confirm=1 (CONTRACT.md §4). Nothing has changed yet. */
#ifndef RD_VIEW_DESK_PREVIEW_H
#define RD_VIEW_DESK_PREVIEW_H

#include <stdint.h>

#include "rules/desk.h"
#include "rules/desk_preview.h"
#include "rules/flow.h"
#include "store/model.h"
#include "web/http.h"

struct view_desk_preview {
	const struct refund *rf;
	const struct order *o;
	enum desk_action action;
	const struct flow_row *row;      /* the flow's row the decision would write */
	long long deadline;              /* the deadline it starts (0: none) */
	/* An approval: the quick choice (-1: none), the amount and fee it pays,
	 * and the movement from the ledger plan. */
	int choice;
	int64_t amount, fee;
	struct desk_money money;
	const char *note, *internal;     /* as typed ("" when none) */
	const char *csrf;
};

void view_desk_preview(struct req *r, const struct view_desk_preview *v);

#endif
