#!/usr/bin/env python3
"""Live-preview latency: the time from saving a file to the new content being
served over HTTP, for `gazette serve` (and `hugo server` for comparison).

    bench/serve_latency.py [--articles 10000] [--runs 7] [--start-runs 3] [--work /tmp/gazette-bench] [--no-hugo]

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
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
POLL_SLEEP = 0.001  # between polls
EDIT_TIMEOUT = 60.0  # per edit
START_TIMEOUT = 900.0  # a server's first build + first HTTP answer
SETTLE = 1.0  # of idle server after each rebuild, so the watcher settles
SETTLE_TIMEOUT = 300.0  # for a rebuild to finish
SIMPLE_TITLE = re.compile(r"^[A-Za-z0-9 ]+$")  # same text in HTML, no escaping
GAZETTE_REBUILT = re.compile(r"rebuilt \((\w+)\) in ([0-9.]+)(ns|µs|us|ms|s): (\d+) written, (\d+) removed")
# A rebuild that left the files to the background worker (pages are served from memory meanwhile) ...
GAZETTE_PENDING = re.compile(r"rebuilt \((\w+)\) in ([0-9.]+)(ns|µs|us|ms|s): served from memory, the files follow")
# ... and the worker's line once every page on disk is current.
GAZETTE_FILES = re.compile(r"files written in ([0-9.]+)(ns|µs|us|ms|s): (\d+) written, (\d+) removed, (\d+) unchanged")
GAZETTE_LOADED = re.compile(r"loaded (\d+) articles in ([0-9.]+)(ns|µs|us|ms|s)")
GAZETTE_READY = re.compile(r"site ready: every file written ([0-9.]+)(ns|µs|us|ms|s) after the start")
HUGO_TOTAL = re.compile(r"Total in ([0-9.]+) ms")
EVENTS_PATH = "/__gazette/events"  # gazette's live-reload stream (server-sent events)
SSE_REGISTER = 0.3  # s between opening the events stream and the edit, so the page counts as open
NO_EVENT_GRACE = 2.0  # s after all pages are current to give up waiting for a reload event


def log(msg):
    print(f"[serve-latency] {msg}", file=sys.stderr, flush=True)


def die(msg):
    print(f"serve_latency.py: error: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def fmt_ms(v):
    return "-" if v is None else (f"{v:.0f}" if v >= 100 else f"{v:.1f}")


def duration_ms(value, unit):
    return float(value) * {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


def median_or_none(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def rss_kb(pid, field="VmRSS"):
    """VmRSS (or another field, VmHWM: the peak) of process `pid` in kB (Linux /proc), or None."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


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


def front_matter_people(text):
    """The names of a `people:` block list in an article's front matter."""
    m = re.search(r"(?m)^people:\s*\n((?:[ \t]+-[^\n]*\n)+)", text)
    if not m:
        return []
    return [l.strip()[1:].strip().strip('"\'') for l in m.group(1).splitlines()]


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
        self.t_spawn = time.perf_counter()  # the start of a "time to first page"
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

    def timed_lines_between(self, t0, t1=None):
        with self.lock:
            return [(t, l) for (t, _, l) in self.lines if t >= t0 and (t1 is None or t < t1)]

    def wait_line(self, pattern, t0, timeout):
        """(time, match) of the first line after t0 matching `pattern`, polled every
        5 ms, or None after `timeout` s (or if the process exits)."""
        deadline = time.perf_counter() + timeout
        while True:
            for t, l in self.timed_lines_between(t0):
                m = pattern.search(l)
                if m:
                    return t, m
            if time.perf_counter() > deadline or not self.alive():
                return None
            time.sleep(0.005)

    def rss_kb(self):
        return rss_kb(self.proc.pid)

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

    def __init__(self, port, timeout=10):
        self.port = port
        self.timeout = timeout
        self.conn = None
        self.reconnects = 0

    def get(self, path):
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
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


