#!/usr/bin/env python3
"""An editor saving fast: `gazette serve` started on a fresh output folder,
then, one second after it answered its first page, one article's body saved
twice a second for a minute. Each save's latency is the time from the save
to the first answer of the article's URL that shows it (or a later save).

    bench/fast_saves.py [--articles 10000] [--rounds 3] [--duration 60] [--interval 0.5]
                        [--after-ready] [--gazette BIN [--gazette BIN2 ...]] [--work /tmp/gazette-bench]
                        [--site DIR]

With several --gazette binaries the rounds alternate between them (A, B, A,
B...), each on a fresh output folder, a fresh temporary folder (no
articles kept from an earlier start) and an empty photo cache. Reported per binary: the median, the
90th percentile and the worst save-to-served latency over all rounds, how
many saves took over 100 ms, the background passes the saves started (pages
checked, from the server's `files written` lines), and the server's peak
resident memory. Progress goes to stderr, the markdown report to stdout.
`bench/serve_latency.py --fast-saves` runs the same measurement after its own.
"""

import argparse
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_latency import (  # noqa: E402 -- the sibling script's helpers
    GAZETTE_FILES, REPO, Client, Server, ensure_corpus, first_200, free_port, log, die,
    pick_articles, rss_kb, write_text,
)

FAST_LIMIT_MS = 100.0  # the goal: every save served within this


