/* money.h: integer minor units (fen) with checked arithmetic. Never a double. */
#ifndef RD_MONEY_H
#define RD_MONEY_H

#include <stdbool.h>
#include <stdint.h>

#define MONEY_MAX ((int64_t)1 << 53)   /* largest amount we accept: JSON-safe */

/* False on overflow past +-MONEY_MAX; *out untouched then. */
bool money_add(int64_t a, int64_t b, int64_t *out);
bool money_sub(int64_t a, int64_t b, int64_t *out);
/* Recycling fee: amount * bp / 10000 rounded down to the fen, in the buyer's
 * favour. bp in 0..10000; amount in 0..MONEY_MAX. */
int64_t money_fee(int64_t amount, int bp);
/* "19.99" (no currency sign); negative amounts get a leading '-'. out[32]. */
void money_format(int64_t fen, char out[32]);
/* Yuan as a person types it, into fen: "70", "70.5", "70.50", with one
 * "¥" (U+00A5) or "￥" (U+FFE5) before the digits and blanks (space, tab,
 * CR, LF, U+3000) around them. What is wrong, in the order it is checked;
 * *out is set only on YUAN_OK. */
enum yuan_err {
	YUAN_OK,
	YUAN_EMPTY,        /* nothing but blanks (and a currency sign) */
	YUAN_NEGATIVE,     /* a minus sign: "-5", "¥-5", "-¥5" */
	YUAN_SYNTAX,       /* anything but digits with one optional "." */
	YUAN_DECIMALS,     /* more than two digits after the "." */
	YUAN_OVERFLOW,     /* past MONEY_MAX */
	YUAN__MAX
};
/* The staff form's message for each (YUAN_OK: NULL). */
extern const char *const yuan_err_messages[YUAN__MAX];
enum yuan_err money_parse_yuan_err(const char *s, int64_t *out);
/* money_parse_yuan_err() == YUAN_OK. */
bool money_parse_yuan(const char *s, int64_t *out);

#endif
