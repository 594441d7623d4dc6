"""Languages (issue 10, i10-i18n): the converted pages answer in English for
`Accept-Language: en` and for the `lang=en` cookie (no CJK left in their
visible text, <html lang="en">), and in Chinese by default; the switch on
every page sets the cookie and returns to the same page, never off the site."""

import html
import re

import rd
from rd import check, expect_status

CJK = re.compile("[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
# The pages converted so far: path, a Chinese and an English heading.
CONVERTED = {"/": ("查询订单，申请退款", "Find your order"),
             "/refund/lookup": ("查询订单，申请退款", "Find your order"),
             "/desk/login": ("客服 / 商家 / 仲裁 工作台", "Support / merchant / arbiter desk")}


def visible_text(page):
    """The page's text as read: tags, scripts and styles gone, the language
    switch (which names the other language in that language) left out."""
    t = re.sub(r'<a [^>]*id="lang-switch"[^>]*>.*?</a>', " ", page, flags=re.S)
    t = re.sub(r"<(script|style)\b.*?</\1>", " ", t, flags=re.S)
    t = re.sub(r"<[^>]+>", " ", t)
    return html.unescape(t)


def html_lang(page):
    m = re.search(r'<html lang="([^"]+)"', page)
    return m.group(1) if m else None


def check_english(resp, what):
    page = resp.text
    check(html_lang(page) == "en", f"{what}: <html lang> is {html_lang(page)}")
    left = CJK.findall(visible_text(page))
    check(not left, f"{what}: Chinese left in the English page: {''.join(left)[:80]}")
    sw = resp.doc.by_id("lang-switch")
    check(sw is not None and "to=zh_CN" in sw.get("href"), f"{what}: no switch back to Chinese")


def test_converted_pages_default_to_chinese():
    for path in CONVERTED:
        for accept in (None, "zh-CN,zh;q=0.9", "fr, de;q=0.5", "en;q=0"):
            h = {"Accept-Language": accept} if accept else {}
            r = expect_status(rd.Client().get(path, headers=h), 200)
            check(html_lang(r.text) == "zh-CN", f"{path} {accept}: <html lang> {html_lang(r.text)}")
            zh, en = CONVERTED[path]
            check(zh in r.text and en not in r.text, f"{path} {accept}: not Chinese")
            sw = r.doc.by_id("lang-switch")
            check(sw is not None and "to=en" in sw.get("href") and sw.text() == "English",
                  f"{path}: the switch to English is missing")


def test_converted_pages_in_english_by_accept_language():
    for path in CONVERTED:
        for accept in ("en", "en-US,en;q=0.9,zh-CN;q=0.8", "zh;q=0.3, en-GB;q=0.7"):
            r = expect_status(rd.Client().get(path, headers={"Accept-Language": accept}), 200)
            check_english(r, f"{path} ({accept})")
            check(CONVERTED[path][1] in r.text, f"{path}: the English heading is missing")


def test_switch_sets_the_cookie_and_returns():
    c = rd.Client()
    r = expect_status(c.get("/lang?to=en&back=%2Frefund%2Flookup", headers={"Accept-Language": "zh-CN"}), 303)
    check(r.location().endswith("/refund/lookup"), f"back to the page: {r.location()}")
    check(c.jar.get("lang") == "en", f"the cookie: {c.jar}")
    # The cookie wins over the header.
    for path in CONVERTED:
        check_english(expect_status(c.get(path, headers={"Accept-Language": "zh-CN"}), 200), f"{path} (cookie)")
    # The page's own switch link leads back to Chinese and to the same page.
    page = expect_status(c.get("/refund/lookup"), 200)
    href = html.unescape(page.doc.by_id("lang-switch").get("href"))
    r = expect_status(c.get(href), 303)
    check(r.location().endswith("/refund/lookup"), f"back: {r.location()}")
    check(c.jar.get("lang") == "zh_CN", f"the cookie: {c.jar}")
    r = expect_status(c.get("/refund/lookup", headers={"Accept-Language": "en"}), 200)
    check(html_lang(r.text) == "zh-CN" and "查询订单" in r.text, "lang=zh_CN beats Accept-Language: en")


def test_switch_never_leaves_the_site():
    c = rd.Client()
    for back in ("//evil.example/x", "/%5Cevil.example", "https://evil.example/", "/a%0d%0aX-Evil:%201",
                 "/a%22%3E%3Cscript%3E"):
        r = expect_status(c.get(f"/lang?to=en&back={back}"), 303)
        loc = r.location()
        check(loc.endswith("/refund/lookup") and "evil" not in loc, f"back={back}: to {loc}")
        check(r.header("X-Evil") is None, f"back={back}: a header was injected")
    c = rd.Client()
    for to in ("", "fr", "en%0d%0aX:1"):
        r = expect_status(c.get(f"/lang?to={to}&back=/refund/lookup"), 400)
        check("lang" not in c.jar, f"to={to}: a cookie was set: {c.jar}")


def test_failed_lookup_in_english_keeps_values():
    c = rd.Client()
    page = expect_status(c.get("/refund/lookup", headers={"Accept-Language": "en"}), 200)
    r = c.post_form("/refund/lookup", {"csrf": rd.csrf_of(page), "order_no": rd.unique("NOPE"),
                                      "contact": "nobody@example.com", "lookup_code": "WRONGCODE1"},
                    headers={"Accept-Language": "en"})
    expect_status(r, 422)
    check_english(r, "the failed lookup")
    check("is not right" in r.text, "the English error banner")
    check(r.doc.field_value("contact") == "nobody@example.com", "the contact is kept")


def test_failed_sign_in_in_english():
    c = rd.Client()
    page = expect_status(c.get("/desk/login", headers={"Accept-Language": "en"}), 200)
    r = c.post_form("/desk/login", {"csrf": rd.csrf_of(page), "login": rd.unique("nobody"),
                                   "password": "not-the-password"}, headers={"Accept-Language": "en"})
    expect_status(r, 422)
    check_english(r, "the failed sign-in")
    check("Wrong login or password." in r.text, "the English error banner")
    # An expired form: the error page in English too.
    r = expect_status(rd.Client().post_form("/desk/login", {"csrf": "x", "login": "a", "password": "b"},
                                            headers={"Accept-Language": "en"}), 403)
    check_english(r, "the expired sign-in form")
