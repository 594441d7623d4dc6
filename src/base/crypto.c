/* crypto.c: the only file that talks to libsodium. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "base/crypto.h"

/* The opaque buffer in crypto.h must hold libsodium's state, aligned. */
_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(((struct sha256_ctx *)0)->opaque),
    "struct sha256_ctx too small for crypto_hash_sha256_state");
_Static_assert(_Alignof(crypto_hash_sha256_state) <= 16,
    "struct sha256_ctx under-aligned for crypto_hash_sha256_state");
_Static_assert(crypto_auth_hmacsha256_BYTES == 32 && crypto_hash_sha256_BYTES == 32,
    "HEX_SHA256_LEN assumes 32-byte digests");

enum rd_err
crypto_init(void)
{
	/* 0 first time, 1 when already done: both fine. */
	return sodium_init() < 0 ? RD_ERR_INTERNAL : RD_OK;
}

static void
to_hex(const unsigned char bin[32], char out[65])
{
	sodium_bin2hex(out, HEX_SHA256_LEN + 1, bin, 32);
}

/*
 * The one-shot crypto_auth_hmacsha256() takes a fixed 32-byte key; the
 * init/update/final form takes any length (RFC 2104: longer keys are hashed),
 * which is what a configured secret or a test vector needs.
 */
void
hmac_sha256_hex(const void *key, size_t klen, const void *msg, size_t mlen, char out[65])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&st, key, klen);
	crypto_auth_hmacsha256_update(&st, msg, mlen);
	crypto_auth_hmacsha256_final(&st, mac);
	to_hex(mac, out);
	/* The state holds key-derived pads: do not leave them on the stack. */
	sodium_memzero(&st, sizeof(st));
}

void
sha256_hex(const void *msg, size_t mlen, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, msg, mlen);
	to_hex(h, out);
}

/*
 * The state is copied in and out of the opaque bytes rather than cast, so the
 * opaque array is only ever accessed as bytes (no aliasing questions); 104
 * bytes per chunk is nothing next to hashing the chunk.
 */
void
sha256_begin(struct sha256_ctx *c)
{
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	memset(c->opaque, 0, sizeof(c->opaque));
	memcpy(c->opaque, &st, sizeof(st));
}

void
sha256_update(struct sha256_ctx *c, const void *p, size_t n)
{
	crypto_hash_sha256_state st;

	memcpy(&st, c->opaque, sizeof(st));
	crypto_hash_sha256_update(&st, p, n);
	memcpy(c->opaque, &st, sizeof(st));
}

void
sha256_end_hex(struct sha256_ctx *c, char out[65])
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];

	memcpy(&st, c->opaque, sizeof(st));
	crypto_hash_sha256_final(&st, h);
	to_hex(h, out);
	sodium_memzero(c->opaque, sizeof(c->opaque));
}

/* Lengths are public (every token we compare has a fixed, known length);
 * only the contents must not leak through timing. */
bool
ct_streq(const char *a, const char *b)
{
	size_t la, lb;

	if (a == NULL || b == NULL)
		return false;
	la = strlen(a);
	lb = strlen(b);
	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}

void
random_token(char *out, size_t n)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char rnd[64];
	size_t i = 0, k = sizeof(rnd);

	/* One randombytes_buf() per 64 bytes, not a system call per character;
	 * bytes >= 248 (4 * 62) are skipped, so no modulo bias. */
	while (i < n) {
		if (k == sizeof(rnd)) {
			randombytes_buf(rnd, sizeof(rnd));
			k = 0;
		}
		unsigned char b = rnd[k++];
		if (b < 248)
			out[i++] = alphabet[b % 62];
	}
	sodium_memzero(rnd, sizeof(rnd));
	out[n] = '\0';
}
