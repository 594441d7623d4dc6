/* dashboard.c: the dashboard's days, outcomes and sums (pure). */
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "rules/dashboard.h"
#include "rules/domain.h"

const char *const dash_outcome_names[DO__MAX] = { "refunded", "rejected", "ended", "open" };
const char *const dash_outcome_labels[DO__MAX] = { N_("已退款"), N_("已拒绝"), N_("已取消或关闭"), N_("处理中") };

#define BEIJING (8 * 3600)

enum dash_outcome
dash_outcome_of(int s)
{
	switch (s) {
	case RS_APPROVED:
	case RS_REFUNDING:
	case RS_REFUNDED:
		return DO_REFUNDED;
	case RS_REJECTED:
		return DO_REJECTED;
	case RS_CANCELLED:
	case RS_CLOSED:
		return DO_ENDED;
	default:
		return DO_OPEN;
	}
}

/* Floor division: days before 1970 stay whole days. */
static long long
floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

long long
dash_day_of(long long unix_secs)
{
	return floor_div(unix_secs + BEIJING, 86400);
}

long long
dash_day_start(long long day)
{
	return day * 86400 - BEIJING;
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = floor_div(y, 400);
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static void
civil_from_days(long long z, int *y, int *m, int *d)
{
	z += 719468;
	long long era = floor_div(z, 146097);
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

bool
dash_day_parse(const char *s, long long *day)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = 0, m = 0, d = 0;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 2000 || y > 2099 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return false;
	*day = days_from_civil(y, (unsigned)m, (unsigned)d);
	return true;
}

void
dash_day_format(long long day, char out[11])
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	if (y < 0 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		y = m = d = 0;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

void
dash_day_short(long long day, char out[6])
{
	char full[11];

	dash_day_format(day, full);
	memcpy(out, full + 5, 5);
	out[5] = '\0';
}

void
dash_init(struct dashboard *d, long long day0, long long ndays)
{
	memset(d, 0, sizeof(*d));
	d->day0 = day0;
	d->ndays = ndays < 1 ? 1 : ndays > DASH_DAYS_MAX ? DASH_DAYS_MAX : ndays;
	d->median_secs = -1;
}

bool
dash_add_day(struct dashboard *d, long long day, int refund_state, long long count, long long instant,
    int64_t fees)
{
	if (day < d->day0 || day >= d->day0 + d->ndays)
		return false;
	enum dash_outcome o = dash_outcome_of(refund_state);
	struct dash_day *days[2] = { &d->days[day - d->day0], &d->total };
	for (int i = 0; i < 2; i++) {
		days[i]->count[o] += count;
		days[i]->filed += count;
		days[i]->instant += instant;
		days[i]->fees += fees;
	}
	return true;
}

long long
dash_median_of_middle(long long lower, long long upper)
{
	/* Halves first: no overflow however large the two are. */
	return lower / 2 + upper / 2 + (lower % 2 + upper % 2) / 2;
}

long long
dash_permille(long long part, long long whole)
{
	if (whole <= 0)
		return 0;
	return (part * 2000 + whole) / (2 * whole);
}

void
dash_duration_text(long long secs, char out[48])
{
	if (secs < 0)
		snprintf(out, 48, "—");
	else if (secs >= 86400)
		snprintf(out, 48, _("%lld 天 %lld 小时"), secs / 86400, secs % 86400 / 3600);
	else if (secs >= 3600)
		snprintf(out, 48, _("%lld 小时 %lld 分"), secs / 3600, secs % 3600 / 60);
	else if (secs >= 60)
		snprintf(out, 48, _("%lld 分 %lld 秒"), secs / 60, secs % 60);
	else
		snprintf(out, 48, _("%lld 秒"), secs);
}
