/* api_refunds_post.c: POST /api/v1/refunds: an API client (CONTRACT.md §7)
 * files a refund request as its buyer, through the same transaction as the
 * buyer's form (store/submit.c): the policy decides once, `idem` makes a
 * retry return the first result, never a second request. The storefront's
 * own signature is refused: it has no buyer to act as. JSON, or multipart
 * with a `json` part and `evidence` file parts (api_multipart.c). */
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "base/config.h"
#include "base/log.h"
#include "pages/fields.h"
#include "pages/handlers.h"
#include "store/db.h"
#include "store/evidence_refs.h"
#include "web/body.h"
#include "store/submit.h"

/* The refund as it now stands: 201 for a new one, 200 for idem's first. */
static void
answer_refund(struct req *r, const char *public_id, int status, const char *buyer)
{
	struct refund rf;
	enum rd_err e = refund_load(r->app->db, r->a, public_id, false, &rf);

	if (e != RD_OK) {
		api_fail(r, e);
		return;
	}
	json_object *resp = json_object_new_object();
	json_object_object_add(resp, "refund", api_refund_json_for(&rf, buyer));
	api_json(r, status, resp);
}

static void
open_conflict(struct req *r, const char *open_refund)
{
	json_object *o = json_object_new_object(), *e = json_object_new_object();

	json_object_object_add(e, "code", json_object_new_string("refund_open"));
	json_object_object_add(e, "message", json_object_new_string("a request for this order is already open"));
	json_object_object_add(e, "refund_id", json_object_new_string(open_refund));
	json_object_object_add(o, "error", e);
	api_json(r, 409, o);
}

/* The body's fields, each through the HTML form's own row (fields.c), so
 * the API and the form cannot disagree on a limit. */
static bool
read_fields(struct req *r, json_object *root, struct submit *s)
{
	int t, d;

	if (!api_ident(r, root, "order_no", ORDER_NO_MAX, &s->order_no) ||
	    (t = api_enum(r, root, "type", refund_type_names, RT__MAX, false)) < 0 ||
	    !api_form_field(r, root, &refund_form[F_REASON], false, &s->reason) ||
	    (d = api_enum(r, root, "destination", destination_names, DEST__MAX, false)) < 0 ||
	    !api_form_field(r, root, &refund_form[F_IDEM], false, &s->idem) ||
	    !api_form_field(r, root, &refund_form[F_WRONG], true, &s->wrong_account))
		return false;
	/* A client's refund goes to the buyer's balance at this desk: the
	 * original payment path is the buyer's own, not a reseller's to choose. */
	if (d != DEST_BALANCE) {
		api_error(r, 422, "bad_value", "destination must be balance");
		return false;
	}
	s->type = (enum refund_type)t;
	s->dest = DEST_BALANCE;
	if (s->type == RT_WRONG_ACCOUNT && s->wrong_account == NULL) {
		api_error(r, 422, "missing_field", "wrong_account is required for type wrong_account");
		return false;
	}
	if (s->type != RT_WRONG_ACCOUNT || s->wrong_account == NULL)
		s->wrong_account = "";
	return true;
}

void
api_refunds_post(struct req *r)
{
	const struct config *cfg = r->app->cfg;
	json_object *root;
	const char *buyer, *idem_hit = NULL;
	struct order o;
	enum rd_err e;

	struct form_body *form = NULL;
	bool multipart = strncasecmp(r->content_type, "multipart/form-data", 19) == 0;

	if (multipart ? !api_begin_multipart(r, "evidence", &buyer, &root, &form) :
	    !api_begin_as(r, &root, true, &buyer))
		return;
	if (buyer == NULL) {
		json_object_put(root);
		api_error(r, 403, "client_only", "this call acts as a buyer: sign it as an API client (X-RD-Client)");
		return;
	}
	struct submit s = { .client_ip = r->remote_addr, .now = r->now, .cfg = cfg, .a = r->a };
	bool ok = read_fields(r, root, &s);
	if (ok) {
		/* Copies that outlive the JSON tree. */
		s.order_no = arena_strndup(r->a, s.order_no, strlen(s.order_no));
		s.reason = arena_strndup(r->a, s.reason, strlen(s.reason));
		s.idem = arena_strndup(r->a, s.idem, strlen(s.idem));
		s.wrong_account = arena_strndup(r->a, s.wrong_account, strlen(s.wrong_account));
		ok = s.order_no && s.reason && s.idem && s.wrong_account;
		if (!ok)
			api_fail(r, RD_ERR_NOMEM);
	}
	json_object_put(root);
	if (!ok)
		return;
	/* Another buyer's order is "not found", exactly as one that does not exist. */
	if ((e = submit_read(r->app->db, r->a, s.order_no, s.idem, r->remote_addr, r->now, &cfg->risk, &o,
	    &idem_hit, &s.risk)) == RD_OK && strcmp(o.buyer_id, buyer) != 0)
		e = RD_ERR_NOTFOUND;
	if (e != RD_OK) {
		api_fail(r, e);
		return;
	}
	if (idem_hit != NULL) {
		answer_refund(r, idem_hit, 200, buyer);
		return;
	}
	if (o.open_refund[0] != '\0') {
		open_conflict(r, o.open_refund);
		return;
	}
	policy_decide(&o.facts, &cfg->categories[o.facts.category], s.type, r->now, &s.risk, &cfg->risk, &s.d);
	if (s.d.kind == DECIDE_NOT_ALLOWED) {
		api_error(r, 422, "not_allowed", "%s", policy_reason_text(s.d.reason));
		return;
	}
	if (form != NULL) {
		s.files = form->files;
		s.nfiles = form->nfiles;
	}
	if (s.d.evidence_required && s.nfiles == 0) {
		api_error(r, 422, "evidence_required", "this type of request needs evidence (evidence parts)");
		return;
	}
	s.buyer_id = o.buyer_id;
	s.pre = &o;
	if (form != NULL && (e = body_place(r, form)) != RD_OK) {
		api_fail(r, e);
		return;
	}
	e = submit_refund(r->app->db, &s);
	/* Files a committed row names stay; the arena's reset removes the rest. */
	evidence_keep_recorded(r->app->db, r->a, s.files, s.nfiles, e == RD_OK && !s.existing);
	if (e == RD_ERR_CONFLICT && s.open_refund != NULL) {
		open_conflict(r, s.open_refund);
		return;
	}
	if (e == RD_ERR_INPUT) {
		api_error(r, 422, "not_allowed", "%s", s.refusal ? s.refusal : policy_reason_text(s.d.reason));
		return;
	}
	if (e != RD_OK) {
		api_fail(r, e);
		return;
	}
	log_info("refund %s order=%s type=%s decision=%s via api-client", s.public_id, o.order_no,
	    refund_type_names[s.type], s.existing ? "existing" : decision_kind_names[s.d.kind]);
	answer_refund(r, s.public_id, s.existing ? 200 : 201, buyer);
}
