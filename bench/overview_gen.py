#!/usr/bin/env python3
"""Fills a Chuangkou database with supervision-sized data for the overview benchmark (issue 13:
"with 1,000,000 cases, and proportional tickets, problems and ratings, the overview answers in
under 150 ms"). Standard library only; PostgreSQL through `psql`.

    overview_gen.py DATABASE_URL TODAY CASES [DAYS]

The database must have been migrated and hold the demo organisation, one case and one queue
ticket made through the API (bench/overview does that): every generated case and ticket is a
copy of those templates with its own number, moments and state, so that each row is one the
product could have written (same columns, same stored formats, same foreign keys). Problems,
rectification items, rating codes and ratings are written column by column as the services
write them. Everything is one INSERT … SELECT per table over a number series, in one
transaction per table.

Shape, over DAYS (default 730) days before TODAY (YYYY-MM-DD, local +08:00) up to TODAY 10:00:
  cases         CASES, received evenly; due 7 days after; decided 0–6 days after, 1 in 50
                8–10 days after (late), 1 in 997 never; decided more than 2 days ago: closed.
  tickets       CASES; called after 0–19 minutes and served; today's latest: waiting or called.
  problems      one case_overdue per case past due undecided or decided late (as the
                detector keys it), the other kinds and units in turn up to CASES / 20; items
                older than 15 days closed out (1 in 50 still open), newer ones open.
  ratings       3 × CASES / 10 (with their codes); 1 in 20 very dissatisfied, 1 in 20
                dissatisfied, two thirds of the bad ones followed up.
"""

import datetime as dt
import subprocess
import sqlite3
import sys
import time

LOCAL = dt.timezone(dt.timedelta(hours=8))
KINDS = [
    "case_overdue", "stage_overdue", "deemed_acceptance", "one_time_rule_breach",
    "referral_unconfirmed", "escalation_unresolved", "inquiry_without_outcome",
    "ticket_unserved_at_close", "cannot_serve_unassigned", "extended_service_refused",
    "duty_check_in_late", "duty_check_in_missing", "extension_after_due", "bad_rating",
    "rectification_overdue", "conduct",
]


class Db:
    def __init__(self, url):
        self.url = url
        self.sqlite = url.startswith("sqlite:")
        if self.sqlite:
            path = url.split("://", 1)[-1].split("?", 1)[0]
            if url.startswith("sqlite:") and not url.startswith("sqlite://"):
                path = url[len("sqlite:"):].split("?", 1)[0]
            self.conn = sqlite3.connect(path, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")

    def rows(self, sql):
        if self.sqlite:
            return [tuple(r) for r in self.conn.execute(sql).fetchall()]
        out = subprocess.run(
            ["psql", self.url, "-v", "ON_ERROR_STOP=1", "-qtAF", "\t", "-c", sql],
            check=True, capture_output=True, text=True,
        ).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]

    def one(self, sql):
        return self.rows(sql)[0][0]

    def run(self, sql):
        """One statement in its own transaction."""
        if self.sqlite:
            self.conn.execute("BEGIN")
            self.conn.execute(sql)
            self.conn.execute("COMMIT")
        else:
            subprocess.run(
                ["psql", self.url, "-v", "ON_ERROR_STOP=1", "-q", "-1", "-c", sql],
                check=True,
            )

    # -- dialect ----------------------------------------------------------------------------
    def series(self, count):
        """A CTE `s(n)` of 1..count."""
        if self.sqlite:
            return (f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s "
                    f"WHERE n < {count}) ")
        return f"WITH s(n) AS (SELECT generate_series(1::bigint, {count}::bigint)) "

    def ts(self, epoch):
        """An instant column from seconds since the epoch, in the format sqlx writes."""
        if self.sqlite:
            return f"strftime('%Y-%m-%dT%H:%M:%S+00:00', ({epoch}), 'unixepoch')"
        return f"to_timestamp({epoch})"

    def day(self, epoch):
        """A local (+08:00) date column from seconds since the epoch."""
        if self.sqlite:
            return f"date(({epoch}) + 28800, 'unixepoch')"
        return f"(to_timestamp(({epoch}) + 28800) AT TIME ZONE 'UTC')::date"

    def cols(self, table):
        if self.sqlite:
            return [r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")]
        return [r[0] for r in self.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = "
            f"'{table}' AND table_schema = current_schema() ORDER BY ordinal_position")]

    def analyze(self):
        if self.sqlite:
            self.conn.execute("ANALYZE")
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            subprocess.run(["psql", self.url, "-q", "-c", "VACUUM ANALYZE"], check=True)


