"""Who may touch what in a private stack (issue 9): file modes and owners in
DIR, the users the app and nginx run as, and MariaDB accounts. Before the
fix: mysql.sock reachable by anyone with a password-less root, stack.env
0644 with the API secret, app.sock 0666 (any local user speaks FastCGI and
spoofs REMOTE_ADDR), evidence 0755/0644."""

import grp
import json
import os
import pwd
import stat
import subprocess

import rd
from rd import check

APP_USER = "refund-desk"
WEB_USER = "refund-desk-web"


def _mode(path):
    st = os.lstat(path)
    return stat.S_IMODE(st.st_mode), pwd.getpwuid(st.st_uid).pw_name, grp.getgrgid(st.st_gid).gr_name


def _expect(stack, path, mode, user, group):
    got = _mode(path)
    check(got == (mode, user, group),
          f"{os.path.relpath(path, stack.dir)}: {got[0]:04o} {got[1]}:{got[2]}, "
          f"expected {mode:04o} {user}:{group}")
    stack.note(f"{os.path.relpath(path, stack.dir) or '.'}: {mode:04o} {user}:{group}")


def _ids(pid):
    """(user, group) a process runs as, from /proc."""
    uid = gid = None
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Uid:"):
                uid = int(line.split()[1])
            elif line.startswith("Gid:"):
                gid = int(line.split()[1])
    return pwd.getpwuid(uid).pw_name, grp.getgrgid(gid).gr_name


def _children(pid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(d))
            except OSError:
                pass
    return out


def _sql_as(stack, user, db_user, password=None):
    """Runs SELECT CURRENT_USER() through the stack's socket as the OS user
    `user` (None: the test's own) and the MariaDB account db_user."""
    argv = ["mariadb", "--no-defaults", "-S", stack.env["RD_MYSQL_SOCKET"], f"-u{db_user}", "-N",
            "-e", "SELECT CURRENT_USER()"]
    if password is not None:
        argv.insert(4, f"-p{password}")
    kw = {}
    if user is not None:
        kw = dict(user=user, group=APP_USER, extra_groups=[])
    p = subprocess.run(argv, capture_output=True, text=True, timeout=20, **kw)
    return p.returncode, (p.stdout + p.stderr).strip()


def _passwordless(priv):
    """An account (mysql.global_priv JSON) one logs in to without a password:
    not a role, not locked, and some way in (the top level, or an entry of
    auth_or; {} there stands for the top level) that is a password plugin
    with an empty hash."""
    if priv.get("is_role") or priv.get("account_locked"):
        return False
    ways = [priv] + [a for a in priv.get("auth_or", []) if a]
    return any(w.get("plugin", "mysql_native_password") != "unix_socket" and not w.get("authentication_string")
               for w in ways)


def _secrets(stack):
    out = {}
    with open(stack.path("secrets.env")) as f:
        for line in f:
            k, _, v = line.strip().partition("=")
            out[k] = v
    return out


