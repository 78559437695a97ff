#!/usr/bin/env bash
# tests/screen/test_replay.sh — recording and replay, driven through tmux
# against the real stack (tests/lib.sh with T_PREFIX=vmtuirec-: a busy, an
# idle and a shut-off guest of our own):
#   - `vmtui top --record FILE -d 1` runs the screen as usual for a few
#     seconds and quits; FILE has a version-1 header and one valid JSON
#     line per refresh with our guests;
#   - `vmtui --replay FILE` shows the same guests in the list, REPLAY and
#     the recording's time in the header, the detail view of the busy
#     guest with a CPU graph that is not empty; actions are refused; Space
#     pauses, + speeds up, and the end of the recording is shown;
#   - a recording with a bad line and a cut last line plays what is valid
#     and says FILE:LINE:COL and what was wrong; a file that is no
#     recording is refused with exit status 1;
#   - a guest up over an hour shows minutes, and its minute turns no
#     sooner than the uptime's and at most 2 s later, with no refresh to
#     draw it; a guest up 30 days, longer than this machine has been
#     (a hand-made recording).
# Env: T_PREFIX (default vmtuirec-), KEEP_GUESTS=1, BUILD (default build/).
# Ends with "N passed, N failed"; exit status 1 if any check failed.
set -uo pipefail

: "${T_PREFIX:=vmtuirec-}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

T0=$SECONDS
REC=$SCR_TMP/rec.jsonl

