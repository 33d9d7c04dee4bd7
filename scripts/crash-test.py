#!/usr/bin/env python3
"""Crash safety (issue 15): the server killed with SIGKILL in the middle of a burst of writes
loses nothing it acknowledged and leaves nothing half-written.

For each store (`sqlite`, `postgres`; default both): start the debug server on a fresh store
with the demo data and the hall open; from CRASH_CLIENTS threads send CRASH_WRITES writes —
cases received by clerk01 (distinct applicants), acceptance reviews of some of them (each
issues a numbered notice), kiosk tickets on every queue of the district hall, online bookings
on a few small slots (many answered 409 `slot_full`) — and record every write answered 2xx.
CRASH_KILLS times, at a random point of the stream, SIGKILL the server, restart it on the same
store (same data dir: same audit key) and send the rest of the stream; stop it at the end.
(The writes cut off by a kill are not sent again: their outcome is unknown.) Then, querying
the store directly:
- every acknowledged case, notice, ticket and booking is there, as answered;
- every case, notice, ticket and booking has the audit record of its creation, and no such
  record names a row that does not exist;
- case numbers (per center and year), ticket numbers (per queue and day) and notice numbers
  (per unit, kind and year) are neither repeated nor skipped, and their counters agree;
- no slot holds more bookings than seats, and each slot's count matches its bookings;
- SQLite: `PRAGMA integrity_check` is ok;
- `server audit-verify` passes.

Usage: scripts/crash-test.py [sqlite|postgres …]. Needs the debug server
($CHUANGKOU_SERVER_BIN or $CARGO_TARGET_DIR/debug/server) and, for PostgreSQL, a server at
$CHUANGKOU_TEST_PG_URL. Loopback only; about a minute per store on a busy 2-core machine.
CRASH_SEED repeats a run's random choices (printed at the start).
"""

import collections
import os
import random
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blackbox as bb  # noqa: E402

WRITES = int(os.environ.get("CRASH_WRITES", "1000"))
KILLS = int(os.environ.get("CRASH_KILLS", "2"))
CLIENTS = int(os.environ.get("CRASH_CLIENTS", "8"))
SEED = int(os.environ.get("CRASH_SEED", str(random.randrange(1 << 30))))
CENTER = 1
# Small slots, so that bookings compete for the last seats.
SLOT_CAPACITY = 8
SLOT_RULES = 2
BOOKING_SLOTS = 16


class Ledger:
    """What the server answered: the acknowledged writes and every other outcome."""

    def __init__(self):
        self.lock = threading.Condition()
        self.acked = {"case": [], "ticket": [], "booking": [], "notice": []}
        self.outcomes = collections.Counter()
        self.unexpected = []
        # Writes whose answer the kill cut off (in flight, or refused while the server was down).
        self.cut_off = 0

    def ack(self, kind, record):
        with self.lock:
            self.acked[kind].append(record)
            self.outcomes[f"{kind} 2xx"] += 1
            self.lock.notify_all()

    def count(self):
        return sum(len(v) for v in self.acked.values())

    def other(self, kind, status, data, expected):
        code = (data or {}).get("code", "") if isinstance(data, dict) else ""
        with self.lock:
            self.outcomes[f"{kind} {status} {code}".strip()] += 1
            if not expected:
                self.unexpected.append(f"{kind}: {status} {code} {str(data)[:200]}")


def make_ops(n, first_k, rng):
    ops = []
    for i in range(n):
        r = rng.random()
        kind = ("case" if r < 0.3 else "review" if r < 0.42 else "ticket" if r < 0.72
                else "booking")
        ops.append((kind, first_k + i))
    return ops


