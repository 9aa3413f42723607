#!/usr/bin/env bash
# Photos: gazette against Hugo on an archive where every article has a real
# photograph, both making the same copies (five widths, three crops, a 4x3
# thumbnail) at JPEG quality 80 with a Lanczos filter.
#
#   bench/photos.sh [--articles 1000] [--runs 3] [--hugo-runs N] [--work DIR]
#
# The photographs are the 2560x1600 JPEGs of Debian's
# plasma-workspace-wallpapers (`apt-get download`, once, into WORK: never at
# test time), reused under other names; each copy gets its article's number
# appended after the JPEG's end, so that every file is a photo of its own to
# both tools (gazette names its cache by content: identical bytes would be
# made once). Each run, alternating:
#   gazette cold   empty photo cache (GAZETTE_CACHE_DIR), empty output
#   hugo cold      no resources/_gen, fresh --cacheDir, empty output
#   gazette warm   the cache the cold run left, empty output
#   gazette again  the cache and the output the warm run left (a rebuild)
#   hugo warm      resources/_gen from the cold run, empty output
#   gazette none   the same archive without photos, empty output
# under /usr/bin/time (wall seconds, peak resident MB), and before them
#   serve cold     `gazette serve` with empty caches: its first page, and
#                  the rebuild once its photos are finished in the background;
# medians are reported.
set -euo pipefail

die() { echo "bench/photos.sh: error: $*" >&2; exit 1; }
log() { echo "[photos] $*" >&2; }

N=1000
RUNS=3
HUGO_RUNS=""      # Hugo in the first N runs only (its cold build is slow)
WORK=/tmp/gazette-photos
while [[ $# -gt 0 ]]; do
    case "$1" in
        --articles) N="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --hugo-runs) HUGO_RUNS="$2"; shift 2 ;;
        --work) WORK="$2"; shift 2 ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        *) die "unknown argument: $1" ;;
    esac
done
[[ "$N" =~ ^[1-9][0-9]*$ ]] || die "--articles must be a positive integer"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
HUGO_RUNS="${HUGO_RUNS:-$RUNS}"
[[ "$HUGO_RUNS" =~ ^[0-9]+$ ]] || die "--hugo-runs must be a number"
command -v hugo >/dev/null || die "hugo is not installed (apt-get install hugo)"
[[ -x /usr/bin/time ]] || die "GNU time is needed at /usr/bin/time (apt-get install time)"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
GEN_CORPUS="${GEN_CORPUS:-$REPO/../shared/tools/gen-corpus}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"

log "building gazette (release)"
(cd "$REPO" && cargo build --release --quiet)
cp "$REPO/target/release/gazette" "$WORK/gazette"

# ------------------------------------------------------------ photographs
WALL="$WORK/wallpapers"
if [[ ! -d "$WALL/usr/share/wallpapers" ]]; then
    log "fetching plasma-workspace-wallpapers (Debian) into $WORK"
    (cd "$WORK" && apt-get download plasma-workspace-wallpapers >/dev/null 2>&1) \
        || die "apt-get download plasma-workspace-wallpapers failed"
    dpkg-deb -x "$WORK"/plasma-workspace-wallpapers_*.deb "$WALL"