class EventStream:
    """gazette's live-reload stream for one page, as a browser's EventSource opens
    it (`/__gazette/events?page=<location.pathname>`), read in a thread; the
    `event:` lines are recorded with the time they arrived."""

    def __init__(self, port, page):
        self.events = []  # (perf_counter, event name)
        self.status = None
        self.error = None
        self.closing = False
        self.cond = threading.Condition()
        self.opened = threading.Event()  # the response's headers arrived (or it failed)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=None)
        self.path = f"{EVENTS_PATH}?page={urllib.parse.quote(page, safe='')}"  # as encodeURIComponent
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            self.conn.request("GET", self.path, headers={"Accept": "text/event-stream",
                                                         "Accept-Encoding": "identity"})
            r = self.conn.getresponse()
            self.status = r.status
            self.opened.set()
            while True:
                raw = r.readline()
                if not raw:
                    break
                now = time.perf_counter()
                text = raw.decode("utf-8", "replace").rstrip("\r\n")
                if text.startswith("event:"):
                    with self.cond:
                        self.events.append((now, text[len("event:"):].strip()))
                        self.cond.notify_all()
        except Exception as e:  # noqa: BLE001 -- closing the socket under http.client raises odd things
            if not self.closing:
                self.error = e
        finally:
            self.opened.set()
            with self.cond:
                self.cond.notify_all()

    def wait_event(self, name, t0, give_up):
        """Time of the first `name` event after t0, or None once give_up() is
        true (checked every 20 ms) or the stream ended."""
        with self.cond:
            while True:
                for t, e in self.events:
                    if t >= t0 and e == name:
                        return t
                if give_up() or not self.thread.is_alive():
                    return None
                self.cond.wait(0.02)

    def close(self):
        self.closing = True
        sock = self.conn.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.conn.close()
        self.thread.join(2)


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
    def __init__(self, tool, scenario, edit=None):
        self.tool, self.scenario = tool, scenario
        self.edit = edit or scenario  # its name in the table of the servers' own times
        self.times = []  # ms, or None for a timeout
        self.self_reported = []  # per run: list of (route, ms, written, removed)
        self.background = []  # gazette, per run: list of (ms, written, removed, unchanged) of `files written in`
        self.written = []  # per run: files written by the edit, from the line after which all pages are current
        self.rss = []  # kB of the server once all pages are current, per run
        self.odd = 0  # non-200 answers while waiting
        self.missing = "timed out"  # what a None in times means

    def ok(self):
        return [t for t in self.times if t is not None]

    def cells(self):
        ok = self.ok()
        runs = (f"{len(ok)}" if len(ok) == len(self.times)
                else f"{len(ok)}/{len(self.times)} ({len(self.times) - len(ok)} {self.missing})")
        if not ok:
            return [self.tool, self.scenario, "-", "-", "-", runs]
        return [self.tool, self.scenario, fmt_ms(statistics.median(ok)), fmt_ms(min(ok)), fmt_ms(max(ok)), runs]


def gazette_rebuilds(lines):
    """(route, ms, written, removed) per `rebuilt` line; a rebuild that left the
    files to the background is `route (pending)`, with what the following
    `files written in` line wrote."""
    out = []
    for line in lines:
        m = GAZETTE_REBUILT.search(line)
        if m:
            out.append((m.group(1), duration_ms(m.group(2), m.group(3)), int(m.group(4)), int(m.group(5))))
            continue
        m = GAZETTE_PENDING.search(line)
        if m:
            out.append((f"{m.group(1)} (pending)", duration_ms(m.group(2), m.group(3)), 0, 0))
            continue
        m = GAZETTE_FILES.search(line)
        if m and out and out[-1][0].endswith("(pending)"):
            route, ms, written, removed = out[-1]
            out[-1] = (route, ms, written + int(m.group(3)), removed + int(m.group(4)))
    return out


def gazette_background(lines):
    """(ms, written, removed, unchanged) per `files written in` line (the worker's own time)."""
    return [(duration_ms(m.group(1), m.group(2)), int(m.group(3)), int(m.group(4)), int(m.group(5)))
            for m in map(GAZETTE_FILES.search, lines) if m]


def gazette_current(timed_lines):
    """(time, written) of the line after which every page on disk is that of the
    last edit: a `rebuilt ... N written` line, or after a rebuild left to the
    background (`served from memory, the files follow`), the next `files
    written in ... N written` line.  None while the files are still behind."""
    pending, current = False, None
    for t, line in timed_lines:
        if GAZETTE_PENDING.search(line):
            pending, current = True, None
            continue
        m = GAZETTE_FILES.search(line)
        if m and pending:
            pending, current = False, (t, int(m.group(3)))
            continue
        m = GAZETTE_REBUILT.search(line)
        if m and not pending:
            current = (t, int(m.group(4)))
    return None if pending else current


def hugo_totals(lines):
    return [("rebuild", float(m.group(1)), None, None) for m in map(HUGO_TOTAL.search, lines) if m]


