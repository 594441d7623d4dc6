/* form.c: runs a form's table of checks over its parsed values and words
 * one message per bad field for the buyer. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "web/form.h"
#include "web/sign.h"
#include "base/utf8.h"

static const char *
label_of(const struct form_field *f)
{
	return f->label != NULL ? i18n_tr(f->label) : f->name;
}

/* Formats into buf when it fits; otherwise the static fallback, so a message
 * is never cut in the middle of a UTF-8 sequence. */
static const char *
say(char *buf, size_t cap, const char *fallback, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static const char *
say(char *buf, size_t cap, const char *fallback, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (buf == NULL || cap == 0)
		return fallback;
	va_start(ap, fmt);
	r = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= cap) {
		buf[0] = '\0';
		return fallback;
	}
	return buf;
}

/* ---- counting characters the way the buyer sees them ---- */

/* Bytes of whitespace starting at p[0..n): ASCII blanks, NBSP, U+3000. */
static size_t
space_at(const unsigned char *p, size_t n)
{
	if (n >= 1 && (p[0] == ' ' || p[0] == '\t' || p[0] == '\r' || p[0] == '\n'))
		return 1;
	if (n >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	if (n >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	return 0;
}

/* Same, for whitespace ending at p[n - 1]. */
static size_t
space_before(const unsigned char *p, size_t n)
{
	if (n >= 1 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n'))
		return 1;
	if (n >= 2 && p[n - 2] == 0xC2 && p[n - 1] == 0xA0)
		return 2;
	if (n >= 3 && p[n - 3] == 0xE3 && p[n - 2] == 0x80 && p[n - 1] == 0x80)
		return 3;
	return 0;
}

/* Characters in valid UTF-8, a CRLF counting once: browsers send a textarea's
 * line breaks as CRLF but show and count them as one. */
static size_t
visible_chars(const char *v, size_t len)
{
	size_t i, n = utf8_chars(v, len);

	for (i = 0; i + 1 < len; i++)
		if (v[i] == '\r' && v[i + 1] == '\n')
			n--;
	return n;
}

static size_t
trimmed_chars(const char *v, size_t len)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t k;

	while ((k = space_at(p, len)) > 0) {
		p += k;
		len -= k;
	}
	while ((k = space_before(p, len)) > 0)
		len -= k;
	return visible_chars((const char *)p, len);
}

/* ---- checks ---- */

enum form_fault
form_text_fault(const char *v, size_t len, const struct form_field *f, bool multiline,
    unsigned long *cp, size_t *chars)
{
	/* NUL first: it is the classic truncation attack (%00) and earns its
	 * own message rather than "bad encoding". */
	if (memchr(v, '\0', len) != NULL)
		return FF_NUL;
	if (!utf8_valid(v, len))
		return FF_ENCODING;
	if (!multiline && (memchr(v, '\n', len) != NULL || memchr(v, '\r', len) != NULL))
		return FF_NEWLINE;
	if (!utf8_no_controls(v, len, multiline))
		return FF_CONTROL;
	if ((*cp = utf8_deceptive(v, len)) != 0)
		return FF_DECEPTIVE;
	if ((*chars = trimmed_chars(v, len)) < f->min_chars)
		return FF_SHORT;
	if ((*chars = visible_chars(v, len)) > f->max_chars)
		return FF_LONG;
	return FF_OK;
}

static const char *
check_words(const char *v, size_t len, const struct form_field *f, char *buf,
    size_t cap, bool multiline)
{
	const char *lb = label_of(f);
	unsigned long dc = 0;
	size_t n = 0;

	switch (form_text_fault(v, len, f, multiline, &dc, &n)) {
	case FF_OK:
		return NULL;
	case FF_NUL:
		return say(buf, cap, _("含有无效的字符"), _("%s含有无效的字符"), lb);
	case FF_ENCODING:
		return say(buf, cap, _("含有无法识别的字符"), _("%s含有无法识别的字符，请检查输入法或编码"), lb);
	case FF_NEWLINE:
		return say(buf, cap, _("不能换行"), _("%s不能换行"), lb);
	case FF_CONTROL:
		return say(buf, cap, _("含有不可见的控制字符"), _("%s含有不可见的控制字符"), lb);
	case FF_DECEPTIVE:
		return say(buf, cap, _("含有改变文字方向或不可见的字符"),
		    _("%s含有改变文字方向或零宽度的不可见字符（U+%04lX），请删除后重试"), lb, dc);
	case FF_SHORT:
		return say(buf, cap, _("字数太少"), _("请填写%s，至少 %zu 个字（当前 %zu 个字）"),
		    lb, f->min_chars, n);
	case FF_LONG:
	default:
		return say(buf, cap, _("字数太多"), _("%s最多 %zu 个字（当前 %zu 个字）"),
		    lb, f->max_chars, n);
	}
}

const char *
form_check_text(const char *v, size_t len, const struct form_field *f, char *buf, size_t cap)
{
	return check_words(v, len, f, buf, cap, true);
}

const char *
form_check_line(const char *v, size_t len, const struct form_field *f, char *buf, size_t cap)
{
	return check_words(v, len, f, buf, cap, false);
}

const char *
form_check_choice(const char *v, size_t len, const struct form_field *f, char *buf, size_t cap)
{
	size_t i;

	/* Compare with lengths: "balance\0x" must not match "balance". */
	for (i = 0; f->choices != NULL && i < f->nchoices; i++)
		if (f->choices[i] != NULL && strlen(f->choices[i]) == len &&
		    memcmp(f->choices[i], v, len) == 0)
			return NULL;
	return say(buf, cap, _("请选择有效的选项"), _("请选择有效的%s"), label_of(f));
}

const char *
form_check_ident(const char *v, size_t len, const struct form_field *f, char *buf, size_t cap)
{
	if (strlen(v) == len && ident_valid(v, f->max_chars))
		return NULL;
	return say(buf, cap, _("格式不正确"),
	    _("%s格式不正确：只能包含字母、数字、“-”和“_”，最多 %zu 位"),
	    label_of(f), f->max_chars);
}

/* True when v[0..len) is lo..hi bytes, each accepted by ok(). */
static bool
all_of(const char *v, size_t len, size_t lo, size_t hi, bool (*ok)(unsigned char))
{
	size_t i;

	if (len < lo || len > hi)
		return false;
	for (i = 0; i < len; i++)
		if (!ok((unsigned char)v[i]))
			return false;
	return true;
}

static bool
is_token_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

const char *
form_check_token(const char *v, size_t len, const struct form_field *f, char *buf, size_t cap)
{
	size_t lo = f->min_chars > 0 ? f->min_chars : 1;

	if (all_of(v, len, lo, f->max_chars, is_token_char))
		return NULL;
	return say(buf, cap, _("格式不正确"),
	    _("%s格式不正确：只能包含字母、数字、“-”和“_”，%zu 到 %zu 位"),
	    label_of(f), lo, f->max_chars);
}

const char *
form_check_digits(const char *v, size_t len, const struct form_field *f, char *buf, size_t cap)
{
	size_t lo = f->min_chars > 0 ? f->min_chars : 1;

	if (all_of(v, len, lo, f->max_chars, is_digit))
		return NULL;
	if (lo == f->max_chars)
		return say(buf, cap, _("只能填写数字"), _("%s应为 %zu 位数字"), label_of(f), lo);
	return say(buf, cap, _("只能填写数字"), _("%s只能填写数字，%zu 到 %zu 位"),
	    label_of(f), lo, f->max_chars);
}

const char *
form_check_bytes(const char *v, size_t len, const struct form_field *f, char *buf, size_t cap)
{
	if (memchr(v, '\0', len) == NULL && len <= f->max_chars)
		return NULL;
	return say(buf, cap, _("格式不正确"), _("%s格式不正确"), label_of(f));
}

/* ---- the table ---- */

size_t
form_attr_maxlength(const struct form_field *table, size_t i)
{
	return table[i].max_chars;
}

const char *
form_attr_label(const struct form_field *table, size_t i)
{
	return label_of(&table[i]);
}

const struct form_value *
form_get(const struct form_value *vals, size_t nvals, const char *name)
{
	size_t i;

	if (vals == NULL || name == NULL)
		return NULL;
	for (i = 0; i < nvals; i++)
		if (vals[i].name != NULL && strcmp(vals[i].name, name) == 0)
			return &vals[i];
	return NULL;
}

/* The message for one field, or NULL. */
static const char *
validate_one(const struct form_field *f, const struct form_value *vals,
    size_t nvals, char *buf, size_t cap)
{
	const struct form_value *v = NULL;
	size_t i, seen = 0;

	for (i = 0; i < nvals; i++) {
		if (vals[i].name == NULL || strcmp(vals[i].name, f->name) != 0)
			continue;
		if (seen++ == 0)
			v = &vals[i];
	}
	/* Two values for one field: which one did the buyer mean? Refuse
	 * rather than pick, as a checked value and a used one could differ. */
	if (seen > 1)
		return _("重复的字段");
	if (v == NULL || v->value == NULL || v->len == 0) {
		if (!f->required)
			return NULL;
		if (f->check == form_check_choice)
			return say(buf, cap, _("请选择此项"), _("请选择%s"), label_of(f));
		return say(buf, cap, _("请填写此项"), _("请填写%s"), label_of(f));
	}
	if (f->check == NULL)
		return _("此项无法提交");
	return f->check(v->value, v->len, f, buf, cap);
}

size_t
form_validate(const struct form_field *table, size_t n,
    const struct form_value *vals, size_t nvals, const char **errors,
    char *msgbuf, size_t msgcap)
{
	char *cur = msgbuf;
	size_t i, left = msgbuf != NULL ? msgcap : 0, bad = 0;
	const char *m;

	if (vals == NULL)
		nvals = 0;
	for (i = 0; i < n; i++) {
		m = validate_one(&table[i], vals, nvals, cur, left);
		errors[i] = m;
		if (m == NULL)
			continue;
		bad++;
		/* A message written into the scratch keeps its bytes. */
		if (m == cur && cur != NULL) {
			cur += strlen(m) + 1;
			left -= strlen(m) + 1;
		}
	}
	return bad;
}
