# stack-apache.sh: sourced by scripts/stack. RD_FRONT=apache runs the desk
# behind a private Apache 2.4 + mod_fcgid, RD_FRONT=cgi behind the same Apache
# as plain CGI; both on loopback, mounted under /refund-desk/ with the
# shipped dist/apache .htaccess files, connected to MariaDB over TCP as the
# non-root user db_create_app_user makes, evidence streamed by the app.
# Everything (ServerRoot, config, pid, logs, fcgid sockets) lives in DIR.
# shellcheck shell=bash

apache_mount=/refund-desk

# front_init: validate RD_FRONT; apache and cgi need MariaDB on TCP.
front_init() {
	front=${RD_FRONT:-nginx}
	case $front in
	nginx) db_net_args=(--skip-networking) ;;
	apache | cgi)
		command -v apache2 >/dev/null || die "RD_FRONT=$front needs apache2 (scripts/deps)"
		db_port=$((port + 1))
		port_busy "$db_port" && die "127.0.0.1:$db_port (MariaDB for RD_FRONT=$front) is in use: set RD_PORT"
		db_net_args=(--port="$db_port" --bind-address=127.0.0.1)
		;;
	*) die "RD_FRONT must be nginx, apache or cgi, not $front" ;;
	esac
}

# The "database" member of config.json for this front.
front_db_json() {
	local prefix=${RD_TABLE_PREFIX:-}
	[[ $prefix =~ ^[A-Za-z0-9_]{0,32}$ ]] || die "RD_TABLE_PREFIX must be 0-32 of [A-Za-z0-9_]"
	# USER PASSWORD (default refund_desk and DB_PASSWORD): the DB admin
	# (migrate.json) always comes in through the socket.
	local user=${1:-refund_desk} pass=${2-$DB_PASSWORD}
	if [ "$front" = nginx ] || [ "$user" != refund_desk ]; then
		printf '{"socket": "%s", "user": "%s", "password": "%s", "name": "refund_desk", "table_prefix": "%s"}' \
		    "$mysock" "$user" "$pass" "$prefix"
	else
		printf '{"host": "127.0.0.1", "port": %s, "user": "refund_desk", "password": "%s", "name": "refund_desk", "table_prefix": "%s"}' \
		    "$db_port" "$DB_PASSWORD" "$prefix"
	fi
}

front_public_url() {
	if [ "$front" = nginx ]; then
		printf 'http://127.0.0.1:%s' "$port"
	else
		printf 'http://127.0.0.1:%s%s/' "$port" "$apache_mount"
	fi
}

# RD_REQUEST_LIMIT: the app's own per-address limits per hour (auto: on
# where no nginx stands in front), high so the suite is never throttled;
# tests/integration/test_front.py tests them with a config of its own.
front_extra_json() {
	local n
	n=$(int_env RD_REQUEST_LIMIT 100000)
	printf '\n  "request_limits": {"enabled": "auto", "lookups_per_hour": %s, "submissions_per_hour": %s, "buyer_posts_per_hour": %s},' "$n" "$n" "$n"
	[ "$front" = nginx ] || printf '\n  "evidence_delivery": "stream",'
}

# Apache's children (and so the app) run as nobody when we are root: it
# reads the config through its group and owns the evidence folder.
apache_user() { [ "$(id -u)" -eq 0 ] && echo nobody || id -un; }
apache_group() { [ "$(id -u)" -eq 0 ] && echo nogroup || id -gn; }

apache_fill() {
	sed -e "s|@APP_BIN@|$rd_bin|g" -e "s|@CONFIG@|$cfg|g" \
	    -e "s|@WRAPPER@|$dir/app/refund-desk.fcgi-wrapper|g" -e "s|@DIR@|$dir|g" "$@"
}