fi
mapfile -t PHOTOS < <(find "$WALL/usr/share/wallpapers" -path '*/images/2560x1600.jpg' | sort)
[[ ${#PHOTOS[@]} -gt 0 ]] || die "no 2560x1600 photographs found under $WALL"
log "${#PHOTOS[@]} photographs of 2560x1600, reused for $N articles"

# ------------------------------------------------------------ archives
OURS="$WORK/ours-$N"
HUGO="$WORK/hugo-$N"
PLAIN="$WORK/plain-$N"
if [[ ! -f "$WORK/ready-$N" ]]; then
    rm -rf "$OURS" "$HUGO" "$PLAIN"
    "$GEN_CORPUS" --articles "$N" --out "$PLAIN" >/dev/null
    "$GEN_CORPUS" --articles "$N" --out "$HUGO" --flavor hugo >/dev/null
    cp -r "$PLAIN" "$OURS"
    mkdir -p "$HUGO/assets/photos"
    i=0
    while IFS= read -r md; do
        photo="${PHOTOS[$((i % ${#PHOTOS[@]}))]}"
        base="$(basename "$md" .md)"
        { cat "$photo"; printf '\n%d\n' "$i"; } > "$(dirname "$md")/$base.jpg"
        sed -i "0,/^---\$/s//---\nimage: {src: $base.jpg, alt: \"Photo $i\"}/" "$md"
        i=$((i + 1))
    done < <(find "$OURS/content" -name '*.md' | sort)
    i=0
    while IFS= read -r md; do
        photo="${PHOTOS[$((i % ${#PHOTOS[@]}))]}"
        { cat "$photo"; printf '\n%d\n' "$i"; } > "$HUGO/assets/photos/$i.jpg"
        sed -i "0,/^---\$/s//---\nimage: photos\/$i.jpg/" "$md"
        i=$((i + 1))
    done < <(find "$HUGO/content" -name '*.md' | sort)
    cat >> "$HUGO/config.toml" <<'EOF'

[imaging]
  quality = 80
  resampleFilter = "Lanczos"
EOF
    # The same copies as gazette's: five widths, three crops, a thumbnail.
    python3 - "$HUGO/layouts/_default/single.html" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
block = '''{{ with .Params.image }}{{ with resources.Get . }}{{ $img := . }}
{{ $set := slice }}{{ range slice 480 800 1200 1600 2400 }}{{ if lt . $img.Width }}{{ $r := $img.Resize (printf "%dx" .) }}{{ $set = $set | append (printf "%s %dw" $r.RelPermalink $r.Width) }}{{ end }}{{ end }}
{{ $a := $img.Fill "1200x675 Center" }}{{ $b := $img.Fill "1200x900 Center" }}{{ $c := $img.Fill "1200x1200 Center" }}{{ $t := $img.Fill "320x240 Center" }}
<figure><img src="{{ ($img.Resize "800x").RelPermalink }}" srcset="{{ delimit $set ", " }}" width="{{ $img.Width }}" height="{{ $img.Height }}" alt="">
<meta itemprop="image" content="{{ $a.RelPermalink }} {{ $b.RelPermalink }} {{ $c.RelPermalink }} {{ $t.RelPermalink }}"></figure>
{{ end }}{{ end }}
'''
s = s.replace('<h1>{{ .Title }}</h1>', '<h1>{{ .Title }}</h1>\n' + block, 1)
open(p, 'w').write(s)
EOF
    touch "$WORK/ready-$N"
fi

# ------------------------------------------------------------ runs
declare -A WALLS RSS
# timed NAME CMD...: runs CMD under GNU time, appends wall and peak MB.
timed() {
    local name="$1"; shift
    sync
    /usr/bin/time -f '%e %M' -o "$WORK/time.txt" "$@" >"$WORK/$name.log" 2>&1 \
        || { cat "$WORK/$name.log" >&2; die "$name failed"; }
    read -r wall kb <"$WORK/time.txt"
    WALLS[$name]+="$wall "
    RSS[$name]+="$((kb / 1024)) "
    log "$name: ${wall}s, $((kb / 1024)) MB"
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# serve_cold: `gazette serve` on the photo archive with an empty photo
# cache and no article cache: seconds to its first page (a 200 for /), and
# to its log's rebuild "after photos finished in the background" (every
# photo decoded, its colour on the pages).
serve_cold() {
    local port=$((20000 + RANDOM % 20000)) log="$WORK/serve-cold.log" t0 t1 t2 pid
    # A temporary folder of its own: no articles kept from an earlier start.
    rm -rf "$WORK/cache-serve" "$WORK/out-serve" "$WORK/tmp-serve"
    mkdir -p "$WORK/tmp-serve"
    sync
    t0=$(date +%s.%N)
    TMPDIR="$WORK/tmp-serve" GAZETTE_CACHE_DIR="$WORK/cache-serve" "$G" serve -r "$OURS" --output-dir "$WORK/out-serve" \
        --port "$port" >"$log" 2>&1 &
    pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; die "serve stopped"; }
        sleep 0.05
    done
    t1=$(date +%s.%N)
    until grep -q "after photos finished in the background" "$log"; do
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; die "serve stopped"; }
        sleep 0.2
    done
    t2=$(date +%s.%N)
    kill "$pid"; wait "$pid" 2>/dev/null || true
    WALLS[serve-first-page]+="$(echo "$t1 - $t0" | bc) "
    WALLS[serve-photos-done]+="$(echo "$t2 - $t0" | bc) "
    log "serve cold: first page $(echo "$t1 - $t0" | bc)s, photos done $(echo "$t2 - $t0" | bc)s"
}

G="$WORK/gazette"
for r in $(seq 1 "$RUNS"); do
    serve_cold
    rm -rf "$WORK/cache" "$WORK/out-g" "$WORK/out-h" "$HUGO/resources" "$WORK/hugo-cache"
    GAZETTE_CACHE_DIR="$WORK/cache" timed gazette-cold "$G" build -r "$OURS" -o "$WORK/out-g"
    if [[ $r -le $HUGO_RUNS ]]; then
        timed hugo-cold hugo --source "$HUGO" --destination "$WORK/out-h" --cacheDir "$WORK/hugo-cache" --quiet
    fi
    rm -rf "$WORK/out-g" "$WORK/out-h"
    GAZETTE_CACHE_DIR="$WORK/cache" timed gazette-warm "$G" build -r "$OURS" -o "$WORK/out-g"
    GAZETTE_CACHE_DIR="$WORK/cache" timed gazette-again "$G" build -r "$OURS" -o "$WORK/out-g"
    if [[ $r -le $HUGO_RUNS ]]; then
        timed hugo-warm hugo --source "$HUGO" --destination "$WORK/out-h" --cacheDir "$WORK/hugo-cache" --quiet
        h_files="$(find "$WORK/out-h" -name '*.jpg' | wc -l)" || true
        h_bytes="$(find "$WORK/out-h" -name '*.jpg' -printf '%s\n' | awk '{s+=$1} END {print s+0}')" || true
    fi
    rm -rf "$WORK/out-plain"
    timed gazette-none "$G" build -r "$PLAIN" -o "$WORK/out-plain"
done

g_photos="$(find "$WORK/out-g/photos" -type f | wc -l)" || true
g_bytes="$(du -sb "$WORK/out-g/photos" | cut -f1)" || true
h_files="${h_files:-0}"
h_bytes="${h_bytes:-0}"
echo "## Photos: $N articles, each with a 2560x1600 photograph ($(nproc) cores; medians of $RUNS runs, Hugo's of $HUGO_RUNS)"
echo
echo "| build | wall s | peak MB |"
echo "|---|---:|---:|"
for name in gazette-cold hugo-cold gazette-warm gazette-again hugo-warm gazette-none; do
    [[ -n "${WALLS[$name]:-}" ]] || continue
    # shellcheck disable=SC2086
    echo "| $name | $(median ${WALLS[$name]}) | $(median ${RSS[$name]}) |"
done
# shellcheck disable=SC2086
echo "| serve, cold: first page | $(median ${WALLS[serve-first-page]}) | |"
# shellcheck disable=SC2086
echo "| serve, cold: photos finished | $(median ${WALLS[serve-photos-done]}) | |"
echo
echo "Each run's figures: $(for k in gazette-cold hugo-cold gazette-warm gazette-again hugo-warm gazette-none serve-first-page serve-photos-done; do printf '%s %s; ' "$k" "${WALLS[$k]:-}"; done)"
echo
echo "Copies: gazette $g_photos files, $((g_bytes / N / 1024)) KB per photo; Hugo $h_files files, $((h_bytes / N / 1024)) KB per photo."
