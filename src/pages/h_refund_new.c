/* h_refund_new.c: /refund/new. GET shows the order, what each refund type
 * allows and why, and the form; POST validates, stores evidence and files
 * the request (submit.c), or shows the form again with one message per
 * bad field and the entered values kept. The page itself is
 * views/view_refund_form.c, from the struct render_form() fills. */
#include <stdio.h>
#include <string.h>

#include "web/body.h"
#include "base/config.h"
#include "base/crypto.h"
#include "store/db.h"
#include "store/evidence_refs.h"
#include "base/i18n.h"
#include "pages/handlers.h"
#include "web/html.h"
#include "base/log.h"
#include "base/money.h"
#include "pages/fields.h"
#include "store/submit.h"
#include "views/view_refund_form.h"

/* The form's fields and their limits: refund_form in pages/fields.c. */

/* The policy's verdict on each type (no risk facts: they never refuse),
 * decided once for the request: it draws the form and checks the POST. */
static void
decide_types(struct req *r, const struct order *o, struct view_refund_form *fs)
{
	policy_decide_all(&o->facts, &r->app->cfg->categories[o->facts.category], r->now, fs->types);
	/* Asking upstream switched off (upstream.wait_seconds 0): a person at once. */
	for (int t = 0; t < RT__MAX && r->app->cfg->upstream_wait == 0; t++)
		fs->types[t].ask_upstream = false;
}

/* Everything else the form page shows that the buyer did not type. */
static void
render_form(struct req *r, const struct order *o, struct view_refund_form *fs)
{
	const struct config *cfg = r->app->cfg;

	fs->o = o;
	fs->fully_refunded = order_refundable(o) == 0;
	fs->can_confirm = o->hold_state == HOLD_HELD;
	fs->csrf = req_csrf(r);
	fs->evidence_max_bytes = cfg->evidence_max_bytes;
	fs->evidence_max_files = cfg->evidence_max_files;
	view_refund_form(r, fs);
}

/* Loads the order and checks the session may see it. */
static bool
load_order(struct req *r, const char *no, struct order *o, struct risk_facts *risk, int status_if_not_theirs)
{
	enum rd_err e;

	if (no == NULL) {                /* absent or not an order number (the gate) */
		if (require_session(r))
			not_found_page(r);
		return false;
	}
	/* The order's row brings its buyer's session generation: the cookie is
	 * checked without a round trip of its own (require_session_of). */
	e = form_read(r->app->db, r->a, no, r->remote_addr, r->now, &r->app->cfg->risk, o, risk);
	if (!require_session_of(r, e == RD_OK ? o->buyer_id : NULL, o->buyer_gen))
		return false;
	if (e != RD_OK) {
		fail_page(r, e);
		return false;
	}
	if (!session_allows(&r->sess, o->buyer_id, o->order_no)) {
		if (status_if_not_theirs == 404)
			not_found_page(r);
		else
			html_error_page(r, 403, N_("无权操作"), N_("这个订单不属于当前登录的买家。"));
		return false;
	}
	return true;
}

void
h_refund_new_get(struct req *r)
{
	struct order o;
	struct view_refund_form fs;
	struct risk_facts risk;
	char idem[33];

	if ((r->session_cookie == NULL && !require_session(r)) ||
	    !load_order(r, r->q.v[NQ_ORDER], &o, &risk, 404))
		return;
	memset(&fs, 0, sizeof(fs));
	random_token(idem, 32);
	fs.idem = idem;
	/* After 确认收货 (its redirect's flag), once the hold is released. */
	if (r->q.v[NQ_DONE] != NULL && ENUM_LOOKUP(done_flag_names, r->q.v[NQ_DONE]) == DONE_CONFIRMED &&
	    o.hold_state != HOLD_HELD && o.hold_state != HOLD_FROZEN)
		fs.done = N_("已确认收货，货款已结算给商家。");
	decide_types(r, &o, &fs);
	/* The form tells the truth: where the risk facts would send a choice
	 * to a person, it says 需人工审核 before the buyer submits (the
	 * reason names no rule). The POST decides again on its own read. */
	for (int t = 0; t < RT__MAX; t++)
		policy_apply_risk(&fs.types[t], &risk, &r->app->cfg->risk);
	render_form(r, &o, &fs);
}

