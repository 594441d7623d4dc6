/* buyer_pages_cfg.h: what the buyer pages take from the config (issue 10):
 *   "storefront_url": "https://shop.example/"   the 返回商城 link on every
 *       buyer page ("" or absent: no link); http(s) only, one line;
 *   "refund_arrival": {"alipay": "1–3 个工作日", "wechat": ..., "bank": ...,
 *       "balance": ...}   when an original-path refund is expected to
 *       arrive, per payment channel; absent keys keep the defaults. */
#ifndef RD_BUYER_PAGES_CFG_H
#define RD_BUYER_PAGES_CFG_H

#include <json-c/json.h>
#include <stddef.h>

#include "base/err.h"

/* The payment channels in rules/domain.h's order (enum pay_channel):
 * base/ does not reach into rules/, test_config.c checks the order. */
#define ARRIVAL_CHANNELS 4
extern const char *const arrival_channel_names[ARRIVAL_CHANNELS];

struct buyer_pages_cfg {
	char storefront_url[512];
	char arrival[ARRIVAL_CHANNELS][96];
};

/* Fills out from root (defaults for what is absent); on a bad value
 * errmsg says which key. */
enum rd_err buyer_pages_cfg_load(struct buyer_pages_cfg *out, json_object *root, char *errmsg, size_t cap);

#endif
