#!/usr/bin/env python3
"""Two instances on one PostgreSQL (issue 15).

Starts instances A and B of the debug server on one fresh database (one audit key and session
secret, as a deployment behind a load balancer has), then:
1. live events cross instances: an SSE client of B (anonymous, topic `queue`) sees each of
   TWO_CALLS tickets called on A; prints the delay's p50/p99 (fails above TWO_MAX_DELAY_MS);
2. a cut LISTEN connection is not silent: while tickets keep being taken on A, B's LISTEN
   backend is terminated (pg_terminate_backend) TWO_CUTS times; B must listen again, and
   every event B's subscriber missed must be covered by a `resync` it received after the
   missed write was sent (a resync before it cannot have told the subscriber to re-read it);
3. clerks on both instances receive and review cases (each review issues a numbered notice)
   and take tickets, all at once, in two centers (the hall's clerk01 and the town's clerk03,
   each on its center's own audit chain, issue 16): all acknowledged;
4. a clerk on A and a clerk on B review the same case version at once, TWO_REVIEW_RACES
   times: each time one 200 and one 409 `stale_version`;
5. TWO_BOOKERS citizens, half on A and half on B, book the single seat of a slot at once:
   exactly one 201, the rest 409 `slot_full` (or 503 when the server sheds load: reported),
   and the slot holds one booking;
then the store is checked as scripts/crash-test.py checks it (case, notice and ticket numbers
neither repeated nor skipped across instances, every row audited, no slot over capacity), and
`server audit-verify` passes on every chain both instances wrote (each chain's places 1..n
without a gap, receipts of each center on that center's chain).

Usage: scripts/two-instances.py. Needs the debug server ($CHUANGKOU_SERVER_BIN or
$CARGO_TARGET_DIR/debug/server) and PostgreSQL at $CHUANGKOU_TEST_PG_URL. Loopback only;
about a minute.
"""

import collections
import os
import secrets
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blackbox as bb  # noqa: E402

CALLS = int(os.environ.get("TWO_CALLS", "50"))
MAX_DELAY_MS = float(os.environ.get("TWO_MAX_DELAY_MS", "2000"))
CUTS = int(os.environ.get("TWO_CUTS", "3"))
RECEIPTS_PER_CLIENT = int(os.environ.get("TWO_RECEIPTS", "15"))
REVIEW_RACES = int(os.environ.get("TWO_REVIEW_RACES", "10"))
BOOKERS = int(os.environ.get("TWO_BOOKERS", "200"))
CLIENTS_PER_INSTANCE = 4
CENTER = 1
TOWN = 2
TOWN_ITEM = "640106-JF-0003"

LISTENERS = ("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
             "AND query ILIKE 'LISTEN%'")


def listen_pids(store):
    return {int(r[0]) for r in store.rows(LISTENERS)}


def wait_listener(store, others, timeout=15):
    """The pid of the one LISTEN backend that is not among `others` (B's, once it listens)."""
    deadline = time.monotonic() + timeout
    new = set()
    while time.monotonic() < deadline:
        new = listen_pids(store) - others
        if len(new) == 1:
            return new.pop()
        # None yet, or a terminated backend not yet gone next to its successor.
        time.sleep(0.05)
    if new:
        raise bb.Failure(f"several LISTEN backends besides A's: {sorted(new)}")
    return None


def is_ticket(ticket_id):
    return lambda name, data: name == "queue" and isinstance(data, dict) \
        and data.get("id") == ticket_id


def outcome(status, data):
    """`201`, or `409 slot_full`: the status and, for a refusal, its code."""
    code = data.get("code", "") if status >= 400 and isinstance(data, dict) else ""
    return f"{status} {code}".strip()


