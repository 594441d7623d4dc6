/* money.c: fen arithmetic, the recycling fee, and the one yuan text format.
 *
 * Every amount is int64_t fen bounded by +-MONEY_MAX (2^53, so it survives a
 * JSON double unchanged). Nothing here uses floating point. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "base/money.h"

static bool
money_in_range(int64_t v)
{

	return v >= -MONEY_MAX && v <= MONEY_MAX;
}

bool
money_add(int64_t a, int64_t b, int64_t *out)
{
	int64_t	 r;

	/* The builtin catches int64 wrap; the range check catches the rest. */
	if (__builtin_add_overflow(a, b, &r) || !money_in_range(r))
		return false;
	*out = r;
	return true;
}

bool
money_sub(int64_t a, int64_t b, int64_t *out)
{
	int64_t	 r;

	if (__builtin_sub_overflow(a, b, &r) || !money_in_range(r))
		return false;
	*out = r;
	return true;
}

/*
 * amount * bp can reach 2^53 * 10^4, past int64. Split amount into
 * q * 10000 + r: then amount * bp / 10000 == q * bp + (r * bp) / 10000
 * exactly, because q * bp is whole. Both products stay below 2^63.
 * Inputs outside the documented ranges are clamped: a bad config must not
 * produce a negative fee or one larger than the amount.
 */
int64_t
money_fee(int64_t amount, int bp)
{
	int64_t	 q, r;

	if (amount <= 0 || bp <= 0)
		return 0;
	if (amount > MONEY_MAX)
		amount = MONEY_MAX;
	if (bp > 10000)
		bp = 10000;
	q = amount / 10000;
	r = amount % 10000;
	return q * bp + (r * bp) / 10000;
}

/* Works on the magnitude as unsigned so INT64_MIN cannot overflow. */
void
money_format(int64_t fen, char out[32])
{
	uint64_t	 mag;

	mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	snprintf(out, 32, "%s%llu.%02llu", fen < 0 ? "-" : "",
	    (unsigned long long)(mag / 100), (unsigned long long)(mag % 100));
}

const char *const yuan_err_messages[YUAN__MAX] = {
	NULL,
	N_("请填写退款金额（元）。"),
	N_("退款金额不能是负数。"),
	N_("退款金额只能是数字，以元为单位，如 70 或 70.50。"),
	N_("退款金额最多两位小数（精确到分）。"),
	N_("退款金额超出上限。"),
};

/* Bytes of a blank at s: ASCII space, tab, CR, LF, or U+3000 (an IME's
 * full-width space); 0 if none. */
static size_t
blank_len(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		return 1;
	if (strncmp(s, "\xe3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

/* Bytes of a currency sign at s: "¥" (U+00A5) or "￥" (U+FFE5); 0 if none. */
static size_t
sign_len(const char *s)
{
	if (strncmp(s, "\xc2\xa5", 2) == 0)
		return 2;
	if (strncmp(s, "\xef\xbf\xa5", 3) == 0)
		return 3;
	return 0;
}

static const char *
skip_blanks(const char *s)
{
	size_t n;

	while ((n = blank_len(s)) > 0)
		s += n;
	return s;
}

/*
 * Grammar: BLANK* [ "-" ] [ SIGN ] [ "-" ] BLANK* DIGIT+ [ "." DIGIT{1,2} ]
 * BLANK*. The minus is parsed only to be refused with its own message. The
 * running value is checked before each step so no input length can
 * overflow it; no floating point.
 */
enum yuan_err
money_parse_yuan_err(const char *s, int64_t *out)
{
	int64_t	 yuan = 0, fen = 0, total;
	int	 ndig = 0, ndec = 0;
	bool	 minus = false, big = false;

	if (s == NULL || out == NULL)
		return YUAN_EMPTY;
	s = skip_blanks(s);
	if (*s == '-')
		minus = true, s++;
	s += sign_len(s);
	if (*s == '-')
		minus = true, s++;
	s = skip_blanks(s);
	if (*s == '\0')
		return minus ? YUAN_NEGATIVE : YUAN_EMPTY;
	for (; *s >= '0' && *s <= '9'; s++, ndig++) {
		if (yuan > MONEY_MAX / 100)
			big = true;        /* keep reading: syntax is told first */
		else
			yuan = yuan * 10 + (*s - '0');
	}
	if (*s == '.' && ndig > 0) {
		for (s++; *s >= '0' && *s <= '9'; s++, ndec++)
			if (ndec < 2)
				fen = fen * 10 + (*s - '0');
		if (ndec == 0)
			return YUAN_SYNTAX;
		if (ndec == 1)
			fen *= 10;
	}
	if (*skip_blanks(s) != '\0' || ndig == 0)
		return YUAN_SYNTAX;
	if (minus)
		return YUAN_NEGATIVE;
	if (ndec > 2)
		return YUAN_DECIMALS;
	if (big || yuan > MONEY_MAX / 100)
		return YUAN_OVERFLOW;
	total = yuan * 100 + fen;
	if (total > MONEY_MAX)
		return YUAN_OVERFLOW;
	*out = total;
	return YUAN_OK;
}

bool
money_parse_yuan(const char *s, int64_t *out)
{
	return out != NULL && money_parse_yuan_err(s, out) == YUAN_OK;
}
