#!/usr/bin/env python3
"""Live-preview latency: the time from saving a file to the new content being
served over HTTP, for `gazette serve` (and `hugo server` for comparison).

    bench/serve_latency.py [--articles 10000] [--runs 7] [--work /tmp/gazette-bench] [--no-hugo]

Progress goes to stderr, the markdown report to stdout.  See the section
"Live-preview latency" in bench/README.md for what is measured and how.
Python 3 standard library only.
"""

import argparse
import http.client
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
POLL_SLEEP = 0.001  # between polls
EDIT_TIMEOUT = 60.0  # per edit
START_TIMEOUT = 900.0  # a server's first build + first HTTP answer
SETTLE = 1.0  # of idle server after each rebuild, so the watcher settles
SETTLE_TIMEOUT = 300.0  # for a rebuild to finish
SIMPLE_TITLE = re.compile(r"^[A-Za-z0-9 ]+$")  # same text in HTML, no escaping
GAZETTE_REBUILT = re.compile(r"rebuilt \((\w+)\) in ([0-9.]+)(ns|µs|us|ms|s): (\d+) written, (\d+) removed")
HUGO_TOTAL = re.compile(r"Total in ([0-9.]+) ms")


def log(msg):
    print(f"[serve-latency] {msg}", file=sys.stderr, flush=True)


