#!/usr/bin/env bash
# Benchmark gazette against Hugo on synthetic news-digest archives.
#
#   bench/run.sh [--articles "1000 10000"] [--runs 3] [--work DIR] [--no-hugo] [--hugo-max N]
#
# See bench/README.md for what is measured and how.  Progress goes to stderr,
# the markdown report to stdout (so `bench/run.sh > report.md` works).
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/run.sh [--articles "1000 10000"] [--runs 3] [--work DIR] [--no-hugo] [--hugo-max N]

  --articles LIST  space-separated corpus sizes (default: "10000"); a gazette
                   corpus of a multiple of 100000 above it (1000000) is made of
                   renamed, hard-linked copies of the 100000 one
  --runs N         full builds per tool and size; medians are reported (default: 3)
  --work DIR       corpora, outputs and logs go here (default: /tmp/gazette-bench)
  --no-hugo        benchmark gazette only
  --hugo-max N     run Hugo only on sizes up to N articles (e.g. to time
                   gazette at 100k without three Hugo builds of 100k)

environment:
  GEN_CORPUS       corpus generator (default: <repo>/../shared/tools/gen-corpus)
  CARGO            cargo binary (default: cargo)
  QUIET_SECS       wait after removing earlier outputs (default: 370; see clear_outputs)
EOF
}

die() { echo "bench/run.sh: error: $*" >&2; exit 1; }
log() { echo "[bench] $*" >&2; }

