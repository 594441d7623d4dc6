# stack-galera.sh: the RD_DB=galera parts of scripts/stack (sourced by it).
# Three MariaDB Galera nodes on loopback, each in DIR/gN (own datadir,
# socket, my.cnf, log), SST by mariabackup; two refund-desk pools, A on node
# 1 by socket (DIR/config.json) and B on node 2 by TCP (DIR/config-b.json),
# behind one nginx upstream. Ports, from RD_PORT (P):
#   P      nginx, both pools (the upstream)      P+1, P+2  pool A, pool B only
#   P+11.. mysql of node 1..3    P+21.. gmcast    P+31.. IST    P+41.. SST
# DIR/gN/start runs node N again (a test that killed it uses it; IST then).
# shellcheck shell=bash

galera_on() { [ "${RD_DB:-single}" = galera ]; }

galera_check_env() {
	case ${RD_DB:-single} in
	single | galera) ;;
	*) die "RD_DB must be single or galera: $RD_DB" ;;
	esac
	if galera_on; then
		[ -f /usr/lib/galera/libgalera_smm.so ] || die "RD_DB=galera needs galera-4 (scripts/deps)"
		command -v mariabackup >/dev/null || die "RD_DB=galera needs mariadb-backup (scripts/deps)"
	fi
}

galera_sock() { echo "$dir/g$1/mysql.sock"; }
galera_port() { echo $((port + 10 + $1)); }

# The SST password lives with DIR (secrets.env), like the other secrets; the
# app's account is scripts/stack's db_create_app_user (made on node 1, the
# cluster replicates it).
galera_secrets() {
	SST_PASSWORD=''
	# shellcheck disable=SC1091
	[ -f "$dir/secrets.env" ] && . "$dir/secrets.env"
	if ! [[ ${SST_PASSWORD:-} =~ ^[0-9a-f]{64}$ ]]; then
		SST_PASSWORD=$(hex32)
		(umask 077 && echo "SST_PASSWORD=$SST_PASSWORD" >>"$dir/secrets.env")
	fi
}

galera_write_cnf() {
	local n=$1 d=$dir/g$1 me peers=''
	me=$(id -un)
	for i in 1 2 3; do peers+="${peers:+,}127.0.0.1:$((port + 20 + i))"; done
	mkdir -p "$d/tmp"
	cat >"$d/my.cnf" <<EOF
[mariadbd]
user=$me
datadir=$d/db
socket=$d/mysql.sock
port=$(galera_port "$n")
bind-address=127.0.0.1
pid-file=$d/mysqld.pid
log-error=$d/mysqld.log
tmpdir=$d/tmp
character-set-server=utf8mb4
collation-server=utf8mb4_bin
skip-name-resolve
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
innodb_buffer_pool_size=64M
innodb_flush_log_at_trx_commit=2
wsrep_on=ON
wsrep_provider=/usr/lib/galera/libgalera_smm.so
wsrep_cluster_name=rd$port
wsrep_cluster_address=gcomm://$peers
wsrep_node_name=n$n
wsrep_node_address=127.0.0.1
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$((port + 20 + n));ist.recv_addr=127.0.0.1:$((port + 30 + n));gcache.size=64M"
wsrep_sst_method=mariabackup
wsrep_sst_auth=sst:$SST_PASSWORD
wsrep_sst_receive_address=127.0.0.1:$((port + 40 + n))
[mariabackup]
user=sst
password=$SST_PASSWORD
socket=$d/mysql.sock
[sst]
sockopt=",reuseaddr"
EOF
	chmod 600 "$d/my.cnf"
	# A node started again after a kill (the test's IST case) runs this.
	cat >"$d/start" <<EOF
#!/bin/sh
# Starts node $n of the cluster in $dir again. After a crash (seqno -1 in
# grastate.dat) InnoDB is asked where it stopped first, so that the node
# catches up by IST from the others' gcache instead of a full SST.
if grep -q '^seqno: *-1' $d/db/grastate.dat 2>/dev/null; then
	rm -f $d/recover.log
	mariadbd --defaults-file=$d/my.cnf --wsrep-recover --log-error=$d/recover.log >/dev/null 2>&1
	pos=\$(sed -n 's/.*WSREP: Recovered position: *//p' $d/recover.log | tail -n 1)
	[ -n "\$pos" ] && set -- --wsrep-start-position="\$pos" "\$@"
fi
exec setsid mariadbd --defaults-file=$d/my.cnf "\$@" </dev/null >>$d/mysqld.log 2>&1
EOF
	chmod 700 "$d/start"
}

galera_state() {
	mariadb --no-defaults -S "$(galera_sock "$1")" -uroot -N -B -e \
	    "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2
}

# galera_wait N SECONDS: until node N says Synced.
galera_wait() {
	local n=$1 i st=''
	for ((i = 0; i < $2 * 10; i++)); do
		st=$(galera_state "$n" || true)
		[ "$st" = Synced ] && return 0
		if [ -f "$dir/g$n/mysqld.pid" ] && ! alive "$(cat "$dir/g$n/mysqld.pid")" &&
		    [ $i -gt 50 ]; then
			break
		fi
		sleep 0.1
	done
	say "galera node $n is '${st:-down}', not Synced"
	tail -n 40 "$dir/g$n/mysqld.log" >&2 || true
	return 1
}

galera_node_up() {
	local n=$1 d=$dir/g$1
	shift
	if [ ! -d "$d/db/mysql" ]; then
		TMPDIR=$d/tmp mariadb-install-db --no-defaults --datadir="$d/db" --user="$(id -un)" \
		    --auth-root-authentication-method=normal >"$d/install.log" 2>&1 ||
			{ cat "$d/install.log" >&2; die "mariadb-install-db failed for node $n"; }
	fi
	rm -f "$d/mysql.sock"
	"$d/start" "$@" &
}

