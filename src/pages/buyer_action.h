/* buyer_action.h: the common shape of the buyer's POSTs on a refund
 * (cancel, more evidence, appeal): session, body, CSRF, then one
 * transaction that locks the refund, checks it is the buyer's and that the
 * action is allowed in its state, and acts; then 303 to the status page. */
#ifndef RD_BUYER_ACTION_H
#define RD_BUYER_ACTION_H

#include "rules/flow.h"
#include "pages/fields.h"
#include "web/body.h"
#include "store/model.h"

struct buyer_action {
	struct req *r;
	unsigned action;                 /* ACT_* bit (rules/flow.h) */
	/* Irreversible (cancel, appeal): without confirm=1 the confirm page
	 * (views/view_buyer_confirm.c) answers 200 and nothing changes. */
	bool ask_first;
	enum done_flag done;             /* the status page's success banner after it */
	const char *form;                /* its form on the status page ("evidence"): shown again on a refusal */
	bool needs_content;              /* a note or a file is required (补充凭证) */
	struct form_body *body;
	const char *note;
	/* set by act when a per-refund cap refused it (429 / 422, said so) */
	bool over_post_cap, over_file_cap;
	/* the action's writes, after the refund is locked and checked */
	enum rd_err (*act)(struct db *db, struct buyer_action *ba, struct refund *rf);
};

/* A buyer page's refund (r->params[0]) with its timeline and evidence:
 * the buyer's session checked on the same read; false: the answer is
 * written (login, 404, error page). */
bool buyer_refund_load(struct req *r, struct refund *rf);

/* GET /refund/ID/appeal and an unconfirmed cancel or appeal: the refund
 * is read (the buyer's, the action allowed now), its confirm page shown;
 * message says why the appeal's page is shown again (NULL: first time);
 * again (NULL: none) a refused file or note (413/415/422): the appeal's
 * page again with it, or the status page saying it if the action is no
 * longer allowed. */
struct status_again;
void buyer_action_confirm_page(struct req *r, unsigned action, const char *note, const char *message,
    const struct status_again *again);

/* Runs it all and writes the response (whether files come: the route row). */
void buyer_action_run(struct buyer_action *ba);

/* Inserts the uploaded files as evidence rows after the existing ones. */
enum rd_err buyer_action_add_evidence(struct db *db, struct buyer_action *ba, struct refund *rf);

#endif