start_apache() {
	local www=$dir/www$apache_mount mods=/usr/lib/apache2/modules user group
	user=$(apache_user)
	group=$(apache_group)
	# Apache's children run as nobody: DIR itself (a mktemp folder is 0700)
	# must be searchable; the folders above it are the caller's to open.
	if [ "$(id -u)" -eq 0 ] && ! others_can_reach "$dir"; then
		chmod o+x "$dir"
		others_can_reach "$dir" ||
			die "$dir must be searchable by others (chmod o+x) for Apache's children (nobody)"
	fi
	mkdir -p "$dir/apache/run" "$dir/apache/fcgid" "$dir/app" "$www"
	# mod_fcgid binds its sockets there as the children's user.
	chown "$user:$group" "$dir/apache/fcgid"
	# The app's files: config readable by its group, evidence writable.
	chgrp "$group" "$cfg" && chmod 0640 "$cfg"
	chown -R "$user:$group" "$dir/evidence"
	apache_fill "$repo/dist/apache/refund-desk.fcgi-wrapper" >"$dir/app/refund-desk.fcgi-wrapper"
	apache_fill "$repo/dist/apache/refund-desk.cgi" >"$www/refund-desk.cgi"
	chmod 0755 "$dir/app/refund-desk.fcgi-wrapper" "$www/refund-desk.cgi"
	: >"$www/refund-desk.fcgi"
	# RD_APACHE_MULTIPART_CGI=1: a host that keeps FcgidMaxRequestLen at its
	# 131072 default, with the shipped rules sending uploads to CGI.
	local maxlen=27262976
	if [ "$front" = apache ] && [ "${RD_APACHE_MULTIPART_CGI:-0}" = 1 ]; then
		maxlen=131072
		sed -e "/@MULTIPART_CGI@/r $repo/dist/apache/htaccess-multipart-cgi" -e '/@MULTIPART_CGI@/d' \
		    "$repo/dist/apache/htaccess-fcgid" | apache_fill >"$www/.htaccess"
	elif [ "$front" = apache ]; then
		apache_fill "$repo/dist/apache/htaccess-fcgid" >"$www/.htaccess"
	else
		apache_fill "$repo/dist/apache/htaccess-cgi" >"$www/.htaccess"
	fi
	cat >"$dir/apache.conf" <<CONF
# Private Apache of scripts/stack (RD_FRONT=$front): nothing system-wide.
ServerRoot "$dir/apache"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile "$dir/apache.pid"
DefaultRuntimeDir "$dir/apache/run"
Mutex file:$dir/apache/run default
ErrorLog "$dir/apache-error.log"
LogLevel warn
$( [ "$(id -u)" -eq 0 ] && printf 'User %s\nGroup %s\n' "$user" "$group")
LoadModule mpm_prefork_module $mods/mod_mpm_prefork.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule authz_host_module $mods/mod_authz_host.so
LoadModule alias_module $mods/mod_alias.so
LoadModule rewrite_module $mods/mod_rewrite.so
LoadModule mime_module $mods/mod_mime.so
LoadModule dir_module $mods/mod_dir.so
LoadModule cgi_module $mods/mod_cgi.so
LoadModule fcgid_module $mods/mod_fcgid.so
TypesConfig /etc/mime.types
LogFormat "%a \"%r\" %>s %B %D" rd
CustomLog "$dir/access.log" rd
StartServers 4
MinSpareServers 4
MaxSpareServers 16
MaxRequestWorkers 128
KeepAlive Off
Timeout 60
LimitRequestBody 27262976
# mod_fcgid: the body limit raised to the desk's body_max_bytes (the default
# 131072 answers any larger POST with a bare 500).
FcgidMaxRequestLen $maxlen
FcgidIPCDir "$dir/apache/fcgid"
FcgidProcessTableFile "$dir/apache/fcgid_shm"
FcgidMaxProcesses 32
FcgidMaxProcessesPerClass $workers
FcgidMinProcessesPerClass 0
FcgidIOTimeout 60
FcgidConnectTimeout 5
FcgidMaxRequestsPerProcess 0
DocumentRoot "$dir/www"
<Directory />
	AllowOverride None
	Require all denied
</Directory>
<Directory "$dir/www">
	Options None
	AllowOverride None
	Require all granted
</Directory>
<Directory "$www">
	AllowOverride All
</Directory>
CONF
	apache2 -d "$dir/apache" -f "$dir/apache.conf" -k start ||
		{ tail -n 30 "$dir/apache-error.log" >&2 2>/dev/null; die "apache2 did not start"; }
}

stop_apache() {
	stop_pids "$dir/apache.pid" "$dir/apache.conf" 10
}