static void
redirect_to_refund(struct req *r, const char *public_id)
{
	char loc[96];
	snprintf(loc, sizeof(loc), "/refund/%s?done=submitted", public_id);
	resp_redirect(r, loc);
}

/* The gate's field checks, then what only the order can tell: is this type
 * allowed, is evidence needed, how many files. The type's verdict
 * (fs->types, decided once for the request) with the risk facts (they
 * never refuse) goes to *d. Returns the number of bad fields. */
static int
validate(struct req *r, const struct form_body *b, struct view_refund_form *fs, const struct risk_facts *risk,
    struct decision *d)
{
	int bad = (int)r->f.bad;

	memcpy(fs->err, r->f.err, sizeof(fs->err));

	if (fs->err[F_TYPE] == NULL) {
		enum refund_type t = (enum refund_type)ENUM_LOOKUP(refund_type_names, fs->type);
		*d = fs->types[t];
		policy_apply_risk(d, risk, &r->app->cfg->risk);
		if (d->kind == DECIDE_NOT_ALLOWED) {
			fs->err[F_TYPE] = policy_reason_text(d->reason);
			bad++;
		} else if (d->evidence_required && b->nfiles == 0) {
			fs->err_evidence = N_("这类申请需要上传凭证（截图、充值记录或付款记录）。");
			bad++;
		}
		if (t == RT_WRONG_ACCOUNT && (fs->wrong == NULL || fs->wrong[0] == '\0') &&
		    fs->err[F_WRONG] == NULL) {
			fs->err[F_WRONG] = N_("请填写正确的充值账号。");
			bad++;
		}
	}
	const char *refused_msg = NULL;
	if (evidence_refusal(r, &refused_msg) != 0) {
		fs->err_evidence = refused_msg;  /* over the others: the file must be chosen again */
		bad++;
	}
	if (b->files_over > 0 && fs->err_evidence == NULL) {
		fs->err_evidence = arena_printf(r->a, _("最多只能上传 %d 个凭证文件（本次选择了 %zu 个）。"),
		    r->app->cfg->evidence_max_files, b->nfiles + b->files_over);
		bad++;
	}
	return bad;
}

static void
submit_failed(struct req *r, struct submit *s, enum rd_err e, const struct order *o,
    const struct decision *types)
{
	if (e == RD_ERR_CONFLICT && s->open_refund != NULL) {
		r->status = 409;
		view_refund_conflict(r, s->open_refund);
		return;
	}
	if (e == RD_ERR_INPUT) {
		/* The order changed between the form check and the lock (delivery
		 * reported, window closed): the policy's reason, as a field error. */
		struct view_refund_form fs;
		memset(&fs, 0, sizeof(fs));
		fs.type = s->type < RT__MAX ? refund_type_names[s->type] : NULL;
		fs.reason = s->reason;
		fs.dest = destination_names[s->dest];
		fs.wrong = s->wrong_account;
		fs.idem = s->idem;
		fs.err[F_TYPE] = s->refusal ? s->refusal : policy_reason_text(s->d.reason);
		memcpy(fs.types, types, sizeof(fs.types));
		r->status = 422;
		render_form(r, o, &fs);
		return;
	}
	fail_page(r, e);
}

/* What the POST's check decided on the locked order (submit.h check):
 * kept for the answer, which is written once the transaction is over. */
enum post_verdict { PV_FILE, PV_FORBIDDEN, PV_INVALID };

struct post_check {
	struct req *r;
	struct view_refund_form fs;
	struct order o;            /* the order as locked (its strings live in r->a) */
	bool have_order;
	enum post_verdict v;
	int bad_status;            /* PV_INVALID: 422, or the refused file's 413 / 415 */
};

/* The submission's checks on its one read of the order, inside the
 * transaction (submit_tx): the session may act on the order, this form's
 * earlier request, the fields against the order and the risk facts (the
 * evidence files were placed before it, h_refund_new_post). Nothing is
 * written to the response here: the transaction may run again. */
