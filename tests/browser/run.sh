#!/usr/bin/env bash
# run.sh: the browser test of the buyer pages (flow.test.mjs) in Debian's
# headless Chromium, driven by playwright-core, against a running stack.
#
# It starts no stack: the caller exports RD_URL and RD_API_SECRET, as
# `scripts/stack up DIR` prints them (scripts/test does this). Screenshots go
# to RD_BROWSER_OUT (default tests/out/browser). RD_CHROMIUM overrides
# /usr/bin/chromium. Needs Node.js >= 20 and npm, and the Debian packages
# chromium and fonts-noto-cjk (the fonts, or Chinese text renders as boxes).
# Never `npx playwright install`: the browser is Debian's.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)

export RD_BROWSER_OUT=${RD_BROWSER_OUT:-$repo/tests/out/browser}
mkdir -p "$RD_BROWSER_OUT"

cd "$here"
if [ ! -d node_modules/playwright-core ]; then
	echo "browser: npm ci (playwright-core from package-lock.json)" >&2
	npm ci --no-audit --no-fund >&2
fi

# TAP, whatever stdout is: it ends with "# pass N" / "# fail N".
exec node --test --test-reporter=tap --test-reporter-destination=stdout flow.test.mjs
