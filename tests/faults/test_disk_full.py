"""The evidence folder full (a 1 MiB tmpfs over it): a 2 MiB upload gets the
app's 507 page, no row is written, no byte is left on the disk; a file that
fits still goes through afterwards."""

import os
import subprocess

import rd
from rd import File, check

TMPFS_BYTES = 1024 * 1024
UPLOAD_BYTES = 2 * 1024 * 1024


def _used(path):
    s = os.statvfs(path)
    return (s.f_blocks - s.f_bfree) * s.f_frsize


def _files(path):
    out = []
    for base, _dirs, files in os.walk(path):
        out.extend(os.path.relpath(os.path.join(base, f), path) for f in files)
    return sorted(out)


def test_evidence_disk_full(stack):
    ev = stack.env["RD_EVIDENCE_DIR"]
    stack.mount_tmpfs(ev, TMPFS_BYTES)
    try:
        o = rd.used_card()
        c = rd.buyer_session(o, stack.client())
        form = rd.open_form(c, o["order_no"])
        fields = rd.refund_fields(form, o["order_no"])
        head = rd.png(o["order_no"])
        big = head + b"\0" * (UPLOAD_BYTES - len(head))
        before = rd.snapshot()

        r = rd.submit(c, fields, [File(big, "big.png", "image/png")])
        stack.saw(f"a {len(big) >> 20} MiB file into a {TMPFS_BYTES >> 20} MiB evidence disk", r)
        check(r.status == 507, f"expected 507, got {r!r}")
        h1 = r.doc.find("h1")
        check(h1 is not None and h1.text().strip() == "暂时无法保存凭证", f"h1 of the 507 page: {r!r}")
        check("存储空间不足" in r.text and "没有提交" in r.text,
              f"the page does not say the disk is full and nothing was filed: {r!r}")
        rd.assert_unchanged(before, "after the 507")
        left, used = _files(ev), _used(ev)
        tmp = os.path.join(ev, "tmp")
        stack.note(f"database after: tables unchanged (refunds {before.get('refunds')}, evidence "
                   f"{before.get('evidence')}), hold {rd.hold_state(o['order_no'])}; on the tmpfs: "
                   f"files {left}, {used} bytes used, tmp/ "
                   f"{'empty' if os.path.isdir(tmp) and not os.listdir(tmp) else os.listdir(tmp) if os.path.isdir(tmp) else 'absent'}")
        check(left == [], f"files left on the full disk: {left}")
        check(used == 0, f"{used} bytes still used on the tmpfs")
        check(rd.hold_state(o["order_no"]) == "held", "the hold changed")

        # Two files: the first fits, the second finds the disk full; the
        # first one's temp file must go too.
        part = 700 * 1024
        two = [File(head + bytes([n]) * (part - len(head)), f"part{n}.png", "image/png") for n in (1, 2)]
        r = rd.submit(c, fields, two)
        stack.saw("two 700 KiB files (the second does not fit)", r)
        check(r.status == 507, f"expected 507, got {r!r}")
        rd.assert_unchanged(before, "after the second 507")
        check(_files(ev) == [] and _used(ev) == 0,
              f"left on the tmpfs: {_files(ev)}, {_used(ev)} bytes used")

        # The same form with a file that fits: filed, stored on the tmpfs.
        small = rd.png(o["order_no"] + "small")
        rid = rd.refund_id_of(rd.submit(c, fields, [File(small, "small.png", "image/png")]))
        row = rd.refund_row(rid)
        ev_rows = rd.db_count("evidence", f"refund_id = {row['id']}")
        check(ev_rows == 1, f"{ev_rows} evidence rows for the request that fit")
        check(len(_files(ev)) == 1 and not os.listdir(tmp), f"tmpfs holds {_files(ev)}")
        stack.note(f"then a {len(small)}-byte file: 303 to /refund/{rid} ({row['state']}), 1 evidence "
                   "row, 1 file on the tmpfs")
        stack.check_ledger()
    finally:
        if subprocess.run(["umount", ev], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", ev], capture_output=True)