def die(msg):
    print(f"serve_latency.py: error: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def fmt_ms(v):
    return "-" if v is None else (f"{v:.0f}" if v >= 100 else f"{v:.1f}")


def duration_ms(value, unit):
    return float(value) * {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------- corpora

def cksum(path):
    out = subprocess.run(["cksum"], stdin=open(path, "rb"), capture_output=True, text=True, check=True)
    return out.stdout.split()[0]


def ensure_corpus(gen, flavor, n, d, logs):
    """Same corpus and marker as bench/run.sh, so the two share corpora."""
    marker = Path(str(d) + ".corpus")
    gsum = cksum(gen)
    want = f"articles={n} flavor={flavor} seed=1 per_page=50 gen-corpus-cksum={gsum}"
    older = f"articles={n} flavor={flavor} seed=1 gen-corpus-cksum={gsum}"  # before run.sh set per_page
    have = marker.read_text().strip() if marker.is_file() else None
    if have == want and (d / "content").is_dir():
        log(f"reusing {flavor} corpus of {n} articles: {d}")
        return
    if have == older and (d / "content").is_dir():
        # Same generator and seed: only per_page is missing, as run.sh would add it.
        log(f"reusing {flavor} corpus of {n} articles: {d} (from an older bench/run.sh: "
            f"{'adding per_page = 50, ' if flavor == 'ours' else ''}updating its marker)")
    else:
        marker.unlink(missing_ok=True)
        log(f"generating {flavor} corpus of {n} articles: {d}")
        with open(logs / "gen-corpus.log", "ab") as lf:
            r = subprocess.run([str(gen), "--articles", str(n), "--flavor", flavor, "--out", str(d), "--force"],
                               stdout=subprocess.DEVNULL, stderr=lf)
        if r.returncode != 0:
            die(f"gen-corpus failed for {d} (see {logs / 'gen-corpus.log'})")
    if flavor == "ours":
        site = d / "site.toml"
        text = site.read_text()
        if not re.search(r"(?m)^per_page", text):
            with open(site, "a") as f:
                f.write("per_page = 50\n")
    marker.write_text(want + "\n")


class Article:
    def __init__(self, root, path):
        self.path = path
        self.original = path.read_bytes()
        text = self.original.decode("utf-8")
        self.text = text
        m = re.search(r'(?m)^title:\s*"(.*)"\s*$', text)
        self.title = m.group(1) if m else None
        rel = path.relative_to(root / "content").with_suffix("")
        self.url = "/" + rel.as_posix() + "/"
        self.has_people = re.search(r"(?m)^people:\s*$", text) is not None


def pick_articles(root, count):
    """`count` distinct articles with plain titles and a people: list, spread
    over the archive, chosen deterministically."""
    files = sorted((root / "content").rglob("*.md"))
    files = [f for f in files if f.name != "_index.md"]
    if not files:
        die(f"no articles under {root / 'content'}")
    out = []
    step = max(1, len(files) // (count + 1))
    i = len(files) // 2  # start in the middle, then walk forward
    seen = 0
    while len(out) < count and seen < len(files):
        f = files[i % len(files)]
        a = Article(root, f)
        if a.title and SIMPLE_TITLE.match(a.title) and a.has_people and all(o.path != f for o in out):
            out.append(a)
            i += step
        else:
            i += 1
        seen += 1
    if len(out) < count:
        die(f"cannot find {count} suitable articles in {root}")
    return out


# --------------------------------------------------------------------- edits

class Restorer:
    """Keeps originals in memory and puts them back (on any exit)."""

    def __init__(self):
        self.files = {}  # path -> original bytes, or None if it did not exist
        self.dirs = []  # directories we created

    def remember(self, path):
        path = Path(path)
        if path not in self.files:
            self.files[path] = path.read_bytes() if path.exists() else None

    def mkdir(self, d):
        d = Path(d)
        if not d.exists():
            d.mkdir(parents=True)
            self.dirs.append(d)

    def restore(self, path):
        path = Path(path)
        orig = self.files.pop(path)
        if orig is None:
            path.unlink(missing_ok=True)
        elif not path.exists() or path.read_bytes() != orig:
            with open(path, "wb") as f:
                f.write(orig)

    def restore_all(self):
        problems = []
        for path in list(self.files):
            try:
                self.restore(path)
            except OSError as e:
                problems.append(f"{path}: {e}")
        for d in reversed(self.dirs):
            try:
                d.rmdir()
            except OSError as e:
                problems.append(f"{d}: {e}")
        self.dirs.clear()
        return problems


def write_text(path, text):
    """The edit itself: in place, truncating; returns when the file is closed."""
    f = open(path, "w", encoding="utf-8", newline="")
    f.write(text)
    f.flush()
    f.close()


# --------------------------------------------------------------------- servers

class Server:
    """A server process whose output lines are recorded with their times."""

    def __init__(self, name, argv, logfile, cwd=None):
        self.name = name
        self.lines = []  # (perf_counter, stream, text)
        self.lock = threading.Lock()
        self.log = open(logfile, "w", encoding="utf-8")
        self.log.write("$ " + " ".join(argv) + "\n")
        self.log.flush()
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.threads = [threading.Thread(target=self._read, args=(self.proc.stdout, "out"), daemon=True),
                        threading.Thread(target=self._read, args=(self.proc.stderr, "err"), daemon=True)]
        for t in self.threads:
            t.start()

    def _read(self, stream, which):
        for raw in iter(stream.readline, b""):
            now = time.perf_counter()
            text = raw.decode("utf-8", "replace").rstrip("\n")
            with self.lock:
                self.lines.append((now, which, text))
                self.log.write(f"{now:.4f} [{which}] {text}\n")
                self.log.flush()

    def lines_between(self, t0, t1=None):
        with self.lock:
            return [l for (t, _, l) in self.lines if t >= t0 and (t1 is None or t < t1)]

    def all_text(self):
        with self.lock:
            return "\n".join(l for (_, _, l) in self.lines)

    def alive(self):
        return self.proc.poll() is None

    def cpu_ticks(self):
        """utime + stime of the server process, in clock ticks (Linux /proc)."""
        try:
            with open(f"/proc/{self.proc.pid}/stat") as f:
                stat = f.read()
        except OSError:
            return None
        fields = stat[stat.rfind(")") + 2:].split()
        return int(fields[11]) + int(fields[12])

    def wait_idle(self, quiet, timeout):
        """True once the process used (almost) no CPU for `quiet` seconds."""
        step = 0.25
        allowed = max(1, int(os.sysconf("SC_CLK_TCK") * step * 0.05))  # 5 % of one CPU
        deadline = time.perf_counter() + timeout
        last = self.cpu_ticks()
        idle_since = time.perf_counter()
        while time.perf_counter() < deadline:
            time.sleep(step)
            now_ticks = self.cpu_ticks()
            if last is None or now_ticks is None:
                return True  # not Linux, or gone: fall back to the plain pause
            if now_ticks - last > allowed:
                idle_since = time.perf_counter()
            elif time.perf_counter() - idle_since >= quiet:
                return True
            last = now_ticks
        return False

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for t in self.threads:
            t.join(2)
        self.log.close()


class Client:
    """One persistent HTTP/1.1 connection; reconnects if the server drops it."""

    def __init__(self, port):
        self.port = port
        self.conn = None
        self.reconnects = 0

    def get(self, path):
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                self.conn.request("GET", path, headers={"Accept-Encoding": "identity"})
                r = self.conn.getresponse()
                body = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, body.decode("utf-8", "replace")
            except (http.client.HTTPException, OSError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                self.reconnects += 1
                if attempt == 1:
                    return None, ""
        return None, ""

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def wait_ready(server, client, path, timeout=START_TIMEOUT):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if not server.alive():
            die(f"{server.name} exited during startup (code {server.proc.returncode}); see {server.log.name}")
        status, _ = client.get(path)
        if status == 200:
            return time.monotonic() - t0
        time.sleep(0.05)
    die(f"{server.name} did not serve {path} within {timeout:.0f} s; see {server.log.name}")


def poll(client, checks, t0, timeout=EDIT_TIMEOUT):
    """Polls each (name, path, predicate) in turn on one connection until all
    hold; returns ({name: ms after t0 or None}, {name: non-200 answers seen})."""
    found = {name: None for name, _, _ in checks}
    odd = {name: 0 for name, _, _ in checks}
    while True:
        pending = [c for c in checks if found[c[0]] is None]
        if not pending:
            break
        for name, path, pred in pending:
            status, body = client.get(path)
            now = time.perf_counter()
            if pred(status, body):
                found[name] = (now - t0) * 1000.0
            elif status != 200:
                odd[name] += 1
        if time.perf_counter() - t0 > timeout:
            break
        time.sleep(POLL_SLEEP)
    return found, odd


# --------------------------------------------------------------------- results

class Row:
    def __init__(self, tool, scenario):
        self.tool, self.scenario = tool, scenario
        self.times = []  # ms, or None for a timeout
        self.self_reported = []  # per run: list of (route, ms)
        self.odd = 0  # non-200 answers while waiting

    def ok(self):
        return [t for t in self.times if t is not None]

    def cells(self):
        ok = self.ok()
        runs = f"{len(ok)}" if len(ok) == len(self.times) else f"{len(ok)}/{len(self.times)} ({len(self.times) - len(ok)} timed out)"
        if not ok:
            return [self.tool, self.scenario, "-", "-", "-", runs]
        return [self.tool, self.scenario, fmt_ms(statistics.median(ok)), fmt_ms(min(ok)), fmt_ms(max(ok)), runs]


def gazette_rebuilds(lines):
    out = []
    for line in lines:
        m = GAZETTE_REBUILT.search(line)
        if m:
            out.append((m.group(1), duration_ms(m.group(2), m.group(3)), int(m.group(4)), int(m.group(5))))
    return out


def hugo_totals(lines):
    return [("rebuild", float(m.group(1)), None, None) for m in map(HUGO_TOTAL.search, lines) if m]


# --------------------------------------------------------------------- scenarios

class Bench:
    def __init__(self, args, runs):
        self.args = args
        self.runs = runs
        self.rows = []
        self.notes = []  # surprising things, for the report
        self.run_tag = "%06x" % random.getrandbits(24)

    def note(self, msg):
        log("NOTE: " + msg)
        self.notes.append(msg)

    def settle(self, server, extractor, t0, what):
        """Waits until the server has finished rebuilding after the edit at t0:
        its completion line has been printed (and, for Hugo, as many
        completions as starts), then its CPU time has stood still for SETTLE
        seconds.  Without this, the next edit would queue behind (or merge
        with) a rebuild still running."""
        deadline = time.perf_counter() + SETTLE_TIMEOUT
        while time.perf_counter() < deadline:
            lines = server.lines_between(t0)
            done = len(extractor(lines))
            started = sum("Change detected" in l for l in lines)
            if done >= max(1, started) or any(l.startswith("error") for l in lines):
                break
            if not server.alive():
                die(f"{server.name} exited (code {server.proc.returncode}); see {server.log.name}")
            time.sleep(0.05)
        else:
            self.note(f"{server.name}: {what}: no end-of-rebuild line within {SETTLE_TIMEOUT:.0f} s of the edit")
        if not server.wait_idle(SETTLE, max(1.0, deadline - time.perf_counter())):
            self.note(f"{server.name}: {what}: still busy (CPU) {SETTLE_TIMEOUT:.0f} s after the edit")

    def finish_run(self, row, server, extractor, t0, t_next):
        rebuilt = extractor(server.lines_between(t0, t_next))
        row.self_reported.append(rebuilt)

    def restore_and_wait(self, restorer, path, server, client, url, gone_pred, label, extractor):
        """Puts the original file back and waits until the server shows it."""
        t0 = time.perf_counter()
        restorer.restore(path)
        found, _ = poll(client, [("restored", url, gone_pred)], t0)
        if found["restored"] is None:
            self.note(f"{server.name}: after restoring {path} ({label}), {url} still served the edited "
                      f"content {EDIT_TIMEOUT:.0f} s later")
        else:
            log(f"  restored {path.name}: served after {fmt_ms(found['restored'])} ms")
        self.settle(server, extractor, t0, f"restoring after {label}")

    # ---- body edit (gazette and hugo)
    def body_edit(self, tool, scenario, server, client, art, restorer, extractor):
        row = Row(tool, scenario)
        self.rows.append(row)
        restorer.remember(art.path)
        text = art.text
        sep = "" if text.endswith("\n") else "\n"
        starts = []
        for r in range(1, self.runs + 1):
            marker = f"servelatency{self.run_tag}body{r}x"
            new = f"{text}{sep}\nLatency probe paragraph {marker}.\n"
            t0 = time.perf_counter()
            write_text(art.path, new)
            found, odd = poll(client, [("body", art.url, lambda s, b, m=marker: s == 200 and m in b)], t0)
            starts.append(t0)
            row.times.append(found["body"])
            row.odd += odd["body"]
            log(f"  {tool} {scenario} run {r}/{self.runs}: {fmt_ms(found['body'])} ms")
            if found["body"] is None:
                self.note(f"{tool}: body edit run {r}: appended a paragraph with `{marker}` to "
                          f"{art.path}; {art.url} did not show it within {EDIT_TIMEOUT:.0f} s")
            self.settle(server, extractor, t0, f"body edit run {r}")
        starts.append(time.perf_counter())
        for i in range(self.runs):
            self.finish_run(row, server, extractor, starts[i], starts[i + 1])
        last = f"servelatency{self.run_tag}body{self.runs}x"
        self.restore_and_wait(restorer, art.path, server, client, art.url,
                              lambda s, b: s == 200 and last not in b, "body edit", extractor)
        return row

    # ---- add a person (gazette)
    def add_person(self, server, client, art, restorer, extractor):
        row_p = Row("gazette", "add person: person page")
        row_a = Row("gazette", "add person: article page")
        self.rows += [row_p, row_a]
        restorer.remember(art.path)
        lines = art.text.split("\n")
        at = next(i for i, l in enumerate(lines) if re.match(r"^people:\s*$", l))
        starts = []
        prev = None  # (name, slug) of the previous run's person
        for r in range(1, self.runs + 1):
            word = f"Probe{self.run_tag}x{r}"  # ASCII letters and digits: slug is plain lowercase
            name = f"Latency {word}"
            slug = f"latency-{word.lower()}"
            new_lines = lines[:at + 1] + [f"  - {name}"] + lines[at + 1:]
            person_url = f"/people/{slug}/"
            t0 = time.perf_counter()
            write_text(art.path, "\n".join(new_lines))
            found, odd = poll(client, [
                ("person", person_url, lambda s, b: s == 200 and art.title in b),
                ("article", art.url, lambda s, b, n=name: s == 200 and n in b),
            ], t0)
            starts.append(t0)
            row_p.times.append(found["person"])
            row_a.times.append(found["article"])
            row_a.odd += odd["article"]
            log(f"  gazette add person run {r}/{self.runs}: person page {fmt_ms(found['person'])} ms, "
                f"article page {fmt_ms(found['article'])} ms")
            if found["person"] is None:
                status, body = client.get(person_url)
                self.note(f"gazette: add person run {r}: added `  - {name}` to the people: list of {art.path}; "
                          f"{person_url} never returned 200 with the title \"{art.title}\" within "
                          f"{EDIT_TIMEOUT:.0f} s (last answer: HTTP {status}"
                          f"{', title absent' if status == 200 else ''})")
            if found["article"] is None:
                self.note(f"gazette: add person run {r}: {art.url} never showed \"{name}\" within {EDIT_TIMEOUT:.0f} s")
            self.settle(server, extractor, t0, f"add person run {r}")
            if prev is not None:
                # The previous run's person is no longer in any article: its page must be gone.
                status, _ = client.get(f"/people/{prev[1]}/")
                if status == 200:
                    self.note(f"gazette: add person run {r}: the person added in run {r - 1} (\"{prev[0]}\") "
                              f"was replaced by \"{name}\", but /people/{prev[1]}/ was still served "
                              f"(HTTP 200) about {SETTLE:.0f} s later")
            prev = (name, slug)
        starts.append(time.perf_counter())
        for i in range(self.runs):
            self.finish_run(row_p, server, extractor, starts[i], starts[i + 1])
        row_a.self_reported = row_p.self_reported
        last_name, last_slug = prev
        self.restore_and_wait(restorer, art.path, server, client, art.url,
                              lambda s, b: s == 200 and last_name not in b, "add person", extractor)
        status, _ = client.get(f"/people/{last_slug}/")
        if status == 200:
            self.note(f"gazette: after restoring {art.path}, /people/{last_slug}/ (\"{last_name}\", "
                      f"no longer in any article) was still served (HTTP 200)")
        return row_p, row_a

    # ---- template edit (gazette)
    def template_edit(self, server, client, art, tpl, tpl_text, restorer, extractor):
        row = Row("gazette", "template edit")
        self.rows.append(row)
        needle = '<article class="article'
        if needle not in tpl_text:
            self.note(f"templates/article.html has no `{needle}`: template scenario skipped")
            return row
        starts = []
        for r in range(1, self.runs + 1):
            marker = f"servelatency{self.run_tag}tpl{r}x"
            new = tpl_text.replace(needle, f'<article data-m="{marker}" class="article', 1)
            t0 = time.perf_counter()
            write_text(tpl, new)
            found, odd = poll(client, [("tpl", art.url, lambda s, b, m=marker: s == 200 and m in b)], t0)
            starts.append(t0)
            row.times.append(found["tpl"])
            row.odd += odd["tpl"]
            log(f"  gazette template edit run {r}/{self.runs}: {fmt_ms(found['tpl'])} ms")
            if found["tpl"] is None:
                self.note(f"gazette: template edit run {r}: set data-m=\"{marker}\" on <article> in {tpl}; "
                          f"{art.url} did not show it within {EDIT_TIMEOUT:.0f} s")
            self.settle(server, extractor, t0, f"template edit run {r}")
        starts.append(time.perf_counter())
        for i in range(self.runs):
            self.finish_run(row, server, extractor, starts[i], starts[i + 1])
        # Back to the unmodified copy (the file itself is removed after the server stops).
        t0 = time.perf_counter()
        write_text(tpl, tpl_text)
        last = f"servelatency{self.run_tag}tpl{self.runs}x"
        found, _ = poll(client, [("restored", art.url, lambda s, b: s == 200 and last not in b)], t0)
        if found["restored"] is None:
            self.note(f"gazette: after restoring {tpl}, {art.url} still showed data-m=\"{last}\"")
        self.settle(server, extractor, t0, "restoring the template")
        return row


# --------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description="Time from saving a file to the new content being served "
                                             "(gazette serve, and hugo server for comparison).")
    ap.add_argument("--articles", type=int, default=10000, help="corpus size (default 10000)")
    ap.add_argument("--runs", type=int, default=7, help="edits per scenario (default 7)")
    ap.add_argument("--work", default="/tmp/gazette-bench", help="corpora and logs (default /tmp/gazette-bench)")
    ap.add_argument("--no-hugo", action="store_true", help="measure gazette only")
    ap.add_argument("--gazette", help="use this gazette binary instead of `cargo build --release`")
    args = ap.parse_args()
    if args.articles < 1 or args.runs < 1:
        die("--articles and --runs must be positive")

    # SIGTERM/SIGHUP -> normal exit path, so finally blocks restore and kill.
    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    work = Path(args.work).resolve()
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    gen = Path(os.environ.get("GEN_CORPUS", REPO.parent / "shared" / "tools" / "gen-corpus"))
    if not os.access(gen, os.X_OK):
        die(f"corpus generator not found or not executable: {gen} (set GEN_CORPUS=...)")
    use_hugo = not args.no_hugo
    if use_hugo and shutil.which("hugo") is None:
        log("hugo not installed: measuring gazette only")
        use_hugo = False

    private = Path(tempfile.mkdtemp(prefix="serve-latency.", dir=work))
    servers = []
    restorer = Restorer()
    try:
        # ---- binary: a private copy, so a rebuild by someone else mid-run changes nothing
        if args.gazette:
            src_bin = Path(args.gazette)
        else:
            log(f"building gazette (cargo build --release) in {REPO}")
            r = subprocess.run([os.environ.get("CARGO", "cargo"), "build", "--release", "--quiet"],
                               cwd=REPO, stdout=sys.stderr)
            target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
            if not target.is_absolute():
                target = REPO / target
            src_bin = target / "release" / "gazette"
            if r.returncode != 0:
                if not src_bin.is_file():
                    die("cargo build --release failed and there is no earlier binary")
                log(f"WARNING: cargo build --release failed; using the existing {src_bin}")
        gazette = private / "gazette"
        shutil.copy2(src_bin, gazette)
        version = subprocess.run([str(gazette), "--version"], capture_output=True, text=True).stdout.strip() or "gazette"
        hugo_version = ""
        if use_hugo:
            hugo_version = " ".join(subprocess.run(["hugo", "version"], capture_output=True,
                                                   text=True).stdout.split()[:2])

        # ---- corpora
        n = args.articles
        ours = work / f"ours-{n}"
        hugo_dir = work / f"hugo-{n}"
        ensure_corpus(gen, "ours", n, ours, logs)
        if use_hugo:
            ensure_corpus(gen, "hugo", n, hugo_dir, logs)

        bench = Bench(args, args.runs)

        # ---- full build, for comparison (clean output directory)
        out_dir = private / "full-build"
        timef = private / "time.txt"
        log(f"gazette full build of {ours}")
        if Path("/usr/bin/time").exists():
            argv = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", str(timef), str(gazette), "build",
                    "-r", str(ours), "-o", str(out_dir)]
        else:
            argv = [str(gazette), "build", "-r", str(ours), "-o", str(out_dir)]
        t = time.perf_counter()
        with open(logs / f"serve-latency-build-{n}.log", "w") as lf:
            r = subprocess.run(argv, stdout=lf, stderr=subprocess.STDOUT)
        wall = time.perf_counter() - t
        if r.returncode != 0:
            die(f"gazette build failed (see {logs / f'serve-latency-build-{n}.log'})")
        full = {"wall": wall, "user": None, "sys": None, "rss": None}
        if timef.exists():
            w, u, s, m = timef.read_text().split("\n")[-2].split()
            full = {"wall": float(w), "user": float(u), "sys": float(s), "rss": int(m)}
        # Kept until the end (removed with `private`): deleting its 18,000
        # files here made the server's first build 7.2 s instead of 2.9 s and
        # a template edit 6.0 s instead of 2.4 s at 10k (ext4 without a
        # journal steps over recently freed inodes; see bench/README.md).
        log(f"  {full['wall']:.2f} s")

        # ---- gazette: body edit, add person, template edit (one server)
        body_art, person_art = pick_articles(ours, 2)
        tpl = ours / "templates" / "article.html"
        restorer.mkdir(ours / "templates")
        restorer.remember(tpl)
        tpl_text = (REPO / "templates" / "article.html").read_text(encoding="utf-8")
        write_text(tpl, tpl_text)  # before the server starts: the first build includes it
        port = free_port()
        g = Server("gazette serve", [str(gazette), "serve", "-r", str(ours), "-p", str(port),
                                     "--output-dir", str(private / "preview")],
                   logs / f"serve-latency-gazette-{n}.log")
        servers.append(g)
        log(f"starting gazette serve on port {port}")
        deadline = time.monotonic() + START_TIMEOUT
        url = None
        while url is None and time.monotonic() < deadline:
            m = re.search(r"serving .* at (http://[^ ]+)", g.all_text())
            if m:
                url = m.group(1)
            elif not g.alive():
                die(f"gazette serve exited (code {g.proc.returncode}); see {g.log.name}")
            else:
                time.sleep(0.05)
        if url is None:
            die("gazette serve never said it was serving")
        gport = int(re.search(r":(\d+)/", url).group(1))
        gc = Client(gport)
        startup = wait_ready(g, gc, body_art.url)
        m = re.search(r"built the site in ([0-9.]+)(ns|µs|us|ms|s)", g.all_text())
        g_initial = duration_ms(m.group(1), m.group(2)) if m else None
        log(f"  serving at {url}" + (f" (initial build {g_initial / 1000:.2f} s)" if g_initial else ""))
        status, body = gc.get(body_art.url)
        if 'class="article' not in body:
            bench.note(f"the article page {body_art.url} has no class=\"article\": is the site's "
                       f"templates/article.html used?")
        g.wait_idle(SETTLE, SETTLE_TIMEOUT)

        log(f"body edit: {body_art.path}")
        bench.body_edit("gazette", "body edit", g, gc, body_art, restorer, gazette_rebuilds)
        log(f"add person: {person_art.path}")
        bench.add_person(g, gc, person_art, restorer, gazette_rebuilds)
        log(f"template edit: {tpl}")
        bench.template_edit(g, gc, body_art, tpl, tpl_text, restorer, gazette_rebuilds)
        gc.close()
        g.stop()
        servers.remove(g)
        for p in restorer.restore_all():
            bench.note(f"could not restore {p}")

        # ---- hugo: body edit, with and without fast render
        hugo_totals_seen = {}
        if use_hugo:
            (hart,) = pick_articles(hugo_dir, 1)
            lock = hugo_dir / ".hugo_build.lock"
            lock_existed = lock.exists()
            for label, extra in (("hugo server", []), ("hugo server --disableFastRender", ["--disableFastRender"])):
                port = free_port()
                cache = private / f"hugo-cache-{len(extra)}"
                argv = ["hugo", "server", "--source", str(hugo_dir), "--bind", "127.0.0.1", "--port", str(port),
                        "--disableLiveReload", "--cacheDir", str(cache)] + extra
                h = Server(label, argv, logs / f"serve-latency-hugo-{n}{'-nofast' if extra else ''}.log")
                servers.append(h)
                log(f"starting {label} on port {port}")
                hc = Client(port)
                wait_ready(h, hc, hart.url)
                h.wait_idle(SETTLE, SETTLE_TIMEOUT)
                log(f"body edit: {hart.path}")
                bench.body_edit(label, "body edit", h, hc, hart, restorer, hugo_totals)
                hc.close()
                h.stop()
                servers.remove(h)
                for p in restorer.restore_all():
                    bench.note(f"could not restore {p}")
            if not lock_existed:
                lock.unlink(missing_ok=True)

        report(bench, args, full, version, hugo_version, body_art, person_art, g_initial,
               hart if use_hugo else None)
    finally:
        for s in servers:
            s.stop()
        problems = restorer.restore_all()
        for p in problems:
            log(f"WARNING: could not restore {p}")
        shutil.rmtree(private, ignore_errors=True)


def report(bench, args, full, version, hugo_version, body_art, person_art, g_initial, hart):
    rows = bench.rows
    p = print
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip() or "unknown"
    if subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                      capture_output=True, text=True).stdout.strip():
        head += " (with uncommitted changes)"
    p("# gazette live-preview latency")
    p()
    p(f"- date: {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}")
    p(f"- commit: {head}")
    p(f"- machine: {os.cpu_count()} CPUs; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    p(f"- tools: {version} (release build){', ' + hugo_version if hugo_version else ''}")
    p(f"- corpus: {args.articles} articles; {args.runs} edits per scenario, {SETTLE:.0f} s apart; "
      f"polling every {POLL_SLEEP * 1000:.0f} ms on one keep-alive connection")
    p(f"- edited: body `{body_art.url}`, people `{person_art.url}`"
      + (f", hugo `{hart.url}`" if hart else ""))
    p()
    p("## Save to served (ms)")
    p()
    p("| tool | scenario | median ms | min | max | runs |")
    p("|---|---|---:|---:|---:|---:|")
    for r in rows:
        p("| " + " | ".join(r.cells()) + " |")
    p()
    p("## Servers' own rebuild times")
    p()
    p("gazette: the `rebuilt (route) in X` lines; hugo: the `Total in X ms` lines, "
      "for the rebuilds that followed each edit (summed per edit if there were several).")
    p()
    p("| tool | scenario | routes | median ms | min | max | rebuilds per edit | files written (median) |")
    p("|---|---|---|---:|---:|---:|---|---:|")
    for r in rows:
        if r.scenario == "add person: article page":
            continue
        per = [sum(x[1] for x in rb) for rb in r.self_reported if rb]
        routes = sorted({x[0] for rb in r.self_reported for x in rb}) or ["-"]
        counts = sorted({len(rb) for rb in r.self_reported})
        written = [sum(x[2] for x in rb) for rb in r.self_reported if rb and rb[0][2] is not None]
        scen = "add person" if r.scenario.startswith("add person") else r.scenario
        cells = [r.tool, scen, ", ".join(routes)]
        if per:
            cells += [fmt_ms(statistics.median(per)), fmt_ms(min(per)), fmt_ms(max(per))]
        else:
            cells += ["-", "-", "-"]
        cells += ["/".join(map(str, counts)) or "-", f"{statistics.median(written):.0f}" if written else "-"]
        p("| " + " | ".join(cells) + " |")
    p()
    p("## Compared with a full build")
    p()
    extra = ""
    if full["user"] is not None:
        extra = f" (user {full['user']:.2f} s, sys {full['sys']:.2f} s, peak {full['rss'] / 1024:.0f} MB)"
    p(f"- `gazette build` into an empty directory: {full['wall']:.2f} s wall{extra}")
    if g_initial:
        p(f"- `gazette serve` first build (self-reported): {g_initial / 1000:.2f} s")
    body = next((r for r in rows if r.tool == "gazette" and r.scenario == "body edit"), None)
    if body and body.ok():
        med = statistics.median(body.ok())
        p(f"- body edit median / full build: {med:.1f} ms / {full['wall'] * 1000:.0f} ms = "
          f"{med / (full['wall'] * 1000):.4f} ({full['wall'] * 1000 / med:.0f}x faster than a full build)")
    odd = [r for r in rows if r.odd]
    if odd or bench.notes:
        p()
        p("## Notes")
        p()
        for r in odd:
            p(f"- {r.tool} {r.scenario}: {r.odd} non-200 answers from the edited page while waiting")
        for n in bench.notes:
            p(f"- {n}")
    p()
    p(f"Logs: {Path(args.work).resolve() / 'logs'}/serve-latency-*.log")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("serve_latency.py: interrupted; servers stopped and files restored", file=sys.stderr)
        sys.exit(130)
