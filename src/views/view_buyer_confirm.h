/* view_buyer_confirm.h: the second page of the buyer's irreversible
 * actions (issue 10): POST /refund/ID/cancel and POST /order/NO/confirm
 * without confirm=1 answer 200 with this page and change nothing; its form
 * posts the same with confirm=1. GET /refund/ID/appeal is the appeal's
 * page (the only one: said so), shown again with the note kept when the
 * POST came without confirm=1. */
#ifndef RD_VIEW_BUYER_CONFIRM_H
#define RD_VIEW_BUYER_CONFIRM_H

#include "store/model.h"
#include "web/http.h"

enum buyer_confirm { BC_CANCEL, BC_RECEIPT, BC_APPEAL };

struct view_buyer_confirm {
	enum buyer_confirm what;
	const char *csrf;
	const char *public_id;     /* BC_CANCEL, BC_APPEAL: the refund */
	const char *order_no;      /* BC_RECEIPT: the order; the others: the refund's order */
	const char *title;         /* the goods */
	int64_t amount;            /* BC_RECEIPT: what the merchant is paid; BC_APPEAL: the partial refund appealed (0: a rejection) */
	long long deadline;        /* BC_APPEAL: 可申诉至 (0: none) */
	const char *note;          /* BC_APPEAL: as typed before, or "" */
	const char *message;       /* BC_APPEAL: why it is shown again, or NULL */
	const char *file_err;      /* BC_APPEAL: a refused file or note (413/415/422), or NULL */
	long long max_bytes;       /* BC_APPEAL: the picker's limits (config) */
	int max_files;
};

void view_buyer_confirm(struct req *r, const struct view_buyer_confirm *v);

#endif
