/* buyer_action.c: the shared driver of cancel, evidence and appeal. */
#include <stdio.h>
#include <string.h>

#include "pages/buyer_action.h"
#include "base/config.h"
#include "store/db.h"
#include "store/evidence_refs.h"
#include "base/i18n.h"
#include "pages/handlers.h"
#include "web/html.h"
#include "views/view_buyer_confirm.h"
#include "views/view_refund_status.h"

static enum rd_err
action_tx(struct db *db, void *ctx)
{
	struct buyer_action *ba = ctx;
	struct refund rf;
	enum rd_err e;

	if ((e = refund_load(db, ba->r->a, ba->r->params[0], true, &rf)) != RD_OK)
		return e;
	if (!session_allows(&ba->r->sess, rf.buyer_id, rf.order_no))
		return RD_ERR_NOTFOUND;
	if ((refund_actions(&rf, ba->r->now) & ba->action) == 0)
		return RD_ERR_CONFLICT;
	return ba->act(db, ba, &rf);
}

enum rd_err
buyer_action_add_evidence(struct db *db, struct buyer_action *ba, struct refund *rf)
{
	struct form_body *b = ba->body;
	struct dbval q[] = { DB_INT(rf->id) };
	struct dbres res;
	enum rd_err e;

	if (b->nfiles == 0)
		return RD_OK;
	if ((e = db_query(db, ba->r->a, Q_EVIDENCE_NEXT_SEQ, q, 1, &res)) != RD_OK)
		return e;
	long long seq = db_cell_int(&res, 0, 0);
	if (seq + (long long)b->nfiles > ba->r->app->cfg->files_per_refund) {
		ba->over_file_cap = true;        /* a request holds at most files_per_refund files */
		return RD_ERR_TOOBIG;
	}
	for (size_t i = 0; i < b->nfiles; i++) {
		const struct upload *u = b->files[i];
		struct dbval p[] = { DB_INT(rf->id), DB_INT(seq + 1 + (long long)i), DB_STR(u->sha256),
			DB_STR(evidence_mime[u->type]), DB_INT(u->size), DB_STR(u->orig_name),
			DB_INT(ba->r->now) };
		if ((e = db_exec(db, Q_EVIDENCE_INSERT, p, 7, NULL, NULL)) != RD_OK)
			return e;
	}
	return refund_evidence_changed(db, rf->id);
}

bool
buyer_refund_load(struct req *r, struct refund *rf)
{
	enum rd_err e;

	/* No cookie: refused before any read. With one, the refund's row brings
	 * its buyer's session generation: one round trip for the page. */
	if (r->session_cookie == NULL && !require_session(r))
		return false;
	e = refund_load(r->app->db, r->a, r->params[0], false, rf);
	if (!require_session_of(r, e == RD_OK ? rf->buyer_id : NULL, rf->buyer_gen))
		return false;
	if (e != RD_OK) {
		fail_page(r, e);
		return false;
	}
	if (!session_allows(&r->sess, rf->buyer_id, rf->order_no)) {
		not_found_page(r);
		return false;
	}
	return true;
}

void
buyer_action_confirm_page(struct req *r, unsigned action, const char *note, const char *message,
    const struct status_again *again)
{
	struct refund rf;

	if (!buyer_refund_load(r, &rf))
		return;
	if ((refund_actions(&rf, r->now) & action) == 0) {
		if (again != NULL)
			refund_status_again(r, again);   /* its message in the status page's banner */
		else
			html_error_page(r, 409, N_("当前状态不能进行此操作"), N_("退款申请的状态已经变化，请返回进度页查看。"));
		return;
	}
	if (again != NULL)
		r->status = again->status;
	struct view_buyer_confirm v = {
		.what = action == ACT_APPEAL ? BC_APPEAL : BC_CANCEL, .csrf = req_csrf(r),
		.public_id = rf.public_id, .order_no = rf.order_no, .title = rf.title,
		.deadline = rf.deadline, .note = note, .message = message,
		.amount = action == ACT_APPEAL && rf.state == RS_REFUNDED ? rf.amount : 0,   /* i10-appeal2 */
		.file_err = again != NULL ? again->err : NULL,
		.max_bytes = r->app->cfg->evidence_max_bytes, .max_files = r->app->cfg->evidence_max_files,
	};
	view_buyer_confirm(r, &v);
}

