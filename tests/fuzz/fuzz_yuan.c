/* fuzz_yuan.c: libFuzzer harness for money_parse_yuan_err, the parser of
 * yuan as staff type them (the decision form's amount).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *       src/base/money.c tests/fuzz/fuzz_yuan.c -o fuzz_yuan
 *
 * Properties, any breach aborts:
 *  - the answer is one of enum yuan_err, with a message unless YUAN_OK;
 *  - a refused input leaves *out untouched;
 *  - an accepted one gives 0 <= v <= MONEY_MAX, and money_format(v) parses
 *    back to v (what the preview shows is what the confirm form carries);
 *  - blanks around it and a "¥" or "￥" before it change nothing. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum yuan_err
parse(const char *s, int64_t *v)
{
	enum yuan_err e;

	*v = -4242;
	e = money_parse_yuan_err(s, v);
	if ((unsigned)e >= YUAN__MAX || (e == YUAN_OK) != (yuan_err_messages[e] == NULL))
		abort();
	if (e != YUAN_OK && *v != -4242)
		abort();
	return e;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	 s[80], wrapped[100], canon[32];
	int64_t	 v, w;
	size_t	 n;

	n = size < 63 ? size : 63;
	memcpy(s, data, n);
	s[n] = '\0';
	enum yuan_err e = parse(s, &v);
	if (e == YUAN_OK) {
		if (v < 0 || v > MONEY_MAX)
			abort();
		money_format(v, canon);
		if (parse(canon, &w) != YUAN_OK || w != v)
			abort();
	}
	/* A sign and blanks around an input without its own sign or blanks. */
	if (n > 0 && memchr(s, '\0', n) == NULL && s[0] >= '0' && s[0] <= '9' &&
	    s[n - 1] >= '0' && s[n - 1] <= '9') {
		snprintf(wrapped, sizeof(wrapped), " \xef\xbf\xa5%s\t", s);
		if (parse(wrapped, &w) != e || (e == YUAN_OK && w != v))
			abort();
	}
	return 0;
}
