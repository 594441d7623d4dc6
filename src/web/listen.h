/* listen.h: where the FastCGI responder's listening socket comes from.
 * libfcgi serves the socket on fd 0 and takes fd 0 for plain CGI unless it
 * is a listening socket, so every source ends up there:
 *   spawn-fcgi, Apache mod_fcgid: already on fd 0, nothing to do;
 *   systemd socket activation (LISTEN_PID is us, LISTEN_FDS=1): fd 3 is
 *     moved to fd 0, as fcgiwrap does;
 *   --listen unix:PATH | HOST:PORT: opened here (for Supervisor and panels
 *     that start a plain command). A unix socket gets mode 0660 (the web
 *     server shares the app's group) unless --listen-mode says otherwise;
 *     a stale socket file is replaced, any other file is refused.
 * The supervisor's workers inherit fd 0 whatever its source. */
#ifndef RD_LISTEN_H
#define RD_LISTEN_H

/* Takes --listen SPEC and --listen-mode OCTAL out of argv (anywhere before
 * the subcommand), shifting the rest down. 0, or -1 with a message on
 * stderr for a malformed option. */
int listen_args(int *argc, char **argv);
/* The --listen spec given, or NULL. */
const char *listen_spec(void);
/* Puts the listening socket on fd 0 (see above). 0, or -1 with a message. */
int listen_prepare(void);

#endif
