"""Shared by the black-box tests of issue 15 (scripts/crash-test.py, scripts/two-instances.py):
servers started from the debug binary on loopback, plain HTTP and SSE clients, fresh stores
(a SQLite file in a temp dir, or a new PostgreSQL database dropped afterwards), direct queries
of the store, and a cleanup that leaves nothing running whatever happens (atexit, SIGTERM,
SIGINT and a watchdog that ends a stuck test).

Standard library only; PostgreSQL is queried with `psql`.
"""

import atexit
import collections
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urlsplit

# A Wednesday morning at the hall: tickets are issued, slots are bookable.
DEMO_CLOCK = "2026-03-04T09:30:00+08:00"
DEMO_PASSWORD = "chuangkou-demo"
ITEM = "640106-XK-0001"
PG_URL = os.environ.get(
    "CHUANGKOU_TEST_PG_URL", "postgres://postgres:postgres@127.0.0.1:5432/postgres"
)
# The limits a citizen's address and phone have; every request here comes from 127.0.0.1.
RELAXED_LIMITS = {
    "CHUANGKOU_PUBLIC_WRITES_PER_HOUR": "1000000",
    "CHUANGKOU_BOOKINGS_PER_PHONE": "1000",
    "CHUANGKOU_PUBLIC_LOOKUPS_PER_MINUTE": "100000",
    "CHUANGKOU_LOGIN_ATTEMPTS_PER_MINUTE": "1000",
    "CHUANGKOU_LOGIN_ATTEMPTS_PER_MINUTE_PER_IP": "1000",
}

NAME = os.path.basename(sys.argv[0])
_T0 = time.monotonic()


class Failure(Exception):
    """A broken promise of the product (the test fails with this message)."""


def log(message):
    print(f"[{NAME} {time.monotonic() - _T0:6.1f}s] {message}", flush=True)


# --- cleanup ------------------------------------------------------------------------------------

_servers = []
_databases = []
_dirs = []
_cleanup_lock = threading.Lock()
_cleaned = False


def cleanup(keep_files=False):
    """Kills every server this process started, drops its databases, removes its temp dirs
    (kept, with the servers' logs, after a failure or with BLACKBOX_KEEP set)."""
    global _cleaned
    with _cleanup_lock:
        if _cleaned:
            return
        _cleaned = True
    for s in list(_servers):
        s.kill()
    for name in list(_databases):
        drop_database(name)
    for d in list(_dirs):
        if keep_files or os.environ.get("BLACKBOX_KEEP"):
            print(f"{NAME}: kept {d} (server logs)", file=sys.stderr)
        else:
            shutil.rmtree(d, ignore_errors=True)


