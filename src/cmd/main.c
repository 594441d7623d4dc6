/* main.c: command line, configuration and start-up; then hands over to
 * the FastCGI loop or a subcommand. */
#include <magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "base/config.h"
#include "base/crypto.h"
#include "store/db.h"
#include "web/http.h"
#include "web/listen.h"
#include "base/log.h"

static void
usage(FILE *f)
{
	fputs("usage: refund-desk                          FastCGI responder (or one CGI request)\n"
	      "       refund-desk [--config FILE] --listen unix:PATH|HOST:PORT [--listen-mode 0660]\n"
	      "       refund-desk [--config FILE] migrate\n"
	      "       refund-desk [--config FILE] worker [--once] [--max-seconds N]\n"
	      "       refund-desk [--config FILE] check-ledger\n"
	      "       refund-desk [--config FILE] sign-link --order NO --buyer ID\n"
	      "       refund-desk [--config FILE] staff add --role cs|merchant|arbiter|admin --login NAME "
	          "[--merchant ID]\n"
	      "       refund-desk [--config FILE] staff passwd --login NAME\n"
	      "       refund-desk [--config FILE] api-client add --buyer ID | list | revoke CLIENT_ID\n"
	      "       refund-desk routes                   the routes and the fields each checks\n"
	      "       refund-desk --version | --help\n"
	      "The configuration file comes from --config, else REFUND_DESK_CONFIG, else\n"
	      "refund-desk.json beside the executable.\n", f);
}

int
main(int argc, char **argv)
{
	const char *cfgarg = NULL;
	char cfgpath[4096], exe[4096];
	struct config cfg;
	struct app app;
	int i = 1, rc;

	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("refund-desk %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "routes") == 0)
		return cmd_routes();             /* the compiled-in table: no configuration needed */
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (listen_args(&argc, argv) != 0)
		return 2;
	if (argc > 2 && strcmp(argv[1], "--config") == 0) {
		cfgarg = argv[2];
		i = 3;
	}
	const char *cmd = i < argc ? argv[i] : NULL;
	if (cmd != NULL && listen_spec() != NULL) {
		fprintf(stderr, "refund-desk: --listen is for the FastCGI responder, not '%s'\n", cmd);
		return 2;
	}
	log_open("refund-desk", 0);
	/* mod_fcgid and suEXEC may hand us no environment at all: the file
	 * beside the executable is the last resort. */
	ssize_t el = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[el > 0 ? el : 0] = '\0';
	if (!config_find(cfgarg, getenv("REFUND_DESK_CONFIG"), exe, cfgpath, sizeof(cfgpath))) {
		fprintf(stderr, "refund-desk: no configuration: use --config FILE, REFUND_DESK_CONFIG "
		    "or refund-desk.json beside the executable\n");
		usage(stderr);
		return 2;
	}
	if (config_load(&cfg, cfgpath) != RD_OK) {
		fprintf(stderr, "refund-desk: %s\n", cfg.errmsg);
		config_free(&cfg);
		return 2;
	}
	if (crypto_init() != RD_OK) {
		fprintf(stderr, "refund-desk: libsodium failed to initialise\n");
		return 1;
	}
	memset(&app, 0, sizeof(app));
	app.cfg = &cfg;
	if ((app.db = db_new(&cfg)) == NULL)
		return 1;

	if (cmd == NULL) {
		rc = cmd_serve(&app);
	} else if (strcmp(cmd, "migrate") == 0) {
		rc = cmd_migrate(&app);
	} else if (strcmp(cmd, "sign-link") == 0) {
		rc = cmd_sign_link(&app, argc - i - 1, argv + i + 1);
	} else if (strcmp(cmd, "check-ledger") == 0) {
		rc = cmd_check_ledger(&app);
	} else if (strcmp(cmd, "staff") == 0) {
		rc = cmd_staff(&app, argc - i - 1, argv + i + 1);
	} else if (strcmp(cmd, "api-client") == 0) {
		rc = cmd_api_client(&app, argc - i - 1, argv + i + 1);
	} else if (strcmp(cmd, "worker") == 0) {
		rc = cmd_worker(&app, argc - i - 1, argv + i + 1);
	} else {
		fprintf(stderr, "refund-desk: unknown command '%s'\n", cmd);
		usage(stderr);
		rc = 2;
	}
	buf_free(&app.head);
	buf_free(&app.body);
	buf_free(&app.out);
	db_free(app.db);
	if (app.magic != NULL)
		magic_close(app.magic);
	config_free(&cfg);
	return rc;
}
