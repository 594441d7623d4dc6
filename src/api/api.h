/* api.h: the storefront API's shared parts: signature check, JSON body
 * reading and typed field access, error and JSON responses. */
#ifndef RD_API_H
#define RD_API_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "web/form.h"
#include "web/http.h"
#include "store/model.h"

#define API_BODY_MAX 65536

/* Reads the body and verifies X-RD-Timestamp / X-RD-Signature. On failure
 * the error response is written and false returned. *root is NULL for an
 * empty body (GET), else a parsed JSON object the caller must put. */
bool api_begin(struct req *r, json_object **root);
/* api_begin that also takes an API client's signature (X-RD-Client,
 * CONTRACT.md §7) when clients is true: *buyer is then the client's buyer,
 * NULL for the storefront. api_begin refuses a client with 403. */
bool api_begin_as(struct req *r, json_object **root, bool clients, const char **buyer);
/* The parts of api_begin_as, for a body read another way (api_multipart.c):
 * who signs (the storefront's secret, or the client's into csecret, its
 * buyer in *buyer); the path, signature (over body, or body_sha256 when
 * not NULL) and replay checks; the body as one strict JSON object. Each
 * writes the error response and returns false on failure. */
bool api_signer(struct req *r, bool clients, char csecret[65], const char **secret, const char **buyer);
bool api_verify(struct req *r, const char *secret, const char *body, size_t blen, const char *body_sha256);
bool api_parse_json(struct req *r, const char *body, size_t blen, json_object **root);
/* A signed multipart body from an API client: a `json` part (*root) and
 * file parts named file_field, stored as evidence uploads in *form (checked
 * by content, as the buyer's). The signature covers every byte of the body. */
struct form_body;
bool api_begin_multipart(struct req *r, const char *file_field, const char **buyer, json_object **root,
    struct form_body **form);
/* A JSON string member checked by a form table's row (web/form.h), as
 * api_str does with its own row: the API and the HTML form share limits. */
bool api_form_field(struct req *r, json_object *o, const struct form_field *f, bool optional, const char **out);
void api_error(struct req *r, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Writes obj (and puts it) as the response. */
void api_json(struct req *r, int status, json_object *obj);
/* Maps a database-layer error to a JSON error response. */
void api_fail(struct req *r, enum rd_err e);

/* Typed fields: each writes a 400/422 error naming the field and returns
 * false when the member is missing (unless optional), of the wrong type or
 * out of range. *present tells an optional one was there. */
bool api_str(struct req *r, json_object *o, const char *key, size_t min_chars, size_t max_chars,
    bool optional, const char **out);
bool api_ident(struct req *r, json_object *o, const char *key, size_t max, const char **out);
bool api_int(struct req *r, json_object *o, const char *key, long long lo, long long hi,
    bool optional, bool *present, long long *out);
bool api_bool(struct req *r, json_object *o, const char *key, bool *present, bool *out);
/* One of table[0..n); returns the index or -1 (error written). */
int api_enum(struct req *r, json_object *o, const char *key, const char *const *table, size_t n,
    bool optional);

/* The order and refund shapes of CONTRACT.md §5. */
json_object *api_order_json(const struct order *o);
json_object *api_refund_json(const struct refund *rf);
/* The same for an API client's buyer (NULL: the storefront's full shape). */
json_object *api_refund_json_for(const struct refund *rf, const char *client_buyer);

#endif
