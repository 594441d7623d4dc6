/* policy.c: the refund policy engine. Pure: facts in, one decision out.
 *
 * Goods state decides almost everything (DOMAIN.md), so the facts are first
 * reduced to one usage class, then each refund type has a short rule:
 *
 *   usage class (only once delivered; before delivery nothing is used)
 *     used        card_key: key_revealed_at != 0 || redeemed
 *                 licence: activated_at != 0 || redeemed
 *                 direct_topup kind: topup == succeeded
 *                 account kind: always
 *                 phone_credit category: topup == succeeded, whatever the kind
 *     unused      not used, and card_key: never revealed nor redeemed;
 *                 licence: never activated nor redeemed; direct_topup kind
 *                 or phone_credit: topup == failed. A phone-credit top-up
 *                 still pending is never unused: the credit may yet arrive.
 *     unknown     everything else (kind "", top-up pending or unreported):
 *                 goes to a person, never instant
 *     credit arrived = phone_credit && topup == succeeded
 *
 *   window: deadline = delivered_at + window_secs for every type except
 *   not_delivered and duplicate_charge (deadline 0). now == deadline is in
 *   time, now == deadline + 1 is WINDOW_EXPIRED. Refusals that no amount of
 *   time would change (credit arrived, used) are checked before the window,
 *   so the buyer hears the real reason.
 *
 *   type              facts, in order checked        decision
 *   not_delivered     pending or failed              INSTANT full, recycle  NOT_DELIVERED
 *                     delivered                      no  ALREADY_DELIVERED
 *   topup_failed      not direct_topup/phone_credit  no  TYPE_NOT_FOR_CATEGORY
 *                     not delivered                  no  NOT_YET_DELIVERED
 *                     credit arrived                 no  CREDIT_ARRIVED
 *                     topup failed (any time)        INSTANT full, no deadline  TOPUP_FAILED_UPSTREAM
 *                     past deadline                  no  WINDOW_EXPIRED
 *                     topup succeeded                REVIEW cs, evidence    TOPUP_SUCCEEDED
 *                     pending / unknown              REVIEW cs, mask, ask   NEEDS_REVIEW_TOPUP
 *   invalid_item,     not delivered                  no  NOT_YET_DELIVERED
 *   not_as_described  credit arrived                 no  CREDIT_ARRIVED
 *                     used && !used_refundable       no  USED_NOT_REFUNDABLE
 *                     past deadline                  no  WINDOW_EXPIRED
 *                     otherwise                      REVIEW full, mask      NEEDS_REVIEW_DEFECT
 *                                                    (invalid_item: cs first;
 *                                                     not_as_described: merchant first)
 *   duplicate_charge  always                         REVIEW cs full, mask   NEEDS_REVIEW_DUPLICATE
 *   wrong_account     not direct_topup/phone_credit  no  TYPE_NOT_FOR_CATEGORY
 *                     not delivered                  no  NOT_YET_DELIVERED
 *                     past deadline                  no  WINDOW_EXPIRED
 *                     otherwise                      REVIEW cs, fee, mask   NEEDS_REVIEW_WRONG_ACCOUNT
 *   changed_mind      pending or failed              INSTANT full, recycle  NOT_DELIVERED
 *                     credit arrived                 no  CREDIT_ARRIVED
 *                     used                           no  USED_NO_CHANGED_MIND
 *                     past deadline                  no  WINDOW_EXPIRED
 *                     unused                         INSTANT fee, recycle   UNUSED_CHANGED_MIND
 *                     unknown                        REVIEW cs, fee, ask    UNUSED_CHANGED_MIND
 *
 *   ask: the review is only for the unknown usage class, so the storefront
 *   is asked first (ask_upstream); its answer decides again.
 *
 *   amounts: allowed decisions have requested = amount, fee = money_fee(amount,
 *   fee_bp) where "fee" is written above (else 0), refund = requested - fee.
 *   Not-allowed decisions carry no amounts, reviewer or flags; their deadline
 *   is 0 except WINDOW_EXPIRED, which keeps the deadline that passed.
 *   evidence: the category's evidence_mask bit for the type, never for
 *   not_delivered or changed_mind, never on an instant decision.
 *
 *   risk (only with both risk facts and limits): flags for refunds_24h >=
 *   max_refunds_24h, refunds_90d >= max_refunds_90d, ip_requests_1h >=
 *   max_ip_requests_1h (a limit <= 0 is off) and blacklisted. Any flag turns
 *   INSTANT into REVIEW by cs with reason RISK_REVIEW and the same amounts;
 *   a REVIEW keeps its reason and gets the flags, and is never asked
 *   upstream (a person sees it at once); not-allowed is untouched.
 *
 *   malformed facts (an enum out of range, amount outside 0..MONEY_MAX): not
 *   allowed, TYPE_NOT_FOR_CATEGORY, nothing to pay. Callers validate these
 *   first; this only keeps a bug from paying money.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "rules/domain.h"
#include "base/money.h"
#include "base/i18n.h"
#include "rules/policy.h"

#define HOUR	(60LL * 60)
#define DAY	(24 * HOUR)

/* Types whose claims rest on what the buyer shows us. */
#define EVIDENCE_DEFAULT \
	((1u << RT_TOPUP_FAILED) | (1u << RT_INVALID_ITEM) | \
	 (1u << RT_NOT_AS_DESCRIBED) | (1u << RT_DUPLICATE_CHARGE) | \
	 (1u << RT_WRONG_ACCOUNT))

