#!/usr/bin/env python3
"""run.py: the fault tests. Each test_* function of tests/faults/test_*.py
breaks a stack (kills a worker, kills MariaDB, fills the evidence disk), so
each gets its own: a fresh temp folder, a free port, `scripts/stack up DIR`
before it and `scripts/stack down DIR` after it, whatever happens.

A test is called as fn(stack) with a Stack (below): the stack's RD_* values
are also exported, so tests/integration/rd.py works unchanged. A test asks
for a stack shape with attributes: fn.workers = 4 (default 4), fn.supervise =
True (the app's own supervisor instead of spawn-fcgi's fixed pool).

Output: `ok NAME (ms)`, `skip NAME: why` or `FAIL NAME: reason`, with what
the test observed indented under it; the last line is
`faults: N passed, N failed`; exit 1 on any failure.

  RD_TEST_FILTER=substring   run only the tests whose name holds it
  RD_BIN                     the binary (default: the one scripts/stack finds)
  RD_KEEP=1                  keep every stack's folder (a failed one is always kept)
  RD_TEST_VERBOSE=1          print tracebacks
"""

import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True      # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))
sys.path.insert(0, HERE)

import rd  # noqa: E402
from testlib import collect, failure  # noqa: E402

STACK = os.path.join(REPO, "scripts", "stack")

# accept() and accept4() per machine: an idle libfcgi worker sits in one.
ACCEPT_SYSCALLS = {
    "x86_64": {"43", "288"},
    "aarch64": {"202", "242"},
}


class Skip(Exception):
    """The test cannot run here (say why)."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pid_state(pid):
    """'R', 'S', 'Z', ... or None when the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def alive(pid):
    return pid_state(pid) not in (None, "Z", "X")


class QuickClient(rd.Client):
    """rd.Client with a short timeout: a hang fails the test instead of
    stalling the suite."""

    def __init__(self, url=None, source=None, timeout=15):
        super().__init__(url, source)
        self.timeout = timeout

    def connection(self):
        import http.client
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout,
                                          source_address=self.source)


def h1(resp):
    """The first <h1> of an HTML answer, else the start of the body."""
    ctype = resp.header("Content-Type") or ""
    if "html" in ctype:
        n = resp.doc.find("h1")
        if n is not None:
            return " ".join(n.text().split())
    return " ".join(resp.text.split())[:80]


