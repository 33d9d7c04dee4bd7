#!/usr/bin/env bash
# bench/lighthouse.sh — issue 14 point 8: Lighthouse 12.2.3 (npm, pinned; 13.x needs Node 22) with
# Debian's Chromium against a release build of the server, mobile defaults (simulated slow 4G,
# 4× CPU slowdown), on the citizen's pages. Prints one Markdown table for bench/RESULTS.md. Not
# part of CI. About 15 s per Lighthouse run once built (2 cores); 3 runs × 4 pages ≈ 3 min.
#
# What it does:
#   1. installs lighthouse@12.2.3 once into $CHUANGKOU_CACHE/lighthouse-12.2.3 (outside the clone);
#   2. `cargo leptos build --release` and the citizen bundle (the wasm-release profile and
#      wasm-opt, as bench/wasm-size: `build_site --release`), unless LH_NO_BUILD=1;
#   3. starts the release server on a fresh SQLite file with the demo organisation and waits until
#      its static files are precompressed (a first visit gets brotli, as in production);
#   4. runs Lighthouse LH_RUNS times per page and reports the median run (by performance score,
#      then time to interactive): performance, accessibility, best practices, time to interactive,
#      total blocking time, bytes transferred, and the wasm + JS of the page as transferred.
#
# Known: with Lighthouse 12.2.3 on Debian's Chromium six trace-based audits (e.g.
# layout-shifts, long-tasks) error with "frame_sequence"; the category scores are still computed,
# and the table counts the errored audits per page.
#
# Settings (environment):
#   LH_PAGES     space list of paths (default: / /booking /track /guide/640106-XK-0001)
#   LH_RUNS      runs per page, median reported (default 3)
#   LH_PORT      port of the server (default 18790)
#   LH_NO_BUILD  1: use the release build already there (target/site and the release server)
#   LH_SERVER_BIN  another server binary (e.g. the debug one built by `build_site`, when the
#                release server is not built: the site's files are what the browser measures)
# Reports (JSON) stay in ~/.cache/chuangkou/bench/lighthouse-<date>/.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../scripts/lib.sh
source "$BENCH_DIR/../scripts/lib.sh"

LH_VERSION="12.2.3"
PAGES="${LH_PAGES:-/ /booking /track /guide/640106-XK-0001}"
RUNS="${LH_RUNS:-3}"
PORT="${LH_PORT:-18790}"
# A Wednesday morning (a working day): the same clock as bench/run, so that pages that depend on
# the hall's hours render the same in every run.
DEMO_CLOCK="2026-03-04T09:30:00+08:00"
LH_DIR="$CACHE/lighthouse-$LH_VERSION"
OUT="$CACHE/bench/lighthouse-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- tools --------------------------------------------------------------------------------------
ensure_chromium
if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ]; then
  log "installing lighthouse@$LH_VERSION into $LH_DIR (once)"
  mkdir -p "$LH_DIR"
  [ -f "$LH_DIR/package.json" ] || echo '{ "private": true }' >"$LH_DIR/package.json"
  (cd "$LH_DIR" && npm i -E "lighthouse@$LH_VERSION" --no-audit --no-fund --loglevel=error >&2)
fi
LIGHTHOUSE="$LH_DIR/node_modules/.bin/lighthouse"

# --- the release build --------------------------------------------------------------------------
if [ "${LH_NO_BUILD:-}" != 1 ]; then
  ensure_build_tools
  ensure_npm_packages
  ensure_wasm_opt
  log "build_site --release (cargo leptos build --release, scripts/citizen-bundle --release)"
  (cd "$ROOT" && build_site --release >&2)
fi
SERVER_BIN="${LH_SERVER_BIN:-$CARGO_TARGET_DIR/release/server}"
if [ ! -x "$SERVER_BIN" ]; then
  echo "bench/lighthouse.sh: no release server at $SERVER_BIN" >&2
  exit 1
fi

# --- the server ---------------------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/chuangkou-lighthouse.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

BASE="http://127.0.0.1:$PORT"
log "starting the release server on $BASE"
(cd "$ROOT" && CHUANGKOU_DATA_DIR="$WORK/data" RUST_LOG=warn exec "$SERVER_BIN" --demo \
  --demo-clock "$DEMO_CLOCK" --addr "127.0.0.1:$PORT") >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
  curl -sf -o /dev/null "$BASE/api/v1/health" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/server.log" >&2; exit 1; }
  sleep 0.1
