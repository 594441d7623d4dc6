/* flow.c: the transition table (DOMAIN.md "the flow") and its lookups. */
#include "base/i18n.h"
#include "rules/flow.h"
#include "store/model.h"

const char *const flow_event_names[FE__MAX] = {
	"approve", "reject", "request_info", "escalate", "to_balance",
	"submit", "route_cs", "route_merchant", "ask_upstream", "pay_original", "pay_balance",
	"payout_done", "payout_failed", "cancel", "evidence", "appeal", "close",
};
/* The staff's buttons; the default note of their timeline steps. */
const char *const flow_event_labels[FE__MAX] = {
	N_("同意退款"), N_("驳回"), N_("要求补充材料"), N_("升级处理"), N_("改退平台余额"),
	N_("提交申请"), N_("转客服初审"), N_("转商家复核"), N_("向上游核实"), N_("发起原路退款"), N_("退到平台余额"),
	N_("原路退款到账"), N_("原路退款失败"), N_("撤销申请"), N_("补充凭证"), N_("申诉"), N_("关闭"),
};

const char *const flow_role_names[FROLE__MAX] = {
	"cs", "merchant", "arbiter", "admin", "buyer", "worker", "system", "api",
};
const char *const flow_actor_names[FROLE__MAX] = {
	"cs", "merchant", "arbiter", "admin", "buyer", "system", "system", "storefront",
};

#define STAFF(r) (FR(r) | FR(FROLE_ADMIN))   /* an admin may act for any reviewer */
#define BUYER FR(FROLE_BUYER)
#define WORKER FR(FROLE_WORKER)
#define SYSTEM FR(FROLE_SYSTEM)
#define API FR(FROLE_API)

/* Review states the buyer may still cancel or add evidence to. */
#define OPEN_STATES(X) X(RS_SUBMITTED) X(RS_AWAITING_UPSTREAM) X(RS_CS_REVIEW) X(RS_MERCHANT_REVIEW) X(RS_ARBITRATION)

#define CANCEL_ROW(s) { s, FE_CANCEL, BUYER, RS_CANCELLED, FDL_NONE, FLOW_HOLD_UNFREEZE, FLOW_GUARD_NONE, \
	FLOW_MARK_NONE, "refund.cancelled", true, N_("买家撤销申请"), true },
#define EVIDENCE_ROW(s) { s, FE_EVIDENCE, BUYER, s, FDL_NONE, FLOW_HOLD_NONE, FLOW_GUARD_NONE, \
	FLOW_MARK_NONE, NULL, true, N_("买家补充了凭证"), false },
/* A reviewer's decisions on the state it reviews. */
#define DECIDE_ROWS(s, who) \
	{ s, FE_APPROVE, who, RS_APPROVED, FDL_NONE, FLOW_HOLD_REFUND, FLOW_GUARD_NONE, FLOW_MARK_NONE, \
	  "refund.approved", true, N_("同意退款"), false }, \
	{ s, FE_REJECT, who, RS_REJECTED, FDL_APPEAL, FLOW_HOLD_UNFREEZE, FLOW_GUARD_NONE, FLOW_MARK_NONE, \
	  "refund.rejected", true, N_("驳回"), false }, \
	{ s, FE_REQUEST_INFO, who, RS_NEED_INFO, FDL_NEED_INFO, FLOW_HOLD_NONE, FLOW_GUARD_NONE, FLOW_MARK_NONE, \
	  NULL, true, N_("要求补充材料"), false },

