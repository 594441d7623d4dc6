"""The schema is Galera-safe (issue 13): Galera replicates InnoDB only,
certifies rows by primary key (a table without one is replicated slowly
and, for deletes, unsafely), and replicates no table locks."""

import os
import re

import rd
from rd import check, q

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_every_table_is_innodb_with_a_primary_key():
    rows = rd.db("SELECT t.table_name, t.engine, (SELECT COUNT(*) FROM information_schema.table_constraints c "
                 "WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name "
                 "AND c.constraint_type = 'PRIMARY KEY') FROM information_schema.tables t "
                 f"WHERE t.table_schema = {q(rd.DB_NAME)} AND t.table_type = 'BASE TABLE'")
    check(len(rows) >= 10, f"only {len(rows)} tables: is the schema applied?")
    bad = [f"{n} ({e}, {pk} primary key)" for n, e, pk in rows if e != "InnoDB" or pk != "1"]
    check(not bad, f"tables Galera cannot replicate safely: {bad}")


def test_no_table_locks_or_named_locks_in_code_or_migrations():
    # Neither LOCK TABLES nor GET_LOCK is replicated by Galera: correctness
    # comes from rows (unique keys, version bumps), never from these.
    found = []
    for folder, name in sorted((os.path.relpath(d, REPO), n) for top in ("src", "sql")
                               for d, _, names in os.walk(os.path.join(REPO, top)) for n in names):
        path = os.path.join(REPO, folder, name)
        if not name.endswith((".c", ".h", ".sql")):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            for i, line in enumerate(f, 1):
                # SQL only: C string literals, SQL outside -- comments.
                if name.endswith(".sql"):
                    sql = line.split("--", 1)[0]
                else:
                    sql = " ".join(re.findall(r'"(?:[^"\\]|\\.)*"', line))
                if re.search(r"\b(LOCK\s+TABLES?|GET_LOCK|RELEASE_LOCK|IS_FREE_LOCK)\b", sql, re.I):
                    found.append(f"{folder}/{name}:{i}: {line.strip()}")
    check(not found, f"table or named locks: {found}")
