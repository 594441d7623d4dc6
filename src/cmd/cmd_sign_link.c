/* cmd_sign_link.c: prints a signed hand-off link, as a storefront makes it. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd/commands.h"
#include "base/config.h"
#include "web/http.h"
#include "web/sign.h"

int
cmd_sign_link(struct app *app, int argc, char **argv)
{
	const char *order = NULL, *buyer = NULL;
	char sig[65];

	for (int i = 0; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--order") == 0)
			order = argv[i + 1];
		else if (strcmp(argv[i], "--buyer") == 0)
			buyer = argv[i + 1];
	}
	if (order == NULL || buyer == NULL || !ident_valid(order, ORDER_NO_MAX) ||
	    !ident_valid(buyer, BUYER_ID_MAX)) {
		fprintf(stderr, "sign-link: --order NO and --buyer ID are required ([A-Za-z0-9_-])\n");
		return 2;
	}
	long long ts = (long long)time(NULL);
	link_sign(app->cfg->storefront_secret, order, buyer, ts, sig);
	/* public_url with or without its last '/': the mount is in it. */
	const char *base = app->cfg->public_url;
	int blen = (int)strlen(base);
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	printf("%.*s/refund/start?order=%s&buyer=%s&ts=%lld&sig=%s\n", blen, base, order,
	    buyer, ts, sig);
	return 0;
}