static enum rd_err
post_check(struct submit *s, const struct order *o, const struct risk_facts *risk, const char *idem_hit,
    void *ctx)
{
	struct post_check *pc = ctx;
	struct req *r = pc->r;
	struct form_body *b = r->form;

	pc->o = *o;
	pc->have_order = true;
	s->buyer_id = o->buyer_id;
	if (!session_allows(&r->sess, o->buyer_id, o->order_no)) {
		pc->v = PV_FORBIDDEN;
		return RD_ERR_AUTH;
	}
	/* A resubmitted form (double click, back button) finds its first result. */
	if (idem_hit != NULL && r->f.v[F_IDEM] != NULL && r->f.v[F_IDEM][0] != '\0')
		return RD_OK;
	struct view_refund_form *fs = &pc->fs;
	memset(fs, 0, sizeof(*fs));
	/* As typed: shown again when a field is wrong, the values once all pass. */
	fs->type = r->f.kept[F_TYPE];
	fs->reason = r->f.kept[F_REASON];
	fs->dest = r->f.kept[F_DEST];
	fs->wrong = r->f.kept[F_WRONG];
	fs->idem = r->f.kept[F_IDEM];
	decide_types(r, o, fs);
	const char *refused_msg;
	int refused = evidence_refusal(r, &refused_msg);
	if (validate(r, b, fs, risk, &s->d) > 0) {
		pc->v = PV_INVALID;
		pc->bad_status = refused != 0 ? refused : 422;
		return RD_ERR_INPUT;
	}
	s->type = (enum refund_type)ENUM_LOOKUP(refund_type_names, fs->type);
	s->dest = (enum destination)ENUM_LOOKUP(destination_names, fs->dest);
	s->reason = fs->reason;
	s->wrong_account = s->type == RT_WRONG_ACCOUNT ? fs->wrong : "";
	s->files = b->files;
	s->nfiles = b->nfiles;
	return RD_OK;
}

void
h_refund_new_post(struct req *r)
{
	const struct config *cfg = r->app->cfg;
	const char *refused_msg;
	/* A file too large or of a wrong type: the form again (413 / 415). */
	int refused = evidence_refusal(r, &refused_msg);

	if ((refused == 0 && !body_ok(r)) || !csrf_ok(r, r->f.v[F_CSRF]))
		return;
	if (r->f.v[F_ORDER] == NULL) {      /* absent or not an order number (the gate) */
		not_found_page(r);
		return;
	}
	/* One read of the order, under its lock in the transaction: the
	 * order, the request this form already made and the risk facts. */
	struct post_check pc = { .r = r, .v = PV_FILE };
	struct submit s = {
		.order_no = r->f.v[F_ORDER], .buyer_id = "", .idem = r->f.kept[F_IDEM] ? r->f.kept[F_IDEM] : "",
		.reason = "", .wrong_account = "", .client_ip = r->remote_addr, .now = r->now, .cfg = cfg,
		.a = r->a, .check = post_check, .check_ctx = &pc,
	};
	/* The files take their content-addressed names before the transaction
	 * waits for the order's lock: a worker killed while it waits then
	 * leaves a placed file no row names (`worker`'s sweep), never a temp
	 * file. Unrecorded, they go with the request's arena either way. */
	if (refused == 0 && r->form->nfiles > 0) {
		enum rd_err pe = body_place(r, r->form);
		if (pe != RD_OK) {
			fail_page(r, pe);
			return;
		}
	}
	enum rd_err e = submit_refund(r->app->db, &s);
	evidence_keep_recorded(r->app->db, r->a, r->form->files, r->form->nfiles, e == RD_OK && !s.existing);
	if (e != RD_OK && !pc.have_order) {
		fail_page(r, e);               /* no such order (404), or the database */
		return;
	}
	switch (pc.v) {
	case PV_FORBIDDEN:
		html_error_page(r, 403, N_("无权操作"), N_("这个订单不属于当前登录的买家。"));
		return;
	case PV_INVALID: {
		char idem[33];
		if (pc.fs.err[F_IDEM] != NULL) {
			random_token(idem, 32);
			pc.fs.idem = idem;
		}
		r->status = pc.bad_status;
		render_form(r, &pc.o, &pc.fs);
		return;
	}
	case PV_FILE:
		break;
	}
	if (e != RD_OK) {
		submit_failed(r, &s, e, &pc.o, pc.fs.types);
		return;
	}
	log_info("refund %s order=%s type=%s decision=%s%s", s.public_id, pc.o.order_no,
	    refund_type_names[s.type], s.existing ? "existing" : decision_kind_names[s.d.kind],
	    s.d.risk_flags ? " risk" : "");
	redirect_to_refund(r, s.public_id);
}
