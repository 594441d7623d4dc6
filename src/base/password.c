/* password.c: argon2id through libsodium, and the rules for new passwords. */
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "base/crypto.h"
#include "base/password.h"
#include "base/utf8.h"

/* Common passwords of 12 or more characters (shorter ones fail the length
 * rule anyway), compared without case. */
static const char *const common_passwords[] = {
	"123456789012", "1234567890123", "12345678901234", "123456789abc", "qwertyuiopas",
	"qwerty123456", "qwertyuiop123", "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3",
	"password1234", "password123!", "passwordpassword", "p@ssw0rd1234", "p@ssword1234",
	"iloveyou1234", "admin1234567", "admin123456789", "administrator", "administrator1",
	"welcome12345", "changeme1234", "letmein12345", "abc123456789", "abcdefghijkl",
	"111111111111", "000000000000", "123123123123", "woaini1314520", "a123456789012",
	"refunddesk123", "refund-desk1", "qwertyqwerty", "asdfghjkl123", "football1234",
};

const char *
password_problem(const char *pw, size_t len)
{
	if (len > PASSWORD_MAX)
		return "the password is longer than 256 bytes (refused, not cut)";
	if (memchr(pw, '\0', len) != NULL || !utf8_valid(pw, len) || !utf8_no_controls(pw, len, false))
		return "the password must be UTF-8 text without control characters";
	if (utf8_chars(pw, len) < PASSWORD_MIN)
		return "the password must have at least 12 characters";
	size_t same = 0;
	while (same < len && pw[same] == pw[0])
		same++;
	if (same == len)
		return "the password is one character repeated";
	for (size_t i = 0; i < sizeof(common_passwords) / sizeof(common_passwords[0]); i++)
		if (strlen(common_passwords[i]) == len && strncasecmp(pw, common_passwords[i], len) == 0)
			return "the password is on the list of common passwords";
	return NULL;
}

enum rd_err
password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return RD_ERR_NOMEM;
	return RD_OK;
}

bool
password_verify(const char *hash, const char *password)
{
	/* A real argon2id hash of a random password, to spend the same work. */
	static char dummy[crypto_pwhash_STRBYTES];

	if (dummy[0] == '\0') {
		char pw[33];
		random_token(pw, 32);
		password_hash(pw, dummy);
	}
	int bad = crypto_pwhash_str_verify(hash != NULL ? hash : dummy, password, strlen(password));
	return hash != NULL && bad == 0;
}
