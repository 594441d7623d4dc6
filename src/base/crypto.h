/* crypto.h: the only door to libsodium. HMAC-SHA256, SHA-256, constant-time
 * comparison and unguessable identifiers. */
#ifndef RD_CRYPTO_H
#define RD_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/err.h"

#define HEX_SHA256_LEN 64

/* sodium_init(); RD_ERR_INTERNAL when it fails. Call once per process. */
enum rd_err crypto_init(void);
/* Lowercase hex HMAC-SHA256(key, msg) into out[65] (NUL-terminated). */
void hmac_sha256_hex(const void *key, size_t klen, const void *msg, size_t mlen, char out[65]);
void sha256_hex(const void *msg, size_t mlen, char out[65]);
/* Incremental SHA-256 for streamed uploads. */
struct sha256_ctx { unsigned char opaque[128] __attribute__((aligned(16))); };
void sha256_begin(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *p, size_t n);
void sha256_end_hex(struct sha256_ctx *c, char out[65]);
/* Constant-time equality of two strings; false when lengths differ. The time
 * depends only on the lengths, never on where the strings differ. */
bool ct_streq(const char *a, const char *b);
/* n random characters from [A-Za-z0-9] then a NUL: out must hold n + 1. */
void random_token(char *out, size_t n);

#endif