def rebuild_over(extractor, lines):
    """The server has finished with the edit whose output `lines` are: gazette's
    files are all written (see gazette_current); Hugo printed as many
    `Total in` lines as `Change detected` lines."""
    if extractor is gazette_rebuilds:
        return gazette_current([(0.0, l) for l in lines]) is not None
    started = sum("Change detected" in l for l in lines)
    return len(extractor(lines)) >= max(1, started)


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
        its completion line has been printed (gazette: after a rebuild left to
        the background, the `files written in` line; Hugo: as many
        completions as starts), then its CPU time has stood still for SETTLE
        seconds.  Without this, the next edit would queue behind (or merge
        with) a rebuild still running."""
        deadline = time.perf_counter() + SETTLE_TIMEOUT
        while time.perf_counter() < deadline:
            lines = server.lines_between(t0)
            if rebuild_over(extractor, lines) or any(l.startswith("error") for l in lines):
                break
            if not server.alive():
                die(f"{server.name} exited (code {server.proc.returncode}); see {server.log.name}")
            time.sleep(0.05)
        else:
            self.note(f"{server.name}: {what}: no end-of-rebuild line within {SETTLE_TIMEOUT:.0f} s of the edit")
        if not server.wait_idle(SETTLE, max(1.0, deadline - time.perf_counter())):
            self.note(f"{server.name}: {what}: still busy (CPU) {SETTLE_TIMEOUT:.0f} s after the edit")

    def finish_run(self, row, server, extractor, t0, t_next):
        lines = server.lines_between(t0, t_next)
        row.self_reported.append(extractor(lines))
        if extractor is gazette_rebuilds:
            row.background.append(gazette_background(lines))

    def wait_current(self, server, t0, timeout=SETTLE_TIMEOUT):
        """gazette: waits until every page on disk is current after the edit at
        t0 (see gazette_current); returns (ms after t0, files written, RSS kB
        read at once), or None."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline and server.alive():
            current = gazette_current(server.timed_lines_between(t0))
            if current is not None:
                rss = server.rss_kb()
                return (current[0] - t0) * 1000.0, current[1], rss
            time.sleep(0.005)
        return None

    def record_current(self, row, server, t0, what):
        cur = self.wait_current(server, t0)
        if cur is None:
            row.times.append(None)
            self.note(f"gazette: {what}: the files were not all written within {SETTLE_TIMEOUT:.0f} s")
            return None
        row.times.append(cur[0])
        row.written.append(cur[1])
        row.rss.append(cur[2])
        return cur

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
        row_p = Row("gazette", "add person: person page", "add person")
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
        row = Row("gazette", "template edit → page served (polling)", "template edit (polling)")
        self.rows.append(row)
        needle = '<article class="article'
        if needle not in tpl_text:
            self.note(f"templates/article.html has no `{needle}`: template scenarios skipped")
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

    # ---- template edit with the page open (gazette): the reload event, the page, all pages
    def template_reload(self, server, client, port, art, tpl, tpl_text, extractor):
        """As a browser with the article open: the page's events stream is open
        (so the server counts the page as open and renders it first); the save
        is timed to the `reload` event, to the GET after it that shows the
        marker, and to the line after which every page on disk is current."""
        row_e = Row("gazette", "template edit → reload event")
        row_p = Row("gazette", "template edit → open page reloaded")
        row_c = Row("gazette", "template edit → all pages current", "template edit (page open)")
        self.rows += [row_e, row_p, row_c]
        row_e.missing = row_p.missing = "without a reload event"
        needle = '<article class="article'
        if needle not in tpl_text:
            return row_e, row_p, row_c  # noted by template_edit
        starts = []
        last = None
        for r in range(1, self.runs + 1):
            marker = f"servelatency{self.run_tag}sse{r}x"
            new = tpl_text.replace(needle, f'<article data-m="{marker}" class="article', 1)
            shows = lambda s, b, m=marker: s == 200 and m in b
            stream = EventStream(port, art.url)
            if not stream.opened.wait(10) or stream.status != 200:
                self.note(f"gazette: {stream.path} did not open (HTTP {stream.status}, {stream.error}): "
                          f"the reload scenario stopped at run {r}")
                stream.close()
                break
            time.sleep(SSE_REGISTER)
            t0 = time.perf_counter()
            write_text(tpl, new)
            starts.append(t0)
            last = marker

            def give_up():
                now = time.perf_counter()
                if now - t0 > EDIT_TIMEOUT:
                    return True
                cur = gazette_current(server.timed_lines_between(t0))
                return cur is not None and now - cur[0] > NO_EVENT_GRACE

            t_event = stream.wait_event("reload", t0, give_up)
            stream.close()  # the browser reloads: the old page's stream ends
            found, odd = poll(client, [("tpl", art.url, shows)], t0)
            if t_event is None:
                row_e.times.append(None)
                row_p.times.append(None)
                other = sorted({e for t, e in stream.events if t >= t0})
                self.note(f"gazette: template edit run {r}: no `event: reload` on the events stream of the open page "
                          f"{art.url} (waited until {NO_EVENT_GRACE:.0f} s after all pages were written"
                          f"{'; events seen: ' + ', '.join(other) if other else ''}); a GET made then "
                          f"{'showed' if found['tpl'] is not None else 'did not show'} the marker")
            else:
                row_e.times.append((t_event - t0) * 1000.0)
                row_p.times.append(found["tpl"])
                row_p.odd += odd["tpl"]
                if found["tpl"] is None:
                    self.note(f"gazette: template edit run {r}: reloaded, but {art.url} did not show "
                              f"data-m=\"{marker}\" within {EDIT_TIMEOUT:.0f} s")
            cur = self.record_current(row_c, server, t0, f"template edit (page open) run {r}")
            log(f"  gazette template edit (page open) run {r}/{self.runs}: reload event "
                f"{fmt_ms(row_e.times[-1])} ms, page {fmt_ms(row_p.times[-1])} ms, all pages current "
                f"{fmt_ms(cur[0] if cur else None)} ms ({cur[1] if cur else '-'} written)")
            self.settle(server, extractor, t0, f"template edit (page open) run {r}")
        starts.append(time.perf_counter())
        for i in range(len(starts) - 1):
            self.finish_run(row_c, server, extractor, starts[i], starts[i + 1])
        if last is not None:
            t0 = time.perf_counter()
            write_text(tpl, tpl_text)
            found, _ = poll(client, [("restored", art.url, lambda s, b: s == 200 and last not in b)], t0)
            if found["restored"] is None:
                self.note(f"gazette: after restoring {tpl}, {art.url} still showed data-m=\"{last}\"")
            self.settle(server, extractor, t0, "restoring the template")
        return row_e, row_p, row_c

    # ---- data/people.yaml (gazette): a role changed, an alias added
    def people_edits(self, server, client, people, head, name, slug, extractor):
        """`people` holds `head` followed by our entry for `name` (role Envoy),
        as the server started with it.  Each run changes the role (then, in
        the second series, adds one more alias) and polls the person's page
        until it shows it; the person page shows declared aliases under
        "Also written as"."""
        url = f"/people/{slug}/"
        rows = {}
        for kind in ("role change", "alias add"):
            rows[kind] = (Row("gazette", f"people.yaml {kind} → person page"),
                          Row("gazette", f"people.yaml {kind} → all pages current", f"people.yaml {kind}"))
            self.rows += rows[kind]
        state = {"role": "Envoy", "aliases": []}

        def text():
            t = f"{head}- name: {name}\n  role: {state['role']}\n"
            if state["aliases"]:
                t += f"  aliases: [{', '.join(state['aliases'])}]\n"
            return t

        for kind, (row_p, row_c) in rows.items():
            starts = []
            for r in range(1, self.runs + 1):
                marker = f"servelatency{self.run_tag}{kind.split()[0]}{r}x"
                if kind == "role change":
                    state["role"] = needle = f"Envoy {marker}"
                else:
                    needle = f"Probe {marker}"
                    state["aliases"].append(needle)
                t0 = time.perf_counter()
                write_text(people, text())
                starts.append(t0)
                found, odd = poll(client, [("p", url, lambda s, b, n=needle: s == 200 and n in b)], t0)
                row_p.times.append(found["p"])
                row_p.odd += odd["p"]
                if found["p"] is None:
                    status, _ = client.get(url)
                    self.note(f"gazette: people.yaml {kind} run {r}: {url} did not show \"{needle}\" within "
                              f"{EDIT_TIMEOUT:.0f} s (last answer: HTTP {status})")
                cur = self.record_current(row_c, server, t0, f"people.yaml {kind} run {r}")
                log(f"  gazette people.yaml {kind} run {r}/{self.runs}: person page {fmt_ms(found['p'])} ms, "
                    f"all pages current {fmt_ms(cur[0] if cur else None)} ms ({cur[1] if cur else '-'} written)")
                self.settle(server, extractor, t0, f"people.yaml {kind} run {r}")
            starts.append(time.perf_counter())
            for i in range(self.runs):
                self.finish_run(row_c, server, extractor, starts[i], starts[i + 1])
        # Back to the entry the server started with.
        edited = [state["role"]] + state["aliases"]
        state.update(role="Envoy", aliases=[])
        t0 = time.perf_counter()
        write_text(people, text())
        found, _ = poll(client, [("restored", url, lambda s, b: s == 200 and not any(e in b for e in edited))], t0)
        if found["restored"] is None:
            self.note(f"gazette: after restoring {people}, {url} still showed the edited role or aliases")
        self.settle(server, extractor, t0, "restoring people.yaml")

    # ---- template edit (hugo)
    def hugo_template_edit(self, tool, server, client, art, layout, restorer, extractor):
        row = Row(tool, "template edit")
        self.rows.append(row)
        text = layout.read_text(encoding="utf-8") if layout.is_file() else ""
        m = re.search(r"<article(?=[\s>])", text)
        if not m:
            self.note(f"{tool}: no <article in {layout}: Hugo template edit skipped")
            return row
        restorer.remember(layout)
        starts = []
        for r in range(1, self.runs + 1):
            marker = f"servelatency{self.run_tag}htpl{r}x"
            t0 = time.perf_counter()
            write_text(layout, f'{text[:m.end()]} data-m="{marker}"{text[m.end():]}')
            found, odd = poll(client, [("tpl", art.url, lambda s, b, mk=marker: s == 200 and mk in b)], t0)
            starts.append(t0)
            row.times.append(found["tpl"])
            row.odd += odd["tpl"]
            log(f"  {tool} template edit run {r}/{self.runs}: {fmt_ms(found['tpl'])} ms")
            if found["tpl"] is None:
                self.note(f"{tool}: template edit run {r}: set data-m=\"{marker}\" on <article> in {layout}; "
                          f"{art.url} did not show it within {EDIT_TIMEOUT:.0f} s")
            self.settle(server, extractor, t0, f"template edit run {r}")
        starts.append(time.perf_counter())
        for i in range(self.runs):
            self.finish_run(row, server, extractor, starts[i], starts[i + 1])
        last = f"servelatency{self.run_tag}htpl{self.runs}x"
        self.restore_and_wait(restorer, layout, server, client, art.url,
                              lambda s, b: s == 200 and last not in b, "template edit", extractor)
        return row


