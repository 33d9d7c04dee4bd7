#!/usr/bin/env python3
"""Helpers of bench/run (standard library only): sign in, prepare booking slots, the booking
race, live events across two instances, row counts, and the final Markdown table.

Every subcommand prints what bench/run needs on stdout (one value or `KEY value` lines) and
fails loudly (non-zero exit, message on stderr) when the server answers something unexpected.
"""

import http.client
import json
import re
import sqlite3
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit


def fail(message):
    print(f"bench/tools.py: {message}", file=sys.stderr)
    sys.exit(1)


def connect(base):
    u = urlsplit(base)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=60)


def call(base, method, path, body=None, cookie=None, expect=(200, 201)):
    """One request; returns (status, parsed JSON or None, headers)."""
    conn = connect(base)
    headers = {"Accept": "application/json"}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if cookie:
        headers["Cookie"] = cookie
    conn.request(method, path, body=payload, headers=headers)
    r = conn.getresponse()
    raw = r.read()
    conn.close()
    data = json.loads(raw) if raw and raw[:1] in (b"{", b"[") else None
    if expect and r.status not in expect:
        fail(f"{method} {path}: {r.status} {raw[:300]!r}")
    return r.status, data, r.headers


def login(base, user, password):
    """Prints the Cookie header value of a new session."""
    _, _, headers = call(
        base, "POST", "/api/v1/auth/login", {"staff_number": user, "password": password},
        expect=(200,),
    )
    cookies = [c.split(";", 1)[0] for c in headers.get_all("Set-Cookie") or []]
    if not cookies:
        fail("login answered no session cookie")
    return "; ".join(cookies)


def cmd_login(base, user, password):
    print(login(base, user, password))


def cmd_wait(base, seconds):
    """Waits until the server answers its health check."""
    deadline = time.time() + float(seconds)
    while time.time() < deadline:
        try:
            status, _, _ = call(base, "GET", "/api/v1/health", expect=None)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    fail(f"{base} did not answer /api/v1/health within {seconds} s")


def cmd_queue(base, center):
    """Prints the id of the center's first queue (the kiosk's queue A); fails if closed."""
    _, data, _ = call(base, "GET", f"/api/v1/public/queues?center={center}")
    if not data["open_for_tickets"]:
        fail(f"the hall is not open for tickets: {data.get('closed_reason')}")
    print(data["queues"][0]["id"])


def slot_rule(name, start, end, capacity):
    return {
        "center_id": 0, "unit_id": None, "name": name, "weekdays": [1, 2, 3, 4, 5, 6, 7],
        "item_codes": [], "start_time": start, "end_time": end, "capacity": capacity,
        "duty_staff_ids": [],
    }


def open_slots(base, center, item):
    """Every bookable slot of the booking window for `item` (this materialises them)."""
    _, days, _ = call(base, "GET", f"/api/v1/public/appointment-days?center={center}&item={item}")
    slots = []
    for day in days["days"]:
        _, data, _ = call(
            base, "GET",
            f"/api/v1/public/appointment-slots?center={center}&item={item}&date={day['date']}",
        )
        slots.extend(data["slots"])
    return slots