void
buyer_action_run(struct buyer_action *ba)
{
	struct req *r = ba->r;
	const struct config *cfg = r->app->cfg;
	struct form_body *b = r->form;   /* read and checked by the gate, after budget and session */
	enum rd_err e;
	char loc[96];

	ba->body = b;
	/* A file too large or of a wrong type: the form again (413 / 415). */
	struct status_again again = { .action = ba->form, .note = r->f.kept[BA_NOTE] };
	again.status = evidence_refusal(r, &again.err);
	if (again.status == 0 && !body_ok(r))
		return;
	if (!csrf_ok(r, r->f.v[F_CSRF]))
		return;
	ba->note = r->f.v[BA_NOTE] != NULL ? r->f.v[BA_NOTE] : "";
	if (again.status == 0 && (again.err = r->f.err[BA_NOTE]) != NULL)
		again.status = 422;
	if (again.status == 0 && b->files_over > 0) {
		again.err = arena_printf(r->a, _("最多只能上传 %d 个凭证文件（本次选择了 %zu 个）。"),
		    cfg->evidence_max_files, b->nfiles + b->files_over);
		again.status = 422;
	}
	if (again.status == 0 && ba->needs_content && b->nfiles == 0 && ba->note[0] == '\0') {
		again.err = N_("请填写补充说明，或选择至少一个凭证文件。");
		again.status = 422;
	}
	if (again.status != 0) {
		if (ba->action == ACT_APPEAL) {
			/* The appeal's form is its own page: drawn again, note kept. */
			buf_reset(&r->body);
			buyer_action_confirm_page(r, ACT_APPEAL, again.note != NULL ? again.note : "", NULL, &again);
		} else if (ba->form != NULL)
			refund_status_again(r, &again);
		else
			html_error_page(r, again.status, N_("提交的内容有误"), again.err);
		return;
	}
	if (ba->ask_first && r->f.v[BA_CONFIRM] == NULL) {
		buyer_action_confirm_page(r, ba->action, ba->note,
		    ba->action == ACT_APPEAL ? N_("请勾选确认：申诉只有一次机会。上传的文件需要重新选择。") : NULL, NULL);
		return;
	}
	if ((e = body_place(r, b)) != RD_OK) {
		fail_page(r, e);
		return;
	}
	e = db_tx(r->app->db, action_tx, ba);
	evidence_keep_recorded(r->app->db, r->a, b->files, b->nfiles, e == RD_OK);
	if (e != RD_OK) {
		if (ba->over_post_cap) {
			char msg[160];
			snprintf(msg, sizeof(msg), _("每个退款申请最多补充 %d 次说明或凭证，已达上限；客服会根据已有材料处理。"),
			    cfg->buyer_posts_per_refund);
			html_error_page(r, 429, N_("补充次数已达上限"), msg);
		} else if (ba->over_file_cap) {
			char msg[160];
			snprintf(msg, sizeof(msg), _("每个退款申请最多 %d 个凭证文件，已达上限。"), cfg->files_per_refund);
			html_error_page(r, 422, N_("凭证文件数量已达上限"), msg);
		} else if (e == RD_ERR_CONFLICT)
			html_error_page(r, 409, N_("当前状态不能进行此操作"), N_("退款申请的状态已经变化，请返回进度页查看。"));
		else
			fail_page(r, e);
		return;
	}
	snprintf(loc, sizeof(loc), "/refund/%s?done=%s", r->params[0], done_flag_names[ba->done]);
	resp_redirect(r, loc);
}