# --------------------------------------------------------------------- start

def first_200(server, client, path, t_from, timeout=START_TIMEOUT):
    """ms from t_from to the first 200 of `path` (tried every POLL_SLEEP while
    the connection is refused or the answer is not 200), or None."""
    while True:
        status, _ = client.get(path)
        now = time.perf_counter()
        if status == 200:
            return (now - t_from) * 1000.0
        if not server.alive():
            die(f"{server.name} exited during startup (code {server.proc.returncode}); see {server.log.name}")
        if now - t_from > timeout:
            return None
        time.sleep(POLL_SLEEP)


class Start:
    """The fresh starts of one tool: ms to the first 200 of `/`, then of an
    article; ms to `site ready` (gazette); RSS (kB) then."""

    def __init__(self, tool):
        self.tool = tool
        self.home, self.article, self.ready, self.rss, self.loaded = [], [], [], [], []


def start_gazette(bench, start, gazette, root, out_dir, logfile, article):
    port = free_port()
    srv = Server("gazette serve (start)", [str(gazette), "serve", "-r", str(root), "-p", str(port),
                                           "--output-dir", str(out_dir)], logfile)
    try:
        # It listens before it loads, so try the port at once; the address line
        # is checked afterwards (it takes the next port if that one was taken).
        c = Client(port, timeout=START_TIMEOUT)
        home = first_200(srv, c, "/", srv.t_spawn)
        article_ms = first_200(srv, c, article, srv.t_spawn)
        c.close()
        ready = srv.wait_line(GAZETTE_READY, srv.t_spawn, START_TIMEOUT)
        rss = srv.rss_kb() if ready else None
        said = re.search(r"serving .* at http://[^ ]+:(\d+)/", srv.all_text())
        if said is None or int(said.group(1)) != port:
            bench.note(f"gazette start: the server did not listen on port {port} ({said.group(0) if said else 'no address'}): "
                       f"run discarded")
            return
        start.home.append(home)
        start.article.append(article_ms)
        start.ready.append((ready[0] - srv.t_spawn) * 1000.0 if ready else None)
        start.rss.append(rss)
        m = GAZETTE_LOADED.search(srv.all_text())
        start.loaded.append(duration_ms(m.group(2), m.group(3)) if m else None)
        if ready is None:
            bench.note(f"gazette start: no `site ready` line within {START_TIMEOUT:.0f} s; see {logfile}")
    finally:
        srv.stop()


