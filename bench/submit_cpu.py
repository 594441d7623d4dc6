#!/usr/bin/env python3
"""submit_cpu.py: what one instant submission costs each process (issue 12).

  submit_cpu.py WORK    (bench/run --cpu runs it after seeding)

On this shared machine req/s follow whatever else runs; CPU per request does
not. Around each wrk run against `submit` and the write references
(`lean-submit`, `lean-submit-php`), alternating for BENCH_ROUNDS rounds, it
reads utime + stime (/proc/PID/stat) of MariaDB, of the FastCGI workers
(the app's, lean-submit's, PHP-FPM's) and of each nginx, and MariaDB's
Handler_% and Com_% counters (SHOW GLOBAL STATUS; the stack's MariaDB
serves nothing else), and prints each per request: medians of the rounds.
Writes WORK/cpu.json and the table to BENCH_CPU_OUT (bench/out/submit-cpu.md).
BENCH_CPU_PERF=FILE: one more submit run with `perf record -g` of MariaDB into FILE
(BENCH_CPU_PERF_OF=refund-desk: of the app's workers instead).
"""

import os
import signal
import statistics
import subprocess
import sys
import time

import bench
import rd

TICK_MS = 1000.0 / os.sysconf("SC_CLK_TCK")
COUNTERS = ("Handler_write", "Handler_update", "Handler_delete", "Handler_read_key",
            "Handler_read_next", "Handler_read_rnd_next", "Com_select", "Com_insert",
            "Com_update", "Com_commit", "Questions")


def cpu_ms(pids):
    """utime + stime of pids in ms (a pid gone counts nothing)."""
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                st = f.read()
        except OSError:
            continue
        fields = st[st.rindex(")") + 2:].split()
        total += int(fields[11]) + int(fields[12])
    return total * TICK_MS


def with_children(pidfile):
    pids = bench.pids_of(pidfile)
    for p in list(pids):
        pids += bench.children_of(p)
    return pids


def status():
    rows = rd.db("SHOW GLOBAL STATUS WHERE Variable_name IN (" +
                 ", ".join(rd.q(c) for c in COUNTERS) + ")")
    return {k: int(v) for k, v in rows}


def processes():
    app, ref = rd.env("RD_DIR"), os.environ["REF_DIR"]
    return {
        "mariadb": bench.pids_of(os.path.join(app, "mysqld.pid")),
        "app nginx": with_children(os.path.join(app, "nginx.pid")),
        "ref nginx": with_children(os.path.join(ref, "nginx.pid")),
        "refund-desk": with_children(os.path.join(app, "app.pid")),
        "lean-submit": bench.pids_of(os.path.join(ref, "lean-submit.pid")),
        "php-fpm": with_children(os.path.join(ref, "php-fpm.pid")),
    }


# Per page: the worker pool and the nginx in front of it.
SIDES = {"submit": ("refund-desk", "app nginx"), "lean-submit": ("lean-submit", "ref nginx"),
         "lean-submit-php": ("php-fpm", "ref nginx")}


def one_run(page, t, s, procs, nxt, base):
    url, headers = t[page]
    a_cpu = {k: cpu_ms(v) for k, v in procs.items()}
    a_st = status()
    if page == "submit":
        r = bench.wrk(url, s["threads"], s["conns"], s["duration"],
                      script=os.path.join(bench.HERE, "submit.lua"), headers=headers,
                      extra_env={"BENCH_SUBMIT_DATA": nxt["data"], "BENCH_THREADS": str(s["threads"]),
                                 "BENCH_FROM": str(nxt[page])})
    else:
        r = bench.wrk(url, s["threads"], s["conns"], s["duration"],
                      script=os.environ["REF_LEAN_SUBMIT_LUA"], headers=headers,
                      extra_env={"LEAN_FROM": str(nxt[page]), "LEAN_THREADS": str(s["threads"])})
    b_st = status()
    b_cpu = {k: cpu_ms(v) for k, v in procs.items()}
    nxt[page] = r["next"] or nxt[page]
    n = r["requests"] - r["non2xx"]
    if n <= 0 or r["non2xx"] or r["sock_errors"]:
        bench.die(f"{page}: {r['requests']} requests, {r['non2xx']} non-2xx/3xx, "
                  f"{r['sock_errors']} socket errors: not a measurement")
    workers, front = SIDES[page]
    out = {"rps": r["rps"], "n": n,
           "mariadb": (b_cpu["mariadb"] - a_cpu["mariadb"]) / n,
           "app": (b_cpu[workers] - a_cpu[workers]) / n,
           "nginx": (b_cpu[front] - a_cpu[front]) / n}
    out["total"] = out["mariadb"] + out["app"] + out["nginx"]
    # Reading the counters costs rows and a statement of its own (base).
    for c in COUNTERS:
        out[c] = (b_st[c] - a_st[c] - base[c]) / n
    return out


