/* i18n.c: language negotiation and the compiled-in catalogs. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"

/* A thread-local, not setlocale()/LANGUAGE: a FastCGI worker's threads
 * serve different buyers at once, and this needs no installed locale. */
static _Thread_local enum lang current = LANG_ZH_CN;

void
i18n_use(enum lang l)
{
	current = l < LANG__MAX ? l : LANG_ZH_CN;
}

enum lang
i18n_current(void)
{
	return current;
}

const char *
i18n_html_lang(enum lang l)
{
	return l == LANG_EN ? "en" : "zh-CN";
}

static int
by_id(const void *key, const void *m)
{
	return strcmp(key, ((const struct i18n_msg *)m)->id);
}

const char *
i18n_tr(const char *msgid)
{
	if (current != LANG_EN)
		return msgid;
	const struct i18n_msg *m = bsearch(msgid, i18n_catalog_en, i18n_catalog_en_n, sizeof *m, by_id);
	return m != NULL && m->str[0] != '\0' ? m->str : msgid;
}

/* A language tag of n bytes at s: ours, or -1 (unknown, or "*"). */
static int
tag_lang(const char *s, size_t n, int star)
{
	if (n == 1 && s[0] == '*')
		return star;
	/* The primary subtag decides: en-GB is English, zh-Hans/zh-SG Chinese. */
	size_t p = 0;
	while (p < n && s[p] != '-' && s[p] != '_')
		p++;
	if (p == 2 && tolower((unsigned char)s[0]) == 'e' && tolower((unsigned char)s[1]) == 'n')
		return LANG_EN;
	if (p == 2 && tolower((unsigned char)s[0]) == 'z' && tolower((unsigned char)s[1]) == 'h')
		return LANG_ZH_CN;
	return -1;
}

/* q of ";q=0.8" parameters, in thousandths; 1000 when absent, -1 when
 * malformed (the range is then ignored). */
static int
parse_q(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && (s[i] == ';' || s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i + 2 <= n && (s[i] == 'q' || s[i] == 'Q') && s[i + 1] == '=') {
			i += 2;
			if (i >= n || (s[i] != '0' && s[i] != '1'))
				return -1;
			int q = (s[i] - '0') * 1000, scale = 100;
			i++;
			if (i < n && s[i] == '.') {
				for (i++; i < n && isdigit((unsigned char)s[i]); i++) {
					if (scale == 0)
						return -1;
					q += (s[i] - '0') * scale;
					scale /= 10;
				}
			}
			return q > 1000 ? -1 : q;
		}
		while (i < n && s[i] != ';')
			i++;
	}
	return 1000;
}

static int
from_cookie(const char *c)
{
	for (const char *p = c; p != NULL && *p != '\0';) {
		while (*p == ' ' || *p == ';')
			p++;
		size_t n = strcspn(p, ";");
		if (n > 5 && strncmp(p, "lang=", 5) == 0) {
			const char *v = p + 5;
			size_t vn = n - 5;
			while (vn > 0 && v[vn - 1] == ' ')
				vn--;
			if (vn == 2 && strncmp(v, "en", 2) == 0)
				return LANG_EN;
			if (vn == 5 && (strncmp(v, "zh_CN", 5) == 0 || strncmp(v, "zh-CN", 5) == 0))
				return LANG_ZH_CN;
		}
		p += n;
	}
	return -1;
}

enum lang
i18n_negotiate(const char *cookie_header, const char *accept_language)
{
	int c = from_cookie(cookie_header);
	if (c >= 0)
		return (enum lang)c;
	int best = LANG_ZH_CN, best_q = 0;
	for (const char *p = accept_language; p != NULL && *p != '\0';) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		size_t n = strcspn(p, ","), t = strcspn(p, ";,");
		size_t tn = t;
		while (tn > 0 && (p[tn - 1] == ' ' || p[tn - 1] == '\t'))
			tn--;
		int l = tag_lang(p, tn, LANG_ZH_CN);
		int q = parse_q(p + t, n - t);
		if (l >= 0 && q > best_q) {
			best = l;
			best_q = q;
		}
		p += n;
	}
	return (enum lang)best;
}