def hugo_argv(source, port, cache, extra=()):
    return ["hugo", "server", "--source", str(source), "--bind", "127.0.0.1", "--port", str(port),
            "--disableLiveReload", "--cacheDir", str(cache)] + list(extra)


def start_hugo(start, source, cache, logfile, article):
    port = free_port()
    srv = Server("hugo server (start)", hugo_argv(source, port, cache), logfile)
    try:
        c = Client(port, timeout=START_TIMEOUT)
        start.home.append(first_200(srv, c, "/", srv.t_spawn))
        start.article.append(first_200(srv, c, article, srv.t_spawn))
        c.close()
        start.rss.append(srv.rss_kb())  # it serves once everything is rendered (in memory)
    finally:
        srv.stop()


# --------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description="Time from saving a file to the new content being served "
                                             "(gazette serve, and hugo server for comparison).")
    ap.add_argument("--articles", type=int, default=10000, help="corpus size (default 10000)")
    ap.add_argument("--runs", type=int, default=7, help="edits per scenario (default 7)")
    ap.add_argument("--start-runs", type=int, default=3,
                    help="fresh starts of each server, for the time to the first page (default 3)")
    ap.add_argument("--work", default="/tmp/gazette-bench", help="corpora and logs (default /tmp/gazette-bench)")
    ap.add_argument("--no-hugo", action="store_true", help="measure gazette only")
    ap.add_argument("--gazette", help="use this gazette binary instead of `cargo build --release`")
    ap.add_argument("--fast-saves", type=int, default=0, metavar="ROUNDS",
                    help="then ROUNDS fresh starts with two saves a second for a minute (bench/fast_saves.py)")
    args = ap.parse_args()
    if args.articles < 1 or args.runs < 1 or args.start_runs < 0:
        die("--articles and --runs must be positive, --start-runs at least 0")

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
    # gazette serve keeps the articles it read in the temporary folder: the
    # private one, removed at the end.
    os.environ["TMPDIR"] = str(private)
    servers = []
    restorer = Restorer()
    created_lock = created_resources = None
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
            hugo_lock = hugo_dir / ".hugo_build.lock"
            if not hugo_lock.exists():
                created_lock = hugo_lock  # hugo server leaves it; removed at the end
            if not (hugo_dir / "resources").exists():
                created_resources = hugo_dir / "resources"  # likewise (empty _gen/ folders)

        bench = Bench(args, args.runs)
        body_art, person_art = pick_articles(ours, 2)
        data_art = body_art  # people.yaml gets an entry for one of its people
        hart = pick_articles(hugo_dir, 1)[0] if use_hugo else None

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

        # ---- fresh starts: time to the first page (and, for gazette, to every file written)
        starts = {"gazette": Start("gazette serve"),
                   "gazette-again": Start("gazette serve, started again")}
        if use_hugo:
            starts["hugo"] = Start("hugo server")
        for r in range(1, args.start_runs + 1):
            log(f"start {r}/{args.start_runs}: gazette serve (empty output folder)")
            start_gazette(bench, starts["gazette"], gazette, ours, private / f"start-{r}",
                          logs / f"serve-latency-start-gazette-{n}-r{r}.log", body_art.url)
            st = starts["gazette"]
            if len(st.home) == r:
                log(f"  / {fmt_ms(st.home[-1])} ms, article {fmt_ms(st.article[-1])} ms, site ready "
                    f"{fmt_ms(st.ready[-1])} ms, RSS {st.rss[-1] / 1024 if st.rss[-1] else 0:.0f} MB")
            # The same preview started again: its files and the articles it kept are there.
            log(f"start {r}/{args.start_runs}: gazette serve again (same output folder)")
            start_gazette(bench, starts["gazette-again"], gazette, ours, private / f"start-{r}",
                          logs / f"serve-latency-start-gazette-again-{n}-r{r}.log", body_art.url)
            st = starts["gazette-again"]
            if len(st.home) == r:
                log(f"  / {fmt_ms(st.home[-1])} ms, article {fmt_ms(st.article[-1])} ms, site ready "
                    f"{fmt_ms(st.ready[-1])} ms")
            # A 100k site's output is 4 GB: not kept for the rest of the run.
            shutil.rmtree(private / f"start-{r}", ignore_errors=True)
            if use_hugo:
                log(f"start {r}/{args.start_runs}: hugo server (fresh cache dir)")
                shutil.rmtree(hugo_dir / "resources", ignore_errors=True)  # as bench/run.sh: nothing reused
                start_hugo(starts["hugo"], hugo_dir, private / f"hugo-start-cache-{r}",
                           logs / f"serve-latency-start-hugo-{n}-r{r}.log", hart.url)
                st = starts["hugo"]
                log(f"  / {fmt_ms(st.home[-1])} ms, article {fmt_ms(st.article[-1])} ms, RSS "
                    f"{st.rss[-1] / 1024 if st.rss[-1] else 0:.0f} MB")

        # ---- gazette: body edit, add person, template edits, people.yaml edits (one server)
        tpl = ours / "templates" / "article.html"
        restorer.mkdir(ours / "templates")
        restorer.remember(tpl)
        tpl_text = (REPO / "templates" / "article.html").read_text(encoding="utf-8")
        write_text(tpl, tpl_text)  # before the server starts: the first build includes it
        # data/people.yaml with an entry for a person of data_art (appended to the corpus's own file, if any)
        people = ours / "data" / "people.yaml"
        people_head = people.read_text(encoding="utf-8") if people.is_file() else ""
        if people_head and not people_head.endswith("\n"):
            people_head += "\n"
        person = next((nm for nm in front_matter_people(data_art.text)
                       if SIMPLE_TITLE.match(nm) and nm not in people_head), None)
        if person is None:
            bench.note(f"no person with a plain name in {data_art.path} (and not yet in {people}): "
                       f"people.yaml scenarios skipped")
        else:
            person_slug = person.lower().replace(" ", "-")
            restorer.mkdir(ours / "data")
            restorer.remember(people)
            write_text(people, f"{people_head}- name: {person}\n  role: Envoy\n")
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
        wait_ready(g, gc, body_art.url)
        ready = g.wait_line(GAZETTE_READY, g.t_spawn, START_TIMEOUT)
        if ready is None:
            bench.note(f"gazette serve printed no `site ready` line within {START_TIMEOUT:.0f} s")
        m = GAZETTE_LOADED.search(g.all_text())
        g_initial = {"loaded": duration_ms(m.group(2), m.group(3)) if m else None,
                     "ready": duration_ms(ready[1].group(1), ready[1].group(2)) if ready else None}
        log(f"  serving at {url}" + (f" (loaded in {g_initial['loaded'] / 1000:.2f} s" if g_initial["loaded"] else "")
            + (f", site ready {g_initial['ready'] / 1000:.2f} s)" if g_initial["ready"] else ")"))
        status, body = gc.get(body_art.url)
        if 'class="article' not in body:
            bench.note(f"the article page {body_art.url} has no class=\"article\": is the site's "
                       f"templates/article.html used?")
        if person is not None:
            status, body = gc.get(f"/people/{person_slug}/")
            if status != 200 or '<p class="role">Envoy' not in body:
                bench.note(f"/people/{person_slug}/ (HTTP {status}) does not show the role Envoy from {people}: "
                           f"people.yaml scenarios skipped")
                person = None
        g.wait_idle(SETTLE, SETTLE_TIMEOUT)

        log(f"body edit: {body_art.path}")
        bench.body_edit("gazette", "body edit", g, gc, body_art, restorer, gazette_rebuilds)
        log(f"add person: {person_art.path}")
        bench.add_person(g, gc, person_art, restorer, gazette_rebuilds)
        log(f"template edit with the page open (events stream): {tpl}")
        bench.template_reload(g, gc, gport, body_art, tpl, tpl_text, gazette_rebuilds)
        log(f"template edit (polling): {tpl}")
        bench.template_edit(g, gc, body_art, tpl, tpl_text, restorer, gazette_rebuilds)
        if person is not None:
            log(f"people.yaml: {person} ({people})")
            bench.people_edits(g, gc, people, people_head, person, person_slug, gazette_rebuilds)
        gc.close()
        g.stop()
        servers.remove(g)
        for p in restorer.restore_all():
            bench.note(f"could not restore {p}")

        # ---- hugo: body edit, with and without fast render; template edit (fast render)
        if use_hugo:
            layout = hugo_dir / "layouts" / "_default" / "single.html"
            for label, extra in (("hugo server", []), ("hugo server --disableFastRender", ["--disableFastRender"])):
                port = free_port()
                cache = private / f"hugo-cache-{len(extra)}"
                argv = hugo_argv(hugo_dir, port, cache, extra)
                h = Server(label, argv, logs / f"serve-latency-hugo-{n}{'-nofast' if extra else ''}.log")
                servers.append(h)
                log(f"starting {label} on port {port}")
                hc = Client(port)
                wait_ready(h, hc, hart.url)
                h.wait_idle(SETTLE, SETTLE_TIMEOUT)
                log(f"body edit: {hart.path}")
                bench.body_edit(label, "body edit", h, hc, hart, restorer, hugo_totals)
                if not extra:
                    log(f"template edit: {layout}")
                    bench.hugo_template_edit(label, h, hc, hart, layout, restorer, hugo_totals)
                hc.close()
                h.stop()
                servers.remove(h)
                for p in restorer.restore_all():
                    bench.note(f"could not restore {p}")

        report(bench, args, full, version, hugo_version, body_art, person_art, g_initial, hart,
               starts, (person, data_art) if person else None)
        if args.fast_saves:
            import fast_saves  # the sibling script; it uses this one's helpers
            print(fast_saves.run([gazette], ours, body_art, work, logs, rounds=args.fast_saves))
    finally:
        for s in servers:
            s.stop()
        problems = restorer.restore_all()
        for p in problems:
            log(f"WARNING: could not restore {p}")
        if created_lock is not None:
            created_lock.unlink(missing_ok=True)
        if created_resources is not None:
            shutil.rmtree(created_resources, ignore_errors=True)
        shutil.rmtree(private, ignore_errors=True)


