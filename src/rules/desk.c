/* desk.c: the staff rules. Customer service decides first (cs_review), the
 * merchant where the goods are disputed (merchant_review), the arbiter on
 * escalation and appeal (arbitration); an admin may act for any of them.
 * What each may decide is in the flow's table (rules/flow.c). */
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "rules/desk.h"

_Static_assert((int)ROLE_CS == (int)FROLE_CS && (int)ROLE_MERCHANT == (int)FROLE_MERCHANT &&
    (int)ROLE_ARBITER == (int)FROLE_ARBITER && (int)ROLE_ADMIN == (int)FROLE_ADMIN, "staff roles are flow roles");

bool
desk_may_see(const struct staff *s, const char *merchant_id)
{
	return s->role != ROLE_MERCHANT || strcmp(s->merchant_id, merchant_id) == 0;
}

const char *const desk_tab_names[DESK_TAB__MAX] = { "mine", "others" };
/* Msgids: the views show them through i18n_tr(). */
const char *const desk_tab_labels[DESK_TAB__MAX] = { N_("待我处理"), N_("其他进行中") };

bool
desk_queue_shows(enum staff_role role, enum refund_state st)
{
	for (size_t i = 0; i < flow_nrows; i++)
		if (flow_rows[i].from == st && flow_rows[i].event < FE_STAFF__MAX &&
		    (flow_rows[i].roles & FR((enum flow_role)role)) != 0)
			return true;
	return false;
}

size_t
desk_queue_states(enum staff_role role, enum desk_tab tab, int only, const char *out[DESK_QUEUE_SLOTS])
{
	size_t n = 0;

	for (int st = 0; st < RS__MAX && n < DESK_QUEUE_SLOTS; st++)
		if (!refund_state_final((enum refund_state)st) && (only < 0 || only == st) &&
		    desk_queue_shows(role, (enum refund_state)st) == (tab == DESK_TAB_MINE))
			out[n++] = refund_state_names[st];
	size_t used = n;
	while (n < DESK_QUEUE_SLOTS)
		out[n++] = "";
	return used;
}

bool
desk_time_left(long long deadline, long long now, char out[48])
{
	if (deadline <= 0) {
		out[0] = '\0';
		return false;
	}
	bool over = deadline < now;
	long long d = over ? now - deadline : deadline - now;
	const char *unit = _("分钟");
	long long v = d / 60;
	if (d >= 2 * 86400) {
		v = d / 86400;
		unit = _("天");
	} else if (d >= 3600) {
		v = d / 3600;
		unit = _("小时");
	} else if (v < 1)
		v = 1;           /* under a minute reads as one, never "0 分钟" */
	/* In the page's language: "剩 3 小时" / "3 h left". */
	if (over)
		snprintf(out, 48, _("已超时 %lld %s"), v, unit);
	else
		snprintf(out, 48, _("剩 %lld %s"), v, unit);
	return over;
}

unsigned
desk_actions(enum staff_role role, const struct refund *rf)
{
	/* enum staff_role and the flow's staff roles share their order. */
	struct flow_facts f = flow_facts_of(rf);
	return flow_events_allowed(rf->state, (enum flow_role)role, &f, 0) & ((1u << DA__MAX) - 1);
}
