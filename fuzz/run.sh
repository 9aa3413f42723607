#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), one after another,
# starting from the seed corpus (seeds/, made from the test fixtures) and
# keeping what each run found in corpus/<target>/. Crashes land in
# artifacts/<target>/: make each one a regression test.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# Needs the nightly toolchain and cargo-fuzz (cargo install cargo-fuzz).
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(front_matter article slug markdown site_build)
# The seed corpus, made from the test fixtures and the example site each
# run (so that it follows them): articles for the file-level targets, the
# names of the example's people for the slug target.
rm -rf seeds
mkdir -p seeds/front_matter seeds/article seeds/markdown seeds/site_build seeds/slug
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  for t in front_matter article markdown site_build; do cp "$f" "seeds/$t/$n.md"; done
done < <(find ../tests/fixtures ../content -name '*.md' -print0)
for seed in ../../shared/seed/*.txt; do [ -f "$seed" ] && cp "$seed" seeds/markdown/; done
grep -h '^- name: ' ../data/people.yaml | sed 's/^- name: //' | awk '{ print > ("seeds/slug/" NR) }'
printf 'Олена Коваль' > seeds/slug/cyrillic
printf 'C++' > seeds/slug/punct

found=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  echo "== $t: ${seconds}s" >&2
  # A crash stops that target, not the others.
  if ! cargo +nightly fuzz run "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    > "logs-$t.txt" 2>&1; then
    found=1
    echo "   FOUND a crash or hang: see logs-$t.txt and artifacts/$t/" >&2
  fi
  grep -E "^#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::peak_rss_mb|panicked at" "logs-$t.txt" | tail -4 >&2
done
exit "$found"
