/* h_static_js.c: GET /static/rd-time.js, compiled in like rd.css. The
 * status page's time left counts down live where JavaScript runs (CSP
 * script-src 'self': a file, never inline). Each [data-left] element
 * holds the seconds left when the page was made; the words are
 * rules/next_step.c's time_left_text(). Without JavaScript the server's
 * text stays, right as of the page load. */
#include "pages/handlers.h"
#include "web/http.h"

static const char rd_time_js[] =
    "(function(){'use strict';\n"
    "var t0=Date.now(),els=document.querySelectorAll('[data-left]');\n"
    "function words(s){if(s<=0)return '\\u5df2\\u8d85\\u65f6';if(s<60)return '\\u4e0d\\u5230 1 \\u5206\\u949f';\n"
    " if(s<3600)return '\\u8fd8\\u5269 '+Math.floor(s/60)+' \\u5206\\u949f';\n"
    " if(s<86400)return '\\u8fd8\\u5269 '+Math.floor(s/3600)+' \\u5c0f\\u65f6 '+Math.floor(s%3600/60)+' \\u5206\\u949f';\n"
    " return '\\u8fd8\\u5269 '+Math.floor(s/86400)+' \\u5929 '+Math.floor(s%86400/3600)+' \\u5c0f\\u65f6';}\n"
    "function tick(){var gone=Math.floor((Date.now()-t0)/1000);\n"
    " for(var i=0;i<els.length;i++){var e=els[i],left=parseInt(e.getAttribute('data-left'),10);\n"
    "  if(isNaN(left))continue;var s=left-gone;e.textContent=words(s);if(s<=0)e.classList.add('over');}}\n"
    "if(els.length){tick();setInterval(tick,15000);}\n"
    "})();\n";

void
h_static_js(struct req *r)
{
	resp_header(r, "Content-Type", "text/javascript; charset=utf-8");
	resp_header(r, "Cache-Control", "public, max-age=86400");
	buf_puts(&r->body, rd_time_js);
}