start_galera() {
	local n
	load_secrets
	galera_secrets
	for n in 1 2 3; do
		mkdir -p "$dir/g$n"
		galera_write_cnf "$n"
	done
	# Node 1 stops last (down goes 3, 2, 1), so it holds the newest state and
	# may bootstrap the cluster again.
	[ -f "$dir/g1/db/grastate.dat" ] &&
		sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$dir/g1/db/grastate.dat"
	say "galera: bootstrapping node 1"
	galera_node_up 1 --wsrep-new-cluster
	galera_wait 1 60 || die "galera node 1 did not come up"
	mariadb --no-defaults -S "$(galera_sock 1)" -uroot <<EOF
CREATE DATABASE IF NOT EXISTS refund_desk CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER IF NOT EXISTS 'sst'@'localhost' IDENTIFIED BY '$SST_PASSWORD';
GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.* TO 'sst'@'localhost';
EOF
	for n in 2 3; do
		say "galera: node $n joins"
		galera_node_up "$n"
		galera_wait "$n" 120 || die "galera node $n did not join"
	done
	mysock=$(galera_sock 1)
}

# Pids of processes started with this node's my.cnf: a node started again
# (DIR/gN/start) may not have written its pid file yet when down runs.
galera_node_pids() {
	local p
	for p in /proc/[0-9]*; do
		grep -qaF -- "--defaults-file=$1" "$p/cmdline" 2>/dev/null && echo "${p#/proc/}"
	done
	return 0
}

galera_down() {
	local n
	for n in 3 2 1; do
		[ -f "$dir/g$n/my.cnf" ] && galera_node_pids "$dir/g$n/my.cnf" >>"$dir/g$n/mysqld.pid"
		stop_pids "$dir/g$n/mysqld.pid" "--defaults-file=$dir/g$n/my.cnf" 60
	done
}

# The database section: every node, this pool's own first.
galera_db_json() {
	local first=$1 pass=$2 n nodes='' order
	case $first in
	1) order='1 2 3' ;;
	*) order='2 3 1' ;;
	esac
	for n in $order; do
		if [ "$n" = "$first" ] && [ "$n" = 1 ]; then
			nodes+="${nodes:+, }{\"socket\": \"$(galera_sock 1)\"}"
		else
			nodes+="${nodes:+, }{\"host\": \"127.0.0.1\", \"port\": $(galera_port "$n")}"
		fi
	done
	printf '{"user": "refund_desk", "password": "%s", "name": "refund_desk", "galera": true, "nodes": [%s]}' \
	    "$pass" "$nodes"
}

# Pool B: config-b.json (node 2 first, by TCP), app-b.sock, app-b.pid.
start_pool_b() {
	rm -f "$dir/app-b.sock" "$dir/app-b.pid"
	# As pool A (scripts/stack start_app): the app's user, a 0660 socket.
	local as_user=()
	touch "$dir/app-b.log"
	chmod 0600 "$dir/app-b.log"
	if [ "$separate" = 1 ]; then
		as_user=(-u "$app_user" -g "$app_group" -U "$app_user" -G "$app_group")
		chown "$app_user:$app_group" "$dir/app-b.log"
	fi
	# shellcheck disable=SC2016
	REFUND_DESK_CONFIG=$dir/config-b.json RD_APP_LOG=$dir/app-b.log RD_UMASK=$app_umask setsid spawn-fcgi \
	    -s "$dir/app-b.sock" -M 0660 ${as_user[@]+"${as_user[@]}"} -F "$workers" -P "$dir/app-b.pid" -- \
	    /bin/sh -c 'umask "$RD_UMASK" && exec "$0" 2>>"$RD_APP_LOG"' "$rd_bin" \
	    </dev/null >>"$dir/app-b.log" 2>&1 || { tails; die "spawn-fcgi (pool B) failed"; }
}

# One upstream over both pools on RD_PORT; each pool alone on P+1 and P+2.
galera_nginx() {
	local sub=$1 pool sock lport
	sed "s|unix:@APP_SOCK@|rd_pools|g; $sub" "$repo/nginx/refund-desk.conf" >"$dir/refund-desk.conf"
	for pool in a b; do
		if [ $pool = a ]; then sock=$appsock lport=$((port + 1)); else sock=$dir/app-b.sock lport=$((port + 2)); fi
		sed "s|@LISTEN@|127.0.0.1:$lport|g; s|@APP_SOCK@|$sock|g; $sub" \
		    "$repo/nginx/refund-desk.conf" >"$dir/refund-desk-$pool.conf"
	done
	sed -i "s|^\([[:space:]]*\)include $dir/refund-desk.conf;|\1upstream rd_pools {\n\1\tserver unix:$appsock;\n\1\tserver unix:$dir/app-b.sock;\n\1}\n&\n\1include $dir/refund-desk-a.conf;\n\1include $dir/refund-desk-b.conf;|" \
	    "$dir/nginx.conf"
	grep -q 'upstream rd_pools' "$dir/nginx.conf" || die "galera: could not add the upstream to nginx.conf"
}

galera_env() {
	cat <<EOF
RD_DB=galera
RD_DB_NODES=$(galera_sock 1),$(galera_sock 2),$(galera_sock 3)
RD_DB_PORTS=$(galera_port 1),$(galera_port 2),$(galera_port 3)
RD_POOL_URLS=http://127.0.0.1:$((port + 1)),http://127.0.0.1:$((port + 2))
RD_CONFIG_B=$dir/config-b.json
EOF
}