# ---------------------------------------------------------------- arguments
ARTICLES="10000"
RUNS=3
WORK=/tmp/gazette-bench
USE_HUGO=1
HUGO_MAX=0        # 0: no limit
while [[ $# -gt 0 ]]; do
    case "$1" in
        --articles) [[ $# -ge 2 ]] || die "--articles needs a value"; ARTICLES="$2"; shift 2 ;;
        --articles=*) ARTICLES="${1#*=}"; shift ;;
        --runs) [[ $# -ge 2 ]] || die "--runs needs a value"; RUNS="$2"; shift 2 ;;
        --runs=*) RUNS="${1#*=}"; shift ;;
        --work) [[ $# -ge 2 ]] || die "--work needs a value"; WORK="$2"; shift 2 ;;
        --work=*) WORK="${1#*=}"; shift ;;
        --no-hugo) USE_HUGO=0; shift ;;
        --hugo-max) [[ $# -ge 2 ]] || die "--hugo-max needs a value"; HUGO_MAX="$2"; shift 2 ;;
        --hugo-max=*) HUGO_MAX="${1#*=}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer (got '$RUNS')"
read -r -a SIZES <<<"$ARTICLES"
[[ ${#SIZES[@]} -gt 0 ]] || die "--articles is empty"
for n in "${SIZES[@]}"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "--articles: '$n' is not a positive integer"
done
[[ -n "$WORK" ]] || die "--work is empty"
[[ "$HUGO_MAX" =~ ^[0-9]+$ ]] || die "--hugo-max must be a number of articles (got '$HUGO_MAX')"

# ---------------------------------------------------------------- tools
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GEN_CORPUS="${GEN_CORPUS:-$REPO/../shared/tools/gen-corpus}"
CARGO="${CARGO:-cargo}"
TIME=/usr/bin/time

[[ -f "$GEN_CORPUS" ]] || die "corpus generator not found: $GEN_CORPUS (set GEN_CORPUS=/path/to/gen-corpus)"
[[ -x "$GEN_CORPUS" ]] || die "corpus generator is not executable: $GEN_CORPUS"
[[ -x "$TIME" ]] || die "$TIME not found: install GNU time (Debian/Ubuntu: apt-get install time)"
"$TIME" --version 2>&1 | grep -q 'GNU' \
    || die "$TIME is not GNU time (need -f/-o support; Debian/Ubuntu: apt-get install time)"
command -v "$CARGO" >/dev/null || die "cargo not found (set CARGO=...)"
for t in find du awk sort git nproc free; do
    command -v "$t" >/dev/null || die "required tool not found: $t"
done
if [[ $USE_HUGO -eq 1 ]] && ! command -v hugo >/dev/null; then
    log "hugo not installed (Debian/Ubuntu: apt-get install hugo): benchmarking gazette only"
    USE_HUGO=0
fi

mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"          # absolute: hugo resolves paths against --source
LOGS="$WORK/logs"
mkdir -p "$LOGS"
TMPS=()
cleanup() { if [[ ${#TMPS[@]} -gt 0 ]]; then rm -rf "${TMPS[@]}"; fi; }
trap cleanup EXIT

# ---------------------------------------------------------------- build gazette
log "building gazette (cargo build --release) in $REPO"
(cd "$REPO" && "$CARGO" build --release --quiet) >&2 || die "cargo build --release failed"
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
[[ "$TARGET_DIR" = /* ]] || TARGET_DIR="$REPO/$TARGET_DIR"
[[ -x "$TARGET_DIR/release/gazette" ]] || die "no binary at $TARGET_DIR/release/gazette after the build"
# Work on a private copy: others may rebuild target/release/gazette meanwhile,
# and every run of this benchmark should time the same binary.
GAZETTE="$WORK/gazette"
cp -f "$TARGET_DIR/release/gazette" "$GAZETTE.tmp" && mv -f "$GAZETTE.tmp" "$GAZETTE"
# The commit the binary was built from (the report comes much later).
head_rev="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
    head_rev="$head_rev (with uncommitted changes)"
fi
GAZETTE_VERSION="$("$GAZETTE" --version 2>/dev/null || echo gazette)"
HUGO_VERSION=""
if [[ $USE_HUGO -eq 1 ]]; then
    HUGO_VERSION="$(hugo version 2>/dev/null | awk '{print $1, $2}')"
fi

# ---------------------------------------------------------------- corpora
GEN_SUM="$(cksum <"$GEN_CORPUS" | awk '{print $1}')"

# Past this size (a multiple of it), the gazette corpus is made of copies of
# the corpus of this size, hard-linked: generating a million articles takes
# too long.
COPIED_FROM=100000

# ensure_corpus FLAVOR N DIR: generate DIR unless its marker says it is already
# the corpus of N articles of FLAVOR from this very generator.
ensure_corpus() {
    local flavor="$1" n="$2" dir="$3"
    local marker="$dir.corpus" want="articles=$n flavor=$flavor seed=1 per_page=50 gen-corpus-cksum=$GEN_SUM"
    if [[ "$flavor" == ours && $n -gt $COPIED_FROM && $((n % COPIED_FROM)) -eq 0 ]]; then
        want="$want copies-of=$COPIED_FROM"
    fi
    if [[ -f "$marker" && -d "$dir/content" && "$(cat "$marker")" == "$want" ]]; then
        log "reusing $flavor corpus of $n articles: $dir"
        return
    fi
    if [[ "$want" == *copies-of=* ]]; then
        copied_corpus "$n" "$dir"
        echo "$want" >"$marker"
        return
    fi
    rm -f "$marker"
    [[ -e "$dir" ]] && DELETED=1   # gen-corpus --force replaces the old files
    log "generating $flavor corpus of $n articles: $dir"
    "$GEN_CORPUS" --articles "$n" --flavor "$flavor" --out "$dir" --force 2>>"$LOGS/gen-corpus.log" \
        || die "gen-corpus failed for $dir (see $LOGS/gen-corpus.log)"
    if [[ "$flavor" == ours ]]; then
        # Same pagination as the hugo flavour (paginate = 50), so both tools
        # produce the same lists.
        grep -q '^per_page' "$dir/site.toml" || echo 'per_page = 50' >>"$dir/site.toml"
    fi
    echo "$want" >"$marker"
}

# copied_corpus N DIR: N / COPIED_FROM renamed copies of the corpus of
# COPIED_FROM articles, hard links to its files: copy K of
# content/YYYY/MM/<slug>.md is content/YYYY/MM/<slug>-cK.md, so every
# article has a page of its own (the slug comes from the file name).
copied_corpus() {
    local n="$1" dir="$2" base="$WORK/ours-$COPIED_FROM"
    ensure_corpus ours "$COPIED_FROM" "$base"
    [[ -e "$dir" ]] && DELETED=1
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$base/site.toml" "$dir/"
    [[ -d "$base/data" ]] && cp -r "$base/data" "$dir/"
    log "linking $((n / COPIED_FROM)) renamed copies of $base into $dir"
    python3 - "$base/content" "$dir/content" "$((n / COPIED_FROM))" <<'PY' \
        || die "could not link the copies into $dir"
import os, sys
src, dst, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
for folder, _, files in os.walk(src):
    rel = os.path.relpath(folder, src)
    os.makedirs(os.path.join(dst, rel), exist_ok=True)
    for name in files:
        stem, ext = os.path.splitext(name)
        for k in range(copies):
            target = f"{stem}-c{k}{ext}" if ext == ".md" else (name if k == 0 else None)
            if target:
                os.link(os.path.join(folder, name), os.path.join(dst, rel, target))
PY
}

# ---------------------------------------------------------------- measuring
# timed LOGFILE CMD...: runs CMD under GNU time; sets T_WALL T_USER T_SYS T_RSS.
timed() {
    local logfile="$1"; shift
    local tf="$WORK/.time.$$"
    if ! "$TIME" -f '%e %U %S %M' -o "$tf" -- "$@" >"$logfile" 2>&1; then
        echo "---- last lines of $logfile:" >&2
        tail -n 30 "$logfile" >&2 || true
        die "command failed: $*"
    fi
    read -r T_WALL T_USER T_SYS T_RSS < <(tail -n 1 "$tf")
    rm -f "$tf"
}

# median V...: the median of the numbers (mean of the middle two if even).
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
        END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

count_html() { find "$1" -type f -name '*.html' | wc -l | tr -d ' '; }
# Hugo writes a meta-refresh alias page (e.g. page/1/ -> the list itself) for
# every paginated list; those are counted in "pages" but reported separately.
count_redirects() {
    { grep -rlE --include='*.html' 'http-equiv="?refresh' "$1" || true; } | wc -l | tr -d ' '
}
count_files() { find "$1" -type f | wc -l | tr -d ' '; }
# Flush first: on ext4, du right after a build can still count blocks reserved
# for delayed allocation.
size_mb() { sync -f "$1" 2>/dev/null || sync; du -sm "$1" | awk '{print $1}'; }

# Each run writes a directory of its own and the previous run's writes are
# flushed first, so a flush left pending is not charged to the next tool.
settle() { sync; sleep 2; }

# Nothing is deleted between the timed runs of a size: ext4 without a
# journal (as on these machines) will not reuse an inode freed less than
# 60 s (360 s while its inode table block is dirty) ago (kernel:
# recently_deleted() in fs/ext4/ialloc.c), and
# looking past thousands of them (rm -rf of an output) tripled the system
# time of both tools in our runs. So old outputs are removed first, and the
# runs start once that window has passed.
QUIET_SECS="${QUIET_SECS:-370}"
DELETED=0         # set when a corpus was generated again over an old one
clear_outputs() {  # clear_outputs N: remove earlier outputs of size N, then wait
    local old=("$WORK"/out-*-"$1"-r*)
    if [[ -e "${old[0]}" ]]; then
        log "removing ${#old[@]} earlier output(s) of $1 articles"
        rm -rf "${old[@]}"
        DELETED=1
    fi
    [[ $DELETED -eq 1 ]] || return 0
    log "waiting ${QUIET_SECS}s for ext4 to reuse the freed inodes"
    sync
    sleep "$QUIET_SECS"
    DELETED=0
}

run_gazette() {   # run_gazette N RUN
    local n="$1" r="$2" out="$WORK/out-gazette-$1-r$2"
    settle
    timed "$LOGS/gazette-$n-run$r.log" "$GAZETTE" build -r "$WORK/ours-$n" -o "$out"
}

run_hugo() {      # run_hugo N RUN
    local n="$1" r="$2" out="$WORK/out-hugo-$1-r$2" src="$WORK/hugo-$1" cache
    rm -f "$src/.hugo_build.lock"
    cache="$(mktemp -d "$WORK/hugo-cache.XXXXXX")"; TMPS+=("$cache")   # removed on exit
    settle
    timed "$LOGS/hugo-$n-run$r.log" hugo --source "$src" --destination "$out" \
        --cacheDir "$cache" --cleanDestinationDir --quiet
}

# ---------------------------------------------------------------- benchmark
declare -A WALLS CPUS RSSS PAGES REDIRECTS SIZE RB_WALLS RB_CHANGED RB_NAMES RB_FILES
# tools_for N: the tools timed on N articles (sets TOOLS).
tools_for() {
    TOOLS=(gazette)
    if [[ $USE_HUGO -eq 1 ]] && [[ $HUGO_MAX -eq 0 || $1 -le $HUGO_MAX ]]; then
        TOOLS+=(hugo)
    fi
}

for n in "${SIZES[@]}"; do
    tools_for "$n"
    ensure_corpus ours "$n" "$WORK/ours-$n"
    [[ ${#TOOLS[@]} -eq 2 ]] && ensure_corpus hugo "$n" "$WORK/hugo-$n"
    rm -rf "$WORK/hugo-$n/resources"
    clear_outputs "$n"

    for ((r = 1; r <= RUNS; r++)); do
        for tool in "${TOOLS[@]}"; do     # alternate tools within each run
            log "$tool, $n articles, run $r/$RUNS"
            "run_$tool" "$n" "$r"
            WALLS[$tool,$n]+="$T_WALL "
            CPUS[$tool,$n]+="$(calc '%.2f' "$T_USER + $T_SYS") "
            RSSS[$tool,$n]+="$T_RSS "
            log "  wall ${T_WALL}s, user ${T_USER}s, sys ${T_SYS}s, peak RSS $((T_RSS / 1024)) MB"
        done
    done
    for tool in "${TOOLS[@]}"; do
        last="$WORK/out-$tool-$n-r$RUNS"
        PAGES[$tool,$n]="$(count_html "$last")"
        REDIRECTS[$tool,$n]="$(count_redirects "$last")"
        SIZE[$tool,$n]="$(size_mb "$last")"
        for ((r = 1; r < RUNS; r++)); do rm -rf "$WORK/out-$tool-$n-r$r"; done
    done
    [[ $RUNS -gt 1 ]] && DELETED=1   # the next size waits for those inodes

    # No-change rebuild: gazette into its already built output directory.
    out="$WORK/out-gazette-$n-r$RUNS"
    mark="$WORK/.rebuild-marker"
    for ((r = 1; r <= RUNS; r++)); do
        log "gazette no-change rebuild, $n articles, run $r/$RUNS"
        touch "$mark"
        sleep 1   # anything the rebuild writes gets a strictly newer mtime
        timed "$LOGS/gazette-$n-rebuild$r.log" "$GAZETTE" build -r "$WORK/ours-$n" -o "$out"
        list="$LOGS/gazette-$n-rebuild$r.changed"
        (cd "$out" && find . -newer "$mark" -type f | sed 's#^\./##' | sort) >"$list"
        changed="$(wc -l <"$list" | tr -d ' ')"
        RB_WALLS[$n]+="$T_WALL "
        RB_CHANGED[$n]+="$changed "
        if [[ -z "${RB_NAMES[$n]:-}" && "$changed" -gt 0 ]]; then
            RB_NAMES[$n]="$(head -n 3 "$list" | paste -sd ' ' -)"
            [[ "$changed" -le 3 ]] || RB_NAMES[$n]+=" ..."
        fi
        log "  wall ${T_WALL}s, $changed files changed"
    done
    rm -f "$mark"
    RB_FILES[$n]="$(count_files "$out")"
done

# ---------------------------------------------------------------- report
mem_gb="$(free -g | awk '/^Mem:/ {print $2}')"
cpu_model="$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)"

echo "# gazette benchmark"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "- commit: $head_rev"
echo "- machine: $(nproc) CPUs${cpu_model:+ ($cpu_model)}, ${mem_gb} GB RAM (free -g total)"
echo "- tools: $GAZETTE_VERSION (release build)${HUGO_VERSION:+, $HUGO_VERSION}"
echo "- runs: $RUNS per tool and size, medians reported; every full build into an empty directory"
echo
echo "## Full build"
echo
echo "| tool | articles | pages | wall s (median) | CPU s (user+sys) | peak MB | output MB | ratio to Hugo (wall) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for n in "${SIZES[@]}"; do
    tools_for "$n"
    hugo_wall=""
    [[ ${#TOOLS[@]} -eq 2 ]] && hugo_wall="$(median ${WALLS[hugo,$n]})"
    for tool in "${TOOLS[@]}"; do
        wall="$(median ${WALLS[$tool,$n]})"
        cpu="$(median ${CPUS[$tool,$n]})"
        rss="$(median ${RSSS[$tool,$n]})"
        if [[ -n "$hugo_wall" ]] && awk "BEGIN { exit !($hugo_wall > 0) }"; then
            ratio="$(calc '%.2f' "$wall / $hugo_wall")"
        else
            ratio="n/a"
        fi
        printf '| %s | %s | %s | %.2f | %.2f | %.0f | %s | %s |\n' \
            "$tool" "$n" "${PAGES[$tool,$n]}" "$wall" "$cpu" "$(calc '%.1f' "$rss / 1024")" \
            "${SIZE[$tool,$n]}" "$ratio"
    done
done
echo
echo "pages counts every *.html file; of those, meta-refresh redirect stubs (Hugo's page/1/ aliases):"
for n in "${SIZES[@]}"; do
    tools_for "$n"
    line="- $n articles:"
    for tool in "${TOOLS[@]}"; do line+=" $tool ${REDIRECTS[$tool,$n]},"; done
    echo "${line%,}"
done
echo
if [[ ${#SIZES[@]} -gt 1 ]]; then
    echo "## Scaling (gazette, median wall time against the previous size)"
    echo
    echo "| articles | wall s | articles x | wall x | CPU x |"
    echo "|---:|---:|---:|---:|---:|"
    prev=""
    for n in "${SIZES[@]}"; do
        wall="$(median ${WALLS[gazette,$n]})"
        cpu="$(median ${CPUS[gazette,$n]})"
        if [[ -z "$prev" ]]; then
            printf '| %s | %.2f | - | - | - |\n' "$n" "$wall"
        else
            printf '| %s | %.2f | %s | %s | %s |\n' "$n" "$wall" \
                "$(calc '%.1f' "$n / $prev")" \
                "$(calc '%.2f' "$wall / $(median ${WALLS[gazette,$prev]})")" \
                "$(calc '%.2f' "$cpu / $(median ${CPUS[gazette,$prev]})")"
        fi
        prev="$n"
    done
    echo
fi
echo "## No-change rebuild (gazette, into the already built output)"
echo
echo "| tool | articles | files in output | wall s (median) | files with changed mtime (max) | which |"
echo "|---|---:|---:|---:|---:|---|"
for n in "${SIZES[@]}"; do
    max_changed="$(printf '%s\n' ${RB_CHANGED[$n]} | sort -n | tail -n 1)"
    names="${RB_NAMES[$n]:-}"
    printf '| gazette | %s | %s | %.2f | %s | %s |\n' \
        "$n" "${RB_FILES[$n]}" "$(median ${RB_WALLS[$n]})" "$max_changed" "${names:--}"
done
echo
echo "Logs: $LOGS"