def main(work):
    s = bench.settings()
    rd.check_env()
    fx = bench.load(work, "fixtures.json")
    t = bench.targets(fx)
    pages = [p for p in SIDES if p in t]
    procs = processes()
    for k in ("mariadb", "refund-desk", "app nginx"):
        if not procs[k]:
            bench.die(f"no {k} process found through its pid file")
    nxt = {"data": fx["submit_data"], "submit": 0}
    nxt.update(bench.LEAN_FROM)
    res = {p: [] for p in pages}
    a, b = status(), status()
    base = {c: b[c] - a[c] for c in COUNTERS}
    for rnd in range(s["rounds"]):
        for p in pages[rnd % len(pages):] + pages[:rnd % len(pages)]:
            r = one_run(p, t, s, procs, nxt, base)
            res[p].append(r)
            bench.say(f"cpu round {rnd + 1} {p:16s} {r['rps']:7.0f} req/s  ms/request: "
                      f"mariadb {r['mariadb']:.3f} app {r['app']:.3f} nginx {r['nginx']:.3f}  "
                      f"Handler_write {r['Handler_write']:.1f}")
    med = {p: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for p, rs in res.items()}
    if os.environ.get("BENCH_CPU_PERF"):
        # One more submit run under `perf record` of MariaDB (call graphs),
        # or of the workers (BENCH_CPU_PERF_OF=refund-desk).
        who = os.environ.get("BENCH_CPU_PERF_OF", "mariadb")
        rec = subprocess.Popen(["perf", "record", "-q", "-F", "499", "-g", "-o", os.environ["BENCH_CPU_PERF"],
                                "-p", ",".join(str(p) for p in procs[who])], stdout=subprocess.DEVNULL)
        time.sleep(0.5)
        one_run("submit", t, s, procs, nxt, base)
        rec.send_signal(signal.SIGINT)
        rec.wait(timeout=120)
    bench.save(work, "cpu.json", {"settings": s, "results": res, "median": med})
    L = [f"CPU per request, ms (medians of {s['rounds']} rounds of wrk -t{s['threads']} "
         f"-c{s['conns']} -d{s['duration']}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
         f"{os.environ.get('BENCH_VERSION', '')}, load {bench.load_avg()})", "",
         "| page | req/s | MariaDB | workers | nginx | total | Handler_write | Handler_update "
         "| Handler_read_key | Handler_read_next | Com_select | Com_insert | Com_update | Questions |",
         "|---|" + "--:|" * 13]
    for p, m in med.items():
        L.append(f"| {p} | {m['rps']:.0f} | {m['mariadb']:.3f} | {m['app']:.3f} | {m['nginx']:.3f} "
                 f"| {m['total']:.3f} | {m['Handler_write']:.1f} | {m['Handler_update']:.1f} "
                 f"| {m['Handler_read_key']:.1f} | {m['Handler_read_next']:.1f} | {m['Com_select']:.1f} "
                 f"| {m['Com_insert']:.1f} | {m['Com_update']:.1f} | {m['Questions']:.1f} |")
    if "lean-submit" in med:
        L += ["", f"total CPU lean-submit / submit: {med['lean-submit']['total'] / med['submit']['total']:.2f}"]
    if "lean-submit-php" in med:
        L += [f"total CPU lean-submit-php / submit: "
              f"{med['lean-submit-php']['total'] / med['submit']['total']:.2f}"]
    text = "\n".join(L) + "\n"
    sys.stdout.write(text)
    out = os.environ.get("BENCH_CPU_OUT", os.path.join(bench.HERE, "out", "submit-cpu.md"))
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        bench.die("usage: submit_cpu.py WORK")
    main(sys.argv[1])
