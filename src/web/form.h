/* form.h: declarative form validation. A handler declares its form as a
 * table of fields, each with a check; form_validate() runs the table over the
 * parsed values and yields one buyer-facing message (Simplified Chinese) per
 * bad field. Pure: no I/O, no allocation; messages are static strings or
 * written into the caller's scratch buffer.
 *
 * Lengths the buyer sees are counted in characters (code points, with CRLF
 * counting once, as a textarea shows it), never in bytes. */
#ifndef RD_FORM_H
#define RD_FORM_H

#include <stdbool.h>
#include <stddef.h>

/* A parsed field: value is NUL-terminated but may hold NUL bytes (a %00 in
 * the request), so len is the truth. */
struct form_value {
	const char *name;
	const char *value;
	size_t len;
};

struct form_field;

/* NULL when v[0..len) is valid, else the message: either a static string or
 * one written into buf[0..cap) (and then the return value is buf). A check
 * that cannot fit its message in buf returns a static, shorter one. */
typedef const char *(*form_check_fn)(const char *v, size_t len,
    const struct form_field *f, char *buf, size_t cap);

struct form_field {
	const char *name;            /* as in the request */
	const char *label;           /* as the buyer reads it: "退款原因"; NULL: name */
	form_check_fn check;         /* NULL rejects every non-empty value (fail closed) */
	size_t min_chars, max_chars; /* meaning depends on the check; see below */
	bool required;               /* absent or empty is an error */
	const char *const *choices;  /* form_check_choice only */
	size_t nchoices;
};

/*
 * Validates vals against table[0..n). errors[i] is set for every i: the
 * message for table[i], or NULL. An absent or empty optional field is valid
 * and not checked; an absent or empty required one is "请填写…" ("请选择…"
 * for choices). A field given more than once is an error for that field
 * ("重复的字段"). Values whose names are not in the table are ignored.
 * Formatted messages are written one after another into msgbuf[0..msgcap)
 * (NULL/0 is allowed: messages then come without the label); errors[] point
 * into it, so it must outlive errors. Returns the number of bad fields.
 */
size_t form_validate(const struct form_field *table, size_t n,
    const struct form_value *vals, size_t nvals, const char **errors,
    char *msgbuf, size_t msgcap);

/* The first value named name, or NULL. */
const struct form_value *form_get(const struct form_value *vals, size_t nvals,
    const char *name);

/* Attributes the views read from the same table the gate checks with, so a
 * limit is written once: <textarea maxlength=...>, the field's label. */
size_t form_attr_maxlength(const struct form_field *table, size_t i);
const char *form_attr_label(const struct form_field *table, size_t i);

/* What is wrong with a text value, in the order it is checked. The API words
 * these as its own error codes (api.c); form_check_text/line as messages. */
enum form_fault {
	FF_OK, FF_NUL, FF_ENCODING, FF_NEWLINE, FF_CONTROL, FF_DECEPTIVE, FF_SHORT, FF_LONG
};
/* multiline: a textarea (CR/LF allowed). *cp: the deceptive code point
 * (FF_DECEPTIVE); *chars: the count that broke the limit (FF_SHORT/LONG). */
enum form_fault form_text_fault(const char *v, size_t len, const struct form_field *f,
    bool multiline, unsigned long *cp, size_t *chars);

/* Free text (a textarea): valid UTF-8, no NUL, no control characters except
 * tab and newlines; min_chars..max_chars characters, where leading and
 * trailing whitespace (ASCII, U+00A0, U+3000) does not count toward min. */
const char *form_check_text(const char *, size_t, const struct form_field *, char *, size_t);
/* As form_check_text, on one line: no CR or LF. */
const char *form_check_line(const char *, size_t, const struct form_field *, char *, size_t);
/* Exactly one of f->choices. */
const char *form_check_choice(const char *, size_t, const struct form_field *, char *, size_t);
/* ident_valid(v, max_chars): an order number or buyer id. */
const char *form_check_ident(const char *, size_t, const struct form_field *, char *, size_t);
/* max(1, min_chars)..max_chars of [A-Za-z0-9_-]: a CSRF token, idem key. */
const char *form_check_token(const char *, size_t, const struct form_field *, char *, size_t);
/* max(1, min_chars)..max_chars ASCII digits (no sign, no space). */
const char *form_check_digits(const char *, size_t, const struct form_field *, char *, size_t);

/* 0..max_chars bytes, no NUL, nothing else (a password: its bytes are hashed,
 * never shown). */
const char *form_check_bytes(const char *, size_t, const struct form_field *, char *, size_t);

#endif
