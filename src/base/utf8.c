/* utf8.c: strict UTF-8 (RFC 3629) validation, character counting and the
 * control-character gate every piece of buyer text passes through. */
#include <stdbool.h>
#include <stddef.h>

#include "base/utf8.h"

/*
 * Length of the sequence led by byte b, and the range its second byte must
 * fall in. The narrowed second-byte ranges are what reject overlongs (E0 80..9F,
 * F0 80..8F), surrogates (ED A0..BF) and code points past U+10FFFF (F4 90..).
 * Bytes C0, C1 and F5..FF can never start a sequence; 80..BF are continuations.
 * This is Table 3-7 of the Unicode standard, written out.
 */
static size_t
seq_len(unsigned char b, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (b < 0x80)
		return 1;
	if (b >= 0xC2 && b <= 0xDF)
		return 2;
	if (b >= 0xE0 && b <= 0xEF) {
		if (b == 0xE0)
			*lo = 0xA0;
		else if (b == 0xED)
			*hi = 0x9F;
		return 3;
	}
	if (b >= 0xF0 && b <= 0xF4) {
		if (b == 0xF0)
			*lo = 0x90;
		else if (b == 0xF4)
			*hi = 0x8F;
		return 4;
	}
	return 0;
}

bool
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo, hi;
	size_t i = 0, len, k;

	if (s == NULL)
		return n == 0;
	while (i < n) {
		/* NUL is well-formed UTF-8 but never legitimate in our text. */
		if (p[i] == 0x00)
			return false;
		if ((len = seq_len(p[i], &lo, &hi)) == 0)
			return false;
		if (len > n - i)
			return false;		/* truncated at the end */
		if (len > 1 && (p[i + 1] < lo || p[i + 1] > hi))
			return false;
		for (k = 2; k < len; k++)
			if ((p[i + k] & 0xC0) != 0x80)
				return false;
		i += len;
	}
	return true;
}

size_t
utf8_chars(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, count = 0;

	if (s == NULL)
		return 0;
	/* In valid UTF-8 every code point has exactly one non-continuation byte. */
	for (i = 0; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			count++;
	return count;
}

/*
 * Besides C0 controls and DEL this refuses the C1 controls U+0080..U+009F:
 * they render as nothing, and NEL (U+0085) is a line break to some software.
 * In UTF-8 they are exactly C2 80..C2 9F, and C2 is never a continuation byte,
 * so a byte scan finds them without decoding.
 */
bool
utf8_no_controls(const char *s, size_t n, bool allow_newlines)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	if (s == NULL)
		return n == 0;
	for (i = 0; i < n; i++) {
		if (p[i] == '\t')
			continue;
		if (p[i] == '\r' || p[i] == '\n') {
			if (!allow_newlines)
				return false;
			continue;
		}
		if (p[i] < 0x20 || p[i] == 0x7F)
			return false;
		if (p[i] == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F)
			return false;
	}
	return true;
}

static bool
deceptive(unsigned long cp)
{
	return cp == 0xAD || cp == 0x61C || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) ||
	    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
	    (cp >= 0x2066 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB);
}

unsigned long
utf8_deceptive(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL)
		return 0;
	for (size_t i = 0; i < n;) {
		unsigned long cp;
		size_t len;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xE0) == 0xC0) {
			cp = p[i] & 0x1F;
			len = 2;
		} else if ((p[i] & 0xF0) == 0xE0) {
			cp = p[i] & 0x0F;
			len = 3;
		} else {
			cp = p[i] & 0x07;
			len = 4;
		}
		for (size_t k = 1; k < len && i + k < n; k++)
			cp = cp << 6 | (p[i + k] & 0x3F);
		if (deceptive(cp))
			return cp;
		i += len;
	}
	return 0;
}