def _die_with_parent():
    """In the child before exec: SIGKILL when the test process dies, however it dies."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def setup(limit_seconds):
    """Registers the cleanup and a watchdog that fails the test after `limit_seconds`."""
    atexit.register(cleanup)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    def watchdog():
        print(f"{NAME}: FAILED: still running after {limit_seconds} s", file=sys.stderr,
              flush=True)
        cleanup(keep_files=True)
        os._exit(3)

    timer = threading.Timer(limit_seconds, watchdog)
    timer.daemon = True
    timer.start()


def main(run):
    """Runs `run()`: exit status 0 when it returns, 1 on a Failure or an error (printed)."""
    try:
        run()
    except Failure as e:
        print(f"{NAME}: FAILED: {e}", file=sys.stderr, flush=True)
        cleanup(keep_files=True)
        sys.exit(1)
    except (SystemExit, KeyboardInterrupt):
        cleanup()
        raise
    except BaseException:
        cleanup(keep_files=True)
        raise
    cleanup()
    log("passed")


def temp_dir(tag):
    d = tempfile.mkdtemp(prefix=f"chuangkou-{tag}.")
    _dirs.append(d)
    return d


# --- stores -------------------------------------------------------------------------------------

def psql(url, sql, timeout=60):
    """Rows of a query as lists of strings (NULL as '')."""
    r = subprocess.run(
        ["psql", "-X", "-q", "-A", "-t", "-F", "\x1f", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
        capture_output=True, text=True, timeout=timeout,
    )
    if r.returncode != 0:
        raise RuntimeError(f"psql: {r.stderr.strip()} ({sql[:120]})")
    return [line.split("\x1f") for line in r.stdout.splitlines() if line]


def pg_url_of(name):
    u = urlsplit(PG_URL)
    return f"{u.scheme}://{u.netloc}/{name}"


def new_database(tag):
    """A fresh PostgreSQL database (dropped at cleanup); returns its name."""
    name = f"ck_test_bb_{tag}_{os.getpid()}_{int(time.time() * 1000) % 100000000}"
    psql(PG_URL, f'CREATE DATABASE "{name}"')
    _databases.append(name)
    return name


def drop_database(name):
    try:
        psql(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception as e:  # noqa: BLE001 - cleanup goes on
        print(f"could not drop database {name}: {e}", file=sys.stderr)


class Store:
    """One test's database: the URL the server gets, and direct queries."""

    def __init__(self, kind, workdir):
        self.kind = kind
        if kind == "sqlite":
            self.path = os.path.join(workdir, "store", "chuangkou.db")
            self.url = f"sqlite://{self.path}?mode=rwc"
        elif kind == "postgres":
            self.name = new_database(kind)
            self.psql_url = pg_url_of(self.name)
            # The local server has no TLS; sqlx would try it first otherwise.
            self.url = self.psql_url + "?sslmode=disable"
        else:
            raise ValueError(kind)

    def rows(self, sql):
        """Rows as tuples of strings (NULL as '')."""
        if self.kind == "postgres":
            return [tuple(r) for r in psql(self.psql_url, sql)]
        db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        try:
            return [tuple("" if v is None else str(v) for v in r) for r in db.execute(sql)]
        finally:
            db.close()

    def value(self, sql):
        rows = self.rows(sql)
        return rows[0][0] if rows else None


# --- servers ------------------------------------------------------------------------------------

def server_bin():
    explicit = os.environ.get("CHUANGKOU_SERVER_BIN")
    if explicit:
        return explicit
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.expanduser(
        "~/.cache/chuangkou/target")
    return os.path.join(target, "debug", "server")