def live_delay(a, b, clerk, sse, checks):
    """Part 1: tickets called on A, their events on B."""
    me = clerk.ok("GET", "/api/v1/auth/me")
    window = me["staff"]["window_ids"][0]
    queue = bb.queue_ids(clerk, CENTER)[0]
    public = bb.Client(a.base)
    delays, lost, seen = [], 0, 0
    for _ in range(CALLS):
        t = public.ok("POST", "/api/v1/public/queue-tickets",
                      {"center_id": CENTER, "queue_id": queue})
        _, seen = sse.wait_for(is_ticket(t["id"]), seen, timeout=5)
        t0 = time.perf_counter()
        called = clerk.ok("POST", "/api/v1/queue/call-next", {"window_id": window})
        if called["id"] != t["id"]:
            raise bb.Failure(f"called ticket {called['id']}, expected {t['id']}")
        arrived, seen = sse.wait_for(is_ticket(t["id"]), seen, timeout=5)
        if arrived is None:
            lost += 1
        else:
            delays.append((arrived - t0) * 1000)
        for step in ("start", "finish"):
            called = clerk.ok("POST", f"/api/v1/queue-tickets/{t['id']}/{step}",
                              {"version": called["version"]})
    public.close()
    resyncs = [e for e in sse.snapshot() if e[1] == "resync"]
    checks.expect(lost == 0, f"{lost} of {CALLS} calls on A never reached B's subscriber "
                             f"({len(resyncs)} resyncs)")
    if not delays:
        raise bb.Failure("no call made on A reached the SSE client of B")
    p50, p99 = bb.percentile(delays, 50), bb.percentile(delays, 99)
    bb.log(f"live events A → B: {len(delays)} calls, delay from sending the call to the event "
           f"at B: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(delays):.1f} ms")
    checks.expect(p99 <= MAX_DELAY_MS, f"event delay p99 {p99:.1f} ms > {MAX_DELAY_MS} ms")


def listen_cut(a, b, store, a_listeners, checks):
    """Part 2: B's LISTEN backend terminated under a stream of tickets taken on A."""
    sse = bb.SseClient(b.base, "/api/v1/events?topics=queue")
    sse.start()
    time.sleep(0.3)
    queues = bb.queue_ids(bb.Client(a.base), CENTER)
    sent = []  # (sent at, answered at, ticket id)
    stop = threading.Event()

    def produce():
        public = bb.Client(a.base)
        i = 0
        while not stop.is_set():
            t0 = time.perf_counter()
            t = public.ok("POST", "/api/v1/public/queue-tickets",
                          {"center_id": CENTER, "queue_id": queues[i % len(queues)]})
            sent.append((t0, time.perf_counter(), t["id"]))
            i += 1
            time.sleep(0.01)
        public.close()

    errors = []

    def guarded():
        try:
            produce()
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    producer = threading.Thread(target=guarded, daemon=True)
    producer.start()
    cuts = []
    for n in range(CUTS):
        time.sleep(0.6)
        pid = wait_listener(store, a_listeners)
        if pid is None:
            checks.expect(False, f"B does not listen again (before cut {n + 1})")
            break
        at = time.perf_counter()
        killed = bb.psql(store.psql_url, f"SELECT pg_terminate_backend({pid})")
        cuts.append((at, pid, killed[0][0]))
        bb.log(f"  cut {n + 1}: terminated B's LISTEN backend {pid}")
    time.sleep(0.6)
    stop.set()
    producer.join(timeout=30)
    if errors:
        raise bb.Failure(f"taking tickets on A during the cuts: {errors[0]}")
    listening = wait_listener(store, a_listeners)
    checks.expect(listening is not None, "B does not listen again after the last cut")
    # After the cuts, a last ticket must reach B: the instance listens again.
    t = bb.Client(a.base).ok("POST", "/api/v1/public/queue-tickets",
                             {"center_id": CENTER, "queue_id": queues[0]})
    arrived, _ = sse.wait_for(is_ticket(t["id"]), 0, timeout=5)
    checks.expect(arrived is not None, "after the cuts, B's subscriber gets no event any more")
    time.sleep(0.5)
    events = sse.snapshot()
    sse.close()
    seen = {d.get("id") for _, name, d in events if name == "queue" and isinstance(d, dict)}
    resyncs = [at for at, name, _ in events if name == "resync"]
    missed = [(s0, s1, tid) for s0, s1, tid in sent if tid not in seen]
    # A missed event is covered by a resync that reached the subscriber after the write was
    # sent: the re-read it triggers may see the write. One that came earlier cannot.
    uncovered = [(s0, tid) for s0, _, tid in missed if not any(at > s0 for at in resyncs)]
    first_cut = cuts[0][0] if cuts else 0
    bb.log(f"LISTEN cut ×{len(cuts)}: {len(sent)} tickets taken on A, {len(missed)} events "
           f"missed by B's subscriber, {len(resyncs)} resyncs (at "
           f"{', '.join(f'{(r - first_cut) * 1000:+.0f}' for r in resyncs)} ms after the "
           f"first cut)")
    if uncovered:
        detail = ", ".join(f"ticket {tid} sent {(s0 - first_cut) * 1000:+.0f} ms"
                           for s0, tid in uncovered[:6])
        checks.expect(False, f"{len(uncovered)} events lost by B's subscriber with no resync "
                             f"after them ({detail}; relative to the first cut at "
                             f"{', '.join(f'{(c[0] - first_cut) * 1000:+.0f}' for c in cuts)} "
                             f"ms)")


