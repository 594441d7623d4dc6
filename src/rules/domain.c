/* domain.c: the name and label tables of the business's fixed sets.
 *
 * Names are the wire and database spelling (CONTRACT.md) and must never
 * change; labels are the buyer's Simplified Chinese, taken from the words the
 * platforms themselves use (DOMAIN.md, seeds/). Every table is sized by its
 * enum's __MAX sentinel, so a missing entry is a NULL the tests catch. */
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "base/i18n.h"
#include "rules/domain.h"

const char *const refund_type_names[RT__MAX] = {
	"not_delivered",	/* RT_NOT_DELIVERED */
	"topup_failed",		/* RT_TOPUP_FAILED */
	"invalid_item",		/* RT_INVALID_ITEM */
	"not_as_described",	/* RT_NOT_AS_DESCRIBED */
	"duplicate_charge",	/* RT_DUPLICATE_CHARGE */
	"wrong_account",	/* RT_WRONG_ACCOUNT */
	"changed_mind",		/* RT_CHANGED_MIND */
};

const char *const refund_type_labels[RT__MAX] = {
	N_("未发货/超时未发货"),
	N_("充值未到账"),
	N_("商品无效（卡密错误、无法激活）"),
	N_("与描述不符"),
	N_("重复扣款/平台故障"),
	N_("充错账号"),
	N_("个人原因/买错"),
};

const char *const category_names[CAT__MAX] = {
	"game_card",		/* CAT_GAME_CARD */
	"direct_topup",		/* CAT_DIRECT_TOPUP */
	"phone_credit",		/* CAT_PHONE_CREDIT */
	"membership",		/* CAT_MEMBERSHIP */
	"licence",		/* CAT_LICENCE */
};

const char *const category_labels[CAT__MAX] = {
	N_("游戏点卡"),
	N_("游戏直充"),
	N_("话费充值"),
	N_("会员"),
	N_("软件授权"),
};

const char *const delivery_state_names[DELIV__MAX] = {
	"pending",		/* DELIV_PENDING */
	"delivered",		/* DELIV_DELIVERED */
	"failed",		/* DELIV_FAILED */
};

const char *const delivery_state_labels[DELIV__MAX] = {
	N_("未发货"),
	N_("已发货"),
	N_("发货失败"),
};

/* KIND_NONE is "": the storefront has not said how it delivered. */
const char *const delivery_kind_names[KIND__MAX] = {
	"",			/* KIND_NONE */
	"card_key",		/* KIND_CARD_KEY */
	"direct_topup",		/* KIND_DIRECT_TOPUP */
	"account",		/* KIND_ACCOUNT */
	"licence",		/* KIND_LICENCE */
};

const char *const delivery_kind_labels[KIND__MAX] = {
	"",
	N_("卡密"),
	N_("直充"),
	N_("账号"),
	N_("激活码"),
};

/* TOPUP_UNKNOWN is "": no usage report from upstream yet. */
const char *const topup_state_names[TOPUP__MAX] = {
	"",			/* TOPUP_UNKNOWN */
	"pending",		/* TOPUP_PENDING */
	"succeeded",		/* TOPUP_SUCCEEDED */
	"failed",		/* TOPUP_FAILED */
};

const char *const topup_state_labels[TOPUP__MAX] = {
	"",
	N_("充值处理中"),
	N_("已到账"),
	N_("充值失败"),
};

const char *const pay_channel_names[PAY__MAX] = {
	"alipay",		/* PAY_ALIPAY */
	"wechat",		/* PAY_WECHAT */
	"bank",			/* PAY_BANK */
	"balance",		/* PAY_BALANCE */
};

const char *const pay_channel_labels[PAY__MAX] = {
	N_("支付宝"),
	N_("微信支付"),
	N_("银行卡"),
	N_("平台余额"),
};

const char *const destination_names[DEST__MAX] = {
	"original",		/* DEST_ORIGINAL */
	"balance",		/* DEST_BALANCE */
};

const char *const destination_labels[DEST__MAX] = {
	N_("原路返回"),
	N_("退到平台余额"),
};

const char *const refund_state_names[RS__MAX] = {
	"submitted",		/* RS_SUBMITTED */
	"awaiting_upstream",	/* RS_AWAITING_UPSTREAM */
	"cs_review",		/* RS_CS_REVIEW */
	"merchant_review",	/* RS_MERCHANT_REVIEW */
	"arbitration",		/* RS_ARBITRATION */
	"need_info",		/* RS_NEED_INFO */
	"approved",		/* RS_APPROVED */
	"refunding",		/* RS_REFUNDING */
	"refunded",		/* RS_REFUNDED */
	"rejected",		/* RS_REJECTED */
	"cancelled",		/* RS_CANCELLED */
	"closed",		/* RS_CLOSED */
};

const char *const refund_state_labels[RS__MAX] = {
	N_("已提交"),
	N_("正在向上游核实"),
	N_("客服初审"),
	N_("商家复核"),
	N_("平台仲裁"),
	N_("待补充材料"),
	N_("已同意"),
	N_("退款中"),
	N_("已退款"),
	N_("已驳回"),
	N_("已撤销"),
	N_("已关闭"),
};

const char *const hold_state_names[HOLD__MAX] = {
	HOLD_NAME_HELD,		/* HOLD_HELD */
	HOLD_NAME_FROZEN,	/* HOLD_FROZEN */
	HOLD_NAME_RELEASED,	/* HOLD_RELEASED */
	HOLD_NAME_REFUNDED,	/* HOLD_REFUNDED */
};

const char *const txn_kind_names[TXN__MAX] = {
	TXN_NAME_HOLD,		/* TXN_HOLD */
	TXN_NAME_RELEASE,	/* TXN_RELEASE */
	TXN_NAME_REFUND,	/* TXN_REFUND */
	TXN_NAME_CLAWBACK,	/* TXN_CLAWBACK */
	TXN_NAME_PAYOUT,	/* TXN_PAYOUT */
	TXN_NAME_PAYOUT_BALANCE, /* TXN_PAYOUT_BALANCE */
	TXN_NAME_CLAIM,		/* TXN_CLAIM */
	TXN_NAME_CLAIM_RECOVERED, /* TXN_CLAIM_RECOVERED */
	TXN_NAME_CLAIM_WRITE_OFF, /* TXN_CLAIM_WRITE_OFF */
};

const char *const claim_state_names[CLAIM__MAX] = {
	CLAIM_NAME_PENDING, CLAIM_NAME_FILED, "recovered", "rejected", "written_off",
};

int
hold_state_open(enum hold_state s)
{

	return s == HOLD_HELD || s == HOLD_FROZEN;
}

/*
 * Rejected counts as final: no timer or reviewer moves it on. A buyer's
 * appeal is a new step the handler starts explicitly.
 */
int
refund_state_final(enum refund_state s)
{

	switch (s) {
	case RS_REFUNDED:
	case RS_REJECTED:
	case RS_CANCELLED:
	case RS_CLOSED:
		return 1;
	default:
		return 0;
	}
}

/*
 * Exact, case-sensitive: names come off the wire and must match the one
 * spelling we store. A NULL slot (a table bug) is skipped rather than
 * dereferenced; the tests make sure there are none.
 */
int
enum_lookup(const char *const *table, size_t n, const char *name)
{
	size_t	 i;

	if (table == NULL || name == NULL)
		return -1;
	if (n > INT_MAX)
		n = INT_MAX;
	for (i = 0; i < n; i++)
		if (table[i] != NULL && strcmp(table[i], name) == 0)
			return (int)i;
	return -1;
}
