/* json_keys.c: a recursive scan of an already validated JSON text that
 * collects each object's decoded member names, sorts them and looks for a
 * neighbour pair that is equal. Depth is bounded by json-c's own limit.
 * "Validated" means what json-c's strict tokener accepts, which includes
 * member names in single quotes ({'state':1}): they are names like any
 * other here. Every loop moves forward whatever the text, so a text the
 * scan does not expect ends it rather than holding the worker. */
#include <stdlib.h>
#include <string.h>

#include "web/json_keys.h"

struct key {
	const char *s;
	size_t n;
};

struct scan {
	const char *p;
	size_t n, i;
	struct arena *a;
	bool dup, nomem;
};

static void
ws(struct scan *s)
{
	while (s->i < s->n && (s->p[s->i] == ' ' || s->p[s->i] == '\t' || s->p[s->i] == '\r' ||
	    s->p[s->i] == '\n'))
		s->i++;
}

static int
hexv(char c)
{
	return (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 :
	    (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
}

static unsigned
u4(const char *p)
{
	return (unsigned)(hexv(p[0]) << 12 | hexv(p[1]) << 8 | hexv(p[2]) << 4 | hexv(p[3]));
}

static size_t
put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* At the opening quote (" or '); leaves i after the closing one, the same
 * character. With out, decodes into arena memory (a decoded string is never
 * longer than its source). */
static void
string(struct scan *s, struct key *out)
{
	const char q = s->p[s->i];
	size_t start = ++s->i, len = 0;
	char *o = NULL;

	while (s->i < s->n && s->p[s->i] != q)
		s->i += s->p[s->i] == '\\' ? 2 : 1;
	if (s->i > s->n)
		s->i = s->n;                     /* a backslash was the last byte */
	if (out == NULL) {
		s->i++;
		return;
	}
	if ((o = arena_alloc(s->a, s->i - start + 1)) == NULL) {
		s->nomem = true;
		s->i++;
		return;
	}
	for (size_t k = start; k < s->i && k < s->n; k++) {
		char c = s->p[k];
		if (c != '\\') {
			o[len++] = c;
			continue;
		}
		c = s->p[++k];
		switch (c) {
		case 'b': o[len++] = '\b'; break;
		case 'f': o[len++] = '\f'; break;
		case 'n': o[len++] = '\n'; break;
		case 'r': o[len++] = '\r'; break;
		case 't': o[len++] = '\t'; break;
		case 'u': {
			if (k + 4 >= s->n)
				break;
			unsigned cp = u4(s->p + k + 1);
			k += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && k + 6 < s->n && s->p[k + 1] == '\\' && s->p[k + 2] == 'u') {
				unsigned lo = u4(s->p + k + 3);
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				k += 6;
			}
			len += put_utf8(o + len, cp);
			break;
		}
		default: o[len++] = c; break;       /* \" \\ \/ */
		}
	}
	out->s = o;
	out->n = len;
	s->i++;
}

static int
keycmp(const void *x, const void *y)
{
	const struct key *a = x, *b = y;
	int c = memcmp(a->s, b->s, a->n < b->n ? a->n : b->n);
	return c != 0 ? c : (a->n > b->n) - (a->n < b->n);
}

static void value(struct scan *s);

static void
object(struct scan *s)
{
	size_t cap = 8, nk = 0;
	struct key *keys = arena_alloc(s->a, cap * sizeof(*keys));

	s->i++;
	for (;;) {
		ws(s);
		if (keys == NULL) {
			s->nomem = true;
			return;
		}
		if (s->i >= s->n || s->p[s->i] == '}')
			break;
		if (s->p[s->i] == ',') {
			s->i++;
			continue;
		}
		size_t at = s->i;
		if (nk == cap) {
			struct key *k2 = arena_alloc(s->a, 2 * cap * sizeof(*keys));
			if (k2 == NULL) {
				s->nomem = true;
				return;
			}
			memcpy(k2, keys, cap * sizeof(*keys));
			keys = k2;
			cap *= 2;
		}
		string(s, &keys[nk++]);
		ws(s);
		s->i++;                                  /* ':' */
		value(s);
		if (s->nomem || s->dup)
			return;
		if (s->i == at)
			s->i++;
	}
	s->i++;
	qsort(keys, nk, sizeof(*keys), keycmp);
	for (size_t k = 1; k < nk; k++)
		if (keycmp(&keys[k - 1], &keys[k]) == 0)
			s->dup = true;
}

static void
value(struct scan *s)
{
	ws(s);
	if (s->i >= s->n)
		return;
	switch (s->p[s->i]) {
	case '{':
		object(s);
		return;
	case '[':
		s->i++;
		for (;;) {
			ws(s);
			if (s->i >= s->n || s->p[s->i] == ']')
				break;
			if (s->p[s->i] == ',') {
				s->i++;
				continue;
			}
			size_t at = s->i;
			value(s);
			if (s->nomem || s->dup)
				return;
			if (s->i == at)                  /* a '}' here: not JSON, but move on */
				s->i++;
		}
		s->i++;
		return;
	case '"':
	case '\'':
		string(s, NULL);
		return;
	default:
		while (s->i < s->n && strchr(",]} \t\r\n", s->p[s->i]) == NULL)
			s->i++;
	}
}

bool
json_dup_keys(const char *p, size_t n, struct arena *a, bool *nomem)
{
	struct scan s = { p, n, 0, a, false, false };

	value(&s);
	if (nomem != NULL)
		*nomem = s.nomem;
	return s.dup;
}
