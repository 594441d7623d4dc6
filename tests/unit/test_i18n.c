/* test_i18n.c: the language of a request (lang cookie, Accept-Language
 * q-values, unknown languages, the default) and the compiled-in catalog. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/i18n.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct nego_case {
	const char *cookie, *accept;
	enum lang want;
};

static const struct nego_case cases[] = {
	/* Nothing said: Chinese. */
	{ NULL, NULL, LANG_ZH_CN },
	{ "", "", LANG_ZH_CN },
	/* Accept-Language alone. */
	{ NULL, "en", LANG_EN },
	{ NULL, "en-US,en;q=0.9", LANG_EN },
	{ NULL, "EN-gb", LANG_EN },
	{ NULL, "zh-CN,zh;q=0.9,en;q=0.8", LANG_ZH_CN },
	{ NULL, "zh-TW", LANG_ZH_CN },           /* Chinese is what we have */
	{ NULL, "zh-Hans-CN;q=0.5, en;q=0.6", LANG_EN },
	{ NULL, "en;q=0.4, zh;q=0.5", LANG_ZH_CN },
	{ NULL, "en;q=0.5, zh;q=0.5", LANG_EN },  /* a tie keeps the listed order */
	{ NULL, "en;q=0", LANG_ZH_CN },           /* q=0: not acceptable */
	{ NULL, "en;q=0.000", LANG_ZH_CN },
	{ NULL, "en;q=0.001", LANG_EN },
	{ NULL, "fr-FR, de;q=0.9, en;q=0.1", LANG_EN }, /* unknown ones skipped */
	{ NULL, "fr-FR, de;q=0.9", LANG_ZH_CN },
	{ NULL, "ja, *;q=0.1", LANG_ZH_CN },      /* "*": the default */
	{ NULL, "eng", LANG_ZH_CN },             /* not "en" */
	{ NULL, "e", LANG_ZH_CN },
	{ NULL, "en;q=2", LANG_ZH_CN },           /* malformed q: ignored */
	{ NULL, "en;q=abc", LANG_ZH_CN },
	{ NULL, "en;q=0.1234", LANG_ZH_CN },
	{ NULL, " , ,en ; q=0.7 ,", LANG_EN },
	{ NULL, "en;level=1;q=0.8", LANG_EN },
	/* The cookie wins over the header. */
	{ "lang=en", "zh-CN", LANG_EN },
	{ "rd=abc; lang=zh_CN", "en", LANG_ZH_CN },
	{ "rd=abc;lang=zh-CN; x=1", "en", LANG_ZH_CN },
	{ "rd=abc; lang=en ", NULL, LANG_EN },
	/* An unknown cookie value, or another cookie's name ending in lang: the header. */
	{ "lang=fr", "en", LANG_EN },
	{ "lang=fr", NULL, LANG_ZH_CN },
	{ "xlang=en", NULL, LANG_ZH_CN },
	{ "lang=english", NULL, LANG_ZH_CN },
	{ "lang=", "en", LANG_EN },
};

static void
test_negotiate(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(cases); i++) {
		enum lang got = i18n_negotiate(cases[i].cookie, cases[i].accept);
		if (got != cases[i].want)
			fail_msg("case %zu: cookie \"%s\" accept \"%s\": got %d, want %d", i,
			    cases[i].cookie ? cases[i].cookie : "(null)", cases[i].accept ? cases[i].accept : "(null)",
			    got, cases[i].want);
	}
}

/* bsearch needs the generated table in strcmp order, and no two msgids. */
static void
test_catalog_sorted(void **state)
{
	(void)state;
	assert_true(i18n_catalog_en_n > 10);
	for (unsigned i = 1; i < i18n_catalog_en_n; i++)
		if (strcmp(i18n_catalog_en[i - 1].id, i18n_catalog_en[i].id) >= 0)
			fail_msg("catalog out of order at %u: \"%s\"", i, i18n_catalog_en[i].id);
}

static void
test_translate(void **state)
{
	(void)state;
	i18n_use(LANG_ZH_CN);
	assert_string_equal(_("订单号"), "订单号");
	assert_string_equal(i18n_html_lang(i18n_current()), "zh-CN");
	i18n_use(LANG_EN);
	assert_string_equal(_("订单号"), "Order number");
	assert_string_equal(i18n_html_lang(i18n_current()), "en");
	/* A message the catalog lacks stays as written. */
	assert_string_equal(i18n_tr("不在目录里的话"), "不在目录里的话");
	/* Every entry is found by its own msgid. */
	for (unsigned i = 0; i < i18n_catalog_en_n; i++)
		assert_string_equal(i18n_tr(i18n_catalog_en[i].id), i18n_catalog_en[i].str);
	i18n_use((enum lang)99);                 /* out of range: the default */
	assert_int_equal(i18n_current(), LANG_ZH_CN);
}

/* The printf conversions of a string, in order ("%s%zu%lld"), so that a
 * translated format takes the same arguments as its msgid; "%%" is text. */
static void
conversions(const char *s, char *out, size_t cap)
{
	size_t n = 0;

	for (; *s != '\0'; s++) {
		if (*s != '%')
			continue;
		if (s[1] == '%') {
			s++;
			continue;
		}
		const char *e = s + 1;
		while (*e != '\0' && strchr("-+ #0123456789.*", *e) != NULL)
			e++;
		while (*e != '\0' && strchr("hlLqjzt", *e) != NULL)
			e++;
		for (const char *c = s; c <= e && *c != '\0' && n + 1 < cap; c++)
			if (strchr("-+ #0123456789.*", *c) == NULL || c == s)
				out[n++] = *c;
		s = *e != '\0' ? e : e - 1;
	}
	out[n] = '\0';
}

/* A translation keeps its msgid's conversions (a wrong one would read the
 * wrong argument), and the English catalog holds no Chinese text. */
static void
test_formats(void **state)
{
	char a[64], b[64];

	(void)state;
	conversions("%s: %zu of %lld (%04lX) 100%%", a, sizeof(a));
	assert_string_equal(a, "%s%zu%lld%lX");
	for (unsigned i = 0; i < i18n_catalog_en_n; i++) {
		conversions(i18n_catalog_en[i].id, a, sizeof(a));
		conversions(i18n_catalog_en[i].str, b, sizeof(b));
		if (strcmp(a, b) != 0)
			fail_msg("\"%s\": conversions %s, translated %s", i18n_catalog_en[i].id, a, b);
		for (const unsigned char *p = (const unsigned char *)i18n_catalog_en[i].str; *p != '\0'; p++)
			if (p[0] == 0xe4 || (p[0] >= 0xe5 && p[0] <= 0xe9))   /* U+4E00..U+9FFF */
				fail_msg("\"%s\": Chinese left in the English \"%s\"", i18n_catalog_en[i].id,
				    i18n_catalog_en[i].str);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_catalog_sorted),
		cmocka_unit_test(test_translate),
		cmocka_unit_test(test_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
