/* html.c: escaping, the page frame and the stylesheet. Nothing else in
 * refund-desk emits markup: views (src/views/) write pages through these. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "web/html.h"
#include "web/url.h"
#include "web/http.h"
#include "base/log.h"
#include "base/money.h"
#include "base/config.h"
#include "base/i18n.h"

void
html_escape_buf(struct buf *out, const char *s, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_append(out, s + run, i - run);
		buf_puts(out, rep);
		run = i + 1;
	}
	buf_append(out, s + run, n - run);
}

void
html_esc(struct req *r, const char *s)
{
	html_escape_buf(&r->body, s, strlen(s));
}

void
html_raw_literal(struct req *r, const char *markup)
{
	buf_puts(&r->body, markup);
}

void
html_int(struct req *r, long long v)
{
	buf_printf(&r->body, "%lld", v);
}

void
html_money(struct req *r, int64_t fen)
{
	char s[32], g[48];
	money_format(fen, s);
	buf_puts(&r->body, "¥");
	if (i18n_current() != LANG_EN) {
		buf_puts(&r->body, s);
		return;
	}
	/* Thousands grouped: the integer digits of s, a comma every three. */
	const char *dot = strchr(s, '.'), *d = s;
	size_t n = 0;
	if (*d == '-')
		g[n++] = *d++;
	size_t digits = (size_t)(dot - d);
	for (size_t i = 0; i < digits; i++) {
		if (i > 0 && (digits - i) % 3 == 0)
			g[n++] = ',';
		g[n++] = d[i];
	}
	snprintf(g + n, sizeof(g) - n, "%s", dot);
	buf_puts(&r->body, g);
}

