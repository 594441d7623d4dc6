"""Where the FastCGI socket comes from (CONTRACT.md §2): systemd socket
activation (the socket on fd 3, LISTEN_FDS=1) and `--listen unix:PATH` /
`--listen HOST:PORT`, each answering FastCGI requests one after another,
with and without the supervisor (REFUND_DESK_WORKERS). Requests are sent
with cgi-fcgi (libfcgi-bin), straight to the app."""

import os
import signal
import socket
import stat
import subprocess
import tempfile
import time

import rd
from rd import check


def _fcgi(target, path="/healthz"):
    """One FastCGI GET through cgi-fcgi; (status line, body)."""
    env = {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": path, "REQUEST_URI": path,
           "DOCUMENT_URI": path, "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
           "PATH": "/usr/bin:/bin"}
    p = subprocess.run(["cgi-fcgi", "-bind", "-connect", target], env=env, capture_output=True, timeout=10)
    head, _, body = p.stdout.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(errors="replace"), body


def _wait_for(path_or_port, proc):
    for _ in range(100):
        if proc.poll() is not None:
            raise AssertionError(f"exited {proc.returncode}: {proc.stderr.read()[-500:]!r}")
        if isinstance(path_or_port, str) and os.path.exists(path_or_port):
            return
        if isinstance(path_or_port, int):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", path_or_port)) == 0:
                    return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on {path_or_port}")


def _stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _answers_repeatedly(target, n=5):
    for i in range(n):
        status, body = _fcgi(target)
        check(status == "Status: 200 OK" and body.startswith(b"ok\n"), f"request {i + 1}: {status} {body[:80]!r}")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_socket_activation_serves_fastcgi_on_fd_3():
    for workers in ("", "2"):
        d = tempfile.mkdtemp(prefix="rd-sa-")
        sock = os.path.join(d, "fcgi.sock")
        cmd = ["systemd-socket-activate", "-l", sock, "-E", f"REFUND_DESK_WORKERS={workers}",
               rd.env("RD_BIN"), "--config", rd.env("RD_CONFIG")]
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _wait_for(sock, p)
            _answers_repeatedly(sock)
            check(p.poll() is None, f"the responder exited after answering (took itself for CGI), workers={workers!r}")
        finally:
            _stop(p)
            os.unlink(sock) if os.path.exists(sock) else None
            os.rmdir(d)


def test_listen_unix_socket_is_0660_and_replaces_a_stale_one():
    d = tempfile.mkdtemp(prefix="rd-ls-")
    sock = os.path.join(d, "app.sock")
    # A stale socket from a killed run: nobody listens on it.
    s = socket.socket(socket.AF_UNIX)
    s.bind(sock)
    s.close()
    for workers in ("", "2"):
        env = dict(os.environ, REFUND_DESK_WORKERS=workers)
        p = subprocess.Popen([rd.env("RD_BIN"), "--config", rd.env("RD_CONFIG"), "--listen", "unix:" + sock],
                             env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            time.sleep(0.2)
            _wait_for(sock, p)
            mode = stat.S_IMODE(os.stat(sock).st_mode)
            check(mode == 0o660, f"unix socket mode {oct(mode)}, want 0660")
            _answers_repeatedly(sock)
            # A second responder on the same live socket is refused, not stolen.
            q = subprocess.run([rd.env("RD_BIN"), "--config", rd.env("RD_CONFIG"), "--listen", "unix:" + sock],
                               capture_output=True, text=True, timeout=10)
            check(q.returncode == 2 and "another process listens" in q.stderr, f"second responder: {q.stderr}")
        finally:
            _stop(p)
    os.unlink(sock)
    with open(sock, "w") as f:
        f.write("not a socket")
    q = subprocess.run([rd.env("RD_BIN"), "--config", rd.env("RD_CONFIG"), "--listen", "unix:" + sock],
                       capture_output=True, text=True, timeout=10)
    check(q.returncode == 2 and "not a socket" in q.stderr and os.path.isfile(sock), f"a plain file: {q.stderr}")
    os.unlink(sock)
    os.rmdir(d)


def test_listen_tcp_and_refusals():
    port = _free_port()
    p = subprocess.Popen([rd.env("RD_BIN"), "--listen", f"127.0.0.1:{port}", "--config", rd.env("RD_CONFIG")],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for(port, p)
        _answers_repeatedly(f"127.0.0.1:{port}")
    finally:
        _stop(p)
    for args, want in [(["--listen", "nonsense"], "HOST:PORT"), (["--listen-mode", "0999"], "octal"),
                       (["--listen", "unix:/tmp/x.sock", "migrate"], "not 'migrate'"), (["--listen"], "needs a value")]:
        q = subprocess.run([rd.env("RD_BIN"), "--config", rd.env("RD_CONFIG"), *args],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=10)
        check(q.returncode == 2 and want in q.stderr, f"{args}: exit {q.returncode} {q.stderr!r}")
