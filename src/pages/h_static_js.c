/* h_static_js.c: GET /static/desk.js, the desk's one script, compiled in
 * (as the stylesheet) so that plain-CGI installs need no static files. It
 * only adds keyboard shortcuts to pages that work without it: the CSP's
 * script-src 'self' allows this file and no inline script.
 *
 * The request page: each decision radio carries data-key (its letter) and
 * data-focus (the field to type in next); pressing the letter outside a
 * text field chooses it; Ctrl/⌘+Enter anywhere sends the form to its
 * preview. The preview page: Y presses #confirm, Esc goes back (the link
 * #back). The <kbd> hints show only once html.js is set here. */
#include "pages/handlers.h"

static const char desk_js[] =
    "(function () {\n"
    "\t'use strict';\n"
    "\tdocument.documentElement.classList.add('js');\n"
    "\tvar form = document.querySelector('#decision form');\n"
    "\tvar confirmBtn = document.getElementById('confirm');\n"
    "\tvar back = document.getElementById('back');\n"
    "\tfunction typing(t) {\n"
    "\t\tif (!t || !t.tagName) return false;\n"
    "\t\tif (t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') return true;\n"
    "\t\treturn t.tagName === 'INPUT' && t.type !== 'radio' && t.type !== 'checkbox';\n"
    "\t}\n"
    "\tdocument.addEventListener('keydown', function (e) {\n"
    "\t\tif (e.defaultPrevented || e.isComposing) return;\n"
    "\t\tif (form && e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {\n"
    "\t\t\te.preventDefault();\n"
    "\t\t\tif (form.requestSubmit) form.requestSubmit(); else form.submit();\n"
    "\t\t\treturn;\n"
    "\t\t}\n"
    "\t\tif (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;\n"
    "\t\tif (confirmBtn && back && e.key === 'Escape') {\n"
    "\t\t\te.preventDefault();\n"
    "\t\t\tback.click();\n"
    "\t\t\treturn;\n"
    "\t\t}\n"
    "\t\tvar k = (e.key || '').toLowerCase();\n"
    "\t\tif (!/^[a-z]$/.test(k)) return;\n"
    "\t\tif (confirmBtn && k === 'y') {\n"
    "\t\t\te.preventDefault();\n"
    "\t\t\tconfirmBtn.click();\n"
    "\t\t\treturn;\n"
    "\t\t}\n"
    "\t\tif (!form) return;\n"
    "\t\tvar radio = form.querySelector('input[name=\"action\"][data-key=\"' + k + '\"]');\n"
    "\t\tif (!radio) return;\n"
    "\t\te.preventDefault();\n"
    "\t\tradio.checked = true;\n"
    "\t\tradio.dispatchEvent(new Event('change', { bubbles: true }));\n"
    "\t\tvar next = document.getElementById(radio.getAttribute('data-focus') || '');\n"
    "\t\t(next || radio).focus();\n"
    "\t});\n"
    "})();\n";

void
h_static_js(struct req *r)
{
	resp_header(r, "Content-Type", "text/javascript; charset=utf-8");
	resp_header(r, "Cache-Control", "public, max-age=86400");
	buf_puts(&r->body, desk_js);
}
