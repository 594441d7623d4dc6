/* arena.h: per-request memory. Everything a request allocates comes from its
 * arena and is freed at once by arena_reset(); nothing is freed one by one. */
#ifndef RD_ARENA_H
#define RD_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;
struct arena_cleanup;

struct arena {
	struct arena_block *head;  /* current block; older blocks chain behind */
	struct arena_cleanup *cleanups;  /* newest first */
	size_t used;               /* bytes handed out across all blocks */
	size_t limit;              /* refuse to grow past this many bytes (0: 64 MiB) */
};

void arena_init(struct arena *a, size_t limit);
/* Zeroed, 16-byte aligned memory, or NULL when the limit is reached. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
/* Registers fn(arg) to run when the arena is reset or freed, as nginx's pool
 * cleanups: what a request opens (a temp file) is released with its memory,
 * on every exit path. Cleanups run once, newest first. -1 when the arena
 * cannot hold the record (the caller releases the resource itself). */
int arena_cleanup(struct arena *a, void (*fn)(void *arg), void *arg);
/* Runs the cleanups, then frees all but the first block and rewinds it: the
 * next request starts clean. */
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

#endif
