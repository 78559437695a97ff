"""benchlib — what the python benchmarks share: vmtui run under a pseudo
terminal of a given size (TERM=xterm-256color, LANG=C.UTF-8, an empty config
and state dir so no user config.yaml adds hosts), every byte it writes read
and time-stamped by a thread, its CPU time (all threads, from
/proc/PID/task/*/schedstat, exact to the ns), its RSS, and the number of
refreshes it made (bench/libcountstats.so preloaded: it counts the
virConnectGetAllDomainStats calls; it can also make up a real guest's stats
for the test driver's domains, see bench/countstats.c). Also: the test daemon's URI and a
silent TCP listener (a host that accepts and never answers)."""
import os
import re
import shlex
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import fcntl
import termios

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(os.environ.get("BUILD", os.path.join(TOP, "build")))
VMTUI = os.path.join(BUILD, "vmtui")
SHIM = os.path.join(BUILD, "bench", "libcountstats.so")


def die(msg):
    print(f"{os.path.basename(sys.argv[0])}: error: {msg}", file=sys.stderr)
    sys.exit(1)


def build():
    """make the programs the benchmarks run (vmtui, floor, the shim)."""
    if subprocess.call(["make", "-s", "-C", BUILD, "bench"],
                       stdout=subprocess.DEVNULL) == 0:
        return
    need = [VMTUI, SHIM, os.path.join(BUILD, "bench", "floor")]
    if not all(os.path.exists(p) for p in need):
        die(f"make bench in {BUILD} failed (set BUILD= to a configured build dir)")
    print(f"warning: make bench in {BUILD} failed; using the programs built before",
          file=sys.stderr)


def daemon_uri():
    """The test daemon's URI (started if needed), or $VMTUI_URI."""
    if os.environ.get("VMTUI_URI"):
        return os.environ["VMTUI_URI"]
    rs = os.path.join(TOP, "tests", "realstack", "daemon.sh")
    subprocess.check_call([rs, "start"], stderr=subprocess.DEVNULL)
    return subprocess.check_output([rs, "uri"], text=True).strip()


def domains(uri, state="--all"):
    """Names of the domains of URI (virsh list STATE --name)."""
    out = subprocess.check_output(["virsh", "-q", "-c", uri, "list", state, "--name"],
                                  text=True)
    return [n for n in out.split("\n") if n]


def command_line():
    """How this benchmark was run, to print beside its figures."""
    env = " ".join(f"{k}={shlex.quote(os.environ[k])}" for k in ("BUILD", "VMTUI_URI")
                   if k in os.environ)
    rel = os.path.relpath(os.path.abspath(sys.argv[0]), TOP)
    return " ".join(([env] if env else []) + [rel] + [shlex.quote(a) for a in sys.argv[1:]])


def figure(name, value, target, command):
    """One result line; bench/run-all collects these into its table."""
    print(f"figure: {name} | {value} | {target} | {command}", flush=True)


