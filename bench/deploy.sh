#!/usr/bin/env bash
# Publishing side by side: `gazette deploy`, `aws s3 sync` and `hugo deploy`
# to the same S3-protocol server on loopback (moto_server, from PyPI's
# moto[server]), each into a fresh bucket of its own, on one built archive.
#
#   bench/deploy.sh SITE [ROUNDS] [BIN]
#
# SITE is a gazette site (e.g. a gen-corpus archive); it is copied into a
# work folder (WORK, default /dev/shm/gazette-deploy-bench) and built there
# once. Each round starts a fresh moto_server and, rotating which tool goes
# first, times for each tool:
#   first  - a full deploy into an empty bucket
#   again  - a redeploy with nothing changed
#   edit   - a redeploy after one article's body was edited and the site
#            rebuilt by gazette (the build is not timed; all three tools
#            publish the same rebuilt folder)
# and counts the requests moto answered during each (its log, one line a
# request). The manifest files are excluded from aws's and hugo's uploads,
# as gazette does not publish them. Prints a table of medians over ROUNDS
# (default 3) and every run to stderr. TOOLS="gazette aws" leaves Hugo out.
set -euo pipefail

site=${1:?usage: bench/deploy.sh SITE [ROUNDS] [BIN]}
rounds=${2:-3}
bin=${3:-$(cd "$(dirname "$0")/.." && pwd)/target/release/gazette}
work=${WORK:-/dev/shm/gazette-deploy-bench}
port=${PORT:-5199}
endpoint="http://127.0.0.1:$port"

for tool in moto_server aws curl bc "$bin"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing: $tool" >&2; exit 1; }
done

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1
export GAZETTE_CACHE_DIR="$work/cache" AWS_PAGER=""
rm -rf "$work" && mkdir -p "$work"
cp -r "$site" "$work/site"
rm -rf "$work/site/public"
"$bin" build -q -r "$work/site"
files=$(find "$work/site/public" -type f | wc -l)
echo "site: $(find "$work/site/content" -name '*.md' | wc -l) articles, $files files" >&2

moto_pid=
stop_moto() { [ -n "$moto_pid" ] && kill "$moto_pid" 2>/dev/null && wait "$moto_pid" 2>/dev/null; moto_pid=; }
trap stop_moto EXIT
start_moto() {
  stop_moto
  : >"$work/moto.log"
  moto_server -H 127.0.0.1 -p "$port" >>"$work/moto.log" 2>&1 &
  moto_pid=$!
  for _ in $(seq 100); do curl -s -o /dev/null "$endpoint" && return; sleep 0.1; done
  echo "moto_server did not start" >&2; exit 1
}
requests() { grep -c '" [0-9][0-9][0-9] ' "$work/moto.log" || true; }

# The per-tool configuration, pointing at bucket $1.
configure() {
  local bucket=$1
  sed -i '/^\[\[deploy\]\]/,$d' "$work/site/site.toml"
  printf '[[deploy]]\nname = "bench"\nurl = "s3://%s-g"\nendpoint = "%s"\n' "$bucket" "$endpoint" >>"$work/site/site.toml"
  mkdir -p "$work/hugo"
  cat >"$work/hugo/config.toml" <<EOF
baseURL = "https://example.org/"
publishDir = "$work/site/public"
[deployment]
[[deployment.targets]]
name = "bench"
URL = "s3://$bucket-h?endpoint=$endpoint&s3ForcePathStyle=true&disableSSL=true&region=us-east-1"
exclude = "**.gazette-manifest*"
EOF
}

deploy_with() {
  local tool=$1 bucket=$2
  case $tool in
    gazette) "$bin" deploy -r "$work/site" 2>&1 | tail -1 ;;
    aws) aws --endpoint-url "$endpoint" s3 sync "$work/site/public" "s3://$bucket-a" \
           --exclude ".gazette-manifest*" --only-show-errors --no-progress ;;
    hugo) (cd "$work/hugo" && hugo deploy --target bench 2>&1 | grep -i -E "identified|no changes" || true) ;;
  esac
}

results="$work/results"
: >"$results"
timed() { # tool phase bucket
  local before after t0 t1
  before=$(requests)
  t0=$(date +%s.%N)
  deploy_with "$1" "$3" >"$work/last.out"
  t1=$(date +%s.%N)
  after=$(requests)
  local secs; secs=$(echo "$t1 - $t0" | bc)
  echo "$1 $2 $secs $((after - before))" >>"$results"
  echo "  $1 $2: ${secs}s, $((after - before)) requests: $(head -c 300 "$work/last.out" | tr '\n' ' ')" >&2
}

read -r -a tools <<<"${TOOLS:-gazette aws hugo}"
article=$(find "$work/site/content" -name '*.md' | sort | sed -n 1p)
for r in $(seq "$rounds"); do
  echo "round $r" >&2
  start_moto
  bucket="r$r-$RANDOM"
  configure "$bucket"
  rm -rf "$GAZETTE_CACHE_DIR"
  for suffix in g a h; do aws --endpoint-url "$endpoint" s3 mb "s3://$bucket-$suffix" >/dev/null; done
  n=${#tools[@]}
  order=("${tools[@]:$(( (r - 1) % n ))}" "${tools[@]:0:$(( (r - 1) % n ))}")
  for t in "${order[@]}"; do timed "$t" first "$bucket"; done
  for t in "${order[@]}"; do timed "$t" again "$bucket"; done
  printf '\nEdited by the deploy benchmark, round %s.\n' "$r" >>"$article"
  "$bin" build -q -r "$work/site"
  for t in "${order[@]}"; do timed "$t" edit "$bucket"; done
done

echo
echo "| tool | first deploy (s) | requests | nothing changed (s) | requests | one article edited (s) | requests |"
echo "|---|---|---|---|---|---|---|"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for t in "${tools[@]}"; do
  row="| $t"
  for phase in first again edit; do
    secs=$(awk -v t="$t" -v p="$phase" '$1==t && $2==p {print $3}' "$results" | median)
    reqs=$(awk -v t="$t" -v p="$phase" '$1==t && $2==p {print $4}' "$results" | median)
    row="$row | $(printf '%.2f' "$secs") | $reqs"
  done
  echo "$row |"
done
echo
echo "Medians of $rounds rounds; $files files; moto_server on loopback, work folder $work."
