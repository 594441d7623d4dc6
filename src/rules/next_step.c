/* next_step.c: the buyer's next step per refund state (next_step.h). */
#include <stdio.h>

#include "base/i18n.h"

#include "rules/next_step.h"
#include "store/model.h"

const char *const deadline_kind_labels[DK__MAX] = {
	"", N_("审核时限"), N_("上游答复时限"), N_("补充材料截止"), N_("可申诉至"),
};

bool
refund_is_partial(const struct refund *rf)
{
	return (rf->state == RS_REFUNDED || rf->state == RS_REFUNDING || rf->state == RS_APPROVED) &&
	    rf->amount + rf->fee < rf->requested;
}

void
next_step_of(const struct refund *rf, bool can_appeal, long long now, struct next_step *out)
{
	struct next_step s = { NULL, "", DK_NONE, 0, false };

	(void)now;
	switch (rf->state) {
	case RS_SUBMITTED:
		s.who = N_("系统");
		s.what = N_("正在判断能否立即退款，通常几秒内完成，请稍后刷新。");
		break;
	case RS_AWAITING_UPSTREAM:
		s.who = N_("商城");
		s.what = N_("正在向上游核实商品是否已使用：核实为未使用将立即退款，逾期未答复则转人工审核。您无需操作。");
		s.dk = DK_UPSTREAM;
		break;
	case RS_CS_REVIEW:
		s.who = N_("平台客服");
		s.what = N_("审核您的申请。您无需操作；如有新的凭证，可以在下方补充。");
		s.dk = DK_REVIEW;
		break;
	case RS_MERCHANT_REVIEW:
		s.who = N_("商家");
		s.what = N_("复核您的申请；商家逾期未处理视为同意退款。您无需操作。");
		s.dk = DK_REVIEW;
		break;
	case RS_ARBITRATION:
		s.who = N_("平台仲裁");
		s.what = N_("作出最终裁决。您无需操作；如有新的凭证，可以在下方补充。");
		s.dk = DK_REVIEW;
		break;
	case RS_NEED_INFO:
		s.who = N_("您");
		s.what = N_("按处理进度中的要求补充凭证或说明；逾期未补充，申请将被关闭。");
		s.dk = DK_NEED_INFO;
		break;
	case RS_APPROVED:
		s.who = N_("系统");
		s.what = N_("退款已同意，正在发起付款。");
		s.arrival = true;
		break;
	case RS_REFUNDING:
		if (rf->payout_failed) {
			s.who = N_("平台客服");
			s.what = N_("原路退款失败，客服将改为退到您的平台余额。您无需操作。");
		} else {
			s.who = N_("支付渠道");
			s.what = N_("原路退款处理中，到账后本页会显示已退款。");
			s.arrival = true;
		}
		break;
	case RS_REFUNDED:
		if (can_appeal) {
			/* i10-appeal2: a partial refund may be appealed, as a rejection. */
			s.who = N_("您");
			s.what = N_("部分退款已完成。如不同意退款金额，可以申请平台仲裁（申诉）。申诉只有一次机会。");
			s.dk = DK_APPEAL;
		} else
			s.what = N_("退款已完成，无需其他操作。");
		break;
	case RS_REJECTED:
		if (can_appeal) {
			s.who = N_("您");
			s.what = N_("如不同意驳回，可以申请平台仲裁（申诉）。申诉只有一次机会。");
			s.dk = DK_APPEAL;
		} else
			s.what = rf->appealed ? N_("平台仲裁已作出最终裁决，本申请已结束。") : N_("申诉期已过，本申请已结束。");
		break;
	case RS_CANCELLED:
		s.what = N_("您已撤销申请，订单恢复正常；如仍有问题，可以重新申请。");
		break;
	case RS_CLOSED:
		s.what = N_("申请已关闭，原因见处理进度；如仍有问题，可以重新申请。");
		break;
	default:
		break;
	}
	if (s.dk != DK_NONE) {
		if (rf->deadline > 0)
			s.deadline = rf->deadline;
		else
			s.dk = DK_NONE;
	}
	*out = s;
}

const char *
time_left_text(long long secs, char *out, size_t cap)
{
	if (secs <= 0)
		snprintf(out, cap, "%s", _("已超时"));
	else if (secs < 60)
		snprintf(out, cap, "%s", _("不到 1 分钟"));
	else if (secs < 3600)
		snprintf(out, cap, _("还剩 %lld 分钟"), secs / 60);
	else if (secs < 86400)
		snprintf(out, cap, _("还剩 %lld 小时 %lld 分钟"), secs / 3600, secs % 3600 / 60);
	else
		snprintf(out, cap, _("还剩 %lld 天 %lld 小时"), secs / 86400, secs % 86400 / 3600);
	return out;
}
