# Shared by scripts/demo, scripts/test and bench/wasm-size: installs what is missing, once.
# Tools are cached outside the clone ($CHUANGKOU_CACHE, default ~/.cache/chuangkou) so that a fresh
# clone or a CI run does not rebuild them. Nothing here downloads anything but packages from the
# registries (crates.io, npm, Debian).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${CHUANGKOU_CACHE:-$HOME/.cache/chuangkou}"
TOOLS="$CACHE/tools"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
export PATH="$TOOLS/bin:$ROOT/end2end/node_modules/.bin:$PATH"
# cargo-leptos 0.3.4 is the newest that builds on Rust 1.95; no_downloads makes it use the tools
# below instead of fetching binaries.
CARGO_LEPTOS_VERSION="0.3.4"

# The site: the server, the full browser bundle and the citizen bundle of the public pages
# (scripts/citizen-bundle), which must follow: `cargo leptos build` removes it from the site.
# Arguments go to both (`--release`).
build_site() {
  cargo leptos build "$@"
  bash "$ROOT/scripts/citizen-bundle" "$@"
}

# The build cache grows with every variant built (features, flags, incremental sessions) and
# filled the disk twice; a build without space fails at link time (CI did once, with 2.7 GB left).
# Above 35 GB, or under 25 GB free, the incremental state goes (cargo rebuilds it as needed); if
# the cache is still above 60 GB, or under 15 GB is free, it is emptied (the next build is cold).
trim_build_cache() {
  [ -d "$CARGO_TARGET_DIR" ] || return 0
  local size free
  size=$(du -s --block-size=1G "$CARGO_TARGET_DIR" | cut -f1)
  free=$(df --output=avail --block-size=1G "$CARGO_TARGET_DIR" | tail -1 | tr -dc 0-9)
  if [ "$size" -gt 35 ] || [ "$free" -lt 25 ]; then
    say "build cache is $size GB with $free GB free: removing its incremental state"
    find "$CARGO_TARGET_DIR" -maxdepth 4 -type d -name incremental -prune -exec rm -rf {} +
    size=$(du -s --block-size=1G "$CARGO_TARGET_DIR" | cut -f1)
    free=$(df --output=avail --block-size=1G "$CARGO_TARGET_DIR" | tail -1 | tr -dc 0-9)
    if [ "$size" -gt 60 ] || [ "$free" -lt 15 ]; then
      say "build cache is still $size GB with $free GB free: emptying it"
      rm -rf "${CARGO_TARGET_DIR:?}"
    fi
  fi
}

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  say "installing from Debian: $*"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_wasm_target() {
  rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
}

# The wasm-bindgen CLI must be exactly the version in Cargo.lock.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_build_tools() {
  ensure_wasm_target
  if ! "$TOOLS/bin/cargo-leptos" --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (once; cached in $TOOLS)"
    cargo install --locked cargo-leptos --version "$CARGO_LEPTOS_VERSION" --features no_downloads --root "$TOOLS"
  fi
  local want
  want="$(wasm_bindgen_version)"
  if ! "$TOOLS/bin/wasm-bindgen" --version 2>/dev/null | grep -q " $want\$"; then
    say "installing wasm-bindgen-cli $want (once; cached in $TOOLS)"
    # Not --locked: its lock names a crate version the registry no longer has.
    cargo install wasm-bindgen-cli --version "$want" --root "$TOOLS"
  fi
  # The scenario tests run under cargo-nextest (machines come with it; installed if not).
  if ! cargo nextest --version >/dev/null 2>&1; then
    say "installing cargo-nextest (once; cached in $TOOLS)"
    cargo install --locked cargo-nextest --root "$TOOLS"
  fi
}

# wasm-opt for release builds, from the npm package binaryen.
ensure_wasm_opt() {
  if ! command -v wasm-opt >/dev/null; then
    ensure_npm_packages
  fi
}

ensure_npm_packages() {
  if [ ! -x "$ROOT/end2end/node_modules/.bin/playwright" ] || [ ! -x "$ROOT/end2end/node_modules/.bin/wasm-opt" ]; then
    say "installing npm packages (end2end)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium
  # Chinese text laid out and printed with real glyphs (a tablet's own), not empty boxes: the
  # A4 fit of a printed notice and every screenshot depend on it.
  fc-list :lang=zh 2>/dev/null | grep -q . || apt_install fonts-noto-cjk
}

# LibreOffice Calc (headless) and pdftotext: the scenario test of the monthly report converts its
# XLSX to PDF and reads the figures back (issue #13, "Done when" 2).
ensure_libreoffice() {
  command -v libreoffice >/dev/null 2>&1 || apt_install --no-install-recommends libreoffice-calc
  command -v pdftotext >/dev/null 2>&1 || apt_install poppler-utils
}

# The OpenAPI validator and schemathesis (PyPI, pinned) in a virtualenv under the cache.
PY_TOOLS="openapi-spec-validator==0.9.0 schemathesis==4.32.5"
ensure_python_tools() {
  local venv="$CACHE/venv"
  if [ "$(cat "$venv/.pinned" 2>/dev/null)" != "$PY_TOOLS" ]; then
    say "installing Python tools into $venv: $PY_TOOLS"
    python3 -m venv --help >/dev/null 2>&1 || apt_install python3-venv
    python3 -m venv --clear "$venv"
    # shellcheck disable=SC2086
    "$venv/bin/pip" install -q --disable-pip-version-check $PY_TOOLS
    echo "$PY_TOOLS" > "$venv/.pinned"
  fi
  export PATH="$venv/bin:$PATH"
}

# A local PostgreSQL for the scenario tests; exports CHUANGKOU_TEST_PG_URL.
ensure_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    apt_install postgresql
  fi
  local version
  version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
  if ! as_root pg_ctlcluster "$version" main status >/dev/null 2>&1; then
    as_root pg_ctlcluster "$version" main start
  fi
  for _ in $(seq 1 30); do
    as_root su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
    sleep 1
  done
  as_root su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  # Every scenario test starts its own servers, each with a pool; the default 100 connections
  # run out when suites (or the two-instance tests) run side by side.
  if [ "$(as_root su postgres -c "psql -qtAc 'show max_connections'")" -lt 300 ]; then
    as_root su postgres -c "psql -qc 'ALTER SYSTEM SET max_connections = 300'" >/dev/null
    as_root pg_ctlcluster "$version" main restart
    for _ in $(seq 1 30); do
      as_root su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
      sleep 1
    done
  fi
  # Leftovers of interrupted earlier runs.
  as_root su postgres -c "psql -qtAc \"SELECT 'DROP DATABASE \\\"' || datname || '\\\" WITH (FORCE);' FROM pg_database WHERE datname LIKE 'ck\\_test\\_%'\"" \
    | as_root su postgres -c "psql -q" >/dev/null 2>&1 || true
  export CHUANGKOU_TEST_PG_URL="${CHUANGKOU_TEST_PG_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}"
}
