/* fuzz_money.c: libFuzzer harness for money_parse_yuan and money_format.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *       src/base/money.c tests/fuzz/fuzz_money.c -o fuzz_money
 *
 * Properties, any breach aborts:
 *  - an accepted string gives 0 <= v <= MONEY_MAX;
 *  - format(v) parses back to v, and is canonical: format again is equal;
 *  - an accepted string already in canonical form ("D+.DD", no leading
 *    zero unless the yuan part is "0") is exactly what format gives back;
 *  - the input's first 8 bytes as an amount in 0..MONEY_MAX round-trip. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
roundtrip(int64_t v)
{
	char	 a[32], b[32];
	int64_t	 back;

	money_format(v, a);
	if (!money_parse_yuan(a, &back) || back != v)
		abort();
	money_format(back, b);
	if (strcmp(a, b) != 0)
		abort();
}

static int
canonical(const char *s, size_t n)
{
	size_t	 i;

	if (n < 4 || s[n - 3] != '.')
		return 0;
	if (s[0] == '0' && n != 4)	/* "0.05" is canonical, "00.05" not */
		return 0;
	for (i = 0; i < n; i++)
		if (i != n - 3 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	 s[64], out[32];
	int64_t	 v;
	uint64_t raw;
	size_t	 n;

	if (size >= sizeof(raw)) {
		memcpy(&raw, data, sizeof(raw));
		roundtrip((int64_t)(raw % ((uint64_t)MONEY_MAX + 1)));
	}

	/* Long inputs matter too (overflow while accumulating digits), but
	 * 63 bytes already exceed every valid amount several times over. */
	n = size < sizeof(s) - 1 ? size : sizeof(s) - 1;
	memcpy(s, data, n);
	s[n] = '\0';
	if (!money_parse_yuan(s, &v))
		return 0;
	if (v < 0 || v > MONEY_MAX)
		abort();
	roundtrip(v);
	if (canonical(s, strlen(s))) {
		money_format(v, out);
		if (strcmp(out, s) != 0)
			abort();
	}
	return 0;
}