class Term:
    """vmtui (or any ARGV) in a COLSxROWS pty, output read by a thread."""

    def __init__(self, argv, cols=80, rows=24, env=None, count=True):
        self.tmp = tempfile.TemporaryDirectory(prefix="vmtui-bench-")
        self.count_file = os.path.join(self.tmp.name, "refreshes")
        e = dict(os.environ)
        for k in ("LC_ALL", "LC_CTYPE", "LC_MESSAGES", "NO_COLOR", "TMUX", "COLUMNS", "LINES"):
            e.pop(k, None)
        e.update(TERM="xterm-256color", LANG="C.UTF-8",
                 XDG_CONFIG_HOME=os.path.join(self.tmp.name, "config"),
                 XDG_STATE_HOME=os.path.join(self.tmp.name, "state"))
        if count:
            if not os.path.exists(SHIM):
                die(f"{SHIM} is missing (make bench)")
            e["LD_PRELOAD"] = SHIM
            e["VMTUI_BENCH_COUNT"] = self.count_file
        e.update(env or {})
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.fd = master
        self.lock = threading.Condition()
        self.buf = bytearray()
        self.chunks = []       # (monotonic time, offset after the chunk)
        self.eof = False
        self.t_spawn = time.monotonic()
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=e, close_fds=True,
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(slave)
        self.pid = self.proc.pid
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                data = b""
            now = time.monotonic()
            with self.lock:
                if not data:
                    self.eof = True
                    self.lock.notify_all()
                    return
                self.buf += data
                self.chunks.append((now, len(self.buf)))
                self.lock.notify_all()

    def size(self):
        """Bytes read so far."""
        with self.lock:
            return len(self.buf)

    def wait_for(self, pattern, timeout, start=0):
        """The time the output from offset START first held PATTERN (bytes),
        or None after TIMEOUT seconds."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                i = self.buf.find(pattern, start)
                if i >= 0:
                    end = i + len(pattern)
                    return next(t for t, off in self.chunks if off >= end)
                left = deadline - time.monotonic()
                if left <= 0 or self.eof:
                    return None
                self.lock.wait(left)

    def wait_re(self, regex, timeout, start=0):
        """Like wait_for, for a compiled bytes REGEX."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                m = regex.search(self.buf, start)
                if m:
                    return next(t for t, off in self.chunks if off >= m.end())
                left = deadline - time.monotonic()
                if left <= 0 or self.eof:
                    return None
                self.lock.wait(left)

    def wait_more(self, offset, timeout):
        """The time of the first output past OFFSET, or None after TIMEOUT."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while len(self.buf) <= offset:
                left = deadline - time.monotonic()
                if left <= 0 or self.eof:
                    return None
                self.lock.wait(left)
            return next(t for t, off in self.chunks if off > offset)

    def wait_quiet(self, quiet, timeout):
        """Wait until nothing was written for QUIET seconds (counted from
        the call at the earliest); True if so."""
        start = time.monotonic()
        deadline = start + timeout
        while time.monotonic() < deadline:
            with self.lock:
                last = max(self.chunks[-1][0] if self.chunks else start, start)
            if time.monotonic() - last >= quiet:
                return True
            time.sleep(quiet / 4)
        return False

    def send(self, data):
        os.write(self.fd, data)

    def _counts(self):
        """The shim's count file as (calls, fake ns): it is written in
        place while read, so read until two reads agree."""
        last = None
        for _ in range(100):
            try:
                with open(self.count_file) as f:
                    now = f.read()
            except OSError:
                return (0, 0)
            if now == last:
                break
            last = now
        try:
            calls, ns = last.split()[:2]
            return (int(calls), int(ns))
        except (AttributeError, ValueError):
            return (0, 0)

    def refreshes(self):
        """Stats calls made so far (= refreshes, one host)."""
        return self._counts()[0]

    def fake_ns(self):
        """CPU ns the shim spent making up stats ($VMTUI_BENCH_FAKESTATS)."""
        return self._counts()[1]

    def cpu_ns(self):
        """CPU time of all its threads so far, in ns."""
        total = 0
        for t in os.listdir(f"/proc/{self.pid}/task"):
            try:
                with open(f"/proc/{self.pid}/task/{t}/schedstat") as f:
                    total += int(f.read().split()[0])
            except (OSError, ValueError):
                pass  # the thread just ended
        return total

    def ui_writes(self):
        """write(2) calls of its main thread so far (the UI thread: what
        it writes goes to the terminal), from /proc/PID/task/PID/io."""
        try:
            with open(f"/proc/{self.pid}/task/{self.pid}/io") as f:
                for line in f:
                    if line.startswith("syscw:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def rss_kib(self):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def alive(self):
        return self.proc.poll() is None

    def close(self):
        """Quit vmtui (q), else terminate it; reap it."""
        if self.alive():
            try:
                self.send(b"q")
                self.proc.wait(timeout=3)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        self.reader.join(timeout=2)
        os.close(self.fd)
        self.tmp.cleanup()


def measure_cpu(term, settle, seconds):
    """Skip SETTLE seconds, then CPU ms per refresh over SECONDS:
    returns (ms per refresh, refreshes, cpu ms)."""
    time.sleep(settle)
    c0, r0 = term.cpu_ns(), term.refreshes()
    time.sleep(seconds)
    c1, r1 = term.cpu_ns(), term.refreshes()
    n = r1 - r0
    if n <= 0:
        die("vmtui made no refresh while measured (is the host reachable?)")
    return (c1 - c0) / 1e6 / n, n, (c1 - c0) / 1e6


def run_floor(uri, calls, interval, env=None):
    """bench/floor making CALLS stats calls INTERVAL seconds apart, as vmtui
    does (back to back, a call finds the caches warm and costs about half),
    with ENV added to the environment. When ENV preloads the stats shim
    with VMTUI_BENCH_COUNT=FILE, the shim's time making up stats is taken
    out. Returns (client CPU ms per call, the floor's output)."""
    env = env or {}
    out = subprocess.check_output([os.path.join(BUILD, "bench", "floor"), uri, str(calls),
                                   str(int(interval * 1000))],
                                  text=True, env=dict(os.environ, **env)).strip()
    m = re.search(r"([0-9.]+) ms client CPU per call", out)
    if not m:
        die(f"cannot read bench/floor's output: {out!r}")
    ms = float(m.group(1))
    if "VMTUI_BENCH_COUNT" in env:
        with open(env["VMTUI_BENCH_COUNT"]) as f:
            made, fns = (int(x) for x in f.read().split())
        if made <= 0:
            die(f"bench/floor made no stats call: {out!r}")
        # made counts the floor's uncounted first call too: the shim's
        # time per call is near enough the same.
        ms -= fns / 1e6 / made
    return ms, out


def take_turns(term, rounds, seconds, floor, settle=0.0):
    """vmtui (TERM) and the floor taking turns, ROUNDS times: vmtui measured
    for SECONDS/ROUNDS (after SETTLE seconds), less the stats shim's time
    making up stats, then stopped (SIGSTOP) while FLOOR(calls) makes as
    many calls and returns (its ms per call, its output). The machine's
    speed drifts over minutes; in turns, both see it alike. Returns
    (refreshes, vmtui CPU ms, floor CPU ms, per round (vmtui ms, floor ms)
    per refresh, the last round's floor output)."""
    n = cpu = floor_cpu = 0
    per_round = []
    out = ""
    for _ in range(max(1, rounds)):
        f0 = term.fake_ns()
        _, rn, rcpu = measure_cpu(term, settle, seconds / max(1, rounds))
        rcpu -= (term.fake_ns() - f0) / 1e6
        os.kill(term.pid, signal.SIGSTOP)
        try:
            fms, out = floor(rn)
        finally:
            os.kill(term.pid, signal.SIGCONT)
        n += rn
        cpu += rcpu
        floor_cpu += fms * rn
        per_round.append((rcpu / rn, fms))
    return n, cpu, floor_cpu, per_round, out


def host_busy(seconds):
    """The machine's CPU use over SECONDS, 0..1, from /proc/stat."""
    def sample():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:8]]
        return v[0] + v[1] + v[2] + v[5] + v[6], sum(v)
    b0, t0 = sample()
    time.sleep(seconds)
    b1, t1 = sample()
    return (b1 - b0) / (t1 - t0) if t1 > t0 else 0.0


def settle_host(timeout=90, window=2.0, within=0.05):
    """Wait until the machine's CPU use holds steady (two WINDOW-second
    samples within WITHIN of each other), at most TIMEOUT seconds: guests
    just started or stopped keep the daemon and QEMU busy for a while, and
    a measurement taken meanwhile weighs that on whichever of vmtui and the
    floor runs first. Says how long it took."""
    start = time.monotonic()
    last = host_busy(window)
    while time.monotonic() - start < timeout:
        now = host_busy(window)
        if abs(now - last) <= within:
            print(f"host steady at {now * 100:.0f}% CPU after {time.monotonic() - start:.0f} s")
            return
        last = now
    print(f"host not steady after {timeout} s (last {last * 100:.0f}% CPU): figures may drift")


class SilentListener:
    """A TCP listener on 127.0.0.1 that accepts connections and never
    answers: a hung host."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(c)

    def close(self):
        for c in self.conns:
            c.close()
        self.sock.close()


def median(xs):
    return statistics.median(xs) if xs else float("nan")