const char *const decision_kind_names[DECIDE__MAX] = {
	"not_allowed",		/* DECIDE_NOT_ALLOWED */
	"instant",		/* DECIDE_INSTANT */
	"review",		/* DECIDE_REVIEW */
};

/* Spelled as the staff roles of CONTRACT.md §4; none is "". */
const char *const reviewer_names[REVIEWER__MAX] = {
	"",			/* REVIEWER_NONE */
	"cs",			/* REVIEWER_CS */
	"merchant",		/* REVIEWER_MERCHANT */
	"arbiter",		/* REVIEWER_ARBITER */
};

static const char *const reason_texts[PR__MAX] = {
	/* PR_NOT_DELIVERED */
	N_("订单尚未发货，可立即全额退款，系统将停止发货。"),
	/* PR_TOPUP_FAILED_UPSTREAM */
	N_("上游已确认充值失败，可立即全额退款。"),
	/* PR_UNUSED_CHANGED_MIND */
	N_("商品未使用，可扣除回收手续费后立即退款。"),
	/* PR_NEEDS_REVIEW_DEFECT */
	N_("商品问题需人工核实：请上传激活失败截图或商品页面截图，审核通过后全额退款。"),
	/* PR_NEEDS_REVIEW_TOPUP */
	N_("充值结果尚未确认，请上传充值记录或失败截图，客服核实后处理。"),
	/* PR_NEEDS_REVIEW_DUPLICATE */
	N_("客服将核对支付记录，确认重复扣款后全额退回。"),
	/* PR_NEEDS_REVIEW_WRONG_ACCOUNT */
	N_("充错账号属个人原因，客服核实后扣除手续费部分退款。"),
	/* PR_RISK_REVIEW */
	N_("为保障交易安全，本次申请需人工审核后退款。"),
	/* PR_ALREADY_DELIVERED */
	N_("订单已发货，不能按未发货申请退款，请选择其他退款类型。"),
	/* PR_NOT_YET_DELIVERED */
	N_("订单尚未发货，请按“未发货”申请退款。"),
	/* PR_WINDOW_EXPIRED */
	N_("已超过本类商品的退款申请期限。"),
	/* PR_USED_NO_CHANGED_MIND */
	N_("商品已使用（卡密已查看、已充值或已激活），不支持无理由退款。"),
	/* PR_CREDIT_ARRIVED */
	N_("话费已到账，按规则不支持退款。"),
	/* PR_USED_NOT_REFUNDABLE */
	N_("该类商品使用后不支持退款。"),
	/* PR_TYPE_NOT_FOR_CATEGORY */
	N_("该退款类型不适用于本类商品。"),
	/* PR_TOPUP_SUCCEEDED */
	N_("上游显示充值已到账；如实际未到账，请上传到账查询记录，由客服核实。"),
};

