#!/usr/bin/env bash
# Benchmark gazette's search index against the Pagefind CLI.
#
#   bench/search.sh [--articles "10000 100000"] [--runs 3] [--work DIR] [--pagefind-max N]
#
# For each size: gazette builds the archive with search and without
# (`[search] enabled = false`, same content), alternating; up to
# --pagefind-max articles, Hugo builds the same archive (`--flavor hugo`)
# and the Pagefind CLI indexes Hugo's output, in the same run. Then the
# index's size and file count, and what a browser downloads and how long
# the client takes for a one-word and a three-word query with a filter
# (bench/search_query.js, the real client under node). Progress goes to
# stderr, the markdown report to stdout.
#
# Needs node; Hugo (apt-get install hugo) and Pagefind (npm install
# pagefind; set PAGEFIND=path/to/node_modules/.bin/pagefind) for the
# comparison.
set -euo pipefail

ARTICLES="10000"
RUNS=3
WORK=/tmp/gazette-bench
PAGEFIND_MAX=10000
while [[ $# -gt 0 ]]; do
    case "$1" in
        --articles) ARTICLES="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --work) WORK="$2"; shift 2 ;;
        --pagefind-max) PAGEFIND_MAX="$2"; shift 2 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "bench/search.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GEN_CORPUS="${GEN_CORPUS:-$REPO/../shared/tools/gen-corpus}"
PAGEFIND="${PAGEFIND:-pagefind}"
log() { echo "[search-bench] $*" >&2; }
mkdir -p "$WORK/logs"
LOGS="$WORK/logs"

log "building gazette (release)"
(cd "$REPO" && cargo build --release --quiet)
GAZETTE="$REPO/target/release/gazette"
HAVE_HUGO=0; command -v hugo >/dev/null && HAVE_HUGO=1
HAVE_PAGEFIND=0; command -v "$PAGEFIND" >/dev/null && HAVE_PAGEFIND=1
[[ $HAVE_HUGO -eq 1 && $HAVE_PAGEFIND -eq 1 ]] || log "no hugo or no pagefind: gazette only"

# timed LOG CMD...: runs CMD, sets T_WALL (s), T_CPU (s) and T_RSS (MB).
timed() {
    local out="$1"; shift
    /usr/bin/time -f '%e %U %S %M' -o "$out.time" "$@" >"$out" 2>&1
    read -r T_WALL u s rss <"$out.time"
    T_CPU="$(awk "BEGIN { printf \"%.2f\", $u + $s }")"
    T_RSS="$((rss / 1024))"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
corpus() {   # corpus FLAVOR N DIR
    [[ -d "$3/content" ]] && return
    log "generating $1 corpus of $2 articles"
    "$GEN_CORPUS" --articles "$2" --flavor "$1" --out "$3" --force >>"$LOGS/gen.log" 2>&1
}

declare -A W C R TOOLS
REPORT_SIZES=()
for n in $ARTICLES; do
    ours="$WORK/search-ours-$n"; off="$WORK/search-off-$n"; hugo_src="$WORK/search-hugo-$n"
    corpus ours "$n" "$ours"
    mkdir -p "$off"
    { cat "$ours/site.toml"; printf '\n[search]\nenabled = false\n'; } >"$off/site.toml"
    ln -sfn "$ours/content" "$off/content"
    tools=(gazette gazette-nosearch)
    if [[ $HAVE_HUGO -eq 1 && $HAVE_PAGEFIND -eq 1 && $n -le $PAGEFIND_MAX ]]; then
        corpus hugo "$n" "$hugo_src"
        tools+=(hugo pagefind)
    fi
    for ((r = 1; r <= RUNS; r++)); do
        for tool in "${tools[@]}"; do
            log "$tool, $n articles, run $r/$RUNS"
            case "$tool" in
                gazette) rm -rf "$WORK/so-$n"; timed "$LOGS/g-$n-$r" "$GAZETTE" build -r "$ours" -o "$WORK/so-$n" ;;
                gazette-nosearch) rm -rf "$WORK/sn-$n"; timed "$LOGS/n-$n-$r" "$GAZETTE" build -r "$off" -o "$WORK/sn-$n" ;;
                hugo) rm -rf "$WORK/sh-$n"; timed "$LOGS/h-$n-$r" hugo --source "$hugo_src" --destination "$WORK/sh-$n" --quiet ;;
                pagefind) rm -rf "$WORK/sh-$n/pagefind"; timed "$LOGS/p-$n-$r" "$PAGEFIND" --site "$WORK/sh-$n" ;;
            esac
            W[$tool,$n]+="$T_WALL "; C[$tool,$n]+="$T_CPU "; R[$tool,$n]+="$T_RSS "
            log "  wall ${T_WALL}s, CPU ${T_CPU}s, peak ${T_RSS} MB"
        done
    done
    REPORT_SIZES+=("$n")
    TOOLS[$n]="${tools[*]}"
