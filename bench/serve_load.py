#!/usr/bin/env python3
"""`gazette serve` under load: 100 concurrent keep-alive connections fetch
pages of the 10k archive while 1,000 edits are saved, then the preview's
files are compared with a clean build.

    bench/serve_load.py [--articles 10000] [--edits 1000] [--connections 100] [--work /tmp/gazette-load]

Reports (markdown on stdout, progress on stderr): requests made, failed
(an error, a status other than 200 or 404, or an HTML page that does not
end with </html>: served half-written), the server's resident memory at the
start, after 100 and after all edits, and whether the settled preview
equals a clean build file for file. Python 3 standard library only.
"""

import argparse
import filecmp
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def log(msg):
    print(f"[serve-load] {msg}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Load:
    """Connections that each fetch random pages until stopped."""

    def __init__(self, port, paths, connections):
        self.port, self.paths = port, paths
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.requests = self.failures = 0
        self.examples = []
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(connections)]

    def start(self):
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=30)

    def fail(self, what):
        with self.lock:
            self.failures += 1
            if len(self.examples) < 5:
                self.examples.append(what)

    def run(self, seed):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while not self.stop.is_set():
            path = rng.choice(self.paths)
            try:
                conn.request("GET", path)
                r = conn.getresponse()
                body = r.read()
            except Exception as e:  # a reset or a timeout: a failed request
                self.fail(f"{path}: {e!r}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                continue
            with self.lock:
                self.requests += 1
            if r.status not in (200, 404):
                self.fail(f"{path}: status {r.status}")
            elif r.status == 200 and path.endswith("/") and not body.rstrip().endswith(b"</html>"):
                self.fail(f"{path}: an incomplete page ({len(body)} bytes)")


def edit(path, rng, n):
    """A body edit, or now and then a title edit."""
    text = path.read_text()
    if n % 10 == 0:
        text = re.sub(r'(?m)^title: "', f'title: "Edit {n} ', text, count=1)
    else:
        text += f"\nLoad edit {n}: {rng.random()}\n"
    path.write_text(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=1000)
    ap.add_argument("--connections", type=int, default=100)
    ap.add_argument("--work", default="/tmp/gazette-load")
    ap.add_argument("--gap", type=float, default=0.02, help="seconds between edits")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
    binary = work / "gazette"
    shutil.copy(REPO / "target/release/gazette", binary)
    site = work / f"site-{args.articles}"
    if not (site / "content").is_dir():
        gen = REPO.parent / "shared/tools/gen-corpus"
        log(f"generating {args.articles} articles")
        subprocess.run([str(gen), "--articles", str(args.articles), "--out", str(site), "--force"],
                       check=True, stdout=subprocess.DEVNULL)
    files = sorted((site / "content").rglob("*.md"))
    originals = {f: f.read_bytes() for f in files}
    out = work / "preview"
    port = free_port()
    server = subprocess.Popen([str(binary), "serve", "-r", str(site), "-p", str(port), "--output-dir", str(out)],
                              stderr=subprocess.PIPE, text=True)
    lines = []
    threading.Thread(target=lambda: lines.extend(server.stderr), daemon=True).start()
    try:
        while not any(l.startswith("watching ") for l in lines):
            if server.poll() is not None:
                sys.exit("the server stopped: " + "".join(lines))
            time.sleep(0.05)
        paths = ["/", "/people/", "/countries/", "/tags/"]
        paths += ["/" + f.relative_to(site / "content").with_suffix("").as_posix() + "/" for f in files[::20]]
        rss = {"start": rss_mb(server.pid)}
        load = Load(port, paths, args.connections)
        load.start()
        rng = random.Random(1)
        t0 = time.time()
        checkpoints = {100, args.edits // 2, args.edits}
        for n in range(1, args.edits + 1):
            edit(rng.choice(files), rng, n)
            time.sleep(args.gap)
            if n in checkpoints:
                time.sleep(3)  # the rebuild of the last batch, and the allocator's purge
                rss[f"after {n} edits"] = rss_mb(server.pid)
        edits_s = time.time() - t0
        load.finish()
        time.sleep(10)
        rss[f"after {args.edits} edits and 10 s idle"] = rss_mb(server.pid)
        rebuilds = sum(1 for l in lines if l.startswith("rebuilt "))
        # The settled preview against a clean build with the preview's base URL.
        clean = work / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        subprocess.run([str(binary), "build", "-r", str(site), "-o", str(clean), "-u", f"http://127.0.0.1:{port}/"],
                       check=True, stderr=subprocess.DEVNULL)
        differ = compare(out, clean)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        for f, b in originals.items():
            f.write_bytes(b)
    print(f"# serve under load\n\n- {args.articles} articles, {args.edits} edits over {edits_s:.1f} s "
          f"({rebuilds} rebuilds), {args.connections} connections\n"
          f"- requests: {load.requests}, failed: {load.failures} {load.examples}\n"
          f"- settled preview equals a clean build: {'yes' if not differ else 'NO: ' + ', '.join(differ[:5])}\n\n"
          "| when | server RSS MB |\n|---|---:|")
    for when, mb in rss.items():
        print(f"| {when} | {mb:.0f} |")
    growth = (rss[f"after {args.edits} edits"] - rss["after 100 edits"]) / rss["after 100 edits"] * 100
    print(f"\nGrowth from 100 to {args.edits} edits: {growth:+.1f} %")


def compare(a, b):
    """Paths that differ between two trees (manifest included)."""
    differ = []
    cmp = filecmp.dircmp(a, b)
    stack = [("", cmp)]
    while stack:
        prefix, c = stack.pop()
        differ += [prefix + n for n in c.left_only + c.right_only]
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        differ += [prefix + n for n in mismatch + errors]
        stack += [(prefix + n + "/", s) for n, s in c.subdirs.items()]
    return sorted(differ)


if __name__ == "__main__":
    main()