done
# The bundle's names (content-hashed by the server) as the home page links them; the first visit
# must get the precompressed brotli files, not identity while the background compression runs.
mapfile -t BUNDLE < <(curl -sf "$BASE/" | grep -oE '/pkg/[^"]+\.(wasm|js)' | sort -u)
for file in "${BUNDLE[@]}"; do
  for _ in $(seq 1 600); do
    enc="$(curl -sf -o /dev/null -D - -H 'Accept-Encoding: br' "$BASE$file" |
      tr -d '\r' | sed -n 's/^content-encoding: *//Ip')"
    [ "$enc" = br ] && break
    sleep 0.5
  done
  [ "$enc" = br ] || log "warning: $file is not served as brotli (got '${enc:-identity}')"
done

# --- Lighthouse -----------------------------------------------------------------------------------
export CHROME_PATH=/usr/bin/chromium
for page in $PAGES; do
  slug="$(echo "$page" | tr '/' '_')"
  [ "$slug" = _ ] && slug=_home
  for run in $(seq 1 "$RUNS"); do
    log "lighthouse $page (run $run of $RUNS)"
    # Lighthouse exits non-zero when an audit errors ("frame_sequence", see above) while the
    # report is complete; a missing report is the failure.
    "$LIGHTHOUSE" "$BASE$page" --quiet --output=json --output-path="$OUT/$slug-$run.json" \
      --only-categories=performance,accessibility,best-practices \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" \
      >"$OUT/$slug-$run.log" 2>&1 || true
    if [ ! -s "$OUT/$slug-$run.json" ]; then
      log "no report for $page run $run: $OUT/$slug-$run.log"
      exit 1
    fi
  done
done

# --- the table ----------------------------------------------------------------------------------
log "reports: $OUT"
CHROMIUM_VERSION="$(/usr/bin/chromium --version 2>/dev/null | head -1)"
echo "Lighthouse $LH_VERSION, $CHROMIUM_VERSION, mobile defaults, median of $RUNS run(s)," \
  "$(date -u +%Y-%m-%d); site of $(cd "$ROOT" && git rev-parse --short HEAD), server $SERVER_BIN"
echo
node --input-type=module - "$OUT" "$RUNS" $PAGES <<'EOF'
import { readFileSync } from 'node:fs';
const [out, runs, ...pages] = process.argv.slice(2);
const kb = (b) => (b / 1000).toFixed(1);
console.log('| page | performance | accessibility | best practices | TTI | TBT | transferred |'
  + ' wasm + JS transferred | audits errored |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const page of pages) {
  const slug = page === '/' ? '_home' : page.replaceAll('/', '_');
  const reports = [];
  for (let i = 1; i <= Number(runs); i++) {
    reports.push(JSON.parse(readFileSync(`${out}/${slug}-${i}.json`, 'utf8')));
  }
  const perf = (r) => r.categories.performance.score ?? 0;
  const tti = (r) => r.audits.interactive.numericValue ?? Infinity;
  reports.sort((a, b) => perf(a) - perf(b) || tti(b) - tti(a));
  const r = reports[Math.floor(reports.length / 2)];
  const score = (c) => (r.categories[c].score === null ? 'n/a'
    : Math.round(r.categories[c].score * 100));
  const items = r.audits['network-requests']?.details?.items ?? [];
  const code = items
    .filter((i) => /\.(wasm|js)(\?|$)/.test(i.url))
    .reduce((sum, i) => sum + (i.transferSize ?? 0), 0);
  const errored = Object.values(r.audits).filter((a) => a.scoreDisplayMode === 'error');
  console.log(`| \`${page}\` | ${score('performance')} | ${score('accessibility')}`
    + ` | ${score('best-practices')}`
    + ` | ${(tti(r) / 1000).toFixed(1)} s`
    + ` | ${Math.round(r.audits['total-blocking-time'].numericValue)} ms`
    + ` | ${kb(r.audits['total-byte-weight'].numericValue)} kB`
    + ` | ${kb(code)} kB | ${errored.length} |`);
}
console.log();
console.log('Runs per page (performance / TTI s / TBT ms):');
for (const page of pages) {
  const slug = page === '/' ? '_home' : page.replaceAll('/', '_');
  const cells = [];
  for (let i = 1; i <= Number(runs); i++) {
    const r = JSON.parse(readFileSync(`${out}/${slug}-${i}.json`, 'utf8'));
    cells.push(`${Math.round((r.categories.performance.score ?? 0) * 100)} / `
      + `${(r.audits.interactive.numericValue / 1000).toFixed(1)} / `
      + `${Math.round(r.audits['total-blocking-time'].numericValue)}`);
  }
  console.log(`- \`${page}\`: ${cells.join('; ')}`);
}
EOF
