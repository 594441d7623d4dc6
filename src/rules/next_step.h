/* next_step.h: the buyer's "下一步" for a refund in any state (issue 10):
 * who must act, what is needed, the deadline named for what it is
 * (审核时限 / 补充材料截止 / 可申诉至 / 上游答复时限, never a bare
 * "处理时限") and the time left in words. Pure: the status page's
 * handler fills it, its view shows it, the unit test checks every state. */
#ifndef RD_NEXT_STEP_H
#define RD_NEXT_STEP_H

#include <stdbool.h>
#include <stddef.h>

#include "rules/domain.h"

/* What a deadline means; its label is deadline_kind_labels[]. */
enum deadline_kind {
	DK_NONE,
	DK_REVIEW,      /* a reviewer's time: 审核时限 */
	DK_UPSTREAM,    /* the storefront's time to answer: 上游答复时限 */
	DK_NEED_INFO,   /* the buyer's time to add material: 补充材料截止 */
	DK_APPEAL,      /* the buyer's time to appeal: 可申诉至 */
	DK__MAX
};
extern const char *const deadline_kind_labels[DK__MAX];

/* What the page says should happen next. */
struct next_step {
	const char *who;          /* 您 / 平台客服 / 商家 / 平台仲裁 / 商城 / 系统 / 支付渠道; NULL: nobody */
	const char *what;         /* one sentence */
	enum deadline_kind dk;    /* DK_NONE: no deadline shown */
	long long deadline;       /* UNIX seconds when dk != DK_NONE */
	bool arrival;             /* say when the money arrives (the channel's expected time) */
};

struct refund;
/* The next step of rf at time now; can_appeal is the flow's answer
 * (refund_actions() & ACT_APPEAL). */
void next_step_of(const struct refund *rf, bool can_appeal, long long now, struct next_step *out);

/* True when a paid refund gave the buyer less than was asked, fee aside. */
bool refund_is_partial(const struct refund *rf);

/* "还剩 2 天 3 小时", "还剩 3 小时 5 分钟", "还剩 12 分钟", "不到 1 分钟",
 * "已超时" for secs left (<= 0: overdue); static/rd-time.js words it the
 * same. Returns out. */
const char *time_left_text(long long secs, char *out, size_t cap);

#endif