const char *
policy_reason_text(enum policy_reason r)
{

	if ((unsigned)r >= PR__MAX)
		return "";
	return reason_texts[r];
}

void
policy_defaults(enum category c, struct category_policy *out)
{

	memset(out, 0, sizeof(*out));
	out->evidence_mask = EVIDENCE_DEFAULT;
	out->used_refundable = true;
	switch (c) {
	case CAT_GAME_CARD:
		out->window_secs = 72 * HOUR;
		out->fee_bp = 1000;
		out->hold_secs = 72 * HOUR;
		break;
	case CAT_DIRECT_TOPUP:
		out->window_secs = 24 * HOUR;
		out->fee_bp = 500;
		out->hold_secs = 24 * HOUR;
		break;
	case CAT_PHONE_CREDIT:
		/* Credit that arrived cannot be taken back from the carrier. */
		out->window_secs = 24 * HOUR;
		out->fee_bp = 500;
		out->used_refundable = false;
		out->hold_secs = 24 * HOUR;
		break;
	case CAT_MEMBERSHIP:
		out->window_secs = 48 * HOUR;
		out->fee_bp = 1500;
		out->hold_secs = 72 * HOUR;
		break;
	case CAT_LICENCE:
		out->window_secs = 7 * DAY;
		out->fee_bp = 1000;
		out->hold_secs = 7 * DAY;
		break;
	default:
		/* Unknown category: the strictest terms, nothing refundable late. */
		out->used_refundable = false;
		break;
	}
}

enum usage { USAGE_UNKNOWN, USAGE_UNUSED, USAGE_USED };

static bool
credit_arrived(const struct order_facts *o)
{

	return o->category == CAT_PHONE_CREDIT && o->topup == TOPUP_SUCCEEDED;
}

static bool
used(const struct order_facts *o)
{

	if (credit_arrived(o))
		return true;
	switch (o->kind) {
	case KIND_CARD_KEY:
		return o->key_revealed_at != 0 || o->redeemed;
	case KIND_LICENCE:
		return o->activated_at != 0 || o->redeemed;
	case KIND_DIRECT_TOPUP:
		return o->topup == TOPUP_SUCCEEDED;
	case KIND_ACCOUNT:
		/* Credentials handed over cannot be handed back. */
		return true;
	default:
		return false;
	}
}

/* Unused only when a fact proves it; silence is not proof. */
static bool
unused(const struct order_facts *o)
{

	if (o->category == CAT_PHONE_CREDIT) {
		if (o->topup == TOPUP_FAILED)
			return true;
		if (o->topup == TOPUP_PENDING)
			return false;
	}
	switch (o->kind) {
	case KIND_CARD_KEY:
		return o->key_revealed_at == 0 && !o->redeemed;
	case KIND_LICENCE:
		return o->activated_at == 0 && !o->redeemed;
	case KIND_DIRECT_TOPUP:
		return o->topup == TOPUP_FAILED;
	default:
		return false;
	}
}

static enum usage
usage_of(const struct order_facts *o)
{

	if (o->delivery != DELIV_DELIVERED)
		return USAGE_UNKNOWN;
	if (used(o))
		return USAGE_USED;
	return unused(o) ? USAGE_UNUSED : USAGE_UNKNOWN;
}

/* Saturates rather than wraps: a huge configured window means "no end".
 * w >= 0, so only a positive overflow is possible. */
