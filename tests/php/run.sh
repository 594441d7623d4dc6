#!/usr/bin/env bash
# run.sh: the php phase of scripts/test. Starts a private stack whose webhook
# points at the demo shop, the demo shop and a recording receiver on `php -S`
# (loopback), runs the PHP tests and prints "php: N passed, N failed".
#
#   RD_BIN (build/src/refund-desk)   the binary under test
#   RD_PORT (18480)                   first port tried; three are used
#   RD_KEEP=1                         keep the stack's folder
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo=$(pwd -P)
export RD_BIN=${RD_BIN:-$repo/build/src/refund-desk}
[ -x "$RD_BIN" ] || { echo "php: no executable $RD_BIN: build first" >&2; exit 2; }
command -v php >/dev/null || { echo "php: php-cli is not installed (scripts/deps php-cli php-curl php-mysql)" >&2; exit 2; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
next_port=${RD_PORT:-18480}
# free_port VAR: the next free port into VAR (no subshell: next_port must advance).
free_port() {
	while port_busy "$next_port"; do next_port=$((next_port + 1)); done
	printf -v "$1" '%s' "$next_port"
	next_port=$((next_port + 1))
}
# wait_port PORT PID: until something answers on PORT, or PID dies.
wait_port() {
	local i
	for ((i = 0; i < 100; i++)); do
		port_busy "$1" && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

dir=$(mktemp -d /tmp/rd-php.XXXXXX)
chmod 755 "$dir"
pids=()
rc=1
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	scripts/stack down "$dir" >/dev/null 2>&1 || true
	if [ $rc -eq 0 ] && [ "${RD_KEEP:-0}" != 1 ]; then
		rm -rf "$dir"
	else
		echo "php: the stack's files are kept in $dir"
	fi
}
trap cleanup EXIT

free_port desk_port
free_port shop_port
free_port recv_port
webhook_secret=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
# The demo shop's top-ups come from supplier "store", reached through the
# shop (CONTRACT.md §7 kind storefront): its claims exercise reportUpstreamClaim.
RD_PORT=$desk_port RD_SUPPLIERS='{"store":{"kind":"storefront"}}' RD_WEBHOOK_URL=http://127.0.0.1:$shop_port/webhook.php \
    RD_WEBHOOK_SECRET=$webhook_secret scripts/stack up "$dir" >"$dir/stack.out"
while IFS= read -r line; do
	case $line in
	RD_[A-Z_]*=*) export "${line?}" ;;
	esac
done <"$dir/stack.out"
export RD_WEBHOOK_SECRET=$webhook_secret RD_SPOOL=$dir/spool RD_RECEIVER=http://127.0.0.1:$recv_port
mkdir -p "$RD_SPOOL"

php -S "127.0.0.1:$recv_port" tests/php/receiver.php >"$dir/receiver.log" 2>&1 &
pids+=($!)
wait_port "$recv_port" "${pids[-1]}" || { cat "$dir/receiver.log"; exit 1; }

# The demo shop, as scripts/demo starts it (php/demo-shop/README.md).
export SHOP_URL=http://127.0.0.1:$shop_port SHOP_DB_SOCKET=$RD_MYSQL_SOCKET SHOP_DB_NAME=demo_shop_test \
    SHOP_DESK_URL=$RD_URL SHOP_DESK_SECRET=$RD_API_SECRET SHOP_WEBHOOK_SECRET=$webhook_secret SHOP_SUPPLIER=store \
    SHOP_PAY_KEY=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n') SHOP_SECRET=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
php php/demo-shop/setup.php
php -S "127.0.0.1:$shop_port" -t php/demo-shop php/demo-shop/router.php >"$dir/shop.log" 2>&1 &
pids+=($!)
wait_port "$shop_port" "${pids[-1]}" || { cat "$dir/shop.log"; exit 1; }

pass=0 fail=0 status=0
# run LABEL CMD...: one test program; its closing "LABEL: N passed, N failed" is counted.
run() {
	local out line p n
	out=$("${@:2}" 2>&1) || status=1
	echo "$out"
	line=$(echo "$out" | grep -E "^$1[-a-z]*: [0-9]+ passed, [0-9]+ failed$" | tail -n 1 || true)
	p=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
	n=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 1)
	[ -n "$line" ] || status=1
	pass=$((pass + p))
	fail=$((fail + n))
}
run php-offline php tests/php/offline.php
run php-live php tests/php/live.php
run php-live php -n tests/php/live.php -n
run php-webhooks php tests/php/webhooks.php
run php-demo-shop php tests/php/demo_shop.php
if [ $status -ne 0 ] || [ $fail -ne 0 ]; then
	for f in shop.log receiver.log app.log; do
		[ -s "$dir/$f" ] || continue
		echo "---- $dir/$f (last 30 lines)"
		tail -n 30 "$dir/$f"
	done
fi
echo "php: $pass passed, $fail failed"
[ $status -eq 0 ] && [ $fail -eq 0 ] && rc=0
exit $rc