def copy_template(db, table, template_id, count, overrides):
    """INSERT … SELECT of `count` copies of row `template_id`, with `overrides` (column → SQL
    expression over the template `t` and the series number `n`)."""
    cols = [c for c in db.cols(table) if c != "id"]
    unknown = set(overrides) - set(cols)
    if unknown:
        sys.exit(f"overview_gen.py: {table} has no columns {sorted(unknown)}")
    exprs = [overrides.get(c, f't."{c}"') for c in cols]
    names = ", ".join(f'"{c}"' for c in cols)
    db.run(f"{db.series(count)}INSERT INTO {table} ({names}) SELECT {', '.join(exprs)} "
           f"FROM {table} t CROSS JOIN s WHERE t.id = {template_id}")


def pick(n, values):
    """A CASE expression cycling through `values` (SQL literals) by `n`."""
    whens = " ".join(f"WHEN {i} THEN {v}" for i, v in enumerate(values))
    return f"(CASE ({n}) % {len(values)} {whens} END)"


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    db = Db(sys.argv[1])
    today = dt.date.fromisoformat(sys.argv[2])
    count = int(sys.argv[3])
    days = int(sys.argv[4]) if len(sys.argv) == 5 else 730
    midnight = int(dt.datetime(today.year, today.month, today.day, tzinfo=LOCAL).timestamp())
    now = midnight + 10 * 3600
    start = midnight - days * 86400
    span = now - start
    false = "0" if db.sqlite else "false"

    case_tpl = db.one("SELECT MIN(id) FROM cases")
    ticket_tpl = db.one("SELECT MIN(id) FROM queue_ticket")
    supervisor = db.one(
        "SELECT s.id FROM staff s JOIN staff_role r ON r.staff_id = s.id "
        "WHERE r.role = 'supervisor' ORDER BY s.id LIMIT 1")
    units = db.rows("SELECT id, center_id FROM unit ORDER BY id")
    if case_tpl in (None, "") or ticket_tpl in (None, ""):
        sys.exit("overview_gen.py: make one case and one ticket through the API first")
    t0 = time.time()

    def say(what):
        print(f"overview_gen.py: {what} ({time.time() - t0:.0f} s)", file=sys.stderr)

    # -- cases ---------------------------------------------------------------------------------
    recv = f"({start} + n * {span} / {count})"
    due = f"({recv} + 7 * 86400)"
    # 1 in 50 decided 8–10 days after receipt (late), the others within 0–6 days.
    decided_at = f"({recv} + (CASE WHEN n % 50 = 0 THEN 8 + n % 3 ELSE n % 7 END) * 86400 + 3600)"
    decided = f"(n % 997 <> 0 AND {decided_at} <= {now})"
    closed = f"({decided} AND {decided_at} <= {now} - 2 * 86400)"

    def when(cond, value):
        return f"(CASE WHEN {cond} THEN {value} END)"

    copy_template(db, "cases", case_tpl, count, {
        "number": "t.number || '-' || n",
        "state": f"(CASE WHEN {closed} THEN 'closed' WHEN {decided} THEN 'approved' "
                 "ELSE 'in_review' END)",
        "stage": f"(CASE WHEN {decided} THEN NULL ELSE t.stage END)",
        "stage_started_at": when(f"NOT {decided}", db.ts(recv)),
        "received_at": db.ts(recv),
        "review_due_at": "NULL",
        "accepted_at": db.ts(recv),
        "clock_start_at": db.ts(recv),
        "due_at": db.ts(due),
        "due_provisional": false,
        "decided_at": when(decided, db.ts(decided_at)),
        "decision": when(decided, "'approved'"),
        "decision_due_at": db.ts(due),
        "decided_on_time": when(decided, f"({decided_at} <= {due})"),
        "overdue_at": when(f"(NOT {decided} OR {decided_at} > {due}) AND {due} <= {now}",
                           db.ts(due)),
        "delivered_at": when(closed, db.ts(f"{decided_at} + 86400")),
        "delivery_method": when(closed, "'counter'"),
        "closed_at": when(closed, db.ts(f"{decided_at} + 86400")),
        "created_at": db.ts(recv),
        "updated_at": db.ts(recv),
    })
    say(f"{count} cases")

    # -- tickets -------------------------------------------------------------------------------
    issued = f"({start} + n * {span} / {count})"
    called = f"({issued} + (n % 20) * 60)"
    served = f"({called} <= {now} - 600)"
    waiting = f"(NOT {served} AND n % 3 = 0)"
    copy_template(db, "queue_ticket", ticket_tpl, count, {
        "day": db.day(issued),
        "seq": "n",
        "number": "'B' || n",
        "status": f"(CASE WHEN {served} THEN 'done' WHEN {waiting} THEN 'waiting' "
                  "ELSE 'called' END)",
        "issued_at": db.ts(issued),
        "called_at": when(f"NOT {waiting}", db.ts(called)),
        "window_id": when(f"NOT {waiting}", "(SELECT MIN(id) FROM \"window\")"),
        "serve_started_at": when(served, db.ts(called)),
        "serve_ended_at": when(served, db.ts(f"{called} + 600")),
        "version": "3",
    })
    say(f"{count} tickets")

    # -- problems and their rectification items ------------------------------------------------
    # Every case past due undecided or decided late has its case_overdue problem, keyed as the
    # detector keys it (a detector run on the data finds it known); the other kinds in turn
    # make up CASES / 20 problems in all.
    before = db.one("SELECT COALESCE(MAX(id), 0) FROM problem")
    due_epoch = ("CAST(strftime('%s', c.due_at) AS INTEGER)" if db.sqlite
                 else "CAST(EXTRACT(EPOCH FROM c.due_at) AS BIGINT)")
    db.run(
        "INSERT INTO problem (kind, source, center_id, unit_id, window_id, staff_id, found_at, "
        "found_on, description, evidence_kind, evidence_id, dedupe_key, reported_by, struck) "
        "SELECT 'case_overdue', 'detected', c.center_id, c.unit_id, NULL, c.owner_id, "
        f"c.due_at, {db.day(due_epoch)}, '办件 ' || c.number || ' 超过办结期限', 'case', c.id, "
        f"'case_overdue:case:' || c.id, NULL, {false} FROM cases c WHERE c.id > {case_tpl} "
        f"AND c.due_at < {db.ts(now)} AND (c.decided_at IS NULL OR c.decided_at > c.due_at)")
    overdue = int(db.one(f"SELECT COUNT(*) FROM problem WHERE id > {before}"))
    problems = max(count // 20 - overdue, 1)
    found = f"({start} + n * {span} / {problems})"
    others = [k for k in KINDS if k not in ("case_overdue", "rectification_overdue")]
    kind = pick("n", [f"'{k}'" for k in others])
    unit = pick(f"n / {len(others)}", [str(u) for u, _ in units])
    center = pick(f"n / {len(others)}", [str(c) for _, c in units])
    db.run(
        f"{db.series(problems)}INSERT INTO problem (kind, source, center_id, unit_id, window_id, "
        "staff_id, found_at, found_on, description, evidence_kind, evidence_id, dedupe_key, "
        f"reported_by, struck) SELECT {kind}, 'detected', {center}, {unit}, NULL, NULL, "
        f"{db.ts(found)}, {db.day(found)}, '生成数据：问题 ' || n, 'bench', n, "
        f"{kind} || ':bench:' || n, NULL, {false} FROM s")
    problems += overdue
    p_found = "found_at_epoch"
    epoch = ("CAST(strftime('%s', p.found_at) AS INTEGER)" if db.sqlite
             else "CAST(EXTRACT(EPOCH FROM p.found_at) AS BIGINT)")
    closed_item = f"({p_found} <= {now} - 15 * 86400 AND p.id % 50 <> 0)"
    db.run(
        "INSERT INTO rectification (problem_id, center_id, unit_id, staff_id, status, found_on, "
        "deadline, measure, report_note, reported_at, reported_by, close_note, closed_at, "
        "closed_on, closed_by, reopened, created_at, updated_at, version) "
        f"SELECT p.id, p.center_id, p.unit_id, NULL, "
        f"CASE WHEN {closed_item} THEN 'closed' ELSE 'open' END, p.found_on, "
        f"{db.day(f'{p_found} + 14 * 86400')}, "
        f"CASE WHEN {closed_item} THEN '整改措施' END, "
        f"CASE WHEN {closed_item} THEN '已整改' END, "
        f"CASE WHEN {closed_item} THEN {db.ts(f'{p_found} + 5 * 86400')} END, NULL, "
        f"CASE WHEN {closed_item} THEN '同意销号' END, "
        f"CASE WHEN {closed_item} THEN {db.ts(f'{p_found} + 7 * 86400')} END, "
        f"CASE WHEN {closed_item} THEN {db.day(f'{p_found} + 7 * 86400')} END, "
        f"CASE WHEN {closed_item} THEN {supervisor} END, 0, p.found_at, p.found_at, 1 "
        f"FROM (SELECT p.*, {epoch} AS {p_found} FROM problem p WHERE p.id > {before}) p")
    say(f"{problems} problems ({overdue} cases overdue) and rectification items")

    # -- rating codes and ratings --------------------------------------------------------------
    ratings = count * 3 // 10
    rated = f"({start} + n * {span} / {ratings})"
    before = db.one("SELECT COALESCE(MAX(id), 0) FROM rating_code")
    db.run(
        f"{db.series(ratings)}INSERT INTO rating_code (code, subject, subject_id, center_id, "
        f"unit_id, window_id, staff_id, created_at) SELECT 'G' || n, 'ticket', "
        f"{ticket_tpl} + n * 3, {center}, {unit}, NULL, NULL, {db.ts(rated)} FROM s")
    say(f"{ratings} rating codes")
    level = pick("n", ["'very_dissatisfied'", "'dissatisfied'", "'fair'", "'fair'"]
                 + ["'satisfied'"] * 5 + ["'very_satisfied'"] * 11)
    points = pick("n", ["1", "2", "3", "3"] + ["4"] * 5 + ["5"] * 11)
    bad = "(n % 20 < 2)"
    code_epoch = ("CAST(strftime('%s', c.created_at) AS INTEGER)" if db.sqlite
                  else "CAST(EXTRACT(EPOCH FROM c.created_at) AS BIGINT)")
    follow = f"({bad} AND n % 3 <> 0)"
    db.run(
        "INSERT INTO rating (code_id, subject, subject_id, channel, center_id, unit_id, "
        "window_id, staff_id, level, points, indicators, comment, rated_at, rated_on, struck, "
        "problem_id, follow_up_at, follow_up_by, follow_up_note) "
        f"SELECT c.id, c.subject, c.subject_id, 'on_site', c.center_id, c.unit_id, NULL, NULL, "
        f"{level}, {points}, '[[\"overall\",\"' || {level} || '\"]]', NULL, c.created_at, "
        f"{db.day('e')}, {false}, NULL, "
        f"CASE WHEN {follow} THEN {db.ts('e + 86400')} END, "
        f"CASE WHEN {follow} THEN {supervisor} END, "
        f"CASE WHEN {follow} THEN '已电话回访' END "
        f"FROM (SELECT c.*, {code_epoch} AS e, c.id - {before} AS n FROM rating_code c "
        f"WHERE c.id > {before}) c")
    say(f"{ratings} ratings")

    db.analyze()
    say("analysed")


if __name__ == "__main__":
    main()
