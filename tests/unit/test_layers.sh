#!/bin/sh
# test_layers.sh: markup and SQL stay in their layer (issue 11, seam 4).
#   views (src/views) render from the struct their handler filled: no
#     database call, no store/db.h;
#   handlers (src/pages) write no markup themselves: only whole error
#     pages (html_error_page), the rest through a view;
#   web/body.c, the parser glue, issues no SQL;
#   no handler removes uploads by hand: the arena's cleanup does.
# Each rule prints the lines that break it. Run by `make check`.
set -u
src=${srcdir:-.}/src
pass=0 fail=0

# rule NAME PATTERN FILES...: no line of FILES matches PATTERN.
rule() {
	name=$1 pat=$2
	shift 2
	if hits=$(grep -nE "$pat" "$@" 2>/dev/null); then
		fail=$((fail + 1))
		echo "FAIL $name:"
		echo "$hits"
	else
		pass=$((pass + 1))
	fi
}

rule "views read no database" 'db_[a-z_]+\(|store/db\.h|Q_[A-Z_]+|session_resolve|store/session_gen\.h' "$src"/views/*.c "$src"/views/*.h
rule "handlers write no markup" 'html_(raw|raw_if|raw_literal|esc|begin|end|hidden|url|int|money|time)\(' "$src"/pages/*.c
rule "body.c issues no SQL" 'db_[a-z_]+\(|store/db\.h|Q_[A-Z_]+' "$src"/web/body.c
rule "uploads clean themselves" 'body_discard|upload_discard' "$src"/pages/*.c "$src"/api/*.c

echo "[  PASSED  ] $pass test(s)."
[ "$fail" -eq 0 ] || { echo "[  FAILED  ] $fail test(s)."; exit 1; }
