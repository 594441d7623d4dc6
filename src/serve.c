/* serve.c: the FastCGI accept loop; as plain CGI, one request and exit.
 * Each worker owns one arena and one database connection for its life. */
#include <fcgiapp.h>
#include <magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "router.h"

static const char *
fcgi_param(void *io, const char *name)
{
	return FCGX_GetParam(name, ((FCGX_Request *)io)->envp);
}

static long
fcgi_read(void *io, char *p, size_t n)
{
	int cap = n > (1 << 30) ? (1 << 30) : (int)n;
	int got = FCGX_GetStr(p, cap, ((FCGX_Request *)io)->in);
	if (got < cap && FCGX_GetError(((FCGX_Request *)io)->in) != 0)
		return -1;
	return got;
}

static int
fcgi_write(void *io, const char *p, size_t n)
{
	return FCGX_PutStr(p, (int)n, ((FCGX_Request *)io)->out) == (int)n ? 0 : -1;
}

static const char *
cgi_param(void *io, const char *name)
{
	return getenv(name);
}

static long
cgi_read(void *io, char *p, size_t n)
{
	size_t got = fread(p, 1, n, stdin);
	return (got == 0 && ferror(stdin)) ? -1 : (long)got;
}

static int
cgi_write(void *io, const char *p, size_t n)
{
	return fwrite(p, 1, n, stdout) == n ? 0 : -1;
}

static volatile sig_atomic_t stopping, in_request;

/* SIGTERM: an idle worker (blocked in accept) leaves at once; a busy one
 * finishes the request it has, then leaves. */
static void
on_term(int sig)
{
	if (!in_request)
		_exit(0);
	stopping = 1;
}

int
cmd_serve(struct app *app)
{
	struct arena a;
	FCGX_Request fr;

	if ((app->magic = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS)) == NULL ||
	    magic_load(app->magic, NULL) != 0) {
		log_warn("libmagic: cannot load its database");
		return 1;
	}
	arena_init(&a, 0);
	/* A dead database at start-up is not fatal: requests answer 503 and
	 * the connection is retried on the next one. */
	db_ensure(app->db);

	if (FCGX_IsCGI()) {
		struct http_io io = { cgi_param, cgi_read, cgi_write, NULL };
		router_dispatch(app, &a, &io);
		fflush(stdout);
		arena_free(&a);
		return 0;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	FCGX_Init();
	FCGX_InitRequest(&fr, 0, 0);
	log_info("worker ready");
	while (!stopping && FCGX_Accept_r(&fr) >= 0) {
		in_request = 1;
		struct http_io io = { fcgi_param, fcgi_read, fcgi_write, &fr };
		router_dispatch(app, &a, &io);
		FCGX_Finish_r(&fr);
		arena_reset(&a);
		in_request = 0;
	}
	arena_free(&a);
	log_info("worker stopping");
	return 0;
}
