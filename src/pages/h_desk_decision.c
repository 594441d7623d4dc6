/* h_desk_decision.c: POST /desk/refund/ID/decision: one of the staff's
 * events of the flow (rules/flow.c: approve, full or partial; reject;
 * request_info; escalate; to_balance), in two steps (CONTRACT.md §4):
 * without confirm=1 a preview of what it would do (the money movement from
 * the ledger plan, rules/desk_preview.c) that writes nothing; with confirm=1
 * one transaction with the refund and its order locked. A bad field shows
 * the request page again with the values kept and a message per field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/log.h"
#include "base/money.h"
#include "base/utf8.h"
#include "pages/desk_page.h"
#include "pages/handlers.h"
#include "pages/staff_auth.h"
#include "rules/desk.h"
#include "rules/desk_preview.h"
#include "store/db.h"
#include "store/desk_reads.h"
#include "store/flow_apply.h"
#include "store/internal_notes.h"
#include "store/ledger.h"
#include "store/staff_activity.h"
#include "views/view_desk_preview.h"
#include "web/html.h"

/* The decision as sent, checked field by field before the database. */
struct decision_in {
	enum desk_action action;
	int choice;                  /* enum amount_choice, -1: none */
	bool typed;                  /* an amount was typed */
	int64_t typed_fen;
	const char *note, *internal;
	bool confirm;
	bool next;                   /* then open the next request of the queue */
};

struct decision_tx {
	struct req *r;
	const struct staff *st;
	const struct decision_in *in;
	const char *why;             /* RD_ERR_INPUT: the amount's message; CONFLICT: the page's */
};

/* The approval's amount and fee for rf; NULL or the amount field's message. */
static const char *
resolve(const struct decision_in *in, const struct refund *rf, int64_t *amount, int64_t *fee)
{
	return desk_amount_resolve(in->choice, in->typed ? &in->typed_fen : NULL, rf->requested, rf->fee,
	    rf->amount, amount, fee);
}

static enum rd_err
decide(struct db *db, void *ctx)
{
	struct decision_tx *t = ctx;
	const struct decision_in *in = t->in;
	struct req *r = t->r;
	struct refund rf;
	struct order o;
	enum rd_err e;

	if ((e = refund_load(db, r->a, r->params[0], true, &rf)) != RD_OK ||
	    (e = order_load(db, r->a, rf.order_no, true, &o)) != RD_OK)
		return e;
	if (!desk_may_see(t->st, rf.merchant_id))
		return RD_ERR_NOTFOUND;
	if (!(desk_actions(t->st->role, &rf) & (1u << in->action)))
		return RD_ERR_CONFLICT;
	if (in->action == DA_APPROVE) {
		int64_t amount, fee;
		if ((t->why = resolve(in, &rf, &amount, &fee)) != NULL)
			return RD_ERR_INPUT;
		/* The confirm form carries the previewed amount: a quick choice
		 * that now comes to another sum was not what was confirmed. */
		if (in->typed && in->typed_fen != amount) {
			t->why = N_("可退金额已变化，请返回重新预览。");
			return RD_ERR_CONFLICT;
		}
		if (amount != rf.amount || fee != rf.fee) {
			struct dbval p[] = { DB_INT(amount), DB_INT(fee), DB_INT(rf.id) };
			if ((e = db_exec(db, Q_REFUND_SET_AMOUNT, p, 3, NULL, NULL)) != RD_OK)
				return e;
			rf.amount = amount;
			rf.fee = fee;
		}
	}
	/* The rest (state, deadline, hold, ledger, webhook) is the flow's row. */
	struct flow_step step = {
		.event = (enum flow_event)in->action, .role = (enum flow_role)t->st->role, .note = in->note,
		.now = r->now, .o = &o, .actor_name = t->st->login,
	};
	enum refund_state from = rf.state;
	if ((e = flow_apply(db, r->a, &rf, &step)) != RD_OK)
		return e;
	/* The activity log's row rides in the same transaction: a decision
	 * rolled back (or retried) leaves exactly what committed. */
	if ((e = staff_activity_add(db, t->st, desk_action_names[in->action], rf.id, refund_state_names[from],
	    refund_state_names[rf.state], in->action == DA_APPROVE ? rf.amount : 0, r->remote_addr, r->now)) != RD_OK)
		return e;
	if (in->internal[0] == '\0')
		return RD_OK;
	return internal_note_add(db, rf.id, r->now, flow_actor_names[step.role], t->st->login,
	    desk_action_names[in->action], in->internal);
}

