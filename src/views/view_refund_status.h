/* view_refund_status.h: GET /refund/ID: state, the next step with its
 * named deadline and time left, amounts line by line, timeline, evidence
 * and the actions allowed now, from a refund the handler loaded. */
#ifndef RD_VIEW_REFUND_STATUS_H
#define RD_VIEW_REFUND_STATUS_H

#include <stdbool.h>

#include "rules/next_step.h"
#include "store/model.h"
#include "web/http.h"

/* A buyer action's form refused (a file too large or of a wrong type, an
 * empty 补充凭证, a bad note): the page again with what was typed. */
struct status_again {
	int status;                    /* 413, 415, 422 */
	const char *action;            /* the form's path part: "evidence", "appeal" */
	const char *note;              /* as typed */
	const char *err;               /* the message, under the form */
};

struct view_refund_status {
	const struct refund *rf;       /* loaded with its timeline and evidence */
	/* What the buyer may do now (the rules decide; the view shows). */
	bool can_add_evidence, can_appeal, can_cancel;
	long long evidence_max_bytes;  /* the upload limits (config), for the picker */
	int evidence_max_files;
	bool buyer_signed_in;          /* a real buyer's session (not a look-up's '_'): "退出" */
	const char *csrf;
	struct next_step next;         /* rules/next_step.c */
	const char *arrival;           /* the config's expected arrival for this refund's channel */
	const char *banner;            /* the success message of the action just done, or NULL */
	struct status_again again;     /* .action NULL: none */
};

void view_refund_status(struct req *r, const struct view_refund_status *v);

#endif