const struct flow_row flow_rows[] = {
	/* Filing: the row is inserted already in the state the transaction
	 * ends in; the policy routes it to a reviewer or approves at once. */
	{ FLOW_NEW, FE_SUBMIT, BUYER, RS_SUBMITTED, FDL_NONE, FLOW_HOLD_NONE, FLOW_GUARD_NONE, FLOW_MARK_NONE,
	  "refund.submitted", true, N_("买家提交退款申请"), false },
	{ RS_SUBMITTED, FE_ROUTE_CS, SYSTEM, RS_CS_REVIEW, FDL_CS_REVIEW, FLOW_HOLD_FREEZE, FLOW_GUARD_NONE,
	  FLOW_MARK_NONE, NULL, true, N_("转客服初审"), false },
	{ RS_SUBMITTED, FE_ROUTE_MERCHANT, SYSTEM, RS_MERCHANT_REVIEW, FDL_MERCHANT_REVIEW, FLOW_HOLD_FREEZE,
	  FLOW_GUARD_NONE, FLOW_MARK_NONE, NULL, true, N_("转商家复核"), false },
	{ RS_SUBMITTED, FE_APPROVE, SYSTEM, RS_APPROVED, FDL_NONE, FLOW_HOLD_REFUND, FLOW_GUARD_NONE,
	  FLOW_MARK_NONE, "refund.approved", true, N_("同意退款"), false },
	/* Review only because nobody reported the goods' use: the storefront,
	 * which knows its supplier, is asked first; the hold is frozen as for
	 * review. Its answer runs the policy again (store/upstream_ask.c):
	 * unused pays at once, anything else goes to a person, and so does
	 * silence past the deadline (the worker). Never a refund by timeout. */
	{ RS_SUBMITTED, FE_ASK_UPSTREAM, SYSTEM, RS_AWAITING_UPSTREAM, FDL_UPSTREAM, FLOW_HOLD_FREEZE,
	  FLOW_GUARD_NONE, FLOW_MARK_NONE, "usage.requested", true, N_("商品使用状态未知，正在向上游核实"), true },
	{ RS_AWAITING_UPSTREAM, FE_APPROVE, SYSTEM, RS_APPROVED, FDL_NONE, FLOW_HOLD_REFUND, FLOW_GUARD_NONE,
	  FLOW_MARK_NONE, "refund.approved", true, N_("上游确认未使用，同意退款"), false },
	{ RS_AWAITING_UPSTREAM, FE_ROUTE_CS, SYSTEM | WORKER, RS_CS_REVIEW, FDL_CS_REVIEW, FLOW_HOLD_NONE,
	  FLOW_GUARD_NONE, FLOW_MARK_NONE, NULL, true, N_("转客服初审"), false },

	/* Review: customer service, the merchant, the arbiter. */
	DECIDE_ROWS(RS_CS_REVIEW, STAFF(FROLE_CS))
	{ RS_CS_REVIEW, FE_ESCALATE, STAFF(FROLE_CS) | WORKER, RS_MERCHANT_REVIEW, FDL_MERCHANT_REVIEW,
	  FLOW_HOLD_NONE, FLOW_GUARD_NONE, FLOW_MARK_NONE, NULL, true, N_("升级处理"), false },
	/* The merchant's silence is consent (the worker approves at the deadline). */
	{ RS_MERCHANT_REVIEW, FE_APPROVE, STAFF(FROLE_MERCHANT) | WORKER, RS_APPROVED, FDL_NONE, FLOW_HOLD_REFUND,
	  FLOW_GUARD_NONE, FLOW_MARK_NONE, "refund.approved", true, N_("同意退款"), false },
	{ RS_MERCHANT_REVIEW, FE_REJECT, STAFF(FROLE_MERCHANT), RS_REJECTED, FDL_APPEAL, FLOW_HOLD_UNFREEZE,
	  FLOW_GUARD_NONE, FLOW_MARK_NONE, "refund.rejected", true, N_("驳回"), false },
	{ RS_MERCHANT_REVIEW, FE_REQUEST_INFO, STAFF(FROLE_MERCHANT), RS_NEED_INFO, FDL_NEED_INFO, FLOW_HOLD_NONE,
	  FLOW_GUARD_NONE, FLOW_MARK_NONE, NULL, true, N_("要求补充材料"), false },
	{ RS_MERCHANT_REVIEW, FE_ESCALATE, STAFF(FROLE_MERCHANT) | WORKER, RS_ARBITRATION, FDL_ARBITRATION,
	  FLOW_HOLD_NONE, FLOW_GUARD_NONE, FLOW_MARK_NONE, NULL, true, N_("升级处理"), false },
	/* Another refund took the money first: nothing left to pay. */
	{ RS_MERCHANT_REVIEW, FE_CLOSE, WORKER, RS_CLOSED, FDL_NONE, FLOW_HOLD_UNFREEZE, FLOW_GUARD_NONE,
	  FLOW_MARK_NONE, NULL, true, N_("订单已无足够的可退金额，申请关闭"), false },
	DECIDE_ROWS(RS_ARBITRATION, STAFF(FROLE_ARBITER))

	/* Waiting on the buyer. */
	{ RS_NEED_INFO, FE_EVIDENCE, BUYER, RS_CS_REVIEW, FDL_CS_REVIEW, FLOW_HOLD_NONE, FLOW_GUARD_NONE,
	  FLOW_MARK_NONE, NULL, true, N_("买家补充了凭证"), false },
	{ RS_NEED_INFO, FE_CLOSE, WORKER, RS_CLOSED, FDL_NONE, FLOW_HOLD_UNFREEZE, FLOW_GUARD_NONE,
	  FLOW_MARK_NONE, NULL, true, N_("买家未在期限内补充材料，申请关闭"), false },
	CANCEL_ROW(RS_NEED_INFO)
	OPEN_STATES(CANCEL_ROW)
	OPEN_STATES(EVIDENCE_ROW)
	{ RS_REJECTED, FE_APPEAL, BUYER, RS_ARBITRATION, FDL_ARBITRATION, FLOW_HOLD_FREEZE, FLOW_GUARD_APPEAL_OPEN,
	  FLOW_MARK_APPEALED, NULL, true, N_("买家申诉，提交平台仲裁"), false },

	/* Paying an approved refund. */
	{ RS_APPROVED, FE_PAY_ORIGINAL, SYSTEM, RS_REFUNDING, FDL_NONE, FLOW_HOLD_NONE, FLOW_GUARD_NONE,
	  FLOW_MARK_NONE, "refund.payout_requested", true, N_("已发起原路退款"), true },
	{ RS_APPROVED, FE_PAY_BALANCE, SYSTEM, RS_REFUNDED, FDL_NONE, FLOW_HOLD_NONE, FLOW_GUARD_NONE,
	  FLOW_MARK_NONE, "refund.refunded", true, N_("已退到平台余额"), true },
	{ RS_REFUNDING, FE_PAYOUT_DONE, API, RS_REFUNDED, FDL_NONE, FLOW_HOLD_PAYOUT_DONE, FLOW_GUARD_NONE,
	  FLOW_MARK_NONE, "refund.refunded", true, N_("原路退款已到账"), true },
	{ RS_REFUNDING, FE_PAYOUT_FAILED, API, RS_REFUNDING, FDL_NONE, FLOW_HOLD_NONE, FLOW_GUARD_NONE,
	  FLOW_MARK_PAYOUT_FAILED, NULL, true, N_("原路退款失败，等待处理"), true },
	/* Only once the payment service said the payout failed: otherwise the
	 * money may still arrive the original way, and would be paid twice. */
	{ RS_REFUNDING, FE_TO_BALANCE, STAFF(FROLE_CS), RS_REFUNDED, FDL_NONE, FLOW_HOLD_PAYOUT_TO_BALANCE,
	  FLOW_GUARD_PAYOUT_FAILED, FLOW_MARK_NONE, "refund.refunded", true, N_("原路退款失败，已改退平台余额"), true },
};
const size_t flow_nrows = sizeof(flow_rows) / sizeof(flow_rows[0]);