void
format_time(long long unix_secs, char out[32])
{
	struct tm tm;
	time_t t;

	if (unix_secs < 0 || unix_secs > (1LL << 40)) {
		snprintf(out, 32, "-");
		return;
	}
	t = (time_t)(unix_secs + 8 * 3600);
	if (gmtime_r(&t, &tm) == NULL || strftime(out, 32, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(out, 32, "-");
}

void
html_time(struct req *r, long long unix_secs)
{
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec" };
	char s[32];
	struct tm tm;
	time_t t;

	if (i18n_current() != LANG_EN || unix_secs < 0 || unix_secs > (1LL << 40)) {
		format_time(unix_secs, s);
		buf_puts(&r->body, s);
		return;
	}
	t = (time_t)(unix_secs + 8 * 3600);
	if (gmtime_r(&t, &tm) == NULL) {
		buf_puts(&r->body, "-");
		return;
	}
	snprintf(s, sizeof(s), "%d %s %d %02d:%02d", tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min);
	buf_puts(&r->body, s);
}

/* A staff page (/desk...): its links lead back to the desk, never to
 * the buyer's look-up. */
static bool
is_desk_page(const struct req *r)
{
	return r->path != NULL && strncmp(r->path, "/desk", 5) == 0 && (r->path[5] == '\0' || r->path[5] == '/');
}

/* i10-i18n: the switch to the other language, back to this very page
 * (its route path and query, percent-encoded into back=). */
static void
lang_switch(struct req *r)
{
	char back[600];
	size_t n = 0;
	const char *parts[3] = { r->path != NULL ? r->path : "/", r->query != NULL && r->query[0] != '\0' ? "?" : "",
		r->query != NULL ? r->query : "" };
	for (int k = 0; k < 3; k++)
		for (const char *p = parts[k]; *p != '\0' && n + 4 < sizeof(back); p++) {
			unsigned char c = (unsigned char)*p;
			if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
			    c == '-' || c == '_' || c == '.' || c == '~')
				back[n++] = (char)c;
			else
				n += (size_t)snprintf(back + n, 4, "%%%02X", c);
		}
	back[n] = '\0';
	bool en = i18n_current() == LANG_EN;
	html_raw(r, "<a class=\"lang\" id=\"lang-switch\" href=\"");
	html_url(r, "/lang?to=%s&back=%s", en ? "zh_CN" : "en", back);
	html_raw_if(r, en, "\" lang=\"zh-CN\" hreflang=\"zh-CN\">中文</a>",
	    "\" lang=\"en\" hreflang=\"en\">English</a>");
}

/* The page's head and frame; refresh_secs > 0 makes it reload itself. */
static void
begin(struct req *r, const char *title, bool wide, int refresh_secs)
{
	html_raw(r, "<!doctype html>\n<html lang=\"");
	html_esc(r, i18n_html_lang(i18n_current()));
	html_raw(r, "\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
	if (refresh_secs > 0) {
		html_raw(r, "<meta http-equiv=\"refresh\" content=\"");
		html_int(r, refresh_secs);
		html_raw(r, "\">");
	}
	html_raw(r, "<link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"");
	html_url(r, "/static/rd.css");
	html_raw(r, "\"><title>");
	html_esc(r, title);
	html_raw(r, " · ");
	html_t(r, "自助退款");
	html_raw(r, "</title></head><body><header class=\"top\"><a href=\"");
	if (is_desk_page(r)) {
		html_url(r, "/desk");
		html_raw(r, "\">");
		html_t(r, "退款工作台");
		html_raw(r, "</a>");
	} else {
		html_url(r, "/refund/lookup");
		html_raw(r, "\">");
		html_t(r, "自助退款中心");
		html_raw(r, "</a>");
		/* i10-buyer: every buyer page leads back to the storefront (config
		 * storefront_url, checked http(s) at load); staff pages do not. */
		const char *shop = r->app != NULL && r->app->cfg != NULL ? r->app->cfg->buyer.storefront_url : "";
		if (shop[0] != '\0') {
			html_raw(r, "<a class=\"shop\" id=\"back-to-shop\" href=\"");
			html_esc(r, shop);
			html_raw(r, "\">");
			html_t(r, "返回商城");
			html_raw(r, "</a>");
		}
	}
	lang_switch(r);
	html_raw(r, "</header>");
	html_raw_if(r, wide, "<main class=\"wide\">", "<main>");
}

void
html_begin(struct req *r, const char *title)
{
	begin(r, title, false, 0);
}

void
html_begin_wide(struct req *r, const char *title)
{
	begin(r, title, true, 0);
}

void
html_begin_refresh(struct req *r, const char *title, int refresh_secs)
{
	begin(r, title, false, refresh_secs);
}

void
html_end(struct req *r)
{
	html_raw(r, "</main><footer class=\"foot\">");
	html_t(r, "虚拟商品一经兑换即视为使用；未使用、未到账、商品无效可申请退款。");
	if (i18n_current() == LANG_EN) {  /* a Chinese reader assumes it */
		html_raw(r, " ");
		html_t(r, "时间均为北京时间。");
	}
	html_raw(r, "</footer></body></html>\n");
}

void
html_hidden(struct req *r, const char *name, const char *value)
{
	html_raw(r, "<input type=\"hidden\" name=\"");
	html_esc(r, name);
	html_raw(r, "\" value=\"");
	html_esc(r, value);
	html_raw(r, "\">");
}

void
html_error_page(struct req *r, int status, const char *title, const char *msg)
{
	buf_reset(&r->body);
	r->status = status;
	/* i10-i18n: the catalog's text when it has one (N_() at the caller). */
	title = i18n_tr(title);
	msg = i18n_tr(msg);
	html_begin(r, title);
	html_raw(r, "<section class=\"card error\"><h1>");
	html_esc(r, title);
	html_raw(r, "</h1><p>");
	html_esc(r, msg);
	/* Staff go back to their desk, never to the buyer's look-up. */
	if (is_desk_page(r)) {
		html_raw(r, "</p><p><a href=\"");
		html_url(r, "/desk");
		html_raw(r, "\">");
		html_t(r, "返回工作台");
		html_raw(r, "</a></p></section>");
	} else {
		html_raw(r, "</p><p><a href=\"");
		html_url(r, "/refund/lookup");
		html_raw(r, "\">");
		html_t(r, "返回查询");
		html_raw(r, "</a></p></section>");
	}
	html_end(r);
}

/* Mobile first: one column, big touch targets, system fonts only. */
const char html_stylesheet[] =
    ":root{--fg:#1d2330;--mut:#5b6475;--bg:#f4f6fa;--card:#fff;--pri:#c2410c;--ok:#2b8a3e;--bad:#c92a2a;--line:#dde2ea}\n"
    "*{box-sizing:border-box}body{margin:0;font:16px/1.55 -apple-system,'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif;color:var(--fg);background:var(--bg)}\n"
    ".top{background:var(--pri);padding:.7rem 1rem;display:flex;justify-content:space-between;gap:1rem}.top a{color:#fff;text-decoration:none;font-weight:600}\n"
    "main{max-width:40rem;margin:0 auto;padding:1rem}\n"
    ".card{background:var(--card);border:1px solid var(--line);border-radius:.6rem;padding:1rem;margin:0 0 1rem}\n"
    "h1{font-size:1.3rem;margin:.2rem 0 .8rem}h2{font-size:1.05rem;margin:0 0 .6rem}\n"
    "dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem .8rem;margin:0}dt{color:var(--mut)}dd{margin:0;overflow-wrap:anywhere}\n"
    ".types{list-style:none;padding:0;margin:0}.types li{border:1px solid var(--line);border-radius:.5rem;padding:.6rem;margin:.5rem 0}\n"
    ".types li.no{background:#fafafa;color:#495057}.types li.no .why{color:#495057}.types label{display:flex;gap:.5rem;align-items:flex-start;font-weight:600}\n"
    ".types input{width:1.2rem;height:1.2rem;margin-top:.2rem}.why{color:var(--mut);font-size:.9rem;margin:.2rem 0 0 1.7rem}\n"
    ".tag{display:inline-block;font-size:.8rem;padding:0 .4rem;border-radius:.3rem;background:#e7f5ff;color:#1864ab;margin-left:.3rem}\n"
    ".tag.instant{background:#ebfbee;color:var(--ok)}.tag.no{background:#fff5f5;color:var(--bad)}\n"
    "label.f{display:block;font-weight:600;margin:.8rem 0 .3rem}textarea,input[type=text],input[type=password],input[type=search],select{width:100%;font:inherit;padding:.6rem;border:1px solid var(--line);border-radius:.4rem}\n"
    "textarea{min-height:7rem}.hint{color:var(--mut);font-size:.85rem}\n"
    "fieldset{border:0;padding:0;margin:0}fieldset.card{padding:1rem}legend{padding:0}legend h2{margin:0 0 .4rem}\n"
    ".dest label{display:flex;gap:.5rem;align-items:flex-start;margin:.3rem 0}.dest input{margin-top:.35rem}\n"
    ".card>p:first-child{margin-top:0}\n"
    ".err{color:var(--bad);font-size:.9rem;margin:.3rem 0}.banner{border-left:4px solid var(--bad);background:#fff5f5;padding:.6rem .8rem;margin:0 0 1rem}\n"
    ".ok{border-left:4px solid var(--ok);background:#ebfbee;padding:.6rem .8rem}\n"
    "button{font:inherit;font-weight:600;width:100%;padding:.8rem;border:0;border-radius:.5rem;background:var(--pri);color:#fff;margin-top:1rem}\n"
    "button.sec{background:#fff;color:var(--fg);border:1px solid var(--line)}\n"
    /* i10-upload: the picker the upload script draws (static/rd-upload.js) */
    ".up-native{position:absolute;width:1px;height:1px;opacity:0;overflow:hidden}.up-pick{margin-top:.2rem}\n"
    ".up-list{list-style:none;padding:0;margin:.5rem 0}.up-list li{display:flex;gap:.6rem;align-items:center;border:1px solid var(--line);border-radius:.5rem;padding:.4rem;margin:.4rem 0}\n"
    ".up-thumb{width:72px;height:72px;flex:none;border-radius:.3rem;background:#f1f3f5}.up-doc{display:flex;align-items:center;justify-content:center;font-weight:700;color:var(--mut)}\n"
    ".up-name{flex:1;min-width:0;overflow-wrap:anywhere;font-size:.9rem}.up-name strong{display:block}.up-size,.up-note{color:var(--mut);display:block}\n"
    "button.up-rm{width:auto;margin:0;padding:.5rem .8rem;flex:none}.up-msg{font-size:.9rem;margin:.3rem 0}.up-msg:empty{display:none}\n"
    ".up-progress{margin-top:1rem}.up-progress progress{width:100%;height:1rem}.up-bar-text{display:block;font-size:.9rem;color:var(--mut)}\n"
    ".state{font-weight:700;font-size:1.1rem}.state.refunded{color:var(--ok)}.state.rejected,.state.cancelled,.state.closed{color:var(--mut)}\n"
    "ol.timeline{list-style:none;padding:0;margin:0;border-left:2px solid var(--line)}ol.timeline li{padding:0 0 .8rem 1rem;position:relative}\n"
    "ol.timeline li:before{content:'';position:absolute;left:-.4rem;top:.45rem;width:.7rem;height:.7rem;border-radius:50%;background:var(--pri)}\n"
    "ol.timeline li.by-buyer:before{background:var(--line)}ol.timeline .who{font-size:.8rem;border:1px solid var(--line);border-radius:.2rem;padding:0 .3rem}\n"
    "ol.timeline q.buyer-text{font-style:italic;quotes:'\\201C' '\\201D'}\n"
    /* i10-money: the timeline by actor; the decision's choices and preview */
    "ol.timeline li.by-cs:before,ol.timeline li.by-admin:before{background:#1864ab}ol.timeline li.by-merchant:before{background:#5f3dc4}ol.timeline li.by-arbiter:before{background:#862e9c}ol.timeline li.by-system:before,ol.timeline li.by-storefront:before{background:var(--mut)}\n"
    "ol.timeline li.by-buyer .who{background:#fff9db;color:#5c3c00}ol.timeline li.by-buyer q.buyer-text{display:block;border-left:3px solid #fab005;padding-left:.5rem;margin-top:.2rem}\n"
    ".choices label{display:inline-flex;gap:.3rem;align-items:center;margin:.2rem 1rem .2rem 0}.preview dd{font-weight:600}.internal{background:#f8f9fa;border-left:4px solid var(--mut)}\n"
    "label.tpl{display:flex;gap:.4rem;align-items:flex-start;margin:.4rem 0;font-size:.9rem}label.tpl input{margin-top:.3rem}label.tpl .tag{margin:0;white-space:nowrap}\n"
    /* i10-buyer: the next step, the success banner, confirm pages */
    ".next{border-left:4px solid var(--pri)}.next .by{color:var(--fg)}.done{margin:0 0 1rem}"
    "@supports selector(:has(a)){form:not(:has(input[name=type][value=wrong_account]:checked)) .only-wrong{display:none}}\n"
    "details.help{margin-top:1rem}details.help summary{font-weight:600;text-decoration:underline;padding:.4rem 0}"
    "label.chk{display:flex;gap:.5rem;align-items:flex-start;margin:.8rem 0}label.chk input{margin-top:.35rem}\n"
    ".when{color:var(--mut);font-size:.85rem}.foot{color:var(--mut);font-size:.8rem;text-align:center;padding:1rem}\n"
    "table{width:100%;border-collapse:collapse}td,th{text-align:left;padding:.3rem;border-bottom:1px solid var(--line)}\n"
    /* The staff queue: full width; on a phone each row a card. */
    "main.wide{max-width:none}select{background:#fff;color:var(--fg)}.tabs{display:flex;flex-wrap:wrap;gap:.5rem;margin:0 0 1rem}"
    ".tabs a,a.act{padding:.5rem .9rem;border:1px solid var(--line);border-radius:.5rem;background:#fff;color:var(--fg);text-decoration:none}"
    ".tabs a[aria-current]{background:var(--pri);border-color:var(--pri);color:#fff}\n"
    ".filters{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:flex-end}.filters label{color:var(--mut);font-size:.85rem}"
    ".filters .grow{flex:1 1 14rem}.filters input,.filters select{display:block;width:100%;min-width:8rem}"
    ".filters label.chk{display:flex;gap:.4rem;align-items:center;padding:.6rem 0}.filters label.chk input{width:auto;min-width:0}"
    ".filters button{width:auto;margin:0;padding:.6rem 1.4rem}\n"
    /* i10-desk: the request page: shortcuts shown with JavaScript only, big tap
     * targets, evidence thumbnails, risk figures, the buyer's other requests. */
    ".key{display:none}html.js .key{display:block}html.js kbd.key{display:inline-block}kbd{font:600 .8rem/1.4 monospace;"
    "border:1px solid var(--line);border-bottom-width:2px;border-radius:.25rem;padding:0 .35rem;background:#fff;color:var(--fg)}\n"
    ".desk-page label.act{display:flex;gap:.6rem;align-items:center;min-height:2.75rem;padding:.3rem .6rem;margin:.3rem 0;"
    "border:1px solid var(--line);border-radius:.5rem}.desk-page label.act input{width:1.3rem;height:1.3rem}"
    ".desk-page label.act kbd{margin-left:auto}.desk-page .choices label{min-height:2.75rem}\n"
    ".desk-page button{min-height:3rem}.desk-page table.history a{display:inline-block;padding:.5rem 0;min-height:2.75rem}"
    "tr.current{background:#fff9db}table.history td{overflow-wrap:anywhere}\n"
    "ul.thumbs{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.8rem}ul.thumbs li{display:flex;"
    "flex-direction:column;gap:.2rem;max-width:10rem;overflow-wrap:anywhere}a.thumb{display:block;width:10rem;height:10rem;"
    "border:1px solid var(--line);border-radius:.4rem;background:#f8f9fa}a.thumb img{width:100%;height:100%;object-fit:contain}"
    "a.doc{display:inline-block;padding:.7rem 0;min-height:2.75rem}\n"
    "ul.risk{padding-left:1.2rem;margin:.4rem 0}ul.risk li.fired{color:var(--bad)}kbd.key{text-transform:uppercase}"
    ".desk-page label.tpl{min-height:2.75rem;align-items:center}.desk-page .choices input,.desk-page label.tpl input{width:1.2rem;height:1.2rem}\n"
    "table.history td:last-child{white-space:nowrap}@media(max-width:48rem){table.history tr{display:block;padding:.3rem 0;"
    "border-bottom:1px solid var(--line)}table.history td{display:inline-block;border:0;padding:0 .6rem 0 0}}\n"
    ".left{white-space:nowrap}.left.over{color:var(--bad)}tr.over{background:#fff5f5}"
    ".pager{display:flex;justify-content:space-between;align-items:center;padding:.8rem 0 0}\n"
    "@media(max-width:48rem){table.queue thead{display:none}table.queue tr{display:block;border:1px solid var(--line);"
    "border-radius:.5rem;margin:.6rem 0;padding:.4rem .6rem}table.queue td{display:block;border:0;padding:.15rem 0;"
    "overflow-wrap:anywhere}table.queue td:before{content:attr(data-l) '\\FF1A';color:var(--mut)}"
    "html[lang=en] table.queue td:before{content:attr(data-l) ': '}}\n"
    /* The dashboard's charts (i10-dash): inline SVG coloured by class only (CSP style-src 'self'). */
    "svg.chart{display:block;width:100%;height:auto}.chart .grid{stroke:var(--line)}.chart .ax{fill:var(--mut);font-size:11px}"
    ".s-refunded{fill:#2b8a3e}.s-rejected{fill:#c92a2a}.s-ended{fill:#868e96}.s-open{fill:#1864ab}.s-fees{fill:#b03a0b}"
    ".s-dispute{fill:#862e9c}polyline.s-instant{fill:none;stroke:#1864ab;stroke-width:2}circle.s-instant{fill:#1864ab}"
    ".legend{list-style:none;display:flex;flex-wrap:wrap;gap:.3rem 1rem;padding:0;margin:.5rem 0 0;font-size:.85rem}"
    ".legend svg{margin-right:.3rem}.charts{display:grid;gap:0 1rem}button.inline{width:auto;margin:0}"
    "#chart-merchants{max-width:36rem}@media(min-width:64rem){.charts{grid-template-columns:1fr 1fr}}\n";

void
html_url(struct req *r, const char *fmt, ...)
{
	char path[1024];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	html_esc(r, url_mount(r));
	html_esc(r, n >= 0 && (size_t)n < sizeof(path) ? path : "");
}
