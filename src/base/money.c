/* money.c: fen arithmetic, the recycling fee, and the one yuan text format.
 *
 * Every amount is int64_t fen bounded by +-MONEY_MAX (2^53, so it survives a
 * JSON double unchanged). Nothing here uses floating point. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

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

/*
 * Grammar: DIGIT+ [ "." DIGIT [ DIGIT ] ]. No sign, no spaces, no exponent,
 * no locale digits. The running value is checked before each step so no
 * input length can overflow it.
 */
bool
money_parse_yuan(const char *s, int64_t *out)
{
	int64_t	 yuan = 0, fen = 0, total;
	int	 ndig = 0, ndec = 0;

	if (s == NULL || out == NULL)
		return false;
	for (; *s >= '0' && *s <= '9'; s++, ndig++) {
		if (yuan > MONEY_MAX / 100)
			return false;
		yuan = yuan * 10 + (*s - '0');
	}
	if (ndig == 0)
		return false;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, ndec++) {
			if (ndec == 2)
				return false;
			fen = fen * 10 + (*s - '0');
		}
		if (ndec == 0)
			return false;
		if (ndec == 1)
			fen *= 10;
	}
	if (*s != '\0')
		return false;
	if (yuan > MONEY_MAX / 100)
		return false;
	total = yuan * 100 + fen;
	if (total > MONEY_MAX)
		return false;
	*out = total;
	return true;
}