def percentile(values, p):
    """The p-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100.0 * len(ordered)) - 1))
    return ordered[k]


class Saves:
    """Saves the article every `interval` s for `duration` s on a thread;
    each save appends a paragraph with its number."""

    def __init__(self, art, tag, duration, interval):
        self.art, self.tag = art, tag
        self.duration, self.interval = duration, interval
        self.times = {}  # save number -> perf_counter of the save
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def marker(self, n):
        return f"fastsave{self.tag}n{n}x"

    def start(self):
        self.t0 = time.perf_counter()
        self.thread.start()

    def _run(self):
        text = self.art.text
        sep = "" if text.endswith("\n") else "\n"
        n = 0
        while True:
            n += 1
            due = self.t0 + (n - 1) * self.interval
            if due - self.t0 >= self.duration:
                return
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            with self.lock:
                self.times[n] = time.perf_counter()
            write_text(self.art.path, f"{text}{sep}\nFast save paragraph {self.marker(n)}.\n")

    def done(self):
        return not self.thread.is_alive()


def one_round(binary, ours, art, private, logfile, duration, interval, tag, after_ready=False):
    """One fresh start and a minute of saves; (latencies in ms, server lines, peak RSS kB).
    With `after_ready`, the saves start 1 s after the server's `site ready` line
    (every file written, the search index included) instead of the first page."""
    out = private / "out"
    tmp = private / "tmp"
    for d in (out, tmp):
        shutil.rmtree(d, ignore_errors=True)
    tmp.mkdir(parents=True)
    port = free_port()
    env_tmp = os.environ.get("TMPDIR")
    env_cache = os.environ.get("GAZETTE_CACHE_DIR")
    os.environ["TMPDIR"] = str(tmp)  # no articles kept from an earlier start
    os.environ["GAZETTE_CACHE_DIR"] = str(tmp / "cache")  # nor photo copies
    srv = Server("gazette serve", [str(binary), "serve", "-r", str(ours), "-p", str(port),
                                   "--output-dir", str(out)], logfile)
    for name, value in (("TMPDIR", env_tmp), ("GAZETTE_CACHE_DIR", env_cache)):
        if value is None:
            del os.environ[name]
        else:
            os.environ[name] = value
    try:
        c = Client(port, timeout=60)
        if first_200(srv, c, "/", srv.t_spawn) is None:
            die(f"gazette serve never answered / ; see {logfile}")
        if after_ready and srv.wait_line(re.compile(r"site ready"), srv.t_spawn, 1800) is None:
            die(f"gazette serve never said `site ready`; see {logfile}")
        time.sleep(1.0)
        saves = Saves(art, tag, duration, interval)
        pattern = re.compile(re.escape(f"fastsave{tag}n") + r"(\d+)x")
        served = {}
        saves.start()
        give_up = None
        while True:
            status, body = c.get(art.url)
            now = time.perf_counter()
            m = pattern.search(body) if status == 200 else None
            seen = int(m.group(1)) if m else 0
            with saves.lock:
                pending = [n for n in saves.times if n not in served]
                for n in pending:
                    if n <= seen:
                        served[n] = (now - saves.times[n]) * 1000.0
                all_in = not pending or all(n in served for n in pending)
            if saves.done():
                give_up = give_up or now + 30.0
                if all_in or now > give_up:
                    break
            time.sleep(0.001)
        c.close()
        with saves.lock:
            latencies = [served.get(n) for n in sorted(saves.times)]
        rss = rss_kb(srv.proc.pid, "VmHWM")
        # The background work the saves started, once it is done.
        time.sleep(2.0)
        lines = srv.lines_between(saves.t0)
        return latencies, lines, rss
    finally:
        srv.stop()
        write_text(art.path, art.text)


def background(lines):
    """(passes, pages checked in all) from the `files written` lines."""
    passes = checked = 0
    for line in lines:
        m = GAZETTE_FILES.search(line)
        if m:
            passes += 1
            checked += int(m.group(3)) + int(m.group(4)) + int(m.group(5))
    return passes, checked


def run(binaries, ours, art, work, logs, rounds=3, duration=60.0, interval=0.5, after_ready=False):
    """The measurement over `binaries` (alternating), as a markdown section."""
    private = Path(tempfile.mkdtemp(prefix="fast-saves.", dir=work))
    results = {b: {"lat": [], "passes": 0, "checked": 0, "rss": [], "missed": 0} for b in binaries}
    n = sum(1 for _ in (ours / "content").rglob("*.md"))
    try:
        for r in range(1, rounds + 1):
            for i, b in enumerate(binaries):
                copy = private / f"gazette-{i}"
                if not copy.exists():
                    shutil.copy2(b, copy)
                tag = "%d%d%d" % (r, i, os.getpid() % 1000)
                log(f"fast saves, round {r}/{rounds}: {b}")
                lat, lines, rss = one_round(copy, ours, art, private, logs / f"fast-saves-{n}-{i}-r{r}.log",
                                            duration, interval, tag, after_ready)
                ok = [v for v in lat if v is not None]
                res = results[b]
                res["lat"] += ok
                res["missed"] += len(lat) - len(ok)
                p, c = background(lines)
                res["passes"] += p
                res["checked"] += c
                res["rss"].append(rss)
                if ok:
                    log(f"  {len(ok)} saves: median {statistics.median(ok):.0f} ms, p90 {percentile(ok, 90):.0f} ms, "
                        f"worst {max(ok):.0f} ms; {p} background passes, {c} pages checked; peak RSS "
                        f"{(rss or 0) / 1024:.0f} MB")
    finally:
        shutil.rmtree(private, ignore_errors=True)
    since = "the site was ready (`site ready`)" if after_ready else "the first page answered"
    out = [f"### Fast saves at {n} articles\n",
           f"- {rounds} rounds per binary, alternating; each a fresh start, saves every "
           f"{interval:g} s for {duration:g} s from 1 s after {since}; article {art.url}\n",
           "| binary | saves | median ms | p90 ms | worst ms | over 100 ms | never served | background passes "
           "| pages checked | peak RSS MB |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for b, res in results.items():
        lat = res["lat"]
        if not lat:
            out.append(f"| {b} | 0 | - | - | - | - | {res['missed']} | - | - | - |")
            continue
        over = sum(1 for v in lat if v > FAST_LIMIT_MS)
        rss = max((x for x in res["rss"] if x), default=0) / 1024
        out.append(f"| {b} | {len(lat)} | {statistics.median(lat):.0f} | {percentile(lat, 90):.0f} | "
                   f"{max(lat):.0f} | {over} | {res['missed']} | {res['passes']} | {res['checked']} | {rss:.0f} |")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=3, help="rounds per binary (default 3)")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of saves (default 60)")
    ap.add_argument("--interval", type=float, default=0.5, help="seconds between saves (default 0.5)")
    ap.add_argument("--gazette", action="append", help="a gazette binary (repeat to alternate)")
    ap.add_argument("--work", default="/tmp/gazette-bench")
    ap.add_argument("--site", help="an existing site to edit instead of a generated archive "
                                   "(e.g. bench/photos.sh's WORK/ours-1000; its files are restored)")
    ap.add_argument("--after-ready", action="store_true",
                    help="start the saves 1 s after `site ready` (every file written) instead of the first page")
    args = ap.parse_args()
    work = Path(args.work).resolve()
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    gen = Path(os.environ.get("GEN_CORPUS", REPO.parent / "shared" / "tools" / "gen-corpus"))
    binaries = [Path(b).resolve() for b in (args.gazette or [])]
    if not binaries:
        log("building gazette (cargo build --release)")
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True, stdout=sys.stderr)
        binaries = [REPO / "target" / "release" / "gazette"]
    if args.site:
        ours = Path(args.site).resolve()
    else:
        ours = work / f"ours-{args.articles}"
        ensure_corpus(gen, "ours", args.articles, ours, logs)
    art = pick_articles(ours, 1)[0]
    print(run(binaries, ours, art, work, logs, args.rounds, args.duration, args.interval, args.after_ready))


if __name__ == "__main__":
    main()