def cmd_booking_setup(base, admin_cookie, center, item, rules):
    """Adds `rules` slot rules of 500 seats every day (the demo's few seats would run out in a
    second) and one rule of a single seat for the race. Prints `SLOTS id,id,…` (500-seat slots)
    and `RACE_SLOT id`."""
    center = int(center)
    for i in range(int(rules)):
        rule = slot_rule(f"压测{i + 1}", f"{19 + i % 3:02}:{(i // 3) * 10:02}:00", "21:50:00", 500)
        rule["center_id"] = center
        call(base, "POST", "/api/v1/slot-rules", rule, cookie=admin_cookie)
    race = slot_rule("抢号", "21:55:00", "22:00:00", 1)
    race["center_id"] = center
    call(base, "POST", "/api/v1/slot-rules", race, cookie=admin_cookie)
    slots = open_slots(base, center, item)
    big = [s["id"] for s in slots if s["capacity"] == 500 and s["remaining"] == 500]
    single = [s["id"] for s in slots if s["capacity"] == 1 and s["remaining"] == 1]
    if not big or not single:
        fail(f"no bookable bench slots found ({len(slots)} slots)")
    print("SLOTS " + ",".join(str(i) for i in big))
    print(f"RACE_SLOT {single[-1]}")


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def cmd_race(base, slot, item, bookers):
    """`bookers` simultaneous bookings of one single-seat slot, distinct phones, one connection
    each, released together. Prints statuses, time to settle (first send to last answer) and
    latency percentiles; exactly one 201 is the correct outcome."""
    n = int(bookers)
    u = urlsplit(base)
    conns = []
    for _ in range(n):
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        c.connect()
        conns.append(c)
    barrier = threading.Barrier(n + 1)
    results = [None] * n

    def book(i):
        body = json.dumps({
            "slot_id": int(slot), "item_code": item, "name": f"抢号人{i}",
            "phone": f"137{i:08d}",
        }).encode()
        barrier.wait()
        t0 = time.perf_counter()
        try:
            conns[i].request("POST", "/api/v1/public/appointments", body=body,
                             headers={"Content-Type": "application/json"})
            r = conns[i].getresponse()
            raw = r.read()
            code = ""
            if r.status >= 400:
                try:
                    code = json.loads(raw).get("code", "")
                except ValueError:
                    pass
            results[i] = (t0, time.perf_counter(), r.status, code)
        except OSError as e:
            results[i] = (t0, time.perf_counter(), 0, type(e).__name__)

    workers = [threading.Thread(target=book, args=(i,)) for i in range(n)]
    for w in workers:
        w.start()
    barrier.wait()
    for w in workers:
        w.join()
    for c in conns:
        c.close()
    start = min(r[0] for r in results)
    settle = max(r[1] for r in results) - start
    # The client's own spread: how long after the first request the last one was sent.
    spread = max(r[0] for r in results) - start
    latencies = [(r[1] - r[0]) * 1000 for r in results]
    statuses = {}
    for r in results:
        key = f"{r[2]}{':' + r[3] if r[3] else ''}"
        statuses[key] = statuses.get(key, 0) + 1
    booked = sum(1 for r in results if r[2] == 201)
    print(f"RACE booked={booked} settle_ms={settle * 1000:.1f} send_spread_ms={spread * 1000:.1f} "
          f"p50_ms={percentile(latencies, 50):.1f} p99_ms={percentile(latencies, 99):.1f} "
          f"statuses={json.dumps(statuses, separators=(',', ':'))}")


class SseReader(threading.Thread):
    """Reads an SSE stream and keeps (arrival time, event) pairs."""

    def __init__(self, base, path):
        super().__init__(daemon=True)
        self.conn = connect(base)
        self.conn.request("GET", path, headers={"Accept": "text/event-stream"})
        self.response = self.conn.getresponse()
        if self.response.status != 200:
            fail(f"SSE {path}: {self.response.status}")
        self.events = []
        self.cond = threading.Condition()

    def run(self):
        while True:
            line = self.response.fp.readline()
            if not line:
                return
            if line.startswith(b"data:"):
                now = time.perf_counter()
                try:
                    event = json.loads(line[5:].strip())
                except ValueError:
                    continue
                with self.cond:
                    self.events.append((now, event))
                    self.cond.notify_all()

    def wait_for(self, since_index, ticket_id, timeout=10.0):
        """The arrival time of the first event about `ticket_id` after `since_index`."""
        deadline = time.perf_counter() + timeout
        with self.cond:
            while True:
                for at, event in self.events[since_index:]:
                    if event.get("id") == ticket_id:
                        return at, len(self.events)
                left = deadline - time.perf_counter()
                if left <= 0:
                    return None, len(self.events)
                self.cond.wait(left)