cleanup() {
	vt_stop_all
	stack_down
	rm -rf "$SCR_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Show only our guests: / PREFIX Enter.
filter_ours() {
	vt_keys /
	wait_screen '^Filter:' 5 >/dev/null || return 1
	vt_type "$T_PREFIX"
	vt_keys Enter
}
# Our three guests in the list, with their states.
ours_listed() {
	row_is "$T_BUSY" running && row_is "$T_IDLE" running && row_is "$T_OFF" "shut off"
}
# The detail view's CPU graph: the lines under "CPU NN%" hold graph cells
# (braille or blocks) in its left half.
cpu_graph_drawn() {
	local n
	n=$(grep -nE '^CPU [0-9.]+%' <<<"$SCREEN" | head -n1 | cut -d: -f1)
	[ -n "$n" ] || { WHY="no CPU graph title"; return 1; }
	sed -n "$((n + 1)),$((n + 8))p" <<<"$SCREEN" | cut -c1-70 |
		grep -qP '[\x{2801}-\x{28FF}\x{2581}-\x{2588}]' ||
		{ WHY="the CPU graph is empty"; return 1; }
}
# The CPU figure of the last sample recorded, once the replay got there.
busy_cpu_last() {
	local c
	c=$(grep -oE '^CPU [0-9.]+%' <<<"$SCREEN" | head -n1 | grep -oE '[0-9.]+')
	[ "$c" = "$REC_LAST_CPU" ] || { WHY="CPU '$c', recorded last '$REC_LAST_CPU'"; return 1; }
}

scr_need replay tmux perl virsh python3
stack_up || { not_ok "stack_up (fixture, daemon, our guests)"; summary; exit 1; }

# ---- recording ----

say "# record"
vt_vmtui_bare 140 40 top --record "$REC" -c "$T_URI" -d 1
check "top --record: the screen as usual" wait_screen "^NAME +STATE" 30
filter_ours
check "top --record: our guests listed" wait_for 20 "our rows" ours_listed
sleep 6 # a few refreshes, the busy guest's CPU graph filling
vt_keys q
check "top --record: q quits" wait_for 5 "exit" vt_dead
vt_stop
check "the recording exists" test -s "$REC"
PYOUT=$(python3 - "$REC" "$T_BUSY" "$T_IDLE" "$T_OFF" <<'EOF'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
assert lines[-1] == "", "the last line ends with a newline"
recs = [json.loads(l) for l in lines[:-1]]
h = recs[0]
assert h["vmtui-recording"] == 1 and h["interval"] == 1.0 and h["program"].startswith("vmtui "), h
samples = recs[1:]
assert len(samples) >= 4, "%d samples" % len(samples)
for s in samples:
    names = {v["name"]: v for v in s["vms"]}
    for g in sys.argv[2:]:
        assert g in names, "%s missing at %s" % (g, s["t"])
    assert names[sys.argv[2]]["state"] == "running"
    assert names[sys.argv[4]]["state"] == "shut off"
# The busy guest spins: well above the idle one (how far above 50% depends
# on what else the host runs).
cpu = lambda s, g: {x["name"]: x for x in s["vms"]}[g]["cpu_pct"]
busy = [s for s in samples if cpu(s, sys.argv[2]) is not None and cpu(s, sys.argv[3]) is not None
        and cpu(s, sys.argv[2]) > max(5, 3 * cpu(s, sys.argv[3]))]
assert len(busy) >= 3, "busy guest well above the idle one in %d samples" % len(busy)
import time
print("%.1f" % cpu(samples[-1], sys.argv[2]))
print(time.strftime("%Y-%m-%d %H:%M", time.gmtime(samples[0]["t"])))
EOF
)
check "the recording: a v1 header, a valid line per refresh with our guests" \
	[ -n "$PYOUT" ]
REC_MINUTE=$(tail -n1 <<<"$PYOUT")
REC_LAST_CPU=$(head -n1 <<<"$PYOUT")

# ---- replay ----

say "# replay"
vt_vmtui_bare 140 40 --replay "$REC"
check "replay: REPLAY and the recording's time in the header" \
	wait_screen "^vmtui [^ ]+  REPLAY $(re "$REC_MINUTE"):[0-9]{2}Z x1" 10
check "replay: the host line of the recording" wait_screen "^[^ ]+  $(re "$T_URI")  CPU .*VMs: " 10
filter_ours
check "replay: our guests in the list, as recorded" wait_for 10 "our rows" ours_listed
vt_keys S
check "replay: an action is refused" wait_screen '^Cannot start: replaying a recording\.' 5
check "replay: the guest did not change" eq "$(virsh -q -c "$T_URI" domstate "$T_OFF")" "shut off"
vt_keys T
check "replay: snapshots are refused too" wait_screen '^Cannot list snapshots: replaying a recording\.' 5
vt_keys h
check "replay: the host view, from the recording" wait_screen '^Host CPU [0-9.]+% ' 5
check "replay: the host view says what recordings lack" wait_screen \
	'Node details and storage pools are not in recordings\.' 5
vt_esc
check "replay: back in the list" wait_screen '^NAME +STATE' 5
vt_keys Home Enter
check "replay: the detail view of the busy guest" wait_screen "^$(re "$T_BUSY")  running  on " 5
check "replay: its CPU graph is drawn" wait_for 10 "CPU graph" cpu_graph_drawn
check "replay: its CPU as last recorded" wait_for 15 "busy CPU" busy_cpu_last
vt_keys Space
check "replay: Space pauses" wait_screen "REPLAY [0-9: -]+Z x1 paused" 5
vt_keys +
check "replay: + doubles the speed" wait_screen "REPLAY [0-9: -]+Z x2 paused" 5
vt_keys Space + + +
check "replay: plays to the end" wait_screen "REPLAY [0-9: -]+Z x16 end" 15
vt_esc
vt_keys q
check "replay: q quits" wait_for 5 "exit" vt_dead
vt_stop

# ---- a damaged recording ----

say "# damaged recording"
BAD=$SCR_TMP/bad.jsonl
{
	sed -n 1,2p "$REC"
	echo '{"t":1,"host":"h","vms":[{"name":"x","uuid":"123","state":"running"}]}'
	sed -n '3,$p' "$REC"
	sed -n 3p "$REC" | head -c 100
} >"$BAD"
vt_vmtui_bare 220 40 --replay "$BAD"
check "damaged: file:line:col and what is wrong in the status line" wait_screen \
	"^$(re "$BAD"): 1 bad line skipped \(L lists them\); first: $(re "$BAD"):3:45: \"uuid\" should be 36 characters, not \"123\"" 10
filter_ours
check "damaged: the valid lines play" wait_for 10 "our rows" ours_listed
vt_keys L
check "damaged: the action log has the cut last line" wait_screen \
	"$(re "$BAD"):$(($(wc -l <"$REC") + 2)): the last line is cut short" 5
vt_esc
vt_keys q
check "damaged: q quits" wait_for 5 "exit" vt_dead
vt_stop

# ---- uptimes past an hour ----

# From an hour on an uptime shows minutes ("1h00m"), and the change may
# come up to 2 s after the minute (a thirtieth of the unit, so that a
# refresh usually draws it instead of a frame of its own); never before
# it, and never later than that with no refresh to come. Recorded every
# 30 s, so that between the two samples the uptime counts on with no
# refresh: a guest up 1h00m57s, whose minute turns 3 s after the first
# sample, alone but for a guest whose figure changes only in an hour, so
# that no other row's change draws it sooner. That one is up 30 days,
# longer than the machine replaying it has been (whatever its uptime),
# and shows them all the same.
say "# uptimes past an hour"
UPT=$SCR_TMP/uptime.jsonl
now=$(date +%s)
upt_sample() { # upt_sample T UPTIME
	printf '{"t":%s,"host":"h","uri":"test:///uptimes","vms":[{"name":"uphour",' "$1"
	printf '"uuid":"00000000-0000-4000-8000-000000000002","state":"running","uptime":%s},' "$2"
	printf '{"name":"upmonth","uuid":"00000000-0000-4000-8000-000000000003",'
	printf '"state":"running","uptime":%s}]}\n' $(($2 - 3657 + 30 * 86400 + 30))
}
{
	printf '{"vmtui-recording":1,"program":"vmtui test","started":"%s","epoch":%s,"interval":30}\n' \
		"$(date -u -d "@$now" +%FT%TZ)" "$now"
	upt_sample "$now" 3657
	upt_sample $((now + 30)) 3687
} >"$UPT"
uphour_shown() { row_uptime uphour; }
vt_vmtui_bare 100 12 --replay "$UPT"
if wait_for 10 "the row" uphour_shown >/dev/null; then
	t_seen=$(now_us) first=$UPTIME next="" at=0
	end=$((t_seen + 8000000))
	while (($(now_us) < end)); do
		vt_grab
		if uphour_shown && [ "$UPTIME" != "$first" ]; then
			at=$((($(now_us) - t_seen) / 1000)) next=$UPTIME
			break
		fi
		sleep 0.05
	done
	check "uptimes: from an hour on, minutes ($first)" eq "$first" 1h00m
	row_uptime upmonth
	check "uptimes: a guest up longer than this machine ($(cut -d. -f1 /proc/uptime) s) shows it ($UPTIME)" \
		eq "$UPTIME" 30d00h
	minute_late() { [ "$next" = 1h01m ] && ((at >= 2000 && at <= 6500)); }
	check "uptimes: 1h00m turns to ${next:-nothing} after the minute, at most 2 s late (at ${at} ms; the minute at ~3000)" \
		minute_late
else
	not_ok "uptimes: the replayed guest's row"
fi
vt_keys q
check "uptimes: q quits" wait_for 5 "exit" vt_dead
vt_stop

vt_start 100 10 sh -c '"$0" --replay /etc/hostname; echo "exit $?"; sleep 30' "$BUILD/vmtui"
check "not a recording: refused with file:line:col, exit 1" wait_screen \
	'^vmtui: /etc/hostname:1:1: not a vmtui recording: ' 10
check "not a recording: exit status 1" wait_screen '^exit 1$' 5
vt_stop

vt_start 100 10 sh -c '"$0" top --record /nonexistent/dir/rec.jsonl; echo "exit $?"; sleep 30' "$BUILD/vmtui"
check "--record to a file that cannot be made: the reason" wait_screen \
	'^vmtui: --record: cannot open /nonexistent/dir/rec\.jsonl: No such file or directory$' 10
check "--record to a file that cannot be made: exit status 1" wait_screen '^exit 1$' 5
vt_stop

# Options refused before anything starts (no terminal needed).
opt_err() { "$BUILD/vmtui" "$@" </dev/null 2>&1 >/dev/null; echo "exit $?"; }
check "--replay with -c: refused" eq "$(opt_err --replay "$REC" -c "$T_URI")" \
	"vmtui: --replay shows a recording: it takes no -c or -H
exit 1"
check "--replay with --record: refused" eq "$(opt_err --replay "$REC" --record x)" \
	"vmtui: --replay shows a recording: it takes no --record
exit 1"
check "--speed without --replay: refused" eq "$(opt_err --speed 2)" \
	"vmtui: --speed is for --replay FILE
exit 1"
check "--speed 0: refused" eq "$(opt_err --replay "$REC" --speed 0)" \
	"vmtui: --speed: \"0\" is not a factor between 0.0625 and 1024
exit 1"

vt_stop_all
say "replay tests took $((SECONDS - T0)) s"
summary