def concurrent_receipts(a, b, checks):
    """Part 3: cases received, reviewed (a notice each) and tickets taken on both instances at
    once."""
    acked = {"case": [], "ticket": [], "booking": [], "notice": []}
    problems = []
    lock = threading.Lock()
    cookies = {(base, who): bb.login(base, who)
               for base in (a.base, b.base) for who in ("clerk01", "clerk03")}
    queues = bb.queue_ids(bb.Client(a.base), CENTER)
    barrier = threading.Barrier(2 * CLIENTS_PER_INSTANCE)

    def expect(what, base, status, data, wanted):
        if status != wanted:
            with lock:
                problems.append(f"{what} on {base}: {status} {str(data)[:200]}")
            return False
        return True

    def worker(base, n):
        # Every other worker receives at the town center: two centers' chains at once.
        town = n % 4 >= 2
        clerk = bb.Client(base, cookies[(base, "clerk03" if town else "clerk01")])
        public = bb.Client(base)
        barrier.wait()
        for i in range(RECEIPTS_PER_CLIENT):
            k = 500000 + n * 1000 + i
            item = TOWN_ITEM if town else bb.REVIEWABLE_ITEM if i % 2 else bb.ITEM
            body = bb.case_body(k, item)
            try:
                status, data = clerk.call("POST", "/api/v1/cases", body)
                if expect("case", base, status, data, 201):
                    s = data["summary"]
                    with lock:
                        acked["case"].append((s["id"], s["number"],
                                              body["applicant"]["id_number"]))
                    if item == bb.REVIEWABLE_ITEM:
                        status, data = clerk.call("POST", f"/api/v1/cases/{s['id']}/review",
                                                  bb.review_body(s["version"]))
                        if expect("review", base, status, data, 200):
                            with lock:
                                acked["notice"].extend((x["id"], x["number"], x["case_id"])
                                                       for x in data["notices"])
                status, data = public.call("POST", "/api/v1/public/queue-tickets", {
                    "center_id": CENTER, "queue_id": queues[(n + i) % len(queues)]})
                if expect("ticket", base, status, data, 201):
                    with lock:
                        acked["ticket"].append((data["id"], data["queue_id"], data["day"],
                                                data["number"]))
            except Exception as e:  # noqa: BLE001
                with lock:
                    problems.append(f"on {base}: {type(e).__name__}: {e}")
        clerk.close()
        public.close()

    threads = [threading.Thread(target=worker, args=(base, n), daemon=True)
               for n, base in enumerate([a.base, b.base] * CLIENTS_PER_INSTANCE)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    bb.log(f"concurrent writes on A and B: {len(acked['case'])} cases, {len(acked['notice'])} "
           f"notices and {len(acked['ticket'])} tickets acknowledged in "
           f"{time.perf_counter() - t0:.1f} s")
    checks.expect(not problems, f"{len(problems)} writes refused: {bb.short(problems, 4)}")
    return acked


def review_race(a, b, checks, acked):
    """Part 4: a clerk on A and a clerk on B review the same version of a case at once: one
    review wins, the other is 409 `stale_version`."""
    clerks = [bb.Client(a.base, bb.login(a.base, "clerk01")),
              bb.Client(b.base, bb.login(b.base, "clerk01"))]
    outcomes = collections.Counter()
    cases = []
    for r in range(REVIEW_RACES):
        body = bb.case_body(700000 + r, bb.REVIEWABLE_ITEM)
        s = clerks[r % 2].ok("POST", "/api/v1/cases", body)["summary"]
        acked["case"].append((s["id"], s["number"], body["applicant"]["id_number"]))
        cases.append(s)
    # The two demo clocks differ by B's start-up time (not a real deployment's clock skew):
    # no review before the receipt on the other instance's clock.
    time.sleep(1)
    for s in cases:
        barrier = threading.Barrier(2)
        answers = [None, None]

        def review(i):
            barrier.wait()
            answers[i] = clerks[i].call("POST", f"/api/v1/cases/{s['id']}/review",
                                        bb.review_body(s["version"]))

        racers = [threading.Thread(target=review, args=(i,), daemon=True) for i in (0, 1)]
        for t in racers:
            t.start()
        for t in racers:
            t.join(timeout=60)
        statuses = sorted(outcome(st, d) for st, d in answers)
        outcomes[" + ".join(statuses)] += 1
        for st, d in answers:
            if st == 200:
                acked["notice"].extend((x["id"], x["number"], x["case_id"]) for x in d["notices"])
    for c in clerks:
        c.close()
    bb.log(f"review race, one case version reviewed on A and on B at once ×{REVIEW_RACES}: "
           f"{dict(outcomes)}")
    checks.expect(set(outcomes) == {"200 + 409 stale_version"},
                  f"two reviews of one version: {dict(outcomes)} (expected one 200 and one "
                  f"409 stale_version each time)")


def booking_race(a, b, checks, acked):
    """Part 5: BOOKERS citizens, half on A and half on B, book the one seat of a slot at once:
    exactly one booking."""
    admin = bb.Client(a.base, bb.login(a.base, "admin"))
    slot = bb.add_slots(admin, CENTER, 1, 1)[-1][0]
    admin.close()
    clients = [bb.Client(base) for base in [a.base, b.base] * (BOOKERS // 2)]
    for c in clients:
        c.connect()
    barrier = threading.Barrier(len(clients) + 1)
    answers = [None] * len(clients)

    def book(i):
        barrier.wait()
        try:
            answers[i] = clients[i].call("POST", "/api/v1/public/appointments", {
                "slot_id": slot, "item_code": bb.ITEM, "name": f"抢号人{i}",
                "phone": bb.mobile(800000 + i, "18")})
        except Exception as e:  # noqa: BLE001
            answers[i] = (0, {"code": type(e).__name__})

    threads = [threading.Thread(target=book, args=(i,), daemon=True)
               for i in range(len(clients))]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join(timeout=120)
    settled = time.perf_counter() - t0
    for c in clients:
        c.close()
    outcomes = collections.Counter(outcome(st, d) for st, d in answers)
    for st, d in answers:
        if st == 201:
            acked["booking"].append((d["code"], d["slot"]["id"]))
    bb.log(f"booking race, {len(clients)} bookers on A and B for one seat: {dict(outcomes)}, "
           f"settled in {settled * 1000:.0f} ms")
    # 503 `service_unavailable` is the server shedding load (no pool connection within 5 s):
    # an honest "try again", seen on a busy 2-core machine with a debug build. It is reported,
    # not failed; a second booking or any other answer fails.
    shed = outcomes.get("503 service_unavailable", 0)
    if shed:
        bb.log(f"  note: {shed} bookers were answered 503 (load shed), not 409")
    checks.expect(outcomes.get("201") == 1
                  and outcomes.get("409 slot_full", 0) + shed == len(clients) - 1,
                  f"{len(clients)} bookers for one seat: {dict(outcomes)} (expected one 201, "
                  f"the rest 409 slot_full or 503 service_unavailable)")
    return slot


def main():
    bb.setup(170)
    workdir = bb.temp_dir("two")
    store = bb.Store("postgres", workdir)
    keys = {"CHUANGKOU_AUDIT_KEY": secrets.token_hex(32),
            "CHUANGKOU_SESSION_SECRET": secrets.token_hex(32)}
    a = bb.Server("two-a", store, workdir, keys).start()
    a_listeners = listen_pids(store)
    if len(a_listeners) != 1:
        raise bb.Failure(f"instance A has {len(a_listeners)} LISTEN backends")
    # B's demo clock shows A's time (each instance's clock starts when it starts).
    b = bb.Server("two-b", store, workdir, keys).start(clock=a.now())
    if wait_listener(store, a_listeners) is None:
        raise bb.Failure("instance B never listened")
    bb.log(f"A at {a.base}, B at {b.base}, one database {store.name}")
    checks = bb.Checks()

    sse = bb.SseClient(b.base, "/api/v1/events?topics=queue")
    sse.start()
    time.sleep(0.3)
    clerk = bb.Client(a.base, bb.login(a.base, "clerk01"))
    live_delay(a, b, clerk, sse, checks)
    sse.close()
    clerk.close()

    listen_cut(a, b, store, a_listeners, checks)
    acked = concurrent_receipts(a, b, checks)
    review_race(a, b, checks, acked)
    slot = booking_race(a, b, checks, acked)
    a.stop()
    b.stop()
    n_cases, n_tickets, n_bookings, _, n_notices = bb.check_store(store, acked, checks)
    booked = store.rows(f"SELECT booked, (SELECT COUNT(*) FROM appointment WHERE slot_id = {slot})"
                        f" FROM appointment_slot WHERE id = {slot}")
    checks.expect(booked == [("1", "1")], f"the raced slot holds {booked} (booked, bookings)")
    rc, out = a.audit_verify()
    checks.expect(rc == 0, f"server audit-verify exited {rc}: {out}")
    # Issue 16: one chain per center; each chain's places run 1..n, receipts on their center's.
    chains = store.rows("SELECT h.chain_id, h.last_seq, COUNT(r.id), MIN(r.seq), MAX(r.seq) "
                        "FROM audit_chain h LEFT JOIN audit_record r ON r.chain_id = h.chain_id "
                        "GROUP BY h.chain_id, h.last_seq ORDER BY h.chain_id")
    for chain, last, count, low, high in chains:
        checks.expect(last == count and (count == "0" or (low == "1" and high == last)),
                      f"audit chain {chain}: head at {last}, {count} records, seq {low}..{high}")
    misplaced = store.rows("SELECT COUNT(*) FROM audit_record r JOIN cases c "
                           "ON r.entity = 'case' AND r.entity_id = CAST(c.id AS TEXT) "
                           "WHERE r.action = 'case.receive' AND r.chain_id <> c.center_id")
    checks.expect(misplaced == [("0",)], f"receipts outside their center's chain: {misplaced}")
    checks.expect({c[0] for c in chains} >= {"0", str(CENTER), str(TOWN)},
                  f"chains written: {[c[0] for c in chains]}")
    bb.log("audit chains (chain, records): " + ", ".join(f"{c[0]}: {c[2]}" for c in chains))
    bb.log(f"store holds {n_cases} cases, {n_notices} notices, {n_tickets} tickets, "
           f"{n_bookings} bookings; audit-verify: {out.splitlines()[-1] if out else rc}")
    for s in (a, b):
        warnings = [line for line in open(s.log_path, encoding="utf-8", errors="replace")
                    if "event listener" in line]
        bb.log(f"{s.name} log: {len(warnings)} event listener warnings"
               + (f", e.g. {warnings[0].strip()[:160]}" if warnings else ""))
    checks.done()


if __name__ == "__main__":
    bb.main(main)
