#!/bin/sh
# test_html_raw_literal.sh: html_raw takes only string literals. A literal
# (and two the preprocessor joins) must compile; a variable, a function's
# result or a ternary must not: data would reach the page unescaped.
# Run by `make check` with CC and srcdir from AM_TESTS_ENVIRONMENT.
set -u
cc=${CC:-cc}
src=${srcdir:-.}/src
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# try NAME WANT(ok|refused) BODY
try() {
	printf '#include "web/html.h"\nvoid f(struct req *r, const char *v, int c);\nvoid f(struct req *r, const char *v, int c) { (void)v; (void)c; %s; }\n' "$3" >"$tmp/t.c"
	if $cc -std=c11 -fsyntax-only -I"$src" "$tmp/t.c" 2>"$tmp/err"; then got=ok; else got=refused; fi
	if [ "$got" = "$2" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: wanted $2, got $got"
		cat "$tmp/err"
	fi
}

try literal ok 'html_raw(r, "<p>")'
try joined ok 'html_raw(r, "<p>" "</p>")'
try either ok 'html_raw_if(r, c, "<i>", "<b>")'
try variable refused 'html_raw(r, v)'
try ternary refused 'html_raw(r, c ? v : "x")'
try call refused 'html_raw(r, getenv("X"))'
try either_variable refused 'html_raw_if(r, c, v, "<b>")'

# The unit phase of scripts/test reads cmocka's summary lines.
echo "[  PASSED  ] $pass test(s)."
[ "$fail" -eq 0 ] || { echo "[  FAILED  ] $fail test(s)."; exit 1; }
