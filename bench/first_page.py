#!/usr/bin/env python3
"""The preview's start: the time from spawning `gazette serve` to the first
answer of `/` with status 200, alternating binaries, medians of --runs.

    bench/first_page.py --site DIR [--gazette BIN ...] [--runs 5] [--restart] [--work DIR]

Without --restart each start has an empty temporary folder (no articles kept
from an earlier start: every front matter is read and parsed). With
--restart, each binary first runs once until `site ready` (which keeps the
articles for the next start), then every start finds them. The output
folder is kept between starts (in --work, default /tmp/first-page), as an
editor's would be. The files of the site are whatever the page cache holds:
run it twice to see warm figures. Python 3 standard library only.
"""

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(binary, site, out, tmp, until_ready=False):
    """Milliseconds to the first page, and resident MB then."""
    port = free_port()
    env = dict(os.environ, TMPDIR=tmp)
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [binary, "serve", "-r", site, "--output-dir", out, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines = []

    def read():
        for line in proc.stdout:
            lines.append(line)

    threading.Thread(target=read, daemon=True).start()
    first = None
    while first is None:
        if proc.poll() is not None:
            sys.exit(f"first_page.py: gazette stopped:\n{''.join(lines)}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/")
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                first = (time.monotonic() - t0) * 1000
        except OSError:
            time.sleep(0.005)
    with open(f"/proc/{proc.pid}/status") as f:
        rss = next(int(l.split()[1]) // 1024 for l in f if l.startswith("VmRSS:"))
    while until_ready and not any(l.startswith("site ready") for l in lines):
        time.sleep(0.2)
    if until_ready:
        time.sleep(2)  # the articles kept for the next start
    proc.send_signal(2)
    proc.wait(timeout=120)
    return first, rss


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", required=True)
    ap.add_argument("--gazette", action="append", default=[])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--restart", action="store_true")
    ap.add_argument("--work", default="/tmp/first-page")
    args = ap.parse_args()
    binaries = args.gazette or [os.path.join(os.path.dirname(__file__), "..", "target", "release", "gazette")]
    results = {b: [] for b in binaries}
    for n, binary in enumerate(binaries):
        tmp = os.path.join(args.work, f"tmp-{n}")
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        if args.restart:
            start(binary, args.site, os.path.join(args.work, f"out-{n}"), tmp, until_ready=True)
    for run in range(args.runs):
        for n, binary in enumerate(binaries):
            tmp = os.path.join(args.work, f"tmp-{n}")
            if not args.restart:
                shutil.rmtree(tmp, ignore_errors=True)
                os.makedirs(tmp)
            ms, rss = start(binary, args.site, os.path.join(args.work, f"out-{n}"), tmp)
            results[binary].append(ms)
            print(f"[first-page] {binary} run {run + 1}: {ms:.0f} ms, {rss} MB", file=sys.stderr, flush=True)
    shutil.rmtree(args.work, ignore_errors=True)
    kind = "restart (articles kept)" if args.restart else "first start (no articles kept)"
    print(f"| {kind}, {args.runs} runs alternating | first page, each (ms) | median |")
    print("|---|---|---:|")
    for binary, values in results.items():
        each = ", ".join(f"{v:.0f}" for v in values)
        print(f"| {binary} | {each} | {statistics.median(values):.0f} |")


if __name__ == "__main__":
    main()