def server_env(extra):
    """The environment of a server: ours without any CHUANGKOU_* or DATABASE_URL (a stray
    setting would change what is tested), plus `extra`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("CHUANGKOU_") and k != "DATABASE_URL"}
    env.update(extra)
    return env


STARTED = re.compile(r"http://127\.0\.0\.1:(\d+)/")


class Server:
    """The product's server on a free loopback port, demo data, the hall open."""

    def __init__(self, name, store, workdir, env=None):
        self.name = name
        self.store = store
        self.workdir = workdir
        self.env = server_env({"CHUANGKOU_DATA_DIR": os.path.join(workdir, "data"),
                               **RELAXED_LIMITS, **(env or {})})
        self.log_path = os.path.join(workdir, f"{name}.log")
        self.proc = None
        self.base = None

    def start(self, timeout=90, clock=None):
        """Starts (or restarts) the server. The demo clock starts at `clock` or DEMO_CLOCK; a
        restart goes on from where the last run's clock stood, plus a minute (the clock never
        goes back: a case received before the restart is not reviewed before its receipt)."""
        if clock is not None:
            self.clock = clock
        elif self.proc is None:
            self.clock = datetime.datetime.fromisoformat(DEMO_CLOCK)
        else:
            ran = time.monotonic() - self.started
            self.clock += datetime.timedelta(seconds=ran + 60)
        self.started = time.monotonic()
        offset = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
        with open(self.log_path, "ab") as out:
            self.proc = subprocess.Popen(
                [server_bin(), "--addr", "127.0.0.1:0", "--database-url", self.store.url,
                 "--demo", "--demo-clock", self.clock.isoformat(timespec="seconds")],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                cwd=self.workdir, env=self.env, start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        if self not in _servers:
            _servers.append(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                m = STARTED.search(f.read().decode("utf-8", errors="replace"))
            if m:
                self.base = f"http://127.0.0.1:{m.group(1)}"
                break
            if self.proc.poll() is not None:
                raise Failure(f"{self.name} exited with {self.proc.returncode} at start:\n"
                              + self.log_tail())
            time.sleep(0.05)
        else:
            raise Failure(f"{self.name} did not start within {timeout} s:\n" + self.log_tail())
        while time.monotonic() < deadline:
            try:
                if Client(self.base).call("GET", "/api/v1/health")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise Failure(f"{self.name} never answered /api/v1/health:\n" + self.log_tail())

    def now(self):
        """The server's demo clock now (give or take its start-up)."""
        return self.clock + datetime.timedelta(seconds=time.monotonic() - self.started)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def sigkill(self):
        """SIGKILL, as a power cut of the process would; waits until it is gone."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self):
        """SIGTERM, then SIGKILL after 10 s."""
        if not self.alive():
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.sigkill()

    def kill(self):
        if self.alive():
            try:
                self.proc.kill()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return "(no log)"

    def audit_verify(self):
        """`server audit-verify` on this server's store with its settings: (exit code, output)."""
        r = subprocess.run(
            [server_bin(), "audit-verify", "--database-url", self.store.url],
            capture_output=True, text=True, cwd=self.workdir, env=self.env, timeout=120,
        )
        return r.returncode, (r.stdout + r.stderr).strip()


# --- clients ------------------------------------------------------------------------------------

class Client:
    """One keep-alive connection; `call` answers (status, parsed JSON or None). A transport
    error (the server gone) raises OSError/HTTPException and drops the connection."""

    def __init__(self, base, cookie=None, timeout=30):
        u = urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.cookie = cookie
        self.timeout = timeout
        self.conn = None

    def call(self, method, path, body=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = {"Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.cookie:
            headers["Cookie"] = self.cookie
        try:
            self.conn.request(method, path, body=payload, headers=headers)
            r = self.conn.getresponse()
            raw = r.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        self.last_headers = r.headers
        try:
            data = json.loads(raw) if raw[:1] in (b"{", b"[") else None
        except ValueError:
            data = None
        return r.status, data

    def ok(self, method, path, body=None, expect=(200, 201)):
        status, data = self.call(method, path, body)
        if status not in expect:
            raise Failure(f"{method} {path}: {status} {json.dumps(data, ensure_ascii=False)}")
        return data

    def connect(self):
        """Opens the connection now (a race's clients connect before the start)."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        self.conn.connect()

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def login(base, staff_number):
    c = Client(base)
    c.ok("POST", "/api/v1/auth/login", {"staff_number": staff_number, "password": DEMO_PASSWORD},
         expect=(200,))
    cookies = [v.split(";", 1)[0] for v in c.last_headers.get_all("Set-Cookie") or []]
    c.close()
    if not cookies:
        raise Failure(f"login of {staff_number} set no cookie")
    return "; ".join(cookies)


class SseClient(threading.Thread):
    """Follows `GET path` and keeps every (arrival time, event name, data) it reads."""

    def __init__(self, base, path):
        super().__init__(daemon=True)
        u = urlsplit(base)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
        self.conn.request("GET", path, headers={"Accept": "text/event-stream"})
        self.response = self.conn.getresponse()
        if self.response.status != 200:
            raise Failure(f"SSE {path}: {self.response.status}")
        self.events = []
        self.cond = threading.Condition()
        self.closed = False

    def run(self):
        name, data = "message", []
        try:
            while True:
                line = self.response.fp.readline()
                if not line:
                    break
                line = line.decode("utf-8", errors="replace").rstrip("\r\n")
                if line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
                elif line == "":
                    if data:
                        try:
                            parsed = json.loads("\n".join(data))
                        except ValueError:
                            parsed = None
                        with self.cond:
                            self.events.append((time.perf_counter(), name, parsed))
                            self.cond.notify_all()
                    name, data = "message", []
        except (OSError, ValueError, AttributeError):
            pass  # the server gone, or closed by `close()`
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def wait_for(self, predicate, since=0, timeout=10.0):
        """(arrival, index) of the first event from `since` on that satisfies `predicate`,
        or (None, len) after `timeout`."""
        deadline = time.perf_counter() + timeout
        with self.cond:
            i = since
            while True:
                while i < len(self.events):
                    at, name, data = self.events[i]
                    if predicate(name, data):
                        return at, i + 1
                    i += 1
                left = deadline - time.perf_counter()
                if left <= 0 or self.closed:
                    return None, len(self.events)
                self.cond.wait(left)

    def snapshot(self):
        with self.cond:
            return list(self.events)

    def close(self):
        try:
            self.conn.sock.shutdown(2)
        except OSError:
            pass
        self.conn.close()


# --- test data ----------------------------------------------------------------------------------

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def resident_id(k):
    """A GB 11643 resident ID with a valid check character, distinct for every k < 10^7
    (birth 1971-01-01 + k // 1000 days, sequence k mod 1000), as bench/lua/common.lua."""
    birth = time.strftime("%Y%m%d", time.gmtime(31536000 + (k // 1000) * 86400))
    first17 = f"640106{birth}{k % 1000:03d}"
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS))
    return first17 + _CHECK[total % 11]


def mobile(k, prefix="13"):
    """A mainland mobile number (prefix 13, 15, 18 …) distinct for every k < 10^9."""
    return f"{prefix}{k % 1000000000:09d}"


# An item whose acceptance review needs just these materials (issues an acceptance notice).
REVIEWABLE_ITEM = "640106-XK-0003"
REVIEWABLE_MATERIALS = ("application_form", "id_card", "business_license")


def review_body(version):
    """Every material present and in order: the case is accepted and a notice issued."""
    return {"version": version,
            "verdicts": [{"key": k, "verdict": {"verdict": "ok"}} for k in REVIEWABLE_MATERIALS]}


def case_body(k, item=ITEM):
    return {
        "item_code": item,
        "applicant": {"kind": "person", "name": f"测试申请人{k}", "id_number": resident_id(k)},
        "phone": mobile(k),
        "channel": "counter",
    }


def queue_ids(client, center=1):
    data = client.ok("GET", f"/api/v1/public/queues?center={center}")
    if not data["open_for_tickets"]:
        raise Failure(f"the hall is not open for tickets: {data.get('closed_reason')}")
    return [q["id"] for q in data["queues"]]


def add_slots(admin, center, rules, capacity):
    """Adds `rules` daily slot rules of `capacity` seats (evening, every day) and returns the
    bookable slots they made for ITEM over the booking window: [(id, capacity)]."""
    for i in range(rules):
        admin.ok("POST", "/api/v1/slot-rules", {
            "center_id": center, "unit_id": None, "name": f"黑盒{i + 1}",
            "weekdays": [1, 2, 3, 4, 5, 6, 7], "item_codes": [],
            "start_time": f"{19 + i % 3:02}:{(i // 3) * 10:02}:00", "end_time": "21:50:00",
            "capacity": capacity, "duty_staff_ids": [],
        })
    days = admin.ok("GET", f"/api/v1/public/appointment-days?center={center}&item={ITEM}")
    slots = []
    for day in days["days"]:
        data = admin.ok("GET", f"/api/v1/public/appointment-slots?center={center}&item={ITEM}"
                        f"&date={day['date']}")
        slots.extend((s["id"], s["capacity"]) for s in data["slots"]
                     if s["capacity"] == capacity and s["remaining"] == capacity)
    if not slots:
        raise Failure("the new slot rules made no bookable slot")
    return slots


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def gaps_and_repeats(seqs):
    """For the numbers taken from one counter: (missing numbers in 1..max, repeated numbers)."""
    seen, repeated = set(), set()
    for s in seqs:
        if s in seen:
            repeated.add(s)
        seen.add(s)
    missing = sorted(set(range(1, max(seen, default=0) + 1)) - seen)
    return missing, sorted(repeated)


class Checks:
    """Collects broken invariants; `done()` fails with all of them."""

    def __init__(self):
        self.problems = []

    def expect(self, ok, message):
        if not ok:
            self.problems.append(message)
            log(f"  ✗ {message}")
        return ok

    def done(self):
        if self.problems:
            raise Failure(f"{len(self.problems)} check(s) failed:\n  - "
                          + "\n  - ".join(self.problems))


def check_store(store, acked, checks):
    """The invariants of the written state (scripts/crash-test.py describes them); `acked`
    holds the acknowledged writes: {"case": [(id, number, id number)], "ticket": [(id, queue,
    day, number)], "booking": [(code, slot)], optionally "notice": [(id, number, case id)]}.
    Returns (cases, tickets, bookings, full slots, notices)."""

    # Every acknowledged write, as answered.
    cases = {int(r[0]): r for r in store.rows(
        "SELECT id, number, center_id, applicant_id_number FROM cases")}
    missing = [a for a in acked["case"]
               if a[0] not in cases or (cases[a[0]][1], cases[a[0]][3]) != (a[1], a[2])]
    checks.expect(not missing, f"acknowledged cases missing or changed: {short(missing)}")
    tickets = {int(r[0]): r for r in store.rows(
        "SELECT id, queue_id, day, seq, number FROM queue_ticket")}
    missing = [a for a in acked["ticket"]
               if a[0] not in tickets
               or (int(tickets[a[0]][1]), tickets[a[0]][2], tickets[a[0]][4]) != a[1:]]
    checks.expect(not missing, f"acknowledged tickets missing or changed: {short(missing)}")
    bookings = {r[1]: r for r in store.rows(
        "SELECT id, code, slot_id, status FROM appointment")}
    missing = [a for a in acked["booking"]
               if a[0] not in bookings
               or (int(bookings[a[0]][2]), bookings[a[0]][3]) != (a[1], "booked")]
    checks.expect(not missing, f"acknowledged bookings missing or changed: {short(missing)}")

    # No row without the audit record of its creation, no such record without its row.
    audited = collections.defaultdict(set)
    for entity, entity_id, action in store.rows(
            "SELECT entity, entity_id, action FROM audit_record WHERE action IN "
            "('case.receive', 'ticket.issue', 'appointment.book', 'notice.issue')"):
        audited[(entity, action)].add(int(entity_id))
    for entity, action, ids in (("case", "case.receive", set(cases)),
                                ("queue_ticket", "ticket.issue", set(tickets)),
                                ("appointment", "appointment.book",
                                 {int(r[0]) for r in bookings.values()}),
                                ("notice", "notice.issue",
                                 {int(r[0]) for r in store.rows("SELECT id FROM notice")})):
        records = audited[(entity, action)]
        checks.expect(not ids - records,
                      f"{entity} rows without a {action} audit record: {short(ids - records)}")
        checks.expect(not records - ids,
                      f"{action} audit records of no {entity} row: {short(records - ids)}")

    # Case numbers: one counter per center and year, `YYYY-CC-NNNNN`.
    numbers = collections.Counter(r[1] for r in cases.values())
    repeated = [n for n, c in numbers.items() if c > 1]
    checks.expect(not repeated, f"case numbers used twice: {short(repeated)}")
    per_counter = collections.defaultdict(list)
    for _, number, center, _ in cases.values():
        year, _, seq = number.split("-")
        per_counter[(int(center), int(year))].append(int(seq))
    counters = {(int(c), int(y)): int(last) for c, y, last in store.rows(
        "SELECT center_id, year, last_seq FROM case_counter")}
    for key, seqs in per_counter.items():
        gaps, twice = gaps_and_repeats(seqs)
        checks.expect(not gaps and not twice,
                      f"case numbers of center/year {key}: missing {short(gaps)}, "
                      f"repeated {short(twice)}")
        checks.expect(counters.get(key) == max(seqs),
                      f"case counter {key} is {counters.get(key)}, highest number {max(seqs)}")

    # Ticket numbers: one counter per queue and day.
    per_queue = collections.defaultdict(list)
    numbers = collections.Counter()
    for _, queue, day, seq, number in tickets.values():
        per_queue[(int(queue), day)].append(int(seq))
        numbers[(queue, day, number)] += 1
    repeated = [n for n, c in numbers.items() if c > 1]
    checks.expect(not repeated, f"ticket numbers repeated in a queue and day: {short(repeated)}")
    counters = {(int(q), d): int(last) for q, d, last in store.rows(
        "SELECT queue_id, day, last_seq FROM queue_counter")}
    for key, seqs in per_queue.items():
        gaps, twice = gaps_and_repeats(seqs)
        checks.expect(not gaps and not twice,
                      f"ticket numbers of queue/day {key}: missing {short(gaps)}, "
                      f"repeated {short(twice)}")
        checks.expect(counters.get(key) == max(seqs),
                      f"ticket counter {key} is {counters.get(key)}, highest number {max(seqs)}")

    # Notice numbers: one counter per unit, kind and year.
    notices = {int(r[0]): r for r in store.rows(
        "SELECT id, unit_id, kind, year, seq, number, case_id FROM notice")}
    missing = [a for a in acked.get("notice", [])
               if a[0] not in notices or (notices[a[0]][5], int(notices[a[0]][6])) != a[1:]]
    checks.expect(not missing, f"acknowledged notices missing or changed: {short(missing)}")
    per_kind = collections.defaultdict(list)
    numbers = collections.Counter()
    for _, unit, kind, year, seq, number, _ in notices.values():
        per_kind[(int(unit), kind, int(year))].append(int(seq))
        numbers[number] += 1
    repeated = [n for n, c in numbers.items() if c > 1]
    checks.expect(not repeated, f"notice numbers used twice: {short(repeated)}")
    counters = {(int(u), k, int(y)): int(last) for u, k, y, last in store.rows(
        "SELECT unit_id, kind, year, last_seq FROM notice_counter")}
    for key, seqs in per_kind.items():
        gaps, twice = gaps_and_repeats(seqs)
        checks.expect(not gaps and not twice,
                      f"notice numbers of unit/kind/year {key}: missing {short(gaps)}, "
                      f"repeated {short(twice)}")
        checks.expect(counters.get(key) == max(seqs),
                      f"notice counter {key} is {counters.get(key)}, highest number {max(seqs)}")

    # Seats: never more bookings than capacity, and the slot's count matches its bookings.
    holding = collections.Counter(int(r[2]) for r in bookings.values() if r[3] != "cancelled")
    for slot, capacity, booked in store.rows("SELECT id, capacity, booked FROM appointment_slot"):
        slot, capacity, booked = int(slot), int(capacity), int(booked)
        checks.expect(booked <= capacity, f"slot {slot}: {booked} booked of {capacity} seats")
        checks.expect(holding[slot] == booked,
                      f"slot {slot}: counts {booked} booked, {holding[slot]} bookings hold it")
    full = sum(1 for s, c, b in store.rows("SELECT id, capacity, booked FROM appointment_slot")
               if int(b) >= int(c) > 0)

    if store.kind == "sqlite":
        result = store.value("PRAGMA integrity_check")
        checks.expect(result == "ok", f"SQLite integrity_check: {result}")
    return len(cases), len(tickets), len(bookings), full, len(notices)


def short(items, n=8):
    items = list(items)
    return ", ".join(map(str, items[:n])) + (f" … ({len(items)} in all)" if len(items) > n
                                             else "")