/* The request page again with what was sent and a message per field. */
static void
refused(struct req *r, const struct staff *st, struct view_desk_form *form)
{
	r->status = 422;
	desk_refund_page(r, st, form);
}

#define CONFLICT_MSG N_("申请的状态已经变化，或您的角色不能处理此状态：请看下面的最新状态。")

/* 409: the request moved on (or was never this role's): the request page
 * as it is now, the form as sent, the reason above it; not a dead end. */
static void
conflict(struct req *r, const struct staff *st, struct view_desk_form *form, const char *why)
{
	form->banner = why != NULL ? why : CONFLICT_MSG;
	r->status = 409;
	desk_refund_page(r, st, form);
}

/* Fills in from the gate's checked fields; false with form's messages set. */
static bool
read_fields(struct req *r, struct decision_in *in, struct view_desk_form *form)
{
	for (int i = 0; i < DD__MAX; i++) {
		form->kept[i] = r->f.kept[i];
		form->err[i] = i == DD_CSRF ? NULL : r->f.err[i];
	}
	const char *action = r->f.v[DD_ACTION], *amount = r->f.v[DD_AMOUNT], *choice = r->f.v[DD_CHOICE];
	int a = action ? enum_lookup(desk_action_names, DA__MAX, action) : -1;
	in->note = r->f.v[DD_NOTE] != NULL ? r->f.v[DD_NOTE] : "";
	in->internal = r->f.v[DD_INTERNAL] != NULL ? r->f.v[DD_INTERNAL] : "";
	in->confirm = r->f.v[DD_CONFIRM] != NULL;
	in->next = r->f.v[DD_NEXT] != NULL;
	in->choice = choice != NULL ? enum_lookup(amount_choice_names, AC__MAX, choice) : -1;
	in->typed = amount != NULL && amount[0] != '\0' && money_parse_yuan(amount, &in->typed_fen);
	if (a < 0) {
		if (form->err[DD_ACTION] == NULL)
			form->err[DD_ACTION] = N_("请选择处理方式。");
		return false;
	}
	in->action = (enum desk_action)a;
	/* A reply template stands for the note: the config's text, for this
	 * action, and only when no note was typed (one of the two, not both). */
	const char *tpl = r->f.v[DD_TEMPLATE];
	if (tpl != NULL && tpl[0] != '\0' && form->err[DD_TEMPLATE] == NULL) {
		const struct reply_templates *t = &r->app->cfg->reply_templates;
		int i = atoi(tpl);
		if (i >= t->n || strcmp(t->t[i].action, desk_action_names[a]) != 0) {
			form->err[DD_TEMPLATE] = N_("这条常用回复不适用于所选的处理方式。");
		} else if (in->note[0] != '\0') {
			form->err[DD_TEMPLATE] = N_("请在常用回复和自己填写的说明中二选一。");
		} else {
			in->note = t->t[i].text;
		}
	}
	if ((a == DA_REJECT || a == DA_REQUEST_INFO) && form->err[DD_NOTE] == NULL &&
	    utf8_chars(in->note, strlen(in->note)) < 2) {
		form->err[DD_NOTE] = N_("驳回或要求补充材料时，请填写给买家的说明。");
	}
	/* Only an approval reads the amount: a bad one refuses nothing else. */
	if (a != DA_APPROVE)
		form->err[DD_AMOUNT] = form->err[DD_CHOICE] = NULL;
	for (int i = 0; i < DD__MAX; i++)
		if (form->err[i] != NULL)
			return false;
	return true;
}