class Stack:
    """One private stack in its own folder, and the tools to break it."""

    Skip = Skip                         # raise stack.Skip("why") to skip

    def __init__(self, name, workers=4, supervise=False):
        self.name = name
        self.workers = workers
        self.supervise = supervise
        self.dir = tempfile.mkdtemp(prefix="rdf-", dir="/tmp")
        self.port = free_port()
        self.env = {}
        self.children = []              # processes a test started (mariadbd again)
        self.old_tmpdir = os.environ.get("TMPDIR")

    # ---- life

    def up(self):
        # MariaDB puts its temp tables in $TMPDIR (else /tmp, shared with
        # every other stack on the machine): a private one per stack.
        os.makedirs(self.path("mysqltmp"), mode=0o700, exist_ok=True)
        self.old_tmpdir = os.environ.get("TMPDIR")
        os.environ["TMPDIR"] = self.path("mysqltmp")
        env = dict(os.environ)
        env.update(RD_PORT=str(self.port), RD_WORKERS=str(self.workers),
                   RD_RATE="1000r/s", RD_BURST="1000", RD_SUPERVISE="1" if self.supervise else "0")
        p = subprocess.run([STACK, "up", self.dir], env=env, capture_output=True, text=True,
                           timeout=180)
        if p.returncode != 0:
            raise AssertionError(f"scripts/stack up {self.dir} failed: {p.stderr.strip()[-1500:]}")
        for line in p.stdout.splitlines():
            k, eq, v = line.partition("=")
            if eq and k.startswith("RD_"):
                self.env[k] = v
        os.environ.update(self.env)
        rd.check_env()

    def down(self):
        self.umount_all()
        p = subprocess.run([STACK, "down", self.dir], capture_output=True, text=True, timeout=180)
        for c in self.children:
            try:
                c.wait(timeout=30)
            except subprocess.TimeoutExpired:
                c.kill()
                c.wait()
        if self.old_tmpdir is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = self.old_tmpdir
        if p.returncode != 0:
            print(f"  stack down: {p.stderr.strip()}", flush=True)

    def mount_tmpfs(self, path, size):
        """A tmpfs of size bytes over path, keeping path's owner and mode
        (the app may run as its own user); raises Skip where mounting is
        not allowed. umount_all() or down() takes it away."""
        if os.geteuid() != 0:
            raise Skip("mounting a tmpfs needs root (CI runs as root)")
        st = os.stat(path)
        opts = f"size={size},mode={st.st_mode & 0o7777:o},uid={st.st_uid},gid={st.st_gid}"
        p = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", path],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise Skip(f"mount -t tmpfs refused: {p.stderr.strip()}")

    def make_app_dir(self, path):
        """mkdir path (0700) owned as its parent is: the app's user may not
        be the one running the tests."""
        os.makedirs(path, mode=0o700, exist_ok=True)
        st = os.stat(os.path.dirname(path))
        os.chown(path, st.st_uid, st.st_gid)

    def umount_all(self):
        """Whatever a test mounted inside the folder and left there."""
        with open("/proc/self/mounts") as f:
            points = [ln.split()[1] for ln in f]
        for mp in reversed(points):
            mp = mp.replace("\\040", " ")
            if mp == self.dir or mp.startswith(self.dir + "/"):
                if subprocess.run(["umount", mp], capture_output=True).returncode != 0:
                    subprocess.run(["umount", "-l", mp], capture_output=True)

    # ---- seeing

    def note(self, msg):
        print(f"    {msg}", flush=True)

    def saw(self, what, resp, secs=None):
        """Prints what the buyer saw: status, time and the page's <h1>."""
        t = f" in {secs:.2f} s" if secs is not None else ""
        self.note(f"{what}: HTTP {resp.status}{t}, h1 {h1(resp)!r}")

    def path(self, name):
        return os.path.join(self.dir, name)

    def client(self, timeout=15, source=None):
        """source: a local address to connect from (rd.elsewhere())."""
        return QuickClient(source=source, timeout=timeout)

    # ---- workers

    def worker_pids(self):
        with open(self.path("app.pid")) as f:
            return [int(x) for x in f.read().split()]

    def live_workers(self):
        return [p for p in self.worker_pids() if alive(p)]

    def busy_workers(self):
        """Workers not blocked in accept(): the ones inside a request."""
        idle = ACCEPT_SYSCALLS.get(platform.machine())
        if idle is None:
            raise Skip(f"no accept() syscall numbers for {platform.machine()}")
        out = []
        for pid in self.live_workers():
            try:
                with open(f"/proc/{pid}/syscall") as f:
                    nr = f.read().split()[0]
            except (OSError, IndexError):
                continue
            if nr not in idle:
                out.append(pid)
        return out

    def fd_owner(self, path):
        """The live workers holding path open."""
        out = []
        for pid in self.live_workers():
            try:
                fds = os.listdir(f"/proc/{pid}/fd")
            except OSError:
                continue
            for fd in fds:
                try:
                    if os.readlink(f"/proc/{pid}/fd/{fd}") == path:
                        out.append(pid)
                        break
                except OSError:
                    pass
        return out

    def kill9(self, pid):
        """SIGKILL; returns the time.monotonic() of the signal once it is dead."""
        t = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        for _ in range(200):
            if not alive(pid):
                return t
            time.sleep(0.01)
        raise AssertionError(f"worker {pid} still alive after SIGKILL")

    # ---- MariaDB

    def mysqld_pid(self):
        with open(self.path("mysqld.pid")) as f:
            return int(f.read().split()[0])

    def mysqld_cmdline(self):
        with open(f"/proc/{self.mysqld_pid()}/cmdline", "rb") as f:
            return [a.decode() for a in f.read().split(b"\0") if a]

    def db_ping(self):
        return subprocess.run(["mariadb-admin", "--no-defaults", "-S", self.env["RD_MYSQL_SOCKET"],
                               "-uroot", "ping"], capture_output=True, timeout=10).returncode == 0

    def start_mysqld(self, argv, wait=30):
        """Starts mariadbd with argv (as scripts/stack does: own session, log
        appended); returns when it answers a ping."""
        try:
            os.unlink(self.env["RD_MYSQL_SOCKET"])
        except FileNotFoundError:
            pass
        log = open(self.path("mysqld.log"), "ab")
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                             start_new_session=True)
        log.close()
        self.children.append(p)
        t_end = time.monotonic() + wait
        while time.monotonic() < t_end:
            if self.db_ping():
                return p
            if p.poll() is not None:
                raise AssertionError(f"mariadbd exited with {p.returncode}: see {self.path('mysqld.log')}")
            time.sleep(0.05)
        raise AssertionError(f"mariadbd not ready after {wait} s")

    # ---- the binary

    def rd_cmd(self, *args, timeout=60):
        p = subprocess.run([self.env["RD_BIN"], "--config", self.env["RD_CONFIG"], *args],
                           capture_output=True, text=True, timeout=timeout)
        return p.returncode, (p.stdout + p.stderr).strip()

    def check_ledger(self):
        rc, out = self.rd_cmd("check-ledger")
        rd.check(rc == 0, f"check-ledger exit {rc}: {out[-1500:]}")
        self.note("check-ledger: exit 0")

    def worker_once(self):
        rc, out = self.rd_cmd("worker", "--once")
        rd.check(rc == 0, f"worker --once exit {rc}: {out[-800:]}")
        return out

    # ---- evidence

    def part_files(self):
        d = os.path.join(self.env["RD_EVIDENCE_DIR"], "tmp")
        try:
            return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".part"))
        except FileNotFoundError:
            return []