static long long
deadline_of(const struct order_facts *o, const struct category_policy *cp)
{
	long long	 d, w;

	w = cp->window_secs < 0 ? 0 : cp->window_secs;
	if (__builtin_add_overflow(o->delivered_at, w, &d))
		d = LLONG_MAX;
	return d;
}

static bool
facts_valid(const struct order_facts *o, enum refund_type t)
{

	return (unsigned)t < RT__MAX &&
	    (unsigned)o->category < CAT__MAX &&
	    (unsigned)o->delivery < DELIV__MAX &&
	    (unsigned)o->kind < KIND__MAX &&
	    (unsigned)o->topup < TOPUP__MAX &&
	    o->amount >= 0 && o->amount <= MONEY_MAX;
}

static void
refuse(struct decision *d, enum policy_reason r)
{

	memset(d, 0, sizeof(*d));
	d->kind = DECIDE_NOT_ALLOWED;
	d->reason = r;
	d->reviewer = REVIEWER_NONE;
}

/* Fills the amounts for an allowed decision; fee_bp 0 means no fee. */
static void
allow(struct decision *d, enum decision_kind k, enum policy_reason r,
    enum reviewer who, const struct order_facts *o, int fee_bp)
{

	memset(d, 0, sizeof(*d));
	d->kind = k;
	d->reason = r;
	d->reviewer = k == DECIDE_REVIEW ? who : REVIEWER_NONE;
	d->requested = o->amount;
	d->fee = money_fee(o->amount, fee_bp);
	d->refund = d->requested - d->fee;
}

static bool
mask_wants(const struct category_policy *cp, enum refund_type t)
{

	return (cp->evidence_mask >> t) & 1u;
}

static void
decide_not_delivered(const struct order_facts *o, struct decision *d)
{

	if (o->delivery == DELIV_DELIVERED) {
		refuse(d, PR_ALREADY_DELIVERED);
		return;
	}
	allow(d, DECIDE_INSTANT, PR_NOT_DELIVERED, REVIEWER_NONE, o, 0);
	d->recycle_item = true;		/* stop the delivery, keep the stock */
}

static bool
topup_category(const struct order_facts *o)
{

	return o->category == CAT_DIRECT_TOPUP ||
	    o->category == CAT_PHONE_CREDIT;
}

static void
decide_topup_failed(const struct order_facts *o,
    const struct category_policy *cp, long long now, struct decision *d)
{
	long long	 dl;

	if (!topup_category(o)) {
		refuse(d, PR_TYPE_NOT_FOR_CATEGORY);
		return;
	}
	/* Before delivery (or after it failed) not_delivered is the type. */
	if (o->delivery != DELIV_DELIVERED) {
		refuse(d, PR_NOT_YET_DELIVERED);
		return;
	}
	if (credit_arrived(o)) {
		refuse(d, PR_CREDIT_ARRIVED);
		return;
	}
	/* Upstream's own word is the evidence, and the fault is the platform's
	 * or the supplier's: refund now, however late the buyer asks. */
	if (o->topup == TOPUP_FAILED) {
		allow(d, DECIDE_INSTANT, PR_TOPUP_FAILED_UPSTREAM, REVIEWER_NONE, o, 0);
		d->deadline = 0;
		return;
	}
	dl = deadline_of(o, cp);
	if (now > dl) {
		refuse(d, PR_WINDOW_EXPIRED);
		d->deadline = dl;
		return;
	}
	switch (o->topup) {
	case TOPUP_FAILED:
		break;                           /* decided above */
	case TOPUP_SUCCEEDED:
		/* Upstream says it arrived: only the buyer's proof can say
		 * otherwise, whatever the mask. */
		allow(d, DECIDE_REVIEW, PR_TOPUP_SUCCEEDED, REVIEWER_CS, o, 0);
		d->evidence_required = true;
		break;
	default:
		allow(d, DECIDE_REVIEW, PR_NEEDS_REVIEW_TOPUP, REVIEWER_CS,
		    o, 0);
		d->evidence_required = mask_wants(cp, RT_TOPUP_FAILED);
		d->ask_upstream = true;
		break;
	}
	d->deadline = dl;
}

