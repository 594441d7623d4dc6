/* fuzz_tmpl.c: libFuzzer harness for tmpl_render, run as a differential
 * test against a byte-at-a-time reference renderer written here from the
 * rules in html.h, plus the property that matters: values never add markup.
 *
 * Input: byte 0 is the number of variables (mod 9); the rest is split at
 * NUL bytes into the template, then name/value pairs (missing ones are "").
 * Each input is rendered twice:
 *   1. with the values as given: result and output must match the reference;
 *   2. with every value byte replaced by one of < > & " ' (chosen by the
 *      byte): the output must match the reference, and hold exactly as many
 *      raw < > " ' as the template's literal text does.
 *
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined
 *   -fno-sanitize-recover=undefined -D_GNU_SOURCE -Isrc src/web/html.c src/base/buf.c
 *   src/base/log.c src/base/money.c tests/fuzz/fuzz_tmpl.c -o fuzz_tmpl
 * Run:   ./fuzz_tmpl -dict=tests/fuzz/tmpl.dict tests/fuzz/corpus/tmpl
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAXVARS 8
#define SPECIALS "<>&\"'"

/* The reference escaper: a table lookup per byte. */
static void
ref_escape(struct buf *out, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '&': buf_puts(out, "&amp;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&#39;"); break;
		default: buf_putc(out, *s); break;
		}
	}
}

/* Renders like tmpl_render, one byte at a time; counts the raw specials the
 * template's own text contributes into lit[] (order of SPECIALS). */
static enum rd_err
ref_render(struct buf *out, const char *t, const struct tmpl_var *v, size_t n, size_t lit[5])
{
	size_t i = 0;

	memset(lit, 0, 5 * sizeof(lit[0]));
	while (t[i] != '\0') {
		if (t[i] != '{' || t[i + 1] != '{') {
			const char *sp = strchr(SPECIALS, t[i]);
			if (sp != NULL)
				lit[sp - SPECIALS]++;
			buf_putc(out, t[i++]);
			continue;
		}
		size_t start = i + 2, j = start;
		while (t[j] != '\0' && !(t[j] == '}' && t[j + 1] == '}'))
			j++;
		if (t[j] == '\0' || j - start > 32)
			return RD_ERR_INPUT;
		size_t k;
		for (k = 0; k < n; k++)
			if (strlen(v[k].name) == j - start && strncmp(v[k].name, t + start, j - start) == 0)
				break;
		if (k == n)
			return RD_ERR_INPUT;
		ref_escape(out, v[k].value);
		i = j + 2;
	}
	return RD_OK;
}

static void
fail(const char *what, const char *tmpl)
{
	fprintf(stderr, "fuzz_tmpl: %s; template \"%.200s\"\n", what, tmpl);
	abort();
}

static void
check(const char *tmpl, const struct tmpl_var *v, size_t n, int specials_only)
{
	struct buf got, want;
	size_t lit[5];

	buf_init(&got);
	buf_init(&want);
	enum rd_err eg = tmpl_render(&got, tmpl, v, n);
	enum rd_err ew = ref_render(&want, tmpl, v, n, lit);
	if (eg != ew)
		fail("result differs from the reference", tmpl);
	if (eg == RD_OK) {
		if (got.len != want.len || (got.len > 0 && memcmp(got.data, want.data, got.len) != 0))
			fail("output differs from the reference", tmpl);
		if (got.len > 0 && memchr(got.data, '\0', got.len) != NULL)
			fail("NUL in output", tmpl);
	}
	if (eg == RD_OK && specials_only) {
		/* Every raw < > " ' in the output is the template's own. */
		size_t cnt[5] = { 0, 0, 0, 0, 0 };
		for (size_t i = 0; i < got.len; i++) {
			const char *sp = got.data[i] ? strchr(SPECIALS, got.data[i]) : NULL;
			if (sp != NULL)
				cnt[sp - SPECIALS]++;
		}
		for (int s = 0; s < 5; s++)
			if (s != 2 && cnt[s] != lit[s])
				fail("a value put raw markup in the output", tmpl);
	}
	buf_free(&got);
	buf_free(&want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpl_var v[MAXVARS];
	char *copy, *seg[1 + 2 * MAXVARS], *spec[MAXVARS];
	size_t nseg = 0, nvars;

	if (size < 1)
		return 0;
	nvars = data[0] % (MAXVARS + 1);
	/* One NUL-terminated copy, cut at NULs into C strings. */
	if ((copy = malloc(size)) == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	for (size_t i = 0, start = 0; i < size && nseg < 1 + 2 * MAXVARS; i++) {
		if (copy[i] == '\0') {
			seg[nseg++] = copy + start;
			start = i + 1;
		}
	}
	for (size_t i = nseg; i < 1 + 2 * MAXVARS; i++)
		seg[i] = copy + size - 1;                        /* "" */
	for (size_t i = 0; i < nvars; i++) {
		v[i].name = seg[1 + 2 * i];
		v[i].value = seg[2 + 2 * i];
	}
	check(seg[0], v, nvars, 0);

	/* The same, with values made only of the five specials. */
	for (size_t i = 0; i < nvars; i++) {
		size_t len = strlen(v[i].value);
		if ((spec[i] = malloc(len + 1)) == NULL) {
			while (i-- > 0)
				free(spec[i]);
			free(copy);
			return 0;
		}
		for (size_t k = 0; k < len; k++)
			spec[i][k] = SPECIALS[(unsigned char)v[i].value[k] % 5];
		spec[i][len] = '\0';
		v[i].value = spec[i];
	}
	check(seg[0], v, nvars, 1);
	for (size_t i = 0; i < nvars; i++)
		free(spec[i]);
	free(copy);
	return 0;
}
