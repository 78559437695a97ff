#!/usr/bin/env bash
# test_top.sh — `vmtui top --batch` against the real daemon and real guests
# (tests/lib.sh with T_PREFIX=vmtuirec-: a busy, an idle and a shut-off
# guest of our own):
#   - JSON Lines: every record parses; state, vCPUs and memory allocation
#     equal `virsh domstats`; the busy guest's CPU above 50%, the idle
#     one's below 20%; disk and network rates consistent with the counters
#     of `virsh domstats` taken before and after over the same period;
#     -n 2 gives 2 samples with one record per guest in each (guests x 2);
#     -n 1 already has real rates (a priming sample comes first);
#   - CSV read by Python's csv module: the header, the same guests;
#   - text: the header line once, one aligned line per guest;
#   - no terminal: stdin /dev/null, no TERM, stdout a pipe;
#   - | head ends it quietly; a host that cannot be reached exits 1 with a
#     message; bad options are refused with their message.
# Env: BUILD (default build/), KEEP_GUESTS=1 keeps the guests.
set -uo pipefail
export T_PREFIX=${T_PREFIX:-vmtuirec-}
. "$(dirname "$0")/../lib.sh"

run_files top

v() { virsh -q -c "$T_URI" "$@"; }
# run ARGS...: vmtui with no terminal at all; stdout in $OUT, stderr in $ERR.
run() {
	env -u TERM "$VMTUI" "$@" </dev/null 2>"$ERR" | cat >"$OUT"
	RC=${PIPESTATUS[0]}
}

top_cleanup() {
	stack_down
	rm -rf "$D"
}

# The guests whose figures Python compares with virsh.
GUESTS=()

# pycheck SCRIPT ARGS...: run a Python check that prints "ok - ..." and
# "FAIL - ..." lines; each becomes one counted result.
pycheck() {
	local line
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "${line#ok - }" ;;
		"FAIL - "*) not_ok "${line#FAIL - }" ;;
		*) say "$line" ;;
		esac
	done < <(python3 - "$@" 2>&1 || echo "FAIL - the python check crashed")
}

stack_up || { say "cannot set up the guests"; echo "0 passed, 1 failed"; exit 1; }
trap top_cleanup EXIT
trap 'exit 130' INT TERM HUP
GUESTS=("$T_BUSY" "$T_IDLE" "$T_OFF")

# The busy guest pings once a second once booted: wait until its NIC's
# counters move, so the network rates have something to show.
tx_of() { v domstats --raw --interface "$T_BUSY" | awk -F= '/net.0.tx.bytes/ { print $2 }'; }
tx_moves() {
	local a
	a=$(tx_of)
	sleep 1.5
	[ -n "$a" ] && [ "$(tx_of)" != "$a" ]
}
deadline=$((SECONDS + 60))
until tx_moves; do
	((SECONDS < deadline)) || { say "warning: $T_BUSY sends nothing on its NIC"; break; }
done

# ---- JSON against virsh domstats ----

v domstats --raw "${GUESTS[@]}" >"$D/before"
T_BEFORE=$EPOCHREALTIME
run top --batch -n 2 -d 1 --json -c "$T_URI"
T_AFTER=$EPOCHREALTIME
v domstats --raw "${GUESTS[@]}" >"$D/after"
NAMES_AFTER=$(v list --all --name | sed '/^$/d' | sort)
check "json: exit 0" eq "$RC" 0
check "json: nothing on stderr" eq "$(cat "$ERR")" ""
pycheck "$OUT" "$D/before" "$D/after" "$T_BEFORE" "$T_AFTER" "$NAMES_AFTER" "${GUESTS[@]}" <<'EOF'
import json, sys
out, before_f, after_f, t0, t3, names_after = sys.argv[1:7]
busy, idle, off = sys.argv[7:10]
t0, t3 = float(t0), float(t3)

def res(ok, what, detail=""):
    print(("ok - " if ok else "FAIL - ") + what + (": " + detail if detail and not ok else ""))

def domstats(path):
    stats, cur = {}, None
    for line in open(path):
        line = line.strip()
        if line.startswith("Domain: "):
            cur = line[len("Domain: "):].strip("'")
            stats[cur] = {}
        elif "=" in line and cur:
            k, val = line.split("=", 1)
            stats[cur][k] = val
    return stats