static void
decide_defect(const struct order_facts *o, const struct category_policy *cp,
    enum refund_type t, long long now, struct decision *d)
{
	long long	 dl;

	if (o->delivery != DELIV_DELIVERED) {
		refuse(d, PR_NOT_YET_DELIVERED);
		return;
	}
	if (credit_arrived(o)) {
		refuse(d, PR_CREDIT_ARRIVED);
		return;
	}
	if (usage_of(o) == USAGE_USED && !cp->used_refundable) {
		refuse(d, PR_USED_NOT_REFUNDABLE);
		return;
	}
	dl = deadline_of(o, cp);
	if (now > dl) {
		refuse(d, PR_WINDOW_EXPIRED);
		d->deadline = dl;
		return;
	}
	/* "Not as described" disputes the goods themselves: the merchant
	 * answers first. A dead key is checked by customer service. */
	allow(d, DECIDE_REVIEW, PR_NEEDS_REVIEW_DEFECT,
	    t == RT_NOT_AS_DESCRIBED ? REVIEWER_MERCHANT : REVIEWER_CS, o, 0);
	d->evidence_required = mask_wants(cp, t);
	d->deadline = dl;
}

static void
decide_duplicate(const struct order_facts *o, const struct category_policy *cp,
    struct decision *d)
{

	/* A double charge is the platform's fault: no window, any state. */
	allow(d, DECIDE_REVIEW, PR_NEEDS_REVIEW_DUPLICATE, REVIEWER_CS, o, 0);
	d->evidence_required = mask_wants(cp, RT_DUPLICATE_CHARGE);
}

static void
decide_wrong_account(const struct order_facts *o,
    const struct category_policy *cp, long long now, struct decision *d)
{
	long long	 dl;

	if (!topup_category(o)) {
		refuse(d, PR_TYPE_NOT_FOR_CATEGORY);
		return;
	}
	if (o->delivery != DELIV_DELIVERED) {
		refuse(d, PR_NOT_YET_DELIVERED);
		return;
	}
	dl = deadline_of(o, cp);
	if (now > dl) {
		refuse(d, PR_WINDOW_EXPIRED);
		d->deadline = dl;
		return;
	}
	/* The buyer's own mistake: a partial refund at most. */
	allow(d, DECIDE_REVIEW, PR_NEEDS_REVIEW_WRONG_ACCOUNT, REVIEWER_CS,
	    o, cp->fee_bp);
	d->evidence_required = mask_wants(cp, RT_WRONG_ACCOUNT);
	d->deadline = dl;
}

static void
decide_changed_mind(const struct order_facts *o,
    const struct category_policy *cp, long long now, struct decision *d)
{
	long long	 dl;
	enum usage	 u;

	if (o->delivery != DELIV_DELIVERED) {
		/* Nothing was handed over: same as not_delivered, no fee. */
		allow(d, DECIDE_INSTANT, PR_NOT_DELIVERED, REVIEWER_NONE, o, 0);
		d->recycle_item = true;
		return;
	}
	if (credit_arrived(o)) {
		refuse(d, PR_CREDIT_ARRIVED);
		return;
	}
	u = usage_of(o);
	if (u == USAGE_USED) {
		refuse(d, PR_USED_NO_CHANGED_MIND);
		return;
	}
	dl = deadline_of(o, cp);
	if (now > dl) {
		refuse(d, PR_WINDOW_EXPIRED);
		d->deadline = dl;
		return;
	}
	if (u == USAGE_UNUSED) {
		allow(d, DECIDE_INSTANT, PR_UNUSED_CHANGED_MIND, REVIEWER_NONE,
		    o, cp->fee_bp);
		d->recycle_item = true;
	} else {
		/* Nobody can prove it unused: upstream is asked, then a
		 * person. Whether it goes back to stock is decided on approval. */
		allow(d, DECIDE_REVIEW, PR_UNUSED_CHANGED_MIND, REVIEWER_CS,
		    o, cp->fee_bp);
		d->ask_upstream = true;
	}
	d->deadline = dl;
}