class Reviewable:
    """Acknowledged cases of the reviewable item not reviewed yet: (id, version)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.cases = collections.deque()

    def put(self, case):
        with self.lock:
            self.cases.append(case)

    def take(self):
        with self.lock:
            return self.cases.popleft() if self.cases else None


def one_write(op, clerk, public, queues, slots, rng, ledger, reviewable):
    """Sends one write; raises OSError/HTTPException when the server is gone."""
    kind, k = op
    case = reviewable.take() if kind == "review" else None
    if kind == "review" and case is not None:
        status, data = clerk.call("POST", f"/api/v1/cases/{case[0]}/review",
                                  bb.review_body(case[1]))
        if status == 200:
            for n in data["notices"]:
                ledger.ack("notice", (n["id"], n["number"], n["case_id"]))
        else:
            ledger.other(kind, status, data, False)
    elif kind in ("case", "review"):
        # A review with no case to review receives one to review later.
        item = bb.REVIEWABLE_ITEM if kind == "review" or k % 2 else bb.ITEM
        body = bb.case_body(k, item)
        status, data = clerk.call("POST", "/api/v1/cases", body)
        if status == 201:
            s = data["summary"]
            ledger.ack("case", (s["id"], s["number"], body["applicant"]["id_number"]))
            if item == bb.REVIEWABLE_ITEM:
                reviewable.put((s["id"], s["version"]))
        else:
            ledger.other("case", status, data, False)
    elif kind == "ticket":
        status, data = public.call("POST", "/api/v1/public/queue-tickets",
                                   {"center_id": CENTER, "queue_id": rng.choice(queues)})
        if status == 201:
            ledger.ack("ticket", (data["id"], data["queue_id"], data["day"], data["number"]))
        else:
            ledger.other(kind, status, data, False)
    else:
        slot = rng.choice(slots)
        status, data = public.call("POST", "/api/v1/public/appointments", {
            "slot_id": slot, "item_code": bb.ITEM, "name": f"预约人{k}",
            "phone": bb.mobile(k, "15"),
        })
        if status == 201:
            ledger.ack("booking", (data["code"], data["slot"]["id"]))
        else:
            full = status == 409 and isinstance(data, dict) and data.get("code") == "slot_full"
            ledger.other(kind, status, data, full)


def burst(server, clerk_cookie, pending, queues, slots, ledger, reviewable, rng,
          kill_after=None):
    """Sends the writes of `pending` (a deque, consumed) from CLIENTS threads; with
    `kill_after`, SIGKILLs the server as soon as the ledger holds that many acknowledged writes
    and stops. Returns whether the kill happened; what was not sent stays in `pending`."""
    pending_lock = threading.Lock()
    killed = threading.Event()
    seeds = [rng.randrange(1 << 30) for _ in range(CLIENTS)]

    def worker(i):
        local = random.Random(seeds[i])
        clerk = bb.Client(server.base, clerk_cookie)
        public = bb.Client(server.base)
        while not killed.is_set():
            with pending_lock:
                if not pending:
                    break
                op = pending.popleft()
            try:
                one_write(op, clerk, public, queues, slots, local, ledger, reviewable)
            except Exception as e:  # noqa: BLE001 - the server gone, or a broken answer
                if killed.is_set() or not server.alive():
                    with ledger.lock:
                        ledger.cut_off += 1
                    break
                with ledger.lock:
                    ledger.unexpected.append(f"{op[0]}: {type(e).__name__}: {e}")
        clerk.close()
        public.close()
        with ledger.lock:
            ledger.lock.notify_all()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    if kill_after is not None:
        with ledger.lock:
            ledger.lock.wait_for(
                lambda: ledger.count() >= kill_after or not any(t.is_alive() for t in threads),
                timeout=150,
            )
        if ledger.count() >= kill_after and server.alive():
            killed.set()
            server.sigkill()
    for t in threads:
        t.join(timeout=120)
    return killed.is_set()


def run_store(kind, rng):
    bb.log(f"{kind}: fresh store, debug server {bb.server_bin()}")
    workdir = bb.temp_dir(f"crash-{kind}")
    store = bb.Store(kind, workdir)
    server = bb.Server(f"crash-{kind}", store, workdir).start()
    admin = bb.Client(server.base, bb.login(server.base, "admin"))
    slots = bb.add_slots(admin, CENTER, SLOT_RULES, SLOT_CAPACITY)
    slots = [s for s, _ in slots][:BOOKING_SLOTS]
    admin.close()
    queues = bb.queue_ids(bb.Client(server.base), CENTER)
    ledger = Ledger()
    reviewable = Reviewable()
    # Each kill at a random point of its share of the stream (counted in acknowledged writes).
    span = 0.6 * WRITES / KILLS
    kills = [rng.randrange(int(0.1 * WRITES + i * span), int(0.1 * WRITES + (i + 1) * span))
             for i in range(KILLS)]
    bb.log(f"{kind}: {WRITES} writes from {CLIENTS} clients ({len(queues)} queues, "
           f"{len(slots)} slots of {SLOT_CAPACITY} seats); SIGKILL after "
           f"{' and '.join(map(str, kills))} acknowledged writes, restart, go on")
    pending = collections.deque(make_ops(WRITES, 1000, rng))
    for kill_after in kills + [None]:
        clerk_cookie = bb.login(server.base, "clerk01")
        killed = burst(server, clerk_cookie, pending, queues, slots, ledger, reviewable, rng,
                       kill_after)
        if ledger.unexpected:
            raise bb.Failure(f"{kind}: unexpected answers: {bb.short(ledger.unexpected, 5)}\n"
                             f"{server.log_tail()}")
        if kill_after is None:
            break
        if not killed:
            raise bb.Failure(f"{kind}: the stream ended before the kill after {kill_after} "
                             f"acknowledged writes ({dict(ledger.outcomes)})")
        bb.log(f"{kind}: SIGKILL at {ledger.count()} acknowledged writes, {ledger.cut_off} "
               f"cut off so far, {len(pending)} to go; restarting on the same store")
        server.start()
    server.stop()
    bb.log(f"{kind}: outcomes {dict(sorted(ledger.outcomes.items()))}, {ledger.cut_off} cut "
           f"off by the kills")

    checks = bb.Checks()
    n_cases, n_tickets, n_bookings, full, n_notices = bb.check_store(store, ledger.acked, checks)
    rc, out = server.audit_verify()
    checks.expect(rc == 0, f"server audit-verify exited {rc}: {out}")
    bb.log(f"{kind}: store holds {n_cases} cases, {n_notices} notices, {n_tickets} tickets, "
           f"{n_bookings} bookings ({full} slots full); audit-verify: "
           f"{out.splitlines()[-1] if out else rc}")
    checks.done()


def main():
    stores = sys.argv[1:] or ["sqlite", "postgres"]
    bb.setup(150 * len(stores))
    bb.log(f"seed {SEED} (CRASH_SEED to repeat)")
    rng = random.Random(SEED)
    for kind in stores:
        run_store(kind, rng)


if __name__ == "__main__":
    bb.main(main)
