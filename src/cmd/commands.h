/* commands.h: the subcommands of refund-desk, one file each. Each returns
 * the process exit status. */
#ifndef RD_COMMANDS_H
#define RD_COMMANDS_H

struct app;

int cmd_serve(struct app *app);
int cmd_migrate(struct app *app);
int cmd_sign_link(struct app *app, int argc, char **argv);
int cmd_check_ledger(struct app *app);
int cmd_worker(struct app *app, int argc, char **argv);
int cmd_staff(struct app *app, int argc, char **argv);
int cmd_routes(void);
int cmd_api_client(struct app *app, int argc, char **argv);

#endif