def cmd_events(base_a, base_b, clerk_cookie_a, center, calls):
    """A clerk on instance A calls the next ticket `calls` times; an SSE client of instance B
    waits for each call's event. Prints the delay from sending the call to the event's arrival
    at B, and the same measured from A's answer (negative: the event came first)."""
    _, me, _ = call(base_a, "GET", "/api/v1/auth/me", cookie=clerk_cookie_a)
    window = me["staff"]["window_ids"][0]
    _, queues, _ = call(base_a, "GET", f"/api/v1/public/queues?center={center}")
    queue = queues["queues"][0]["id"]
    reader = SseReader(base_b, "/api/v1/events?topics=queue")
    reader.start()
    time.sleep(0.3)
    seen = 0
    from_send, from_answer, lost = [], [], 0
    for _ in range(int(calls)):
        _, t, _ = call(base_a, "POST", "/api/v1/public/queue-tickets",
                       {"center_id": int(center), "queue_id": queue})
        _, seen = reader.wait_for(seen, t["id"])
        t0 = time.perf_counter()
        _, called, _ = call(base_a, "POST", "/api/v1/queue/call-next", {"window_id": window},
                            cookie=clerk_cookie_a)
        t1 = time.perf_counter()
        if called["id"] != t["id"]:
            fail(f"called ticket {called['id']}, expected {t['id']}")
        arrived, seen = reader.wait_for(seen, t["id"])
        if arrived is None:
            lost += 1
        else:
            from_send.append((arrived - t0) * 1000)
            from_answer.append((arrived - t1) * 1000)
        for step in ("start", "finish"):
            _, called, _ = call(base_a, "POST", f"/api/v1/queue-tickets/{t['id']}/{step}",
                                {"version": called["version"]}, cookie=clerk_cookie_a)
            _, seen = reader.wait_for(seen, t["id"])
    if not from_send:
        fail("no call event reached instance B")
    print(f"EVENTS n={len(from_send)} lost={lost} p50_ms={percentile(from_send, 50):.2f} "
          f"p99_ms={percentile(from_send, 99):.2f} max_ms={max(from_send):.2f} "
          f"after_answer_p50_ms={statistics.median(from_answer):.2f} "
          f"after_answer_p99_ms={percentile(from_answer, 99):.2f}")


def cmd_count_sqlite(path, table):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    print(db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])


# --- the table --------------------------------------------------------------------------------

def parse_results(path):
    records = []
    for line in open(path, encoding="utf-8"):
        words = line.split()
        if not words:
            continue
        fields = {}
        for w in words[1:]:
            if "=" in w:
                k, v = w.split("=", 1)
                fields[k] = v
        records.append((words[0], fields))
    return records


