/* h_desk_decision.c: POST /desk/refund/ID/decision: one of the staff's
 * events of the flow (rules/flow.c: approve, full or partial; reject;
 * request_info; escalate; to_balance). One transaction with the refund
 * and its order locked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/body.h"
#include "base/config.h"
#include "store/db.h"
#include "rules/desk.h"
#include "pages/handlers.h"
#include "web/html.h"
#include "store/flow_apply.h"
#include "base/log.h"
#include "pages/staff_auth.h"
#include "base/utf8.h"

struct decision_tx {
	struct req *r;
	const struct staff *st;
	enum desk_action action;
	long long amount;            /* -1: the full refund amount */
	const char *note;
	const char *why;             /* 422 message when RD_ERR_INPUT */
};

static enum rd_err
decide(struct db *db, void *ctx)
{
	struct decision_tx *t = ctx;
	struct req *r = t->r;
	struct refund rf;
	struct order o;
	enum rd_err e;

	if ((e = refund_load(db, r->a, r->params[0], true, &rf)) != RD_OK ||
	    (e = order_load(db, r->a, rf.order_no, true, &o)) != RD_OK)
		return e;
	if (!desk_may_see(t->st, rf.merchant_id))
		return RD_ERR_NOTFOUND;
	if (!(desk_actions(t->st->role, &rf) & (1u << t->action)))
		return RD_ERR_CONFLICT;
	if (t->action == DA_APPROVE && t->amount >= 0 && t->amount != rf.amount) {
		if (t->amount < 1 || t->amount > rf.requested - rf.fee) {
			t->why = "退款金额超出可退范围。";
			return RD_ERR_INPUT;
		}
		struct dbval p[] = { DB_INT(t->amount), DB_INT(rf.id) };
		if ((e = db_exec(db, Q_REFUND_SET_AMOUNT, p, 2, NULL, NULL)) != RD_OK)
			return e;
		rf.amount = t->amount;
	}
	/* The rest (state, deadline, hold, ledger, webhook) is the flow's row. */
	struct flow_step step = {
		.event = (enum flow_event)t->action, .role = (enum flow_role)t->st->role, .note = t->note,
		.now = r->now, .o = &o,
	};
	return flow_apply(db, r->a, &rf, &step);
}

void
h_desk_decision(struct req *r)
{
	struct staff st;
	struct decision_tx t = { .r = r, .st = &st, .amount = -1 };
	enum rd_err e;
	char loc[80];

	if (!staff_post(r, &st))
		return;
	/* Checked by the gate (decision_form); what depends on the action here. */
	const char *action = r->f.v[DD_ACTION], *amount = r->f.v[DD_AMOUNT];
	t.note = r->f.v[DD_NOTE] != NULL ? r->f.v[DD_NOTE] : "";
	int a = action ? enum_lookup(desk_action_names, DA__MAX, action) : -1;
	const char *bad = NULL;
	if (a < 0)
		bad = "请选择处理方式。";
	else if (r->f.err[DD_NOTE] != NULL)
		bad = r->f.err[DD_NOTE];
	else if ((a == DA_REJECT || a == DA_REQUEST_INFO) && utf8_chars(t.note, strlen(t.note)) < 2)
		bad = "驳回或要求补充材料时，请填写给买家的说明。";
	else if (a == DA_APPROVE && r->f.err[DD_AMOUNT] != NULL)
		bad = "退款金额必须是以分为单位的整数。";
	else if (a == DA_APPROVE && amount != NULL && amount[0] != '\0')
		t.amount = strtoll(amount, NULL, 10);
	if (bad != NULL) {
		html_error_page(r, 422, "提交的内容有误", bad);
		return;
	}
	t.action = (enum desk_action)a;
	if ((e = db_tx(r->app->db, decide, &t)) != RD_OK) {
		if (e == RD_ERR_INPUT)
			html_error_page(r, 422, "提交的内容有误", t.why ? t.why : "提交的内容有误。");
		else if (e == RD_ERR_CONFLICT)
			html_error_page(r, 409, "当前状态不能进行此操作", "申请的状态已经变化，或您的角色不能处理此状态，请返回查看。");
		else
			fail_page(r, e);
		return;
	}
	char safe[80];
	log_info("desk %s by %s on %s", desk_action_names[t.action], log_safe(st.login, safe, sizeof(safe)), r->params[0]);
	snprintf(loc, sizeof(loc), "/desk/refund/%s", r->params[0]);
	resp_redirect(r, loc);
}
