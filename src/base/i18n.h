/* i18n.h: the page language. Page strings are written in Chinese (the
 * msgids of po/NAME.po, so zh_CN is the identity); _() looks them up in the
 * catalog of the language chosen for the request being served. The catalogs
 * are compiled into the binary from po/en.po (src/base/embed_po.sh), so a
 * plain-CGI install on shared hosting needs no locale or localedir; the
 * language is a per-thread setting, switched at the start of every request. */
#ifndef RD_I18N_H
#define RD_I18N_H

enum lang { LANG_ZH_CN, LANG_EN, LANG__MAX };

struct i18n_msg {
	const char *id, *str;
};
/* Generated from po/en.po: sorted by strcmp of id. */
extern const struct i18n_msg i18n_catalog_en[];
extern const unsigned i18n_catalog_en_n;

/* The language of a request: the lang cookie ("en", "zh_CN" / "zh-CN") in
 * the Cookie header, else the best Accept-Language range we have (q-values,
 * q=0 refuses, ties keep the listed order), else zh_CN. Either may be NULL. */
enum lang i18n_negotiate(const char *cookie_header, const char *accept_language);

/* The language _() translates into on this thread (per request). */
void i18n_use(enum lang l);
enum lang i18n_current(void);
/* "zh-CN" / "en", for <html lang>. */
const char *i18n_html_lang(enum lang l);

/* msgid translated into the current language (msgid itself when missing). */
/* format_arg: printf(_("…%s…"), x) is checked against the msgid. */
const char *i18n_tr(const char *msgid) __attribute__((format_arg(1)));
#define _(s) i18n_tr("" s "")
/* Marks a message translated later (a banner, an error page's text), for
 * xgettext (po/POTFILES.in); the value is the msgid itself. */
#define N_(s) ("" s "")

#endif
