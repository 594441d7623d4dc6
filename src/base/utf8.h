/* utf8.h: strict UTF-8 validation (no overlongs, surrogates, or NUL) and
 * character counting. Lengths the user sees are counted in characters. */
#ifndef RD_UTF8_H
#define RD_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..n) is well-formed UTF-8 with no NUL and no code point over
 * U+10FFFF; overlong forms and UTF-16 surrogates are rejected. */
bool utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8 s[0..n). */
size_t utf8_chars(const char *s, size_t n);
/* True when s has no NUL, no C0 control characters other than \t (and \r
 * \n when allow_newlines), no DEL and no C1 controls (U+0080..U+009F). */
bool utf8_no_controls(const char *s, size_t n, bool allow_newlines);
/* The first code point of valid UTF-8 s[0..n) that makes text lie about
 * itself: bidi controls (U+202A..E, U+2066..9, U+200E/F, U+061C), zero-width
 * and invisible formatting characters (U+200B..D, U+2060..4, U+FEFF, U+00AD,
 * U+180E, U+206A..F, U+FFF9..B); 0 when there is none. "\u202egnp.exe"
 * shows as "exe.png". */
unsigned long utf8_deceptive(const char *s, size_t n);

#endif
