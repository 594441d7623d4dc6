/* view_desk_refund.h: GET /desk/refund/ID: the request with its order,
 * timeline, evidence, the buyer's refund history and risk flags, and the
 * decision form for what this role may do now. The handler loads it all
 * first: a failed read is an error page, never a page with a part missing. */
#ifndef RD_VIEW_DESK_REFUND_H
#define RD_VIEW_DESK_REFUND_H

#include <stdbool.h>

#include "base/reply_templates.h"
#include "pages/fields.h"
#include "rules/policy.h"
#include "store/buyer_history.h"
#include "store/internal_notes.h"
#include "store/model.h"
#include "store/refund_risk.h"
#include "web/http.h"

/* The decision form as last sent (values kept, one message per field), or
 * all NULL on a fresh page. Indexed by enum decision_field. */
struct view_desk_form {
	const char *kept[DD__MAX];
	const char *err[DD__MAX];
	const char *banner;            /* NULL: "提交的内容有误" */
};

struct view_desk_refund {
	const struct refund *rf;
	const struct order *o;
	const struct buyer_history *history;
	bool history_this_shop_only;   /* a merchant sees its own orders' refunds */
	unsigned allowed;              /* 1 << enum desk_action this role may take now */
	const char *csrf;
	const struct internal_notes *internal;  /* staff-only notes, newest first */
	const struct view_desk_form *form;      /* NULL: a fresh form */
	const struct reply_templates *templates; /* the config's, offered for the note */
	/* The risk rule's figures for this request (policy_risk_figures over
	 * the facts counted as at its filing and the limits in force). */
	const struct risk_figure *risk; /* [RC__MAX] */
	/* The counts behind them cover the buyer at every shop: shown to the
	 * platform's staff, not to a merchant (which sees which checks fired). */
	bool risk_counts;
	/* i15-console: the order's upstream and its claim up the chain (NULL
	 * or has == false: bought from no supplier, no section). */
	const struct desk_upstream *upstream;
	const char *prev;              /* the request decided just before, or NULL */
	long long now;                 /* the deadline's time left is measured from */
};

void view_desk_refund(struct req *r, const struct view_desk_refund *v);

#endif
