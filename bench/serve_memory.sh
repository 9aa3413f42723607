#!/usr/bin/env bash
# The preview's memory at rest: `gazette serve` on an archive with the
# repository's templates, its resident size (VmRSS) and peak (VmHWM) 3 s
# after `site ready`, then 3 s after an edit of templates/article.html has
# been written to every page.
#
#   bench/serve_memory.sh SITE [GAZETTE]
#
# SITE is an archive (for example bench/run.sh's WORK/ours-100000): its
# content/ and site.toml are used from a folder of their own, with a copy of
# templates/, so SITE is not changed. GAZETTE defaults to
# target/release/gazette. The output goes to a fresh folder in /dev/shm (the
# disk's speed is not what is measured).
set -euo pipefail
die() { echo "bench/serve_memory.sh: error: $*" >&2; exit 1; }
[[ $# -ge 1 ]] || { sed -n '2,13p' "$0"; exit 2; }
REPO="$(cd "$(dirname "$0")/.." && pwd)"
SITE="$(cd "$1" && pwd)"
BIN="${2:-$REPO/target/release/gazette}"
[[ -d "$SITE/content" && -f "$SITE/site.toml" ]] || die "$SITE has no content/ and site.toml"
[[ -x "$BIN" ]] || die "no gazette binary at $BIN (cargo build --release)"
WORK="$(mktemp -d /tmp/serve-memory.XXXXXX)"
OUT="$(mktemp -d /dev/shm/serve-memory.XXXXXX)"
LOG="$WORK/serve.log"
PID=""
trap '[[ -n "$PID" ]] && kill "$PID" 2>/dev/null; rm -rf "$WORK" "$OUT"' EXIT
ln -s "$SITE/content" "$WORK/content"
cp "$SITE/site.toml" "$WORK/"
cp -r "$REPO/templates" "$WORK/templates"
PORT=$((20000 + RANDOM % 20000))
TMPDIR="$WORK" "$BIN" serve -r "$WORK" --output-dir "$OUT" --port "$PORT" >"$LOG" 2>&1 &
PID=$!
memory() { awk '/VmRSS|VmHWM/ {printf "%s %d MB  ", $1, $2 / 1024}' "/proc/$PID/status"; }
wait_for() { until grep -q "$1" "$LOG"; do kill -0 "$PID" || { cat "$LOG" >&2; die "serve stopped"; }; sleep 0.2; done; }
wait_for "site ready"
sleep 3
echo "site ready: $(memory)"
passes=$(grep -c "files written" "$LOG")
sed -i 's|</article>|</article><!-- edited -->|' "$WORK/templates/article.html"
wait_for "rebuilt (templates)"
until [[ $(grep -c "files written" "$LOG") -gt $passes ]]; do sleep 0.5; done
sleep 3
echo "after a template edit: $(memory)"
grep -E "files written|site ready|rebuilt" "$LOG"