/* Without confirm=1: what the decision would do, with nothing written. */
static void
preview(struct req *r, const struct staff *st, const struct decision_in *in, struct view_desk_form *form)
{
	struct refund rf;
	struct order o;

	if (!desk_refund_load(r, st, &rf, &o))
		return;
	const struct flow_row *row = flow_allowed(rf.state, (enum flow_event)in->action, (enum flow_role)st->role,
	    &(struct flow_facts){ rf.appealed, rf.payout_failed, rf.deadline }, r->now);
	if (row == NULL || !(desk_actions(st->role, &rf) & (1u << in->action))) {
		conflict(r, st, form, NULL);
		return;
	}
	struct view_desk_preview v = {
		.rf = &rf, .o = &o, .action = in->action, .row = row, .choice = in->choice,
		.deadline = flow_deadline(row, rf.appealed, r->now, r->app->cfg->upstream_wait), .note = in->note, .internal = in->internal,
		.csrf = st->csrf, .amount = rf.amount, .fee = rf.fee,
	};
	if (row->hold == FLOW_HOLD_REFUND) {
		const char *why = resolve(in, &rf, &v.amount, &v.fee);
		if (why != NULL) {
			form->err[DD_AMOUNT] = why;
			refused(r, st, form);
			return;
		}
		rf.amount = v.amount;
		rf.fee = v.fee;
		struct plan_order po = plan_order_of(&o);
		struct plan_refund pr = plan_refund_of(&rf);
		if (desk_money_preview(&po, &pr, &v.money) != RD_OK) {
			conflict(r, st, form, N_("这笔订单的款项已经退过，或不足以支付这笔退款。"));
			return;
		}
	}
	view_desk_preview(r, &v);
}

/* The request st acts on next: the first of its own queue (the tab it
 * acts on, soonest deadline first, a merchant's own), other than done.
 * NULL when there is none or it cannot be read: the decision is made
 * either way, and its own page is then the answer. */
static const char *
next_request(struct req *r, const struct staff *st, const char *done)
{
	struct desk_filter f = { .type = "", .merchant = "", .search = "", .now = r->now, .limit = 2 };
	struct desk_queue q;

	desk_queue_states(st->role, DESK_TAB_MINE, -1, f.states);
	if (desk_queue_load(r->app->db, r->a, st, &f, &q) != RD_OK)
		return NULL;
	for (size_t i = 0; i < q.n; i++)
		if (strcmp(q.rows[i].public_id, done) != 0)
			return q.rows[i].public_id;
	return NULL;
}

void
h_desk_decision(struct req *r)
{
	struct staff st;
	struct decision_in in = { .choice = -1 };
	struct view_desk_form form = { 0 };
	struct decision_tx t = { .r = r, .st = &st, .in = &in };
	enum rd_err e;
	char loc[160];

	if (!staff_post(r, &st))
		return;
	if (!read_fields(r, &in, &form)) {
		refused(r, &st, &form);
		return;
	}
	if (!in.confirm) {
		preview(r, &st, &in, &form);
		return;
	}
	if ((e = db_tx(r->app->db, decide, &t)) != RD_OK) {
		if (e == RD_ERR_INPUT) {
			form.err[DD_AMOUNT] = t.why;
			refused(r, &st, &form);
		} else if (e == RD_ERR_CONFLICT) {
			conflict(r, &st, &form, t.why);
		} else {
			fail_page(r, e);
		}
		return;
	}
	char safe[80];
	log_info("desk %s by %s on %s", desk_action_names[in.action], log_safe(st.login, safe, sizeof(safe)), r->params[0]);
	const char *next = in.next ? next_request(r, &st, r->params[0]) : NULL;
	if (next != NULL)
		snprintf(loc, sizeof(loc), "/desk/refund/%s?prev=%s", next, r->params[0]);
	else
		snprintf(loc, sizeof(loc), "/desk/refund/%s", r->params[0]);
	resp_redirect(r, loc);
}
