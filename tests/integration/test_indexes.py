"""Every query of the staff queue reads through an index (issue 12): EXPLAIN
of the statement as src/store/stmts.h writes it (every waiting request; a
merchant's) shows no table read whole. The statement text comes from the
preprocessor over stmts.h, so the test follows the query the binary runs.
Each statement is explained in two shapes: a tab with no filter, and every
filter of the queue's form on (state, type, risk, overdue, search,
merchant). The admin dashboard's one statement (Q_DASHBOARD) likewise, over
a range with requests in it and over an empty one, and stricter: no table
read whole, not even through a whole index (type "index")."""

import ast
import os
import re
import subprocess

import rd
from rd import check

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
QUERIES = ("Q_DESK_QUEUE", "Q_DESK_QUEUE_NEWEST", "Q_DESK_QUEUE_MERCHANT", "Q_DESK_QUEUE_MERCHANT_NEWEST")


def statement(name):
    """The SQL of statement name, from the STMTS table through cpp."""
    src = '#include "store/stmts.h"\n#define PRINT_SQL(name, sql) name sql\nSTMTS(PRINT_SQL)\n'
    out = subprocess.run([os.environ.get("CC", "cc"), "-E", "-P", "-I", os.path.join(REPO, "src"),
                          "-x", "c", "-"], input=src, capture_output=True, text=True, check=True).stdout
    lit = r'"(?:[^"\\]|\\.)*"'
    for m in re.finditer(r"\b([A-Z]_[A-Z0-9_]+)\s+((?:" + lit + r"\s*)+)", out):
        if m.group(1) == name:
            return "".join(ast.literal_eval(x) for x in re.findall(lit, m.group(2)))
    raise AssertionError(f"no statement {name} in stmts.h")


def explain(sql, params):
    parts = sql.split("?")
    check(len(parts) - 1 == len(params), f"{len(parts) - 1} placeholders, {len(params)} values")
    text = parts[0] + "".join((str(p) if isinstance(p, int) else rd.q(p)) + rest
                              for p, rest in zip(params, parts[1:]))
    rows = rd.db("EXPLAIN " + text)
    return rows


def _some_queue():
    """A few open requests of two merchants, so the tables are not empty."""
    for m in ("m-idx-a", "m-idx-b"):
        for _ in range(3):
            o = rd.used_card(merchant_id=m)
            c = rd.buyer_session(o)
            rd.new_refund(c, o)


def queue_params(name, sql, states, type_="", risk=0, overdue=0, search="", merchant="m-idx-a"):
    """The placeholders of a queue statement in desk_reads.c's order: (the
    merchant's own,) the state slots, type, risk, overdue and now, the
    search term four times, (the merchant filter twice,) LIMIT, OFFSET."""
    own = "MERCHANT" in name
    tail = [type_, type_, risk, overdue, rd.now()] + [search] * 4 + ([] if own else [merchant, merchant]) + [50, 0]
    slots = sql.count("?") - len(tail) - own
    check(0 < len(states) <= slots, f"{name}: {slots} state slots")
    return ([merchant] if own else []) + list(states) + [""] * (slots - len(states)) + tail


SHAPES = {
    "no filter": dict(states=["cs_review", "refunding"]),
    "every filter": dict(states=["merchant_review"], type_="invalid_item", risk=1, overdue=1, search="BG1"),
}


def test_staff_queue_reads_every_table_through_an_index():
    _some_queue()
    for name in QUERIES:
        sql = statement(name)
        for shape, kw in SHAPES.items():
            rows = explain(sql, queue_params(name, sql, **kw))
            check(rows, f"EXPLAIN of {name} said nothing")
            for row in rows:
                # id, select_type, table, type, possible_keys, key, key_len, ref, rows, Extra
                table, typ, key = row[2], row[3], row[5]
                if table in (None, "NULL") or table.startswith("<"):
                    continue                 # a derived table's own result, or a constant found empty
                check(typ != "ALL" and key not in ("", "NULL", None),
                      f"{name} ({shape}) reads {table} without an index: {row}")


def _some_history():
    """Decided requests (an instant one and a reviewed one) filed today."""
    o = rd.register()
    rd.new_refund(rd.buyer_session(o), o, files=[], type="not_delivered", destination="balance")
    _some_queue()


def test_dashboard_reads_every_table_through_an_index():
    _some_history()
    sql = statement("Q_DASHBOARD")
    now = rd.now()
    for shape, (lo, hi) in {"the last 30 days": (now - 30 * 86400, now + 86400),
                            "a day long past": (1709222400, 1709308800)}.items():
        rows = explain(sql, [lo, hi] * 4)
        check(rows, "EXPLAIN of Q_DASHBOARD said nothing")
        tables = set()
        for row in rows:
            table, typ, key = row[2], row[3], row[5]
            if table in (None, "NULL") or table.startswith("<"):
                continue
            tables.add(table)
            check(typ not in ("ALL", "index") and key not in ("", "NULL", None),
                  f"Q_DASHBOARD ({shape}) reads {table} whole: {row}")
        check({"r", "e", "o", "z"} <= tables, f"Q_DASHBOARD ({shape}) reads {sorted(tables)}")
