/* password.h: staff passwords: the rules a new one must meet, its argon2id
 * hash for storage, and a check that costs the same whether or not the
 * account exists. No database, no request: cmd_staff and the login page
 * share it. */
#ifndef RD_PASSWORD_H
#define RD_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

#define PASSWORD_MIN 12          /* characters */
#define PASSWORD_MAX 256         /* bytes: longer is refused, never cut */
#define PASSWORD_HASH_MAX 128    /* an argon2id string with its NUL */

/* Why a new password is refused (a message for the operator), or NULL. */
const char *password_problem(const char *pw, size_t len);
/* argon2id hash for storage; RD_ERR_NOMEM when libsodium cannot. */
enum rd_err password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* True when password matches hash. hash NULL (no such account) verifies
 * against a real hash of a random password, spending the same work, so
 * timing does not tell unknown logins from wrong passwords. */
bool password_verify(const char *hash, const char *password);

#endif