done

echo "# gazette search benchmark"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$REPO" rev-parse --short HEAD)"
echo "- machine: $(nproc) CPUs, $(free -g | awk '/^Mem:/ {print $2}') GB; runs: $RUNS per tool, alternating, medians"
versions="$("$GAZETTE" --version)"
[[ $HAVE_HUGO -eq 1 ]] && versions+=", $(hugo version 2>/dev/null | awk '{print $1, $2}')"
[[ $HAVE_PAGEFIND -eq 1 ]] && versions+=", pagefind $("$PAGEFIND" --version 2>/dev/null | awk '{print $NF}')"
echo "- $versions"
echo
echo "| articles | tool | wall s | CPU s | peak MB |"
echo "|---:|---|---:|---:|---:|"
for n in "${REPORT_SIZES[@]}"; do
    for tool in ${TOOLS[$n]}; do
        printf '| %s | %s | %.2f | %.2f | %s |\n' "$n" "$tool" "$(median ${W[$tool,$n]})" \
            "$(median ${C[$tool,$n]})" "$(median ${R[$tool,$n]})"
    done
done
echo
echo "| articles | index | MB | files | largest file KB |"
echo "|---:|---|---:|---:|---:|"
for n in "${REPORT_SIZES[@]}"; do
    for dir in "$WORK/so-$n/search" "$WORK/sh-$n/pagefind"; do
        [[ -d "$dir" ]] || continue
        name=gazette; [[ "$dir" == *pagefind ]] && name=pagefind
        printf '| %s | %s | %.1f | %s | %.1f |\n' "$n" "$name" \
            "$(du -sb "$dir" | awk '{print $1 / 1048576}')" "$(find "$dir" -type f | wc -l)" \
            "$(find "$dir" -type f -printf '%s\n' | sort -n | tail -1 | awk '{print $1 / 1024}')"
    done
done
echo
echo "Queries through the real client (bench/search_query.js): results, KB a browser downloads with an"
echo "empty cache (entry, shards, counted filters, ranks for relevance, the pairs of words of a phrase, the first"
echo "page of 10 records and the article pages of their excerpts; and gzipped, as a host that compresses"
echo "sends them), ms once loaded (median of 20), excerpts shown."
echo
echo "| articles | query | results | KB | KB gzipped | ms | excerpts |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for n in "${REPORT_SIZES[@]}"; do
    person="$(node -e "console.log(require('$WORK/so-$n/search/index.json').filters.person[0][0])")"
    node "$REPO/bench/search_query.js" "$WORK/so-$n" \
        '{"q":"ceasefire"}' \
        "{\"q\":\"ceasefire talks ukraine\",\"filters\":{\"person\":[\"$person\"]}}" \
        '{"q":"ceasefire","sort":"relevance"}' \
        '{"q":"ceasefire talks ukraine","counts":false,"sort":"relevance"}' \
        '{"q":"negotiate"}' \
        '{"q":"sanction","sort":"relevance"}' \
        '{"q":"\"security guarantees\""}' \
        "{\"q\":\"\\\"prime minister\\\" ceasefire\",\"filters\":{\"person\":[\"$person\"]}}" |
        while IFS=$'\t' read -r q res kb gz ms ex; do printf '| %s | `%s` | %s | %s | %s | %s | %s |\n' "$n" "$q" "$res" "$kb" "$gz" "$ms" "$ex"; done
done