const struct flow_row *
flow_find(enum refund_state from, enum flow_event ev, enum flow_role role)
{
	if ((unsigned)role >= FROLE__MAX)
		return NULL;
	for (size_t i = 0; i < flow_nrows; i++)
		if (flow_rows[i].from == from && flow_rows[i].event == ev && (flow_rows[i].roles & FR(role)))
			return &flow_rows[i];
	return NULL;
}

static bool
guard_ok(enum flow_guard g, const struct flow_facts *f, long long now)
{
	switch (g) {
	case FLOW_GUARD_APPEAL_OPEN: return !f->appealed && (f->deadline == 0 || now <= f->deadline);
	case FLOW_GUARD_PAYOUT_FAILED: return f->payout_failed;
	default: return true;
	}
}

const struct flow_row *
flow_allowed(enum refund_state from, enum flow_event ev, enum flow_role role, const struct flow_facts *f,
    long long now)
{
	const struct flow_row *row = flow_find(from, ev, role);
	return row != NULL && guard_ok(row->guard, f, now) ? row : NULL;
}

long long
flow_deadline(const struct flow_row *row, bool appealed, long long now, long long upstream_wait)
{
	switch (row->deadline) {
	case FDL_CS_REVIEW: return now + SLA_CS_REVIEW;
	case FDL_MERCHANT_REVIEW: return now + SLA_MERCHANT_REVIEW;
	case FDL_ARBITRATION: return now + SLA_ARBITRATION;
	case FDL_NEED_INFO: return now + SLA_NEED_INFO;
	case FDL_APPEAL: return appealed ? 0 : now + SLA_APPEAL_WINDOW;   /* after an appeal: final */
	case FDL_UPSTREAM: return now + upstream_wait;
	default: return 0;
	}
}

unsigned
flow_events_allowed(enum refund_state from, enum flow_role role, const struct flow_facts *f, long long now)
{
	unsigned bits = 0;

	for (int ev = 0; ev < FE__MAX; ev++)
		if (flow_allowed(from, (enum flow_event)ev, role, f, now) != NULL)
			bits |= 1u << ev;
	return bits;
}

struct flow_facts
flow_facts_of(const struct refund *rf)
{
	struct flow_facts f = { rf->appealed, rf->payout_failed, rf->deadline };
	return f;
}

unsigned
refund_actions(const struct refund *rf, long long now)
{
	struct flow_facts f = flow_facts_of(rf);
	return flow_events_allowed(rf->state, FROLE_BUYER, &f, now);
}