recs = []
bad = None
for i, line in enumerate(open(out, encoding="utf-8"), 1):
    try:
        recs.append(json.loads(line))
    except ValueError as e:
        bad = "line %d: %s" % (i, e)
res(bad is None and recs, "json: every line is a JSON object", bad or "no records")
keys = ["time", "epoch", "host", "name", "uuid", "state", "vcpus", "cpu_pct", "mem_used",
        "mem_alloc", "disk_rd_bps", "disk_wr_bps", "disk_rd_ops", "disk_wr_ops", "net_rx_bps",
        "net_tx_bps", "uptime", "wait_pct"]
res(all(list(r.keys()) == keys for r in recs), "json: every record has the fields in order")

times = sorted(set(r["epoch"] for r in recs))
res(len(times) == 2, "json: -n 2 gives two samples", "sample times %s" % times)
per_sample = [sorted(r["uuid"] for r in recs if r["epoch"] == t) for t in times]
ours = sorted(r["uuid"] for r in recs if r["name"] in (busy, idle, off))
res(all(len(p) == len(set(p)) for p in per_sample) and len(per_sample) == 2
    and len(ours) == 6 and len(set(ours)) == 3,
    "json: one record per guest in each sample, ours in both")
names = sorted(set(r["name"] for r in recs))
sample_names = [sorted(r["name"] for r in recs if r["epoch"] == t) for t in times]
if all(n == names_after.split("\n") for n in sample_names):
    res(len(recs) == 2 * len(names), "json: records = guests x 2 (%d x 2)" % len(names),
        "%d records" % len(recs))
else:
    print("note: other guests came or went during the run; records per sample checked instead")
if len(times) == 2:
    # A refresh on a loaded daemon can take longer than the interval.
    res(0.8 <= times[1] - times[0] <= 2.0, "json: samples about 1 s apart (-d 1)",
        "%.3f s" % (times[1] - times[0]))
    res(t0 + 0.9 <= times[0] <= t3, "json: the first sample comes one delay after start",
        "start %.3f, first %.3f" % (t0, times[0]))