def mb(kb):
    return "-" if kb is None else f"{kb / 1024:.0f}"


def report(bench, args, full, version, hugo_version, body_art, person_art, g_initial, hart, starts, person):
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
      f"polling every {POLL_SLEEP * 1000:.0f} ms on one keep-alive connection; "
      f"{args.start_runs} fresh starts per server")
    p(f"- edited: body `{body_art.url}`, people `{person_art.url}`"
      + (f", people.yaml `{person[0]}` (of `{person[1].url}`)" if person else "")
      + (f", hugo `{hart.url}`" if hart else ""))
    p()
    if args.start_runs:
        p(f"## Start (ms from spawning the server; medians of {args.start_runs} starts)")
        p()
        p("A fresh server each start (gazette: an empty `--output-dir`; hugo: an empty `--cacheDir`), "
          "alternating the tools; \"started again\" is gazette at once restarted on the same output "
          "folder (the preview kept its files and the articles it read). The first request is `/`, then the article page. "
          "Site ready: gazette's `site ready` line (every file written); RSS: gazette's VmRSS "
          "right after that line, Hugo's once it has served both pages.")
        p()
        p("| tool | `/` median ms | min | max | article median ms | min | max | site ready ms | RSS MB | runs |")
        p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for st in starts.values():
            home = [v for v in st.home if v is not None]
            art = [v for v in st.article if v is not None]
            cells = [st.tool]
            for vals in (home, art):
                cells += ([fmt_ms(statistics.median(vals)), fmt_ms(min(vals)), fmt_ms(max(vals))]
                          if vals else ["-", "-", "-"])
            cells += [fmt_ms(median_or_none(st.ready)), mb(median_or_none(st.rss))]
            runs = len(st.home)
            cells.append(f"{len(home)}" if len(home) == runs else f"{len(home)}/{runs} ({runs - len(home)} timed out)")
            p("| " + " | ".join(cells) + " |")
        loaded = median_or_none(starts["gazette"].loaded)
        again = median_or_none(starts["gazette-again"].loaded)
        if loaded is not None:
            p()
            p(f"gazette's own `loaded N articles in X` (the metadata in memory): median {fmt_ms(loaded)} ms"
              + (f"; started again: {fmt_ms(again)} ms." if again is not None else "."))
        p()
    p(f"## Save to served (ms; medians of {args.runs} edits)")
    p()
    p("\"→ reload event\": the save to `event: reload` on the open page's events stream; "
      "\"→ open page reloaded\": to the GET made after that event that shows the edit; "
      "\"→ all pages current\": to the server's line after which every page on disk is the edited "
      "one (`files written in`, by the server's output timestamps).")
    p()
    p("| tool | scenario | median ms | min | max | runs |")
    p("|---|---|---:|---:|---:|---:|")
    for r in rows:
        p("| " + " | ".join(r.cells()) + " |")
    p()
    p("## Servers' own rebuild times")
    p()
    p("gazette: the `rebuilt (route) in X` lines (a route marked pending served from memory and left the "
      "files to the background: its files written are those of the `files written in` line that followed, "
      "whose own time is the background column); hugo: the `Total in X ms` lines. "
      "For the rebuilds that followed each edit (summed per edit if there were several).")
    p()
    p("| tool | edit | routes | median ms | min | max | rebuilds per edit | files written (median) | background ms (median) |")
    p("|---|---|---|---:|---:|---:|---|---:|---:|")
    for r in rows:
        if not r.self_reported:
            continue
        per = [sum(x[1] for x in rb) for rb in r.self_reported if rb]
        routes = sorted({x[0] for rb in r.self_reported for x in rb}) or ["-"]
        counts = sorted({len(rb) for rb in r.self_reported})
        written = [sum(x[2] for x in rb) for rb in r.self_reported if rb and rb[0][2] is not None]
        background = [sum(x[0] for x in bg) for bg in r.background if bg]
        cells = [r.tool, r.edit, ", ".join(routes)]
        if per:
            cells += [fmt_ms(statistics.median(per)), fmt_ms(min(per)), fmt_ms(max(per))]
        else:
            cells += ["-", "-", "-"]
        cells += ["/".join(map(str, counts)) or "-", f"{statistics.median(written):.0f}" if written else "-",
                  fmt_ms(statistics.median(background)) if background else "-"]
        p("| " + " | ".join(cells) + " |")
    p()
    mem = [r for r in rows if any(v is not None for v in r.rss)]
    if mem or args.start_runs:
        p("## Memory of gazette serve (VmRSS)")
        p()
        if args.start_runs:
            p(f"- right after `site ready` on a fresh start: median {mb(median_or_none(starts['gazette'].rss))} MB "
              f"({len([v for v in starts['gazette'].rss if v is not None])} starts)")
        for r in mem:
            vals = [v for v in r.rss if v is not None]
            p(f"- {r.scenario.split(' → ')[0]}, once all pages were current: median {mb(statistics.median(vals))} MB, "
              f"max {mb(max(vals))} MB ({len(vals)} edits)")
        p()
    p("## Compared with a full build")
    p()
    extra = ""
    if full["user"] is not None:
        extra = f" (user {full['user']:.2f} s, sys {full['sys']:.2f} s, peak {full['rss'] / 1024:.0f} MB)"
    p(f"- `gazette build` into an empty directory: {full['wall']:.2f} s wall{extra}")
    if g_initial.get("loaded"):
        p(f"- `gazette serve` of the edits, self-reported: loaded in {g_initial['loaded'] / 1000:.2f} s"
          + (f", site ready (every file written) {g_initial['ready'] / 1000:.2f} s after the start"
             if g_initial.get("ready") else ""))
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