def num(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def fmt_rps(v):
    return f"{v:,.0f} req/s"


def fmt_us(us):
    if us is None:
        return "—"
    if us >= 1_000_000:
        return f"{us / 1e6:.2f} s"
    if us >= 10_000:
        return f"{us / 1e3:.0f} ms"
    return f"{us / 1e3:.1f} ms"


def median_of(runs, key):
    values = [num(r.get(key)) for r in runs]
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def checks_of(runs):
    """Non-2xx answers and rows against 2xx answers, over all runs of one configuration."""
    bad = sum(int(r.get("non2xx_all", 0)) + int(r.get("sock_errors", 0)) for r in runs)
    problems = []
    for r in runs:
        rows, acks, conns = int(r["rows"]), int(r["acks"]), int(r["conns"])
        # Requests in flight when wrk stops still commit: up to one per connection per wrk run.
        if rows < acks or rows > acks + 2 * conns:
            problems.append(f"rows {rows:,} vs 2xx {acks:,}")
    acks = sum(int(r["acks"]) for r in runs)
    text = f"{acks:,} × 2xx" if not bad else f"**{bad:,} non-2xx/errors**, {acks:,} × 2xx"
    text += "; rows match" if not problems else "; **" + "; ".join(problems) + "**"
    return text


STORE_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def cmd_table(path):
    records = parse_results(path)
    meta = next((f for k, f in records if k == "meta"), {})
    machine = next((f for k, f in records if k == "machine"), {})
    loads = []
    for kind, f in records:
        for key in ("load0", "load1", "load_start", "load_end"):
            if num(f.get(key)) is not None:
                loads.append(num(f[key]))
    rows = []

    def row(*cells):
        rows.append("| " + " | ".join(cells) + " |")

    receive = [f for k, f in records if k == "receive"]
    for store in ("sqlite", "postgres"):
        for conns in sorted({int(f["conns"]) for f in receive if f["store"] == store}):
            runs = [f for f in receive if f["store"] == store and int(f["conns"]) == conns]
            product = [f for f in runs if f["target"] == "product"]
            pairs = (
                [("ceiling-full", "SQLite, both `synchronous=FULL`"),
                 ("ceiling-normal", "SQLite, product FULL, ceiling NORMAL (reference)")]
                if store == "sqlite" else [("ceiling", "PostgreSQL")]
            )
            for target, label in pairs:
                ceiling = [f for f in runs if f["target"] == target]
                if not product or not ceiling:
                    continue
                p_rps, c_rps = median_of(product, "rps"), median_of(ceiling, "rps")
                p_p99, c_p99 = median_of(product, "p99_us"), median_of(ceiling, "p99_us")
                thr, lat = p_rps / c_rps, p_p99 / c_p99
                reference = target == "ceiling-normal"
                thr_s = f"{thr:.3f}×" + ("" if reference else (" ✓" if thr >= 0.5 else " ✗"))
                lat_s = f"{lat:.2f}×" + ("" if reference else (" ✓" if lat <= 2 else " ✗"))
                row("Receive a case (`POST /api/v1/cases`)", label, str(conns),
                    fmt_rps(p_rps), fmt_us(median_of(product, "p50_us")), fmt_us(p_p99),
                    f"{fmt_rps(c_rps)}, p99 {fmt_us(c_p99)}", thr_s, lat_s,
                    "product " + checks_of(product) + "; ceiling " + checks_of(ceiling))
    pairs = [f for k, f in records if k == "receive2"]
    for conns in sorted({int(f["conns"]) for f in pairs}):
        one = [f for f in pairs if int(f["conns"]) == conns and f["instances"] == "1"]
        two = [f for f in pairs if int(f["conns"]) == conns and f["instances"] == "2"]
        if not one or not two:
            continue
        o_rps, t_rps = median_of(one, "rps"), median_of(two, "rps")
        ratio = t_rps / o_rps
        verified = all(f.get("verify") == "ok" for f in two)
        row("Receive a case, two instances (cores 0 and 1) vs one (core 0)",
            "PostgreSQL", str(conns), f"{fmt_rps(t_rps)} (two)",
            "—", fmt_us(median_of(two, "p99_us")), f"one instance: {fmt_rps(o_rps)}",
            f"{ratio:.2f}× one instance" + (" ✓" if ratio >= 1.6 else " ✗") + " (≥ 1.6)", "—",
            "two: " + checks_of(two) + "; one: " + checks_of(one) + "; audit-verify "
            + ("passed" if verified else "**failed**"))
    for kind, label in (("ticket", "Take a ticket (`POST /api/v1/public/queue-tickets`)"),
                        ("booking", "Book a slot (`POST /api/v1/public/appointments`)")):
        runs = [f for k, f in records if k == kind]
        for store in ("sqlite", "postgres"):
            for conns in sorted({int(f["conns"]) for f in runs if f["store"] == store}):
                sel = [f for f in runs if f["store"] == store and int(f["conns"]) == conns]
                row(label, STORE_NAMES[store], str(conns), fmt_rps(median_of(sel, "rps")),
                    fmt_us(median_of(sel, "p50_us")), fmt_us(median_of(sel, "p99_us")),
                    "—", "—", "—", checks_of(sel))
    for kind, f in records:
        if kind == "page":
            p99_ms = num(f.get("p99_us")) / 1000
            verdict = " ✓" if p99_ms <= 25 else " ✗"
            row(f"A 50-case page (`GET /api/v1/cases?scope=all&limit=50`, super01) on "
                f"{int(f['cases']):,} cases", STORE_NAMES[f["store"]], f["conns"],
                fmt_rps(num(f["rps"])), fmt_us(num(f["p50_us"])),
                fmt_us(num(f["p99_us"])) + verdict, "—", "—", "—",
                f"target p99 ≤ 25 ms; {int(f['acks']):,} × 2xx, "
                f"{int(f['non2xx_all']) + int(f['sock_errors']):,} non-2xx/errors; "
                f"{f['items']} items per page")
        elif kind == "race":
            statuses = json.loads(f.get("statuses", "{}"))
            detail = ", ".join(f"{n} × {s}" for s, n in sorted(statuses.items()))
            ok = f["booked"] == "1" and f.get("rows") == "1"
            verdict = "exactly one booked ✓" if ok else "**not exactly one booked ✗**"
            row("Booking race: 200 bookers, one seat", STORE_NAMES[f["store"]], "200",
                f"settled in {float(f['settle_ms']):,.0f} ms", f"{float(f['p50_ms']):.0f} ms",
                f"{float(f['p99_ms']):.0f} ms", "—", "—", "—",
                f"{verdict} ({detail}; {f.get('rows')} row); the last request left the "
                f"client {float(f.get('send_spread_ms', 'nan')):,.0f} ms after the first")
        elif kind == "events":
            p99 = float(f["p99_ms"])
            row("Live event across instances: call on A → SSE client on B",
                "PostgreSQL, 2 instances", "1",
                f"{f['n']} calls, {f['lost']} lost", f"{float(f['p50_ms']):.1f} ms",
                f"{p99:.1f} ms" + (" ✓" if p99 < 500 else " ✗"), "—", "—", "target p99 < 500 ms",
                f"from sending the call; after A's answer: p50 "
                f"{float(f['after_answer_p50_ms']):.2f} ms, p99 "
                f"{float(f['after_answer_p99_ms']):.2f} ms")
        elif kind == "calendar":
            low, mean, high = (t.replace("_", " ") for t in _triples(f["times"]))
            row("1,000,000 `add_working_days` (criterion)", "—", "—", f"{mean}", "—", "—", "—",
                "—", "target < 200 ms", f"criterion [{low} {mean} {high}]")
        elif kind == "wasm":
            gz, raw = int(f["gzip"]), int(f["raw"])
            row("Browser bundle (`bench/wasm-size`)", "—", "—", f"{gz / 1024:,.1f} KiB gzip -9",
                "—", "—", "—", "—", "—", f"{raw:,} B raw")
    cpu = machine.get("cpu", "?").replace("_", " ")
    load = f"{min(loads):.1f}–{max(loads):.1f}" if loads else "?"
    print(f"`bench/run` at {meta.get('commit', '?')}, {meta.get('date', '?')}; "
          f"{meta.get('cpus', '?')} × {cpu} (kernel {machine.get('kernel', '?')}), "
          f"PostgreSQL {machine.get('postgres', '?')}, wrk {machine.get('wrk', '?')} "
          f"(`-t{meta.get('threads', '?')} -d{meta.get('seconds', '?')}s` after a "
          f"{meta.get('warmup', '?')} s warm-up, same machine, loopback; PostgreSQL "
          f"`sslmode={meta.get('pg_sslmode', 'prefer')}`); server profile "
          f"`{meta.get('profile', '?')}`; medians of {meta.get('rounds', '?')} alternating "
          f"rounds for the receive rows, fresh database per run; 1-minute load average "
          f"{load} during the run.")
    print()
    print("| measure | store | conns | result | p50 | p99 | ceiling, same run | "
          "throughput ratio (≥ 0.5) | p99 ratio (≤ 2) | checks |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(r)


def _triples(times):
    """criterion's `low_unit_mean_unit_high_unit` → three 'value unit' strings."""
    parts = times.split("_")
    return [f"{parts[i]}_{parts[i + 1]}" for i in range(0, 6, 2)]


# --- the profile's summary ---------------------------------------------------------------------

# Inclusive costs: a sample counts for a line when any frame of its stack matches.
FLAME_INCLUSIVE = [
    # The session's own work: its methods and the signed cookie, not the layer's service,
    # which every request's stack passes through.
    (
        "session loaded (tower-sessions' `Session`, the signed cookie)",
        r"tower_sessions(_core)?::session::|SignedCookies::get",
    ),
    ("caller: staff + roles read (`principal_from_parts`)", r"server::auth::caller::principal_from_parts"),
    ("`Ctx::of` (calendar freshness check)", r"server::services::cases::Ctx::of"),
    ("handler transaction (`Db::write` → `cases::receive`)", r"server::services::cases::receive::receive"),
    ("  ├ catalog item read + parsed (`catalog::active_item`)", r"server::services::catalog::active_item"),
    ("  ├ case number (`counter::next`)", r"server::store::counter::next"),
    ("  ├ audit record + chain head (`audit::record`)", r"server::services::audit::record"),
    ("  ├ reply: case re-read (`cases::load`)", r"server::services::cases::load\b"),
    ("  ├ reply: detail view, 8 more reads (`views::detail_of`)", r"server::services::cases::views::detail_of"),
    ("  └ BEGIN / COMMIT", r"DatabaseTransaction::(begin|commit)"),
    ("live event published", r"server::events::Events::publish"),
    ("request log line (tracing-subscriber)", r"tracing_subscriber"),
    ("JSON (serde_json)", r"serde_json"),
    ("SQL text built (sea-query)", r"sea_query::"),
    ("rows mapped to models (SeaORM `from_query_result`)", r"FromQueryResult|from_query_result|TryGetable"),
    ("sqlx pool acquire/release", r"sqlx_core::pool::"),
    ("SQLite engine (sqlite3_step/prepare/exec)", r"^sqlite3"),
    ("  of which fsync (commit at synchronous=FULL)", r"fdatasync|fsync|unixSync"),
    ("kernel: thread wake-up / sleep (futex)", r"futex"),
    ("kernel: network (loopback TCP)", r"tcp_|sock_|inet_"),
    ("kernel: epoll (tokio I/O driver)", r"epoll"),
]

# Self time by where the innermost frame lives.
def flame_category(frame):
    if frame.endswith("_[k]"):
        return "kernel"
    name = frame.lstrip("<&*")
    if name.startswith("__GI_"):
        name = name[5:].lstrip("_")
    if name.startswith("sqlite3") or name.startswith("pcache") or name.startswith("btree"):
        return "SQLite engine (C)"
    if re.match(r"(_int_|__libc_|libc_|malloc|free|realloc|calloc|cfree|tcache|unlink_chunk|"
                r"malloc_consolidate)", name):
        return "libc malloc/free"
    if name.startswith("__mem") or name.startswith("__str") or name.startswith("mem"):
        return "libc memcpy/memcmp/…"
    m = re.match(r"([a-z_][a-z0-9_]*)::", name)
    if m:
        return m.group(1)
    return "other (" + name[:40] + ")"


def cmd_flame_summary(path, secs, requests_duration="", perf_stat=""):
    """Top costs of a folded profile (`inferno-collapse-perf --all` of cpu-clock samples: the
    counts are nanoseconds of CPU): CPU and context switches per request (from `perf stat`),
    threads, inclusive costs of the steps, self time by crate."""
    from collections import Counter
    stacks, total = [], 0
    for line in open(path, encoding="utf-8", errors="replace"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack:
            continue
        stacks.append((stack.split(";"), int(count)))
        total += int(count)
    if not total:
        fail("empty profile")
    out = []
    rps = None
    parts = requests_duration.split()
    if len(parts) == 2:
        rps = int(parts[0]) / (int(parts[1]) / 1e6)
    cpu_s = total / 1e9
    out.append(f"- profile: {cpu_s:.2f} CPU-s of the server sampled over {secs} s "
               f"({cpu_s / float(secs):.2f} cores busy)" +
               (f"; wrk: {rps:,.0f} req/s" if rps else ""))
    if perf_stat and rps:
        stat = {}
        for line in open(perf_stat, encoding="utf-8"):
            f = line.strip().split(",")
            if len(f) >= 3 and f[0].replace(".", "").isdigit():
                stat[f[2]] = float(f[0])
        requests = rps * float(secs)
        if "task-clock" in stat:
            out.append(f"- `perf stat`: **{stat['task-clock'] / requests:.2f} ms of server CPU per "
                       f"receipt** (task-clock {stat['task-clock'] / 1000:.2f} s over ≈ "
                       f"{requests:,.0f} receipts)")
        if "context-switches" in stat:
            out.append(f"- **{stat['context-switches'] / requests:.0f} context switches per "
                       f"receipt**, {stat.get('cpu-migrations', 0) / requests:.1f} CPU migrations")
    threads = Counter()
    for frames, c in stacks:
        threads[re.sub(r"[-_ ]?\d+$", "", frames[0])] += c
    out.append("- threads: " + ", ".join(f"`{t}` {c / total:.0%}"
                                          for t, c in threads.most_common(6)))
    out.append("")
    out.append("| inclusive (share of the server's CPU samples) | % |")
    out.append("|---|---|")
    for label, pattern in FLAME_INCLUSIVE:
        rx = re.compile(pattern)
        n = sum(c for frames, c in stacks if any(rx.search(f) for f in frames[1:]))
        out.append(f"| {label} | {100 * n / total:.1f} |")
    out.append("")
    out.append("| self time by where the innermost frame is | % |")
    out.append("|---|---|")
    cats = Counter()
    for frames, c in stacks:
        cats[flame_category(frames[-1])] += c
    for cat, c in cats.most_common(14):
        out.append(f"| {cat} | {100 * c / total:.1f} |")
    leaf = Counter()
    for frames, c in stacks:
        leaf[frames[-1]] += c
    out.append("")
    out.append("Hottest functions (self): " + "; ".join(
        f"`{f[:80]}` {100 * c / total:.1f} %" for f, c in leaf.most_common(8)))
    print("\n".join(out))


def cmd_uprobe_offset(binary, pattern):
    """The file offset of the first symbol whose (mangled) name contains `pattern`: perf probe
    accepts no Rust name, and uprobes want the offset in the file, not the address."""
    import subprocess
    syms = subprocess.run(["nm", binary], capture_output=True, text=True, check=True).stdout
    addr = next((int(l.split()[0], 16) for l in syms.splitlines() if pattern in l), None)
    if addr is None:
        fail(f"no symbol like {pattern} in {binary}")
    segments = subprocess.run(["readelf", "-lW", binary], capture_output=True, text=True,
                              check=True).stdout
    for line in segments.splitlines():
        f = line.split()
        if f and f[0] == "LOAD":
            offset, vaddr, size = int(f[1], 16), int(f[2], 16), int(f[5], 16)
            if vaddr <= addr < vaddr + size:
                print(hex(addr - vaddr + offset))
                return
    fail(f"{hex(addr)} is in no loaded segment")


def cmd_pg_statements(logfile, offset, database):
    """The statements PostgreSQL logged (log_statement=all) for `database` after byte `offset`
    of its log, one per line, whitespace collapsed (continuation lines joined)."""
    import re
    with open(logfile, "rb") as f:
        f.seek(int(offset))
        text = f.read().decode("utf-8", errors="replace")
    statements, current = [], None
    head = re.compile(r"^\S+ \S+ \S+ \[\d+\] \S*@(\S+) (LOG|DETAIL|ERROR|STATEMENT|WARNING):\s+(.*)$")
    for line in text.splitlines():
        m = head.match(line)
        if m:
            current = None
            if m.group(1) == database and m.group(2) == "LOG":
                s = re.match(r"(?:statement|execute [^:]*): (.*)$", m.group(3))
                if s:
                    current = [s.group(1)]
                    statements.append(current)
        elif current is not None and line.startswith("\t"):
            current.append(line.strip())
    for parts in statements:
        print(" ".join(" ".join(parts).split()))


def cmd_overview_templates(base, password):
    """The rows bench/overview_gen.py copies: one case received by clerk01 and one kiosk ticket."""
    clerk = login(base, "clerk01", password)
    call(base, "POST", "/api/v1/cases", {
        "item_code": "640106-XK-0001",
        "applicant": {"kind": "company", "name": "银川金味餐饮有限公司",
                      "id_number": "91350100M000100Y43"},
        "phone": "13995012345",
        "channel": "counter",
    }, cookie=clerk)
    call(base, "POST", "/api/v1/public/queue-tickets", {"center_id": 1, "queue_id": 1})


def cmd_overview_times(base, cookie, warmup, requests):
    """GETs the supervision overview on one kept-alive connection; prints `OVERVIEW` with the
    milliseconds (min, median, p95, max) of the measured requests and the answer's figures."""
    conn = connect(base)
    headers = {"Accept": "application/json", "Cookie": cookie}
    times = []
    body = None
    for i in range(int(warmup) + int(requests)):
        t0 = time.perf_counter()
        conn.request("GET", "/api/v1/supervision/overview", headers=headers)
        r = conn.getresponse()
        raw = r.read()
        elapsed = (time.perf_counter() - t0) * 1000
        if r.status != 200:
            fail(f"GET /api/v1/supervision/overview: {r.status} {raw[:300]!r}")
        if i >= int(warmup):
            times.append(elapsed)
        body = json.loads(raw)
    conn.close()
    times.sort()
    figures = {k: body[k] for k in (
        "cases_overdue", "cases_near_due", "pending_rectifications", "overdue_rectifications",
        "waiting_tickets", "mean_wait_minutes", "follow_up_rate")}
    rated = sum(b["value"] for b in body["ratings"])
    problems = sum(b["value"] for b in body["problems_by_kind"])
    print(f"OVERVIEW min={times[0]:.1f} median={statistics.median(times):.1f} "
          f"p95={percentile(times, 95):.1f} max={times[-1]:.1f} n={len(times)} "
          f"month_ratings={rated:.0f} month_problems={problems:.0f} "
          + " ".join(f"{k}={v}" for k, v in figures.items()))


def cmd_detector_time(base, cookie):
    """POSTs one detector run; prints `DETECTOR ms=… created=…`."""
    t0 = time.perf_counter()
    _, body, _ = call(base, "POST", "/api/v1/supervision/detector/run", {}, cookie=cookie,
                      expect=(200,))
    print(f"DETECTOR ms={(time.perf_counter() - t0) * 1000:.0f} created={body['created']}")


def main():
    commands = {
        "login": cmd_login,
        "wait": cmd_wait,
        "queue": cmd_queue,
        "booking-setup": cmd_booking_setup,
        "race": cmd_race,
        "events": cmd_events,
        "count-sqlite": cmd_count_sqlite,
        "table": cmd_table,
        "flame-summary": cmd_flame_summary,
        "uprobe-offset": cmd_uprobe_offset,
        "pg-statements": cmd_pg_statements,
        "overview-templates": cmd_overview_templates,
        "overview-times": cmd_overview_times,
        "detector-time": cmd_detector_time,
    }
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        fail(f"usage: tools.py {{{'|'.join(commands)}}} ARGS…")
    commands[sys.argv[1]](*sys.argv[2:])


if __name__ == "__main__":
    main()
