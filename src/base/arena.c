/* arena.c: bump allocation in chained blocks; one reset frees a request. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

#define ARENA_BLOCK 16384
#define ARENA_DEFAULT_LIMIT ((size_t)64 << 20)

struct arena_block {
	struct arena_block *prev;
	size_t cap;
	size_t off;
	_Alignas(16) unsigned char mem[];
};

struct arena_cleanup {
	struct arena_cleanup *next;
	void (*fn)(void *arg);
	void *arg;
};

void
arena_init(struct arena *a, size_t limit)
{
	a->head = NULL;
	a->cleanups = NULL;
	a->used = 0;
	a->limit = limit ? limit : ARENA_DEFAULT_LIMIT;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->head;
	size_t need = (n + 15) & ~(size_t)15;

	if (need < n || a->used + need > a->limit)
		return NULL;
	if (b == NULL || b->cap - b->off < need) {
		size_t cap = need > ARENA_BLOCK ? need : ARENA_BLOCK;
		struct arena_block *nb = malloc(sizeof(*nb) + cap);
		if (nb == NULL)
			return NULL;
		nb->prev = b;
		nb->cap = cap;
		nb->off = 0;
		a->head = b = nb;
	}
	void *p = b->mem + b->off;
	b->off += need;
	a->used += need;
	memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (p != NULL)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

int
arena_cleanup(struct arena *a, void (*fn)(void *arg), void *arg)
{
	struct arena_cleanup *c = arena_alloc(a, sizeof(*c));

	if (c == NULL)
		return -1;
	c->fn = fn;
	c->arg = arg;
	c->next = a->cleanups;
	a->cleanups = c;
	return 0;
}

void
arena_reset(struct arena *a)
{
	struct arena_block *b;

	/* Unlink each record before running it: a cleanup that registers or
	 * resets again cannot run one twice. The records live in the blocks
	 * freed below, so the cleanups run first. */
	while (a->cleanups != NULL) {
		struct arena_cleanup *c = a->cleanups;
		a->cleanups = c->next;
		c->fn(c->arg);
	}
	b = a->head;

	/* Keep the oldest block: most requests fit in it, so the next one mallocs nothing. */
	while (b != NULL && b->prev != NULL) {
		struct arena_block *prev = b->prev;
		free(b);
		b = prev;
	}
	if (b != NULL)
		b->off = 0;
	a->head = b;
	a->used = 0;
}

void
arena_free(struct arena *a)
{
	arena_reset(a);
	free(a->head);
	a->head = NULL;
}
