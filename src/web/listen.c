/* listen.c: the listening socket from systemd or --listen, moved to fd 0. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "web/listen.h"
#include "base/log.h"

#define LISTEN_BACKLOG 128
#define SD_LISTEN_FDS_START 3

static const char *spec;
static mode_t unix_mode = 0660;

int
listen_args(int *argc, char **argv)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		bool is_listen = strcmp(argv[i], "--listen") == 0;
		bool is_mode = strcmp(argv[i], "--listen-mode") == 0;
		if (!is_listen && !is_mode) {
			argv[out++] = argv[i];
			continue;
		}
		if (i + 1 >= *argc) {
			fprintf(stderr, "refund-desk: %s needs a value\n", argv[i]);
			return -1;
		}
		const char *v = argv[++i];
		if (is_listen) {
			spec = v;
			continue;
		}
		char *end;
		long m = strtol(v, &end, 8);
		if (*end != '\0' || end == v || m < 0 || m > 0777) {
			fprintf(stderr, "refund-desk: --listen-mode wants an octal mode such as 0660, not '%s'\n", v);
			return -1;
		}
		unix_mode = (mode_t)m;
	}
	argv[out] = NULL;
	*argc = out;
	return 0;
}

const char *
listen_spec(void)
{
	return spec;
}

/* fd onto 0, the one libfcgi serves. */
static int
onto_stdin(int fd)
{
	if (fd != 0) {
		if (dup2(fd, 0) < 0) {
			fprintf(stderr, "refund-desk: dup2: %s\n", strerror(errno));
			return -1;
		}
		close(fd);
	}
	fcntl(0, F_SETFD, 0);      /* the supervisor's workers inherit it */
	return 0;
}

static int
open_unix(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "refund-desk: --listen unix:%s: path longer than %zu bytes\n", path,
		    sizeof(sun.sun_path) - 1);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		goto fail;
	/* A socket left by an earlier run is replaced if nobody answers on it;
	 * anything else at the path is not ours to remove. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			fprintf(stderr, "refund-desk: --listen unix:%s: exists and is not a socket\n", path);
			close(fd);
			return -1;
		}
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
			fprintf(stderr, "refund-desk: --listen unix:%s: another process listens there\n", path);
			close(fd);
			return -1;
		}
		close(fd);
		unlink(path);
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
			goto fail;
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 || chmod(path, unix_mode) != 0 ||
	    listen(fd, LISTEN_BACKLOG) != 0)
		goto fail;
	return fd;
fail:
	fprintf(stderr, "refund-desk: --listen unix:%s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* HOST:PORT or [V6]:PORT. */
static int
open_tcp(const char *hostport)
{
	char host[256];
	const char *colon = strrchr(hostport, ':');
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
	struct addrinfo *ai = NULL;
	int fd = -1, one = 1, rc;

	if (colon == NULL || colon == hostport || (size_t)(colon - hostport) >= sizeof(host) || colon[1] == '\0') {
		fprintf(stderr, "refund-desk: --listen wants unix:PATH or HOST:PORT, not '%s'\n", hostport);
		return -1;
	}
	size_t hn = (size_t)(colon - hostport);
	if (hostport[0] == '[' && hn > 2 && hostport[hn - 1] == ']') {
		memcpy(host, hostport + 1, hn - 2);
		host[hn - 2] = '\0';
	} else {
		memcpy(host, hostport, hn);
		host[hn] = '\0';
	}
	if ((rc = getaddrinfo(host, colon + 1, &hints, &ai)) != 0) {
		fprintf(stderr, "refund-desk: --listen %s: %s\n", hostport, gai_strerror(rc));
		return -1;
	}
	if ((fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, LISTEN_BACKLOG) != 0) {
		fprintf(stderr, "refund-desk: --listen %s: %s\n", hostport, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	} else if (strcmp(host, "127.0.0.1") != 0 && strcmp(host, "::1") != 0 && strcmp(host, "localhost") != 0) {
		/* FastCGI has no authentication: whoever connects sets REMOTE_ADDR. */
		log_warn("listening for FastCGI on %s: not loopback; firewall it or set FCGI_WEB_SERVER_ADDRS",
		    hostport);
	}
	freeaddrinfo(ai);
	return fd;
}

/* systemd: LISTEN_PID names us and LISTEN_FDS=1 (sd_listen_fds(3)). */
static int
from_systemd(void)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");

	if (pid == NULL || fds == NULL || strtol(pid, NULL, 10) != (long)getpid())
		return 0;
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (strcmp(fds, "1") != 0) {
		fprintf(stderr, "refund-desk: LISTEN_FDS=%s: one socket expected "
		    "(one ListenStream= in the .socket unit)\n", fds);
		return -1;
	}
	return onto_stdin(SD_LISTEN_FDS_START) == 0 ? 1 : -1;
}

int
listen_prepare(void)
{
	int fd;

	if (spec == NULL) {
		int rc = from_systemd();
		if (rc > 0)
			log_info("serving FastCGI on the socket systemd passed");
		return rc < 0 ? -1 : 0;
	}
	fd = strncmp(spec, "unix:", 5) == 0 ? open_unix(spec + 5) : open_tcp(spec);
	if (fd < 0 || onto_stdin(fd) != 0)
		return -1;
	log_info("serving FastCGI on %s", spec);
	return 0;
}