def run_one(name, fn):
    """(result, message): result is 'ok', 'skip' or 'FAIL'."""
    st = Stack(name, workers=getattr(fn, "workers", 4), supervise=getattr(fn, "supervise", False))
    ok = False
    try:
        st.up()
        fn(st)
        ok = True
        return "ok", ""
    except Skip as e:
        ok = True
        return "skip", str(e)
    except Exception as e:
        return "FAIL", failure(e, (HERE,), 1200)
    finally:
        try:
            st.down()
        except Exception as e:
            ok = False
            print(f"  stack down failed: {e}", flush=True)
        if ok and os.environ.get("RD_KEEP") != "1":
            shutil.rmtree(st.dir, ignore_errors=True)
        else:
            print(f"  files kept in {st.dir}", flush=True)


def main():
    want = os.environ.get("RD_TEST_FILTER", "")
    passed = failed = 0
    skipped = []
    t_all = time.monotonic()
    for name, fn, err in collect(HERE):
        if want and want not in name:
            continue
        if err is not None:
            failed += 1
            print(f"FAIL {name}: cannot import: {type(err).__name__}: {err}", flush=True)
            continue
        print(f"---- {name}", flush=True)
        t0 = time.monotonic()
        res, msg = run_one(name, fn)
        ms = (time.monotonic() - t0) * 1000
        if res == "ok":
            passed += 1
            print(f"ok {name} ({ms:.0f} ms)", flush=True)
        elif res == "skip":
            skipped.append(name)
            print(f"skip {name}: {msg}", flush=True)
        else:
            failed += 1
            print(f"FAIL {name}: {msg} ({ms:.0f} ms)", flush=True)
    if skipped:
        print(f"skipped: {', '.join(skipped)}", flush=True)
    print(f"time: {time.monotonic() - t_all:.1f} s", flush=True)
    print(f"faults: {passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