_Static_assert(RISK_BUYER_24H == 1u << RC_BUYER_24H && RISK_BUYER_90D == 1u << RC_BUYER_90D &&
    RISK_IP_1H == 1u << RC_IP_1H && RISK_BLACKLIST == 1u << RC_BLACKLIST, "a check's flag is its bit");

void
policy_risk_figures(const struct risk_facts *r, const struct risk_limits *l,
    struct risk_figure out[RC__MAX])
{
	out[RC_BUYER_24H] = (struct risk_figure){ r->refunds_24h, l->max_refunds_24h, false };
	out[RC_BUYER_90D] = (struct risk_figure){ r->refunds_90d, l->max_refunds_90d, false };
	out[RC_IP_1H] = (struct risk_figure){ r->ip_requests_1h, l->max_ip_requests_1h, false };
	out[RC_BLACKLIST] = (struct risk_figure){ r->blacklisted ? 1 : 0, 1, false };
	for (int i = 0; i < RC__MAX; i++)
		out[i].fired = out[i].limit > 0 && out[i].count >= out[i].limit;
}

static unsigned
risk_flags_of(const struct risk_facts *r, const struct risk_limits *l)
{
	struct risk_figure fig[RC__MAX];
	unsigned	 f = 0;

	policy_risk_figures(r, l, fig);
	for (int i = 0; i < RC__MAX; i++)
		if (fig[i].fired)
			f |= 1u << i;
	return f;
}

/* Risk only ever slows money down; it never refuses or changes amounts. */
void
policy_apply_risk(struct decision *d, const struct risk_facts *r,
    const struct risk_limits *l)
{
	unsigned	 f;

	if (d->kind == DECIDE_NOT_ALLOWED)
		return;
	if ((f = risk_flags_of(r, l)) == 0)
		return;
	d->risk_flags = f;
	d->ask_upstream = false;
	if (d->kind == DECIDE_INSTANT) {
		d->kind = DECIDE_REVIEW;
		d->reviewer = REVIEWER_CS;
		d->reason = PR_RISK_REVIEW;
	}
}

void
policy_decide(const struct order_facts *o, const struct category_policy *cp,
    enum refund_type t, long long now, const struct risk_facts *risk,
    const struct risk_limits *limits, struct decision *out)
{

	if (out == NULL)
		return;
	if (o == NULL || cp == NULL || !facts_valid(o, t)) {
		refuse(out, PR_TYPE_NOT_FOR_CATEGORY);
		return;
	}
	switch (t) {
	case RT_NOT_DELIVERED:
		decide_not_delivered(o, out);
		break;
	case RT_TOPUP_FAILED:
		decide_topup_failed(o, cp, now, out);
		break;
	case RT_INVALID_ITEM:
	case RT_NOT_AS_DESCRIBED:
		decide_defect(o, cp, t, now, out);
		break;
	case RT_DUPLICATE_CHARGE:
		decide_duplicate(o, cp, out);
		break;
	case RT_WRONG_ACCOUNT:
		decide_wrong_account(o, cp, now, out);
		break;
	case RT_CHANGED_MIND:
		decide_changed_mind(o, cp, now, out);
		break;
	default:
		refuse(out, PR_TYPE_NOT_FOR_CATEGORY);
		return;
	}
	if (risk != NULL && limits != NULL)
		policy_apply_risk(out, risk, limits);
}

void
policy_decide_all(const struct order_facts *o, const struct category_policy *cp,
    long long now, struct decision out[RT__MAX])
{
	for (int t = 0; t < RT__MAX; t++)
		policy_decide(o, cp, (enum refund_type)t, now, NULL, NULL, &out[t]);
}