import datetime
r0 = recs[0]
iso = datetime.datetime.fromtimestamp(round(r0["epoch"], 3), datetime.timezone.utc)
res(r0["time"] == iso.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (iso.microsecond // 1000),
    "json: time is ISO 8601 UTC of epoch", "%s vs %s" % (r0["time"], r0["epoch"]))

before, after = domstats(before_f), domstats(after_f)
states = {"1": "running", "3": "paused", "5": "shut off"}
for g in (busy, idle, off):
    mine = [r for r in recs if r["name"] == g]
    if len(mine) != 2:
        res(False, "json: %s has two records" % g, "%d" % len(mine))
        continue
    last, a, b = mine[-1], after[g], before[g]
    res(last["state"] == states.get(a["state.state"]), "json: %s state is virsh's" % g,
        "%s vs %s" % (last["state"], a["state.state"]))
    res(last["vcpus"] == int(a["vcpu.current"]), "json: %s vcpus is virsh's" % g,
        "%s vs %s" % (last["vcpus"], a["vcpu.current"]))
    res(last["mem_alloc"] == int(a["balloon.current"]) * 1024,
        "json: %s mem_alloc is virsh's balloon.current" % g,
        "%s vs %s KiB" % (last["mem_alloc"], a["balloon.current"]))
    if g == off:
        res(all(last[k] is None for k in ("cpu_pct", "mem_used", "disk_rd_bps", "net_tx_bps",
                                            "uptime")),
            "json: the shut-off guest has no CPU, use, rates or uptime (null)")
        continue
    res(last["uptime"] is not None and last["uptime"] > 0, "json: %s has an uptime" % g)
    res(0 < last["mem_used"] <= last["mem_alloc"], "json: %s mem_used within its allocation" % g)
    span = t3 - t0
    for field, key in (("disk_rd_bps", "block.0.rd.bytes"), ("disk_wr_bps", "block.0.wr.bytes"),
                       ("disk_rd_ops", "block.0.rd.reqs"), ("disk_wr_ops", "block.0.wr.reqs"),
                       ("net_rx_bps", "net.0.rx.bytes"), ("net_tx_bps", "net.0.tx.bytes")):
        delta = int(a[key]) - int(b[key])
        rates = [m[field] for m in mine]
        known = [r for r in rates if r is not None]
        # Each rate covers ~1 s inside [before, after]: it cannot be more
        # than the whole window's delta, and is 0 when nothing moved. A
        # null is allowed when another client's job on the guest made the
        # bulk call skip its devices (NOWAIT), but not in both samples.
        if delta == 0:
            ok = known and all(r == 0.0 for r in known)
        else:
            ok = known and all(0 <= r * 0.8 <= delta for r in known)
        res(ok, "json: %s %s consistent with virsh (window delta %d)" % (g, field, delta),
            "rates %s" % rates)
    if g == busy:
        # It pings every second: both sides see traffic, vmtui's per-second
        # figure within the range of the window's average.
        avg = (int(a["net.0.tx.bytes"]) - int(b["net.0.tx.bytes"])) / span
        tx = [m["net_tx_bps"] for m in mine if m["net_tx_bps"] is not None]
        res(avg > 0 and tx and max(tx) > 0 and max(tx) <= 3 * avg + 200,
            "json: busy guest's net tx seen by both (virsh average %.0f B/s)" % avg,
            "vmtui %s" % tx)
cpu = {r["name"]: r["cpu_pct"] for r in recs}
# virsh's own figure over the window: cpu.time per second per vCPU.
def virsh_pct(g):
    return (int(after[g]["cpu.time"]) - int(before[g]["cpu.time"])) / ((t3 - t0) * 1e9) \
        / int(after[g]["vcpu.current"]) * 100
for g in (busy, idle):
    mean = [r["cpu_pct"] for r in recs if r["name"] == g and r["cpu_pct"] is not None]
    mean = sum(mean) / len(mean) if mean else -1
    vp = virsh_pct(g)
    # Loose: on a loaded host a guest's share swings from second to second.
    res(abs(mean - vp) <= max(20, 0.6 * vp),
        "json: %s cpu_pct near virsh's cpu.time average (%.1f%%)" % (g, vp), "vmtui %.1f" % mean)
vb = virsh_pct(busy)
if vb > 60:
    res(cpu.get(busy) is not None and cpu[busy] > 50, "json: busy guest's cpu_pct > 50",
        str(cpu.get(busy)))
else:
    # Other guests share the host's CPUs: the busy one got less than half a CPU.
    print("note: the host is loaded: the busy guest got %.0f%% by virsh" % vb)
    res(cpu.get(busy) is not None and cpu.get(idle) is not None and cpu[busy] > 3 * cpu[idle],
        "json: busy guest's cpu_pct well above the idle one's", "%s vs %s" % (cpu.get(busy), cpu.get(idle)))
res(cpu.get(idle) is not None and cpu[idle] < 20, "json: idle guest's cpu_pct < 20",
    str(cpu.get(idle)))
EOF

# ---- -n 1 has real rates ----

run top --batch -n 1 -d 1 --json -c "$T_URI"
check "-n 1: exit 0" eq "$RC" 0
pycheck "$OUT" "$T_BUSY" "$T_IDLE" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
b = [r for r in recs if r["name"] == sys.argv[2]]
i = [r for r in recs if r["name"] == sys.argv[3]]
# Real rates: the busy guest well above the idle one (how far above 50%
# depends on what else the host runs).
ok = len(b) == 1 and len(i) == 1 and b[0]["cpu_pct"] is not None \
     and i[0]["cpu_pct"] is not None and b[0]["cpu_pct"] > max(10, 5 * i[0]["cpu_pct"]) \
     and b[0]["net_tx_bps"] is not None
print(("ok - " if ok else "FAIL - ") + "-n 1: one sample, already with rates (%s)" % b)
print(("ok - " if len(set(r["epoch"] for r in recs)) == 1 else "FAIL - ") + "-n 1: one sample time")
EOF

# ---- CSV ----

run top --batch -n 2 -d 0.5 --csv -c "$T_URI"
check "csv: exit 0" eq "$RC" 0
pycheck "$OUT" "${GUESTS[@]}" <<'EOF'
import csv, sys
raw = open(sys.argv[1], newline="").read()
rows = list(csv.reader(raw.splitlines(keepends=True)))
head = rows[0]
want = ["time", "epoch", "host", "name", "uuid", "state", "vcpus", "cpu_pct", "mem_used",
        "mem_alloc", "disk_rd_bps", "disk_wr_bps", "disk_rd_ops", "disk_wr_ops", "net_rx_bps",
        "net_tx_bps", "uptime", "wait_pct"]
print(("ok - " if head == want else "FAIL - ") + "csv: the header line (%s)" % head)
print(("ok - " if raw.count("time,epoch,") == 1 else "FAIL - ") + "csv: the header once")
print(("ok - " if all(l.endswith("\r\n") for l in raw.splitlines(keepends=True)) else "FAIL - ")
      + "csv: CRLF line ends (RFC 4180)")
recs = list(csv.DictReader(raw.splitlines(keepends=True)))
print(("ok - " if all(len(r) == len(want) and None not in r for r in recs) else "FAIL - ")
      + "csv: every row has every field")
for g in sys.argv[2:]:
    mine = [r for r in recs if r["name"] == g]
    print(("ok - " if len(mine) == 2 else "FAIL - ") + "csv: %s in both samples (%d)" % (g, len(mine)))
off = [r for r in recs if r["name"] == sys.argv[4]]
print(("ok - " if off and off[0]["state"] == "shut off" and off[0]["cpu_pct"] == ""
       else "FAIL - ") + "csv: shut-off guest: state, empty cpu_pct (%s)" % off[:1])
busy = [r for r in recs if r["name"] == sys.argv[2]]
idle = [r for r in recs if r["name"] == sys.argv[3]]
print(("ok - " if busy and idle and float(busy[-1]["cpu_pct"]) > 3 * float(idle[-1]["cpu_pct"])
       else "FAIL - ") + "csv: busy guest's cpu_pct well above the idle one's")
EOF

# ---- text ----

HEADER='TIME                 HOST         NAME             STATE    VCPU   CPU%    MEM  ALLOC   RD/s   WR/s RDOP/s WROP/s   RX/s   TX/s  UPTIME  WAIT%'
run top --batch -n 2 -d 0.5 -c "$T_URI"
check "text: exit 0" eq "$RC" 0
check "text: the header first" eq "$(head -n1 "$OUT")" "$HEADER"
check "text: the header once" eq "$(grep -c '^TIME ' "$OUT")" 1
check "text: the busy guest twice, aligned" eq \
	"$(grep -cE "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z [^ ]+ +$T_BUSY +running +1 +[0-9]+\.[0-9] " "$OUT")" 2
check "text: the shut-off guest with dashes" grep -qE \
	"^[0-9T:-]{19}Z [^ ]+ +$T_OFF +shut off +1 +- +- +[0-9.]+M +- +- +- +- +- +- +- +-$" "$OUT"
check "text: lines as long as the header (short names)" eq \
	"$(awk -v n="${#HEADER}" -v b="$T_BUSY" '$0 ~ b && length($0) != n' "$OUT" | wc -l)" 0

# ---- ends and failures ----

check "| head: ends quietly when the reader goes" bash -c '
	set -o pipefail
	out=$(timeout 20 env -u TERM "$1" top --batch -d 0.25 --json -c "$2" </dev/null 2>"$3" | head -n 1)
	[ -n "$out" ] && [ ! -s "$3" ]' _ "$VMTUI" "$T_URI" "$D/head-err"
run top --batch -n 1 -c 'qemu+unix:///system?socket=/nonexistent/sock'
check "unreachable host: exit 1" eq "$RC" 1
check "unreachable host: the message" grep -qE \
	"^vmtui top: cannot connect to qemu\+unix:///system\?socket=/nonexistent/sock: .*(No such file|Failed to connect)" "$ERR"
check "unreachable host: nothing on stdout" eq "$(cat "$OUT")" ""
run top --batch -n 0
check "-n 0: refused" eq "$RC:$(cat "$ERR")" '1:vmtui top: -n: "0" is not a count of samples (1 or more)'
run top --batch -d 0.1
check "-d 0.1: refused" eq "$RC:$(cat "$ERR")" '1:vmtui top: -d: "0.1" is not a number of seconds between 0.25 and 3600'
run top --batch --csv --json
check "--csv --json: refused" eq "$RC:$(cat "$ERR")" '1:vmtui top: --csv and --json exclude each other'
run top --batch stray
check "a stray argument: refused" eq "$RC:$(head -n1 "$ERR")" '1:vmtui top: unexpected argument "stray"'
run top --help
check "top --help: exit 0, usage" eq "$RC:$(head -n1 "$OUT")" \
	'0:Usage: vmtui top --batch [-n COUNT] [-d SECONDS] [--csv|--json]'

summary
