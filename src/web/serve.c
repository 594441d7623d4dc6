/* serve.c: the FastCGI accept loop; as plain CGI, one request and exit.
 * Each worker owns one arena and one database connection for its life. */
#include <fcgiapp.h>
#include <magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "base/config.h"
#include "store/db.h"
#include "web/http.h"
#include "web/listen.h"
#include "base/log.h"
#include "web/router.h"

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
	(void)io;                        /* CGI has one request: the process's own */
	return getenv(name);
}

static long
cgi_read(void *io, char *p, size_t n)
{
	(void)io;
	size_t got = fread(p, 1, n, stdin);
	return (got == 0 && ferror(stdin)) ? -1 : (long)got;
}

static int
cgi_write(void *io, const char *p, size_t n)
{
	(void)io;
	return fwrite(p, 1, n, stdout) == n ? 0 : -1;
}

static volatile sig_atomic_t stopping, in_request;

/* SIGTERM: an idle worker (blocked in accept) leaves at once; a busy one
 * finishes the request it has, then leaves. */
static void
on_term(int sig)
{
	(void)sig;
	if (!in_request)
		_exit(0);
	stopping = 1;
}

/* The worker's life: libmagic, a database connection, then accept until
 * told to stop. */
static int
serve_fcgi(struct app *app)
{
	struct arena a;
	FCGX_Request fr;
	struct sigaction sa;

	if ((app->magic = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS)) == NULL ||
	    magic_load(app->magic, NULL) != 0) {
		log_warn("libmagic: cannot load its database");
		return 1;
	}
	arena_init(&a, (size_t)app->cfg->request_memory);
	/* A dead database at start-up is not fatal: requests answer 503 and
	 * the connection is retried on the next one. */
	db_ensure(app->db);
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

static volatile sig_atomic_t master_stop;
static pid_t kids[64];
static int nkids;

/* Stop, and tell the workers at once: the supervisor may be anywhere. */
static void
on_master_term(int sig)
{
	(void)sig;
	master_stop = 1;
	for (int i = 0; i < nkids; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGTERM);
}

static pid_t
spawn_worker(struct app *app)
{
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		/* Leave with the supervisor, even if it is killed with SIGKILL. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() == 1)
			_exit(0);
		_exit(serve_fcgi(app));
	}
	if (pid < 0)
		log_warn("supervisor: fork: %s", strerror(errno));
	return pid;
}

/* REFUND_DESK_WORKERS=N: this process stays as a supervisor of N workers
 * that share the listening socket on fd 0, and starts a new one whenever a
 * worker dies (spawn-fcgi -F N would leave the pool one short for good).
 * SIGTERM stops the workers, then the supervisor. */
static int
supervise(struct app *app, int n)
{
	struct sigaction sa;
	int status;

	nkids = n;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_master_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (int i = 0; i < n; i++)
		kids[i] = spawn_worker(app);
	log_info("supervisor: %d workers", n);
	while (!master_stop) {
		pid_t dead = waitpid(-1, &status, 0);
		if (dead < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < n; i++) {
			if (kids[i] != dead || master_stop)
				continue;
			log_warn("supervisor: worker %ld %s %d: starting another", (long)dead,
			    WIFSIGNALED(status) ? "killed by signal" : "exited with",
			    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			/* A worker that dies at once must not make a fork loop. */
			struct timespec pause = { 0, 200 * 1000000L };
			nanosleep(&pause, NULL);
			kids[i] = spawn_worker(app);
		}
	}
	for (int i = 0; i < n; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGTERM);
	while (waitpid(-1, &status, 0) > 0 || errno == EINTR)
		;
	log_info("supervisor stopping");
	return 0;
}

int
cmd_serve(struct app *app)
{
	struct arena a;
	const char *w = getenv("REFUND_DESK_WORKERS");

	if (listen_prepare() != 0)
		return 2;
	if (FCGX_IsCGI()) {
		struct http_io io = { cgi_param, cgi_read, cgi_write, NULL };
		if ((app->magic = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS)) == NULL ||
		    magic_load(app->magic, NULL) != 0) {
			log_warn("libmagic: cannot load its database");
			return 1;
		}
		arena_init(&a, (size_t)app->cfg->request_memory);
		router_dispatch(app, &a, &io);
		fflush(stdout);
		arena_free(&a);
		return 0;
	}
	if (w != NULL && w[0] != '\0') {
		char *end;
		long n = strtol(w, &end, 10);
		if (*end != '\0' || n < 1 || n > 64) {
			log_warn("REFUND_DESK_WORKERS must be 1..64, not '%s'", w);
			return 2;
		}
		return supervise(app, (int)n);
	}
	return serve_fcgi(app);
}
