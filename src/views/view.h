/* view.h: page fragments shared by the views (src/views/view_*.c): the order
 * card, amount lines, timeline, evidence list, the buyer's logout button. */
#ifndef RD_VIEW_H
#define RD_VIEW_H

#include <stdbool.h>

#include "web/http.h"
#include "store/model.h"

/* The order card: title, number, amount, payment, delivery and usage. */
void view_order_card(struct req *r, const struct order *o);
/* "退款金额 ¥x（扣除手续费 ¥y）" style amount lines of a decision. */
void view_amounts(struct req *r, int64_t requested, int64_t fee, int64_t refund);

/* The timeline of a refund loaded with refund_load(.., false, ..), each
 * entry labelled and styled by its actor (买家 / 客服 / 商家 / 仲裁 / 系统);
 * staff pages add the staff login. */
void view_timeline(struct req *r, const struct refund *rf, bool staff);
/* Evidence links base + public_id + "/evidence/N" (base is markup: a
 * literal path like "/refund/"). */
void view_evidence(struct req *r, const char *base, const struct refund *rf);

/* A field's message, <p class="err" id="err-ID">, when msg is not NULL. */
void view_field_error(struct req *r, const char *id, const char *msg);
/* The evidence picker: label, file input and the limits' hint. The limits
 * also go into data- attributes, which the upload script (static/rd-upload.js)
 * checks before sending; without it the server's checks are the same. */
void view_file_input(struct req *r, const char *id, const char *label, long long max_bytes, int max_files);
/* The upload script, once, on a page that showed a picker (before html_end). */
void view_upload_script(struct req *r);

/* The banner of a form page's failed attempt, <p class="banner" id=ID>,
 * when msg is not NULL. */
void view_banner(struct req *r, const char *id, const char *msg);

/* "<time> 前 · 还剩 …" for a deadline, the time left in a
 * span[data-left] that static/rd-time.js counts down. */
void view_deadline_left(struct req *r, long long deadline);

/* A staff list's refused filter values (a query's field messages, n of
 * them): each said in a banner, the filter set aside. */
void view_query_errors(struct req *r, const char *const *qerr, int n);

/* A staff list's previous / next links (rel and id page-prev, page-next)
 * for page of pages; href writes page p's URL (html_url). Nothing when
 * there is one page. */
typedef void (*view_page_href)(struct req *r, const void *ctx, long long p);
void view_pager(struct req *r, long long page, long long pages, view_page_href href, const void *ctx);

/* The buyer's "退出" button (POST /refund/logout with the CSRF token). */
void view_logout(struct req *r, bool signed_in);

#endif
