/* domain.c: the name and label tables of the business's fixed sets.
 *
 * Names are the wire and database spelling (CONTRACT.md) and must never
 * change; labels are the buyer's Simplified Chinese, taken from the words the
 * platforms themselves use (DOMAIN.md, seeds/). Every table is sized by its
 * enum's __MAX sentinel, so a missing entry is a NULL the tests catch. */
#include <limits.h>
#include <stddef.h>
#include <string.h>

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
	"未发货/超时未发货",
	"充值未到账",
	"商品无效（卡密错误、无法激活）",
	"与描述不符",
	"重复扣款/平台故障",
	"充错账号",
	"个人原因/买错",
};

const char *const category_names[CAT__MAX] = {
	"game_card",		/* CAT_GAME_CARD */
	"direct_topup",		/* CAT_DIRECT_TOPUP */
	"phone_credit",		/* CAT_PHONE_CREDIT */
	"membership",		/* CAT_MEMBERSHIP */
	"licence",		/* CAT_LICENCE */
};

const char *const category_labels[CAT__MAX] = {
	"游戏点卡",
	"游戏直充",
	"话费充值",
	"会员",
	"软件授权",
};

const char *const delivery_state_names[DELIV__MAX] = {
	"pending",		/* DELIV_PENDING */
	"delivered",		/* DELIV_DELIVERED */
	"failed",		/* DELIV_FAILED */
};

const char *const delivery_state_labels[DELIV__MAX] = {
	"未发货",
	"已发货",
	"发货失败",
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
	"卡密",
	"直充",
	"账号",
	"激活码",
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
	"充值处理中",
	"已到账",
	"充值失败",
};

const char *const pay_channel_names[PAY__MAX] = {
	"alipay",		/* PAY_ALIPAY */
	"wechat",		/* PAY_WECHAT */
	"bank",			/* PAY_BANK */
	"balance",		/* PAY_BALANCE */
};

const char *const pay_channel_labels[PAY__MAX] = {
	"支付宝",
	"微信支付",
	"银行卡",
	"平台余额",
};

const char *const destination_names[DEST__MAX] = {
	"original",		/* DEST_ORIGINAL */
	"balance",		/* DEST_BALANCE */
};

const char *const destination_labels[DEST__MAX] = {
	"原路返回",
	"退到平台余额",
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
	"已提交",
	"正在向上游核实",
	"客服初审",
	"商家复核",
	"平台仲裁",
	"待补充材料",
	"已同意",
	"退款中",
	"已退款",
	"已驳回",
	"已撤销",
	"已关闭",
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
	TXN_NAME_APPEAL_REFUND,	/* TXN_APPEAL_REFUND */
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