def test_stack_file_modes_and_users(stack):
    if os.geteuid() != 0:
        raise stack.Skip("the separate users exist only when the stack runs as root (CI does)")
    me = pwd.getpwuid(os.geteuid()).pw_name

    # One upload, so the evidence tree has a file, its folder and tmp/.
    o = rd.used_card()
    rd.new_refund(rd.buyer_session(o, stack.client()), o)
    files = rd.evidence_paths()
    check(len(files) == 1, f"evidence files: {files}")

    _expect(stack, stack.dir, 0o710, me, APP_USER)
    for name in ("stack.env", "secrets.env", "cron-secret", "migrate.json"):
        _expect(stack, stack.path(name), 0o600, me, grp.getgrgid(os.getegid()).gr_name)
    _expect(stack, stack.path("config.json"), 0o600, APP_USER, APP_USER)
    _expect(stack, stack.path("app.sock"), 0o660, APP_USER, APP_USER)
    check(stat.S_ISSOCK(os.lstat(stack.path("app.sock")).st_mode), "app.sock is not a socket")
    ev = stack.env["RD_EVIDENCE_DIR"]
    _expect(stack, ev, 0o750, APP_USER, APP_USER)
    _expect(stack, os.path.dirname(files[0]), 0o750, APP_USER, APP_USER)
    _expect(stack, files[0], 0o640, APP_USER, APP_USER)
    _expect(stack, os.path.join(ev, "tmp"), 0o700, APP_USER, APP_USER)

    # The app's workers run as its own user, nginx's workers as the web user
    # in the app's group; the masters stay root.
    for pid in stack.live_workers():
        check(_ids(pid) == (APP_USER, APP_USER), f"app worker {pid} runs as {_ids(pid)}")
    with open(stack.path("nginx.pid")) as f:
        master = int(f.read().split()[0])
    workers = _children(master)
    check(workers, "no nginx worker found")
    for pid in workers:
        check(_ids(pid) == (WEB_USER, APP_USER), f"nginx worker {pid} runs as {_ids(pid)}")
    stack.note(f"app workers run as {APP_USER}, nginx workers as {WEB_USER}:{APP_USER}")

    # A local user outside the group reaches nothing in DIR.
    p = subprocess.run(["cat", stack.path("stack.env")], user="nobody", group="nogroup",
                       extra_groups=[], capture_output=True, text=True)
    check(p.returncode != 0 and "Permission denied" in p.stderr, f"nobody read stack.env: {p!r}")
    p = subprocess.run(["ls", stack.dir], user="nobody", group="nogroup", extra_groups=[],
                       capture_output=True, text=True)
    check(p.returncode != 0, f"nobody listed DIR: {p.stdout!r}")
    # nginx's user searches DIR but reads no secret.
    for name in ("config.json", "secrets.env", "stack.env", "cron-secret", "migrate.json"):
        p = subprocess.run(["cat", stack.path(name)], user=WEB_USER, group=APP_USER,
                           extra_groups=[], capture_output=True, text=True)
        check(p.returncode != 0, f"{WEB_USER} read {name}")
    stack.note("nobody cannot list DIR or read stack.env; the web user reads no secret")

    # MariaDB: root by socket authentication only; no anonymous account; the
    # app's user only with its password and only row rights on its database.
    rc, out = _sql_as(stack, None, "root")
    check(rc == 0 and out.startswith("root@localhost"), f"root over the socket as uid 0: {rc} {out}")
    for who in ("root", "", "refund_desk", "anybody"):
        rc, out = _sql_as(stack, WEB_USER, who or "''")
        check(rc != 0 and "Access denied" in out, f"as {WEB_USER}, DB user {who!r} with no password: {rc} {out}")
    rc, out = _sql_as(stack, WEB_USER, "refund_desk", _secrets(stack)["DB_PASSWORD"])
    check(rc == 0 and out.startswith("refund_desk@localhost"), f"refund_desk with its password: {rc} {out}")
    stack.note("root, anonymous and refund_desk without password: Access denied; refund_desk "
               "with DB_PASSWORD: in")

    loose = [f"{u}@{h}" for u, h, priv in rd.db("SELECT user, host, priv FROM mysql.global_priv")
             if _passwordless(json.loads(priv))]
    check(not loose, f"accounts that log in without a password: {loose}")
    anon = rd.db("SELECT CONCAT(QUOTE(user), '@', host) FROM mysql.global_priv "
                 "WHERE (user = '' AND host <> '') OR (user = 'root' AND host <> 'localhost')")
    check(not anon, f"anonymous or remote root accounts: {anon}")
    for host in ("localhost", "127.0.0.1"):
        grants = [g[0] for g in rd.db(f"SHOW GRANTS FOR 'refund_desk'@'{host}'")]
        privs = [g for g in grants if not g.startswith("GRANT USAGE ON *.*")]
        check(len(privs) == 1 and privs[0].startswith(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON `refund_desk`.* TO `refund_desk`@"),
              f"grants of refund_desk@{host}: {grants}")
    stack.note("refund_desk@localhost and @127.0.0.1: SELECT, INSERT, UPDATE, DELETE on refund_desk.*")

    # The stack's own commands still work with the app's config.
    stack.check_ledger()


test_stack_file_modes_and_users.workers = 2
