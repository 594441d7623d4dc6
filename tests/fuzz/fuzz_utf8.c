/* fuzz_utf8.c: differential fuzzing of utf8.c against a slow reference
 * decoder that builds each code point and judges it by value, the way the
 * definition reads, instead of by byte ranges the way utf8.c does.
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *       src/base/utf8.c tests/fuzz/fuzz_utf8.c -o fuzz_utf8 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ref {
	bool valid;
	size_t chars;
	bool ctl_nl, ctl_line;  /* utf8_no_controls(.., true / false) */
};

/* Code point at p[0..n), or -1 when ill-formed; *len its length. */
static long
ref_decode(const uint8_t *p, size_t n, size_t *len)
{
	long c;
	size_t need, i;

	if (p[0] <= 0x7f) {
		*len = 1;
		return p[0];
	}
	if (p[0] >= 0xc0 && p[0] <= 0xdf)
		need = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		need = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf7)
		need = 4;
	else
		return -1;
	if (n < need)
		return -1;
	c = p[0] & (0x7f >> need);
	for (i = 1; i < need; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return -1;
		c = c * 64 + (p[i] - 0x80);
	}
	/* Shortest form only. */
	if ((need == 2 && c < 0x80) || (need == 3 && c < 0x800) || (need == 4 && c < 0x10000))
		return -1;
	*len = need;
	return c;
}

static bool
ref_is_control(long c, bool allow_newlines)
{
	if (c == '\t')
		return false;
	if (c == '\r' || c == '\n')
		return !allow_newlines;
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f);
}

static struct ref
ref_run(const uint8_t *p, size_t n)
{
	struct ref r = { true, 0, true, true };
	size_t i = 0, len = 0;
	long c;

	while (i < n) {
		c = ref_decode(p + i, n - i, &len);
		if (c < 0 || c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
			r.valid = false;
			return r;
		}
		if (ref_is_control(c, true))
			r.ctl_nl = false;
		if (ref_is_control(c, false))
			r.ctl_line = false;
		r.chars++;
		i += len;
	}
	return r;
}

static void
mismatch(const char *what, const uint8_t *p, size_t n)
{
	size_t i;

	fprintf(stderr, "%s differs on:", what);
	for (i = 0; i < n && i < 64; i++)
		fprintf(stderr, " %02x", p[i]);
	fprintf(stderr, "\n");
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct ref r = ref_run(data, size);
	bool nl, line;

	if (utf8_valid(s, size) != r.valid)
		mismatch("utf8_valid", data, size);
	/* utf8_no_controls and utf8_chars must not crash on any bytes... */
	nl = utf8_no_controls(s, size, true);
	line = utf8_no_controls(s, size, false);
	(void)utf8_chars(s, size);
	/* ...and agree with the reference on valid text. */
	if (!r.valid)
		return 0;
	if (utf8_chars(s, size) != r.chars)
		mismatch("utf8_chars", data, size);
	if (nl != r.ctl_nl)
		mismatch("utf8_no_controls(newlines)", data, size);
	if (line != r.ctl_line)
		mismatch("utf8_no_controls(line)", data, size);
	return 0;
}
