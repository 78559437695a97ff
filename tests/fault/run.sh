#!/usr/bin/env bash
# tests/fault/run.sh — vmtui under faults, against the real stack: each case
# checks that vmtui survives (or exits cleanly) AND that the terminal is as
# it was (stty -g identical, cursor on, alternate screen, keypad and mouse
# off).  Sections:
#
#   f_killed    a guest's qemu killed with SIGKILL from outside: its row
#               goes to shut off/crashed within 5 s, vmtui keeps running,
#               the action log (L) shows the event
#   f_signals   SIGTERM, SIGHUP and SIGINT while a confirm dialog, the
#               detail view, the help, the console pane (V) or the console
#               (C, SIGINT: TERM and HUP are in test_console.sh) is open,
#               and in the middle of rapid resizes
#   f_badstart  bad start-up input on a terminal (--record into a missing
#               folder, --replay of garbage, a missing -f config): status
#               1 and the message, stty untouched; unreachable hosts (a
#               bogus URI with ";", a 10 kB URI) shown DISCONNECTED
#   f_storm     200 resizes in a few seconds, 1x1 to 250x80, refreshing
#               every 0.25 s with the detail view open: alive, keys
#               answered, the last frame right for the last size
#   f_concut    the console stream cut: qemu killed with SIGKILL while
#               attached with C, and while the console pane (V) is open
#               (the guest destroyed while attached: test_console.sh)
#   f_readonly  with -r every mutating key (S H R F P U A Z, T then c r x,
#               Y D N o) is refused with a message and virsh shows nothing
#               changed; the CLI subcommands that take -r refuse too
#   f_daemon    a PRIVATE libvirt daemon (qemu:///session of a throwaway
#               user, see below) killed with SIGKILL and restarted at random
#               offsets within the refresh interval: keys answered within
#               1 s throughout, DISCONNECTED shown, the guests come back
#   f_hung      the private daemon stopped (SIGSTOP) instead: the stats
#               connection has no keepalive of its own, the main one's
#               (6 s, 2 pings) must still find the daemon gone: DISCONNECTED
#               with "keepalive timeout" within 30 s, keys answered
#               throughout, connected again after SIGCONT
#   f_upload    `vmtui apply --yes` with a cloud-init seed, the private
#               daemon killed in each step (volume, seed volume, 10% into
#               the seed's upload, start):
#               exit status 1 with a message naming the step, and after the
#               daemon is back nothing is left but what the message lists
#               to remove by hand
# SSH connections dropped mid-way: tests/ssh/run.sh.
#
# The shared system daemon is never stopped: the daemon cases use the
# session daemon of user $FAULT_USER (default vmtuifault, created when
# missing; needs root and runuser), which no one else uses.  Without root
# they are skipped unless VMTUI_FAULT_DAEMON=1, which then kills the daemon
# of tests/realstack/daemon.sh (only when nobody else uses it).
#
# Guests, volumes and pools are named vmtuifault-* and removed at the end.
# Env: BUILD (default build/), FAULT_ONLY="f_killed f_storm" (only these),
# KEEP_GUESTS=1.  Ends with "N passed, N failed".  Takes about 1.5 minutes.
# With an ASan build (BUILD=build-asan) set ASAN_OPTIONS=detect_leaks=0:
# libvirt keeps 8 bytes of an open console stream at a quit on a signal.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T_PREFIX=vmtuifault-
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=../screen/screenlib.sh
. "$TOP/tests/screen/screenlib.sh"

T0=$SECONDS
G_IDLE=${T_PREFIX}idle   # running, idle: console, dialogs
G_KILL=${T_PREFIX}kill   # running: killed from outside, started again
G_OFF=${T_PREFIX}off     # shut off
FAULT_USER=${FAULT_USER:-vmtuifault}
P_GUEST=${T_PREFIX}pd1   # the private daemon's guest
P_POOL=${T_PREFIX}pool
P_POOL_DIR=/var/tmp/${T_PREFIX}pool
P_GUESTS=/var/tmp/${T_PREFIX}guests
FIX=${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}
PRIV=0                   # 1: the private daemon is up
BG_PID=""

cleanup() {
	[ -n "$BG_PID" ] && kill "$BG_PID" 2>/dev/null
	vt_stop_all
	if [ -z "${KEEP_GUESTS:-}" ]; then
		local g
		for g in "$G_IDLE" "$G_KILL" "$G_OFF"; do
			"$RS/guest.sh" undefine "$g" >/dev/null 2>&1
		done
		((PRIV)) && priv_cleanup
	fi
	rm -rf "$SCR_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

vsh() { virsh -q -c "$T_URI" "$@"; }
domstate() { vsh domstate "$1" 2>/dev/null | head -n1; }
wait_domstate() {
	local deadline=$((SECONDS + ${3:-10}))
	until [ "$(domstate "$1")" = "$2" ]; do
		((SECONDS < deadline)) || { say "    virsh domstate $1: '$(domstate "$1")', want '$2'"; return 1; }
		sleep 0.2
	done
}
qemu_pid() { cat "/run/libvirt/qemu/$1.pid" 2>/dev/null; }

fault_stack_up() {
	"$RS/build-guest.sh" >&2 && "$RS/daemon.sh" start >&2 || return 1
	T_URI=$("$RS/daemon.sh" uri)
	export T_URI
	local g
	for g in "$G_IDLE" "$G_KILL" "$G_OFF"; do
		vsh dominfo "$g" >/dev/null 2>&1 || "$RS/guest.sh" define "$g" --net none >&2 || return 1
	done
	vsh destroy "$G_OFF" >/dev/null 2>&1
	guests_up
}
guests_up() {
	local g
	for g in "$G_IDLE" "$G_KILL"; do
		[ "$(domstate "$g")" = running ] || "$RS/guest.sh" start "$g" --wait 90 >&2 || return 1
	done
}

# ---------------------------------------------------------------- helpers

connected() { _matches "$(re "$T_URI") .*VMs" && _no_match 'DISCONNECTED|connecting'; }
rows_ours() { has_row "$G_IDLE" && has_row "$G_KILL" && has_row "$G_OFF"; }
# Type a filter as a person would: only our guests, or one of them.
filter_to() {
	vt_keys /
	wait_screen '^Filter:' 5 >/dev/null || return 1
	vt_type "$1"
	vt_keys Enter
	wait_screen "filter: $(re "$1")" 5 >/dev/null
}
selected_is() {
	local s
	s=$(selected_name)
	[ "$s" = "$(shown "$1")" ] || { WHY="selected '${s:-none}', want $1"; return 1; }
}
# vmtui in a pane, our guests listed, filtered to $1 (default: all ours).
fault_vmtui() {
	local cols=$1 rows=$2 filter=$3
	shift 3
	vt_vmtui "$cols" "$rows" "$@" && wait_for 60 "connected" connected >/dev/null &&
		wait_for 15 "our rows" rows_ours >/dev/null && filter_to "$filter" || {
		not_ok "vmtui $* at ${cols}x$rows: shows the connected host and our guests"
		return 1
	}
}
key_latency() { # KEY PATTERN: ms from the key to PATTERN (99999: not in 3 s)
	local t0 t
	t0=$(now_us)
	vt_keys "$1"
	while :; do
		tm capture-pane -p -t scr 2>/dev/null | grep -Eq -- "$2" && { echo $((($(now_us) - t0) / 1000)); return; }
		t=$(now_us)
		((t - t0 > 3000000)) && { echo 99999; return; }
		sleep 0.02
	done
}
term_modes() { vt_fmt '#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{keypad_flag} #{mouse_any_flag} #{mouse_button_flag} #{mouse_standard_flag} #{mouse_all_flag}'; }
modes_normal() {
	local f
	f=$(term_modes)
	[ "$f" = "0 1 0 0 0 0 0 0" ] || { say "    alternate cursor keypad_cursor keypad mouse(4) = $f (want 0 1 0 0 0 0 0 0)"; return 1; }
}
# A random sleep of 0 to $1 seconds.
rsleep() { sleep "$(awk -v m="$1" -v r="$RANDOM" 'BEGIN { printf "%.3f", m * r / 32767 }')"; }

# ---- a shell in the pane (stty before and after, exit status) ----

shell_pane() {
	vt_start "${1:-120}" "${2:-30}" env PS1='$ ' LANG=C.UTF-8 TERM=screen bash --norc --noprofile -i &&
		wait_screen '^\$' 10 >/dev/null
}
# shell_run TAG CMD: run CMD, then print RC-TAG=status and save stty -g.
shell_run() {
	vt_type "$2; echo \"RC-$1=\$?\"; stty -g > $SCR_TMP/stty-$1; echo MARK-AFTER-$1"
	vt_keys Enter
}
shell_rc() { tm capture-pane -p -J -t scr -S -200 2>/dev/null | grep -o "^RC-$1=[0-9]*" | tail -n1 | cut -d= -f2; }
wait_mark() {
	local deadline=$((SECONDS + ${2:-10}))
	until tm capture-pane -p -J -t scr -S -200 2>/dev/null | grep -q "^MARK-AFTER-$1"; do
		((SECONDS < deadline)) || return 1
		sleep 0.1
	done
}
vmtui_pid() { pgrep -P "$(vt_pid)" -x vmtui; }
vmtui_cmd() {
	echo "env -u NO_COLOR XDG_CONFIG_HOME=$SCR_TMP/xdg XDG_STATE_HOME=$SCR_TMP/state $BUILD/vmtui -c $T_URI $*"
}

# ---------------------------------------------------------------- sections

# 1. A guest killed from outside.
f_killed() {
	say "# 1. a guest's qemu killed with SIGKILL"
	guests_up || { not_ok "guests up"; return; }
	fault_vmtui 120 30 "$T_PREFIX" -d 2 || return
	wait_for 10 "kill row running" row_is "$G_KILL" running >/dev/null
	local pid t0
	pid=$(qemu_pid "$G_KILL")
	[ -n "$pid" ] || { not_ok "killed: /run/libvirt/qemu/$G_KILL.pid"; return; }
	kill -KILL "$pid"
	t0=$(now_us)
	check "killed: the row goes to shut off (or crashed) within 5 s" \
		wait_for 5 "row shut off" _matches "^$(re "$(shown "$G_KILL")") +(shut off|crashed) "
	say "    shown after $((($(now_us) - t0) / 1000)) ms; virsh: $(domstate "$G_KILL")"
	check "killed: virsh agrees (shut off)" wait_domstate "$G_KILL" "shut off" 5
	check "killed: the other guests are untouched (idle running, off shut off)" \
		wait_for 3 "others" both_others
	check "killed: vmtui keeps running" vt_alive
	vt_keys L
	check "killed: the action log shows the event ($G_KILL stopped)" \
		wait_screen "^[0-9:]{8}  event +.*$(re "$G_KILL") stopped" 5
	vt_esc
	check "killed: Esc back to the list, keys answered" wait_screen '^NAME +STATE' 5
	vt_keys q
	check "killed: q quits" wait_for 15 "exit" dead_pane
	vt_stop
	"$RS/guest.sh" start "$G_KILL" --wait 90 >&2
}
both_others() { row_is "$G_IDLE" running && row_is "$G_OFF" "shut off"; }
dead_pane() { ! vt_alive; }

# 2. Quit signals in every state, from a shell: the terminal as before.
# sig_case TAG SIGNAL SETUP...: start vmtui, run SETUP (reads the screen),
# send SIGNAL, then check the exit and the terminal.
sig_case() {
	local tag=$1 sig=$2 setup=$3 pid rc ok=1
	shell_run "$tag" "$(vmtui_cmd -d 0.5)"
	if ! wait_for 30 "vmtui connected" connected >/dev/null || ! filter_to "$G_IDLE" ||
		! wait_for 5 "idle selected" selected_is "$G_IDLE" >/dev/null; then
		not_ok "$tag: vmtui did not start in the shell"
		vt_keys q
		wait_mark "$tag" 5
		return
	fi
	"$setup" || { not_ok "$tag: could not get to the state ($setup)"; ok=0; }
	pid=$(vmtui_pid)
	kill -"$sig" "$pid"
	if [ -n "$BG_PID" ]; then
		sleep 0.3
		: >"$SCR_TMP/stop-resizing"
		wait "$BG_PID" 2>/dev/null
		BG_PID=""
		tm resize-window -t scr -x 120 -y 30
	fi
	if ! wait_mark "$tag" 10; then
		not_ok "$tag: vmtui did not end within 10 s of SIG$sig"
		kill -KILL "$pid" 2>/dev/null
		wait_mark "$tag" 5
		return
	fi
	rc=$(shell_rc "$tag")
	check "$tag: SIG$sig ends vmtui with status 0 and 'vmtui: quit on signal'" \
		quit_said "$tag" "$rc"
	check "$tag: stty -g as before" cmp -s "$SCR_TMP/stty-before" "$SCR_TMP/stty-$tag"
	check "$tag: normal screen, cursor on, keypad and mouse off" modes_normal
	((ok)) && check "$tag: the guests were not touched (idle still running)" \
		test "$(domstate "$G_IDLE")" = running
	vt_keys C-l
	wait_screen '^\$ *$' 5 >/dev/null
}
# quit_said TAG RC: status 0, and "vmtui: quit on signal" the line before RC-TAG.
quit_said() {
	[ "$2" = 0 ] || { say "    exit status '$2'"; return 1; }
	local before
	before=$(tm capture-pane -p -J -t scr -S -200 | grep -B3 "^RC-$1=" | head -n3)
	# -J joins a line tmux thinks was wrapped: the message may end the
	# (long) command line instead of standing alone.
	grep -q 'vmtui: quit on signal$' <<<"$before" || {
		say "    the lines before RC-$1= were:"
		sed 's/^/    | /' <<<"$before" >&2
		return 1
	}
	# Say (without failing) if anything was written after the message.
	[[ "$(tail -n1 <<<"$before")" == *'vmtui: quit on signal' ]] ||
		say "    note: after the message came: $(sed -n '/vmtui: quit on signal$/,$p' <<<"$before" | tail -n +2)"
}
st_confirm() { vt_keys F; wait_screen "Force off $(re "$G_IDLE")\?" 5 >/dev/null; }
st_detail() { vt_keys Enter; wait_screen "^$(re "$G_IDLE")  running" 5 >/dev/null; }
st_help() { vt_keys '?'; wait_screen '^KEY +COMMAND' 5 >/dev/null; }
st_pane() { vt_keys V; wait_screen "^Console $(re "$G_IDLE") " 10 >/dev/null; }
st_console() { vt_keys C; wait_screen "^Connected to the console of $(re "$G_IDLE")" 10 >/dev/null; }
# resizes in the background, still going when the signal comes
st_resizing() {
	local sock=$SOCK stop=$SCR_TMP/stop-resizing
	rm -f "$stop"
	(
		for i in $(seq 400); do
			[ -e "$stop" ] && exit 0
			tmux -L "$sock" resize-window -t scr -x $((20 + RANDOM % 200)) -y $((5 + RANDOM % 60)) 2>/dev/null || exit 0
		done
	) &
	BG_PID=$!
	sleep 0.7
	kill -0 "$BG_PID" 2>/dev/null
}
f_signals() {
	say "# 2. SIGTERM, SIGHUP, SIGINT in every state"
	guests_up || { not_ok "guests up"; return; }
	shell_pane 120 30 || { not_ok "shell pane"; return; }
	vt_type "stty -g > $SCR_TMP/stty-before; clear"
	vt_keys Enter
	sleep 0.3
	local sig st
	for st in confirm detail help pane resizing; do
		for sig in TERM HUP INT; do
			sig_case "$st-$sig" "$sig" "st_$st"
		done
	done
	sig_case "console-INT" INT st_console
	vt_stop
}

# 2b. Bad start-up input on a real terminal: a clear error, status 1, the
# terminal untouched; a host that cannot be reached is shown, not fatal.
f_badstart() {
	say "# 2b. bad start-up input on a terminal"
	shell_pane 120 30 || { not_ok "shell pane"; return; }
	vt_type "stty -g > $SCR_TMP/stty-before; clear"
	vt_keys Enter
	sleep 0.3
	printf 'garbage\n{"x":1}\n' >"$SCR_TMP/bad.rec"
	bad_start rec "vmtui: --record: cannot open /nonexistent/x: No such file or directory" \
		--record /nonexistent/x
	bad_start replay "vmtui: $SCR_TMP/bad.rec: no samples to replay" --replay "$SCR_TMP/bad.rec"
	bad_start cfg "vmtui: /nonexistent/c.yaml has errors; nothing was changed. Fix them or start with -f /dev/null." \
		-f /nonexistent/c.yaml
	# (in the shell: tmux does not always reap a pane's process that ends
	# right after a 10 kB line, bash does)
	local long
	long=bogus:///$(printf 'x%.0s' $(seq 10000))
	shell_run hosts "$(vmtui_cmd -c "'bogus:///a;b'" -c "$long" -d 0.5)"
	check "unreachable hosts: shown DISCONNECTED with libvirt's reason, the real one connected" \
		wait_for 15 "hosts" bad_hosts
	check "unreachable hosts: keys answered (? shows the help)" keys_answered
	vt_esc
	vt_keys q
	check "unreachable hosts: q quits with status 0" rc_is hosts 0
	check "unreachable hosts: stty -g as before" cmp -s "$SCR_TMP/stty-before" "$SCR_TMP/stty-hosts"
	vt_stop
}
rc_is() { wait_mark "$1" 15 && [ "$(shell_rc "$1")" = "$2" ]; }
bad_hosts() {
	_matches "^. bogus:///a;b +DISCONNECTED, retry in [0-9]+s: no connection driver available for bogus:///a;b" ||
		{ WHY="no DISCONNECTED bogus:///a;b with libvirt's reason"; return 1; }
	_matches "^. bogus:///xxxxxxxxxx" || { WHY="no heading of the 10 kB URI"; return 1; }
	_matches "$(re "$T_URI") .*VMs" || { WHY="$T_URI not connected"; return 1; }
}
# bad_start TAG MESSAGE ARGS...: vmtui ARGS in the shell pane ends with
# status 1 and MESSAGE, stty as before.
bad_start() {
	local tag=$1 msg=$2 a
	shift 2
	printf -v a '%q ' "$@"
	shell_run "$tag" "env -u NO_COLOR XDG_CONFIG_HOME=$SCR_TMP/xdg XDG_STATE_HOME=$SCR_TMP/state $BUILD/vmtui $a"
	if ! wait_mark "$tag" 10; then
		not_ok "bad start $tag: vmtui did not end"
		vt_keys q
		return
	fi
	check "bad start $tag: status 1, '$msg'" bad_said "$tag" "$msg"
	check "bad start $tag: stty -g as before" cmp -s "$SCR_TMP/stty-before" "$SCR_TMP/stty-$tag"
	check "bad start $tag: normal screen, cursor on" modes_normal
	vt_keys C-l
	wait_screen '^\$ *$' 5 >/dev/null
}
bad_said() {
	[ "$(shell_rc "$1")" = 1 ] || { say "    status '$(shell_rc "$1")'"; return 1; }
	tm capture-pane -p -J -t scr -S -200 | grep -B3 "^RC-$1=" | grep -qF -- "$2" || {
		say "    before RC-$1: $(tm capture-pane -p -J -t scr -S -200 | grep -B3 "^RC-$1=" | tr '\n' '|')"
		return 1
	}
}

# 3. A resize storm while refreshing fast in the detail view.
f_storm() {
	say "# 3. 200 resizes in a few seconds, detail view, -d 0.25"
	guests_up || { not_ok "guests up"; return; }
	fault_vmtui 120 30 "$G_IDLE" -d 0.25 || return
	vt_keys Enter
	wait_screen "^$(re "$G_IDLE")  running" 5 >/dev/null || { not_ok "storm: detail view"; return; }
	local i sizes=(1x1 10x3 250x80 2x2 80x24 40x10 200x5 5x60 1x80 250x1) s t0=$SECONDS
	for i in $(seq 200); do
		if ((i % 4 == 0)); then
			s=${sizes[$(((i / 4) % ${#sizes[@]}))]}
		else
			s=$((1 + RANDOM % 250))x$((1 + RANDOM % 80))
		fi
		tm resize-window -t scr -x "${s%x*}" -y "${s#*x}"
	done
	say "    200 resizes in $((SECONDS - t0)) s"
	check "storm: vmtui still runs" vt_alive
	tm resize-window -t scr -x 100 -y 30
	check "storm: the last frame is the detail view at 100x30 (title, graphs, key hints, nothing wider)" \
		wait_for 5 "detail at 100x30" detail_ok 100 30
	local lat
	lat=$(key_latency '?' '^KEY +COMMAND')
	check "storm: keys answered at once after it (? in ${lat} ms)" test "$lat" -lt 1000
	vt_esc
	vt_esc
	tm resize-window -t scr -x 1 -y 1
	sleep 0.5
	tm resize-window -t scr -x 80 -y 24
	check "storm: from 1x1 back to 80x24: the list, its columns and key hints" \
		wait_for 5 "list at 80x24" list_ok 80 24
	vt_keys q
	check "storm: q quits with status 0" wait_for 15 "exit" exited_0
	vt_stop
}
detail_ok() {
	local cols=$1 rows=$2
	[ "$(wc -l <<<"$SCREEN")" -eq "$rows" ] || { WHY="$(wc -l <<<"$SCREEN") lines"; return 1; }
	perl -CSD -ne "exit 1 if length(\$_) > $cols + 1" <<<"$SCREEN" || { WHY="lines wider than $cols"; return 1; }
	[[ $(screen_line 1) =~ ^vmtui\ [0-9] ]] || { WHY="line 1 is not the title"; return 1; }
	_matches "^$(re "$G_IDLE")  running" || { WHY="no detail title"; return 1; }
	_matches '^CPU [0-9.-]' || { WHY="no CPU graph"; return 1; }
	[[ $(screen_line "$rows") =~ Esc ]] || { WHY="last line is not the key hints: $(screen_line "$rows")"; return 1; }
}
list_ok() {
	local cols=$1 rows=$2
	[ "$(wc -l <<<"$SCREEN")" -eq "$rows" ] || { WHY="$(wc -l <<<"$SCREEN") lines"; return 1; }
	perl -CSD -ne "exit 1 if length(\$_) > $cols + 1" <<<"$SCREEN" || { WHY="lines wider than $cols"; return 1; }
	[[ $(screen_line 3) =~ ^NAME\ +STATE.*UPTIME$ ]] || { WHY="line 3: $(screen_line 3)"; return 1; }
	row_is "$G_IDLE" running || return 1
	[[ $(screen_line "$rows") == '?Help qQuit'* ]] || { WHY="line $rows is not the key hints"; return 1; }
}
# The pane's program ended with status 0. tmux now and then leaves it a
# zombie without reading its status (seen after 10 kB lines and with
# LeakSanitizer): the kernel has it in /proc/PID/stat then.
exited_0() {
	local st pid
	vt_alive && { WHY="still running"; return 1; }
	st=$(vt_fmt '#{pane_dead_status}')
	if [ -z "$st" ] && pid=$(vt_pid) && [ -r "/proc/$pid/stat" ]; then
		st=$(($(awk '{ print $NF }' "/proc/$pid/stat") >> 8))
	fi
	[ "$st" = 0 ] || { WHY="exit status '$st'"; return 1; }
}

# 4. The console stream cut by a killed qemu.
f_concut() {
	say "# 4. console stream cut (qemu killed with SIGKILL)"
	guests_up || { not_ok "guests up"; return; }
	fault_vmtui 120 30 "$G_KILL" -d 1 || return
	wait_for 5 "selected" selected_is "$G_KILL" >/dev/null
	MODES=$(term_modes)
	vt_keys C
	check "cut C: attached" wait_screen "^Connected to the console of $(re "$G_KILL")" 10
	kill -KILL "$(qemu_pid "$G_KILL")"
	check "cut C: back in vmtui by itself (alternate screen)" \
		wait_for 10 "back" alt_is 1
	check "cut C: the status line says the console closed as the guest stopped" \
		wait_screen "^The console of $(re "$G_KILL") closed: the guest stopped\." 5
	check "cut C: the row shows shut off" wait_for 10 "off" row_is "$G_KILL" "shut off"
	check "cut C: terminal modes as before the console (alternate, cursor, keypad, mouse)" \
		test "$(term_modes)" = "$MODES"
	check "cut C: keys answered (? shows the help)" keys_answered
	vt_esc
	"$RS/guest.sh" start "$G_KILL" --wait 90 >&2
	check "cut V: the row is running again" wait_for 15 "running" row_is "$G_KILL" running
	vt_keys V
	check "cut V: the pane is open" wait_screen "^Console $(re "$G_KILL") " 10
	kill -KILL "$(qemu_pid "$G_KILL")"
	check "cut V: the pane closes by itself, saying the guest stopped" \
		wait_screen "^The console of $(re "$G_KILL") closed: the guest stopped\." 10
	check "cut V: back to the list, the row shut off" wait_for 10 "off" row_is "$G_KILL" "shut off"
	check "cut V: vmtui keeps running" vt_alive
	local t0=$(now_us)
	vt_keys q
	check "cut V: q quits with status 0" wait_for 15 "exit" exited_0
	say "    quit took $((($(now_us) - t0) / 1000)) ms"
	vt_stop
	"$RS/guest.sh" start "$G_KILL" --wait 90 >&2
}
keys_answered() { vt_keys '?'; wait_screen '^KEY +COMMAND' 5; }
alt_is() { [ "$(vt_fmt '#{alternate_on}')" = "$1" ] || { WHY="alternate_on=$(vt_fmt '#{alternate_on}')"; return 1; }; }

# 5. Read-only: every mutating key refused, nothing changed.
ro_state() { # what virsh says of our guests: state, autostart, snapshots; and the domain list
	local g
	for g in "$G_IDLE" "$G_KILL" "$G_OFF"; do
		printf '%s %s %s snaps=%s\n' "$g" "$(domstate "$g" | tr ' ' _)" \
			"$(vsh dominfo "$g" | awk '/^Autostart:/ { print $2 }')" \
			"$(vsh snapshot-list --name "$g" 2>/dev/null | tr '\n' ,)"
	done
	vsh list --all --name | grep "^$T_PREFIX" | sort | tr '\n' ' '
	echo
}
f_readonly() {
	say "# 5. read-only: every mutating action refused"
	guests_up || { not_ok "guests up"; return; }
	vsh snapshot-create-as "$G_OFF" ro-keep >/dev/null 2>&1
	local before after k
	before=$(ro_state)
	fault_vmtui 120 30 "$T_PREFIX" -r -d 1 || return
	check "read-only: header says READ-ONLY" wait_screen '^vmtui .*READ-ONLY' 5
	# a running guest: S H R F P U A
	vt_keys Home
	wait_for 5 "idle selected" selected_is "$G_IDLE" >/dev/null
	for k in "H:shutdown" "R:reboot" "F:force off" "P:pause" "U:resume" "A:autostart on" "S:start"; do
		vt_keys "${k%%:*}"
		check "read-only: ${k%%:*} is refused ('Cannot ${k#*:} $G_IDLE: vmtui runs read-only (-r)')" \
			wait_screen "^Cannot ${k#*:} $(re "$G_IDLE"): vmtui runs read-only \(-r\)" 5
		_no_match 'Force off .*\?' || not_ok "read-only: ${k%%:*} opened a dialog"
	done
	vt_keys o
	check "read-only: o (open definitions) is refused, no prompt" \
		wait_screen '^Cannot create guests: vmtui runs read-only \(-r\)\.' 5
	_no_match '^Open VM definitions' || not_ok "read-only: o opened the prompt"
	vt_keys Z
	check "read-only: Z (resize) is refused" \
		wait_screen "^Cannot resize $(re "$G_IDLE"): vmtui runs read-only \(-r\)" 5
	vt_keys Y
	check "read-only: Y (clone) is refused" \
		wait_screen "^Cannot clone $(re "$G_IDLE"): vmtui runs read-only \(-r\)" 5
	vt_keys D
	check "read-only: D (delete) is refused" \
		wait_screen "^Cannot delete $(re "$G_IDLE"): vmtui runs read-only \(-r\)" 5
	vt_keys N
	check "read-only: N (new VM) is refused" \
		wait_screen '^Cannot create guests: vmtui runs read-only \(-r\)\.' 5
	vt_keys C
	check "read-only: C (console) is refused" \
		wait_screen "^Cannot open the console of $(re "$G_IDLE"): vmtui runs read-only" 5
	# the shut-off guest with a snapshot: T lists, c r x are refused
	vt_keys End
	wait_for 5 "off selected" selected_is "$G_OFF" >/dev/null
	vt_keys S
	check "read-only: S on the shut-off guest is refused" \
		wait_screen "^Cannot start $(re "$G_OFF"): vmtui runs read-only \(-r\)" 5
	vt_keys T
	check "read-only: T shows the snapshots (ro-keep listed)" wait_screen 'ro-keep' 10
	for k in "c:create a snapshot" "r:revert to a snapshot" "x:delete a snapshot"; do
		vt_keys "${k%%:*}"
		check "read-only: T then ${k%%:*} is refused ('Cannot ${k#*:}: vmtui runs read-only')" \
			wait_screen "^Cannot ${k#*:}: vmtui runs read-only \(-r\)" 5
	done
	vt_esc
	sleep 2 # a refresh or two: anything sent would have acted by now
	after=$(ro_state)
	check "read-only: virsh shows nothing changed (states, autostart, snapshots, domain list)" \
		test "$before" = "$after"
	[ "$before" = "$after" ] || say "    before: $before"$'\n'"    after:  $after"
	vt_keys q
	vt_stop

	# the subcommands that take -r
	ro_cli "resize -r: refused, showing what would change" \
		"vmtui: cannot resize $G_OFF: vmtui runs read-only (-r); nothing was changed. Drop -r to change it." \
		resize -r -c "$T_URI" "$G_OFF" --vcpus 2
	check "read-only cli: ... and says what it would change" grep -q "^$G_OFF: would change vCPUs" "$SCR_TMP/out"
	ro_cli "snapshot create -r: refused" \
		"vmtui: cannot create a snapshot of $G_OFF: vmtui runs read-only (-r); nothing was changed." \
		snapshot create -r -c "$T_URI" "$G_OFF" ro-new
	ro_cli "snapshot revert -r: refused" \
		"vmtui: cannot revert a snapshot of $G_OFF: vmtui runs read-only (-r); nothing was changed." \
		snapshot revert -r -y -c "$T_URI" "$G_OFF" ro-keep
	ro_cli "snapshot delete -r: refused" \
		"vmtui: cannot delete a snapshot of $G_OFF: vmtui runs read-only (-r); nothing was changed." \
		snapshot delete -r -y -c "$T_URI" "$G_OFF" ro-keep
	ro_cli "clone -r: refused" \
		"vmtui: cannot clone $G_OFF: vmtui runs read-only (-r); nothing was changed." \
		clone -r -c "$T_URI" "$G_OFF" "${T_PREFIX}ro-clone"
	ro_cli "delete -r: refused" \
		"vmtui: cannot delete $G_OFF: vmtui runs read-only (-r); nothing was changed." \
		delete -r -c "$T_URI" "$G_OFF" --yes-i-typed "$G_OFF"
	"$BUILD/vmtui" snapshot list -r -c "$T_URI" "$G_OFF" >"$SCR_TMP/out" 2>&1 </dev/null
	check "read-only cli: snapshot list -r works (ro-keep listed)" grep -q ' ro-keep ' "$SCR_TMP/out"
	after=$(ro_state)
	check "read-only cli: virsh shows nothing changed" test "$before" = "$after"
	vsh snapshot-delete "$G_OFF" ro-keep >/dev/null 2>&1
}

# ro_cli DESC MESSAGE ARGS...: vmtui ARGS exits 1 with MESSAGE on stderr.
ro_cli() {
	local desc=$1 msg=$2 rc
	shift 2
	"$BUILD/vmtui" "$@" >"$SCR_TMP/out" 2>"$SCR_TMP/err" </dev/null
	rc=$?
	if [ "$rc" = 1 ] && grep -qF -- "$msg" "$SCR_TMP/err"; then
		ok "read-only cli: $desc (status 1)"
	else
		not_ok "read-only cli: $desc (status $rc, want 1; stderr: $(head -c 300 "$SCR_TMP/err"))"
	fi
}

# ---------------------------------------------------------------- the private daemon

# Commands as the throwaway user, on its session daemon.
P_RUN=""
as_user() {
	if [ -n "$P_RUN" ]; then
		runuser -u "$FAULT_USER" -- env XDG_RUNTIME_DIR="$P_RUN" HOME="$P_HOME" \
			VMTUI_URI=qemu:///session VMTUI_GUESTS_DIR="$P_GUESTS" "$@"
	else
		"$@"
	fi
}
pvsh() { as_user virsh -q -c "$P_URI" "$@"; }
p_daemon_pid() {
	local p
	p=$(cat "$P_RUN/libvirt/libvirtd.pid" 2>/dev/null)
	[ -n "$p" ] && [ "$(cat "/proc/$p/comm" 2>/dev/null)" = libvirtd ] && echo "$p"
}
priv_up() {
	if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
		id "$FAULT_USER" >/dev/null 2>&1 || useradd -m -s /bin/bash "$FAULT_USER" || return 1
		P_HOME=$(getent passwd "$FAULT_USER" | cut -d: -f6)
		P_RUN=/run/user/$(id -u "$FAULT_USER")
		mkdir -p "$P_RUN" "$P_GUESTS" "$P_POOL_DIR" && chown "$FAULT_USER:" "$P_RUN" "$P_GUESTS" "$P_POOL_DIR" &&
			chmod 0700 "$P_RUN" && chmod 0755 "$P_GUESTS" "$P_POOL_DIR" || return 1
		P_URI=qemu:///session
		PRIV=1
	elif [ "${VMTUI_FAULT_DAEMON:-}" = 1 ]; then
		P_URI=$T_URI
		P_GUESTS=${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}/guests
		PRIV=1
	else
		return 2
	fi
	p_start || return 1
	pvsh dominfo "$P_GUEST" >/dev/null 2>&1 || as_user "$RS/guest.sh" define "$P_GUEST" --net user >&2 || return 1
	[ "$(pvsh domstate "$P_GUEST" 2>/dev/null | head -n1)" = running ] ||
		as_user "$RS/guest.sh" start "$P_GUEST" --wait 90 >&2 || return 1
	if ! pvsh pool-info "$P_POOL" >/dev/null 2>&1; then
		pvsh pool-define-as "$P_POOL" dir --target "$P_POOL_DIR" >/dev/null || return 1
	fi
	[ "$(pvsh pool-info "$P_POOL" | awk '/^State:/ { print $2 }')" = running ] ||
		pvsh pool-start "$P_POOL" >/dev/null
}
p_start() {
	if [ -n "$P_RUN" ]; then
		as_user timeout 60 virsh -c "$P_URI" version >/dev/null 2>&1 # spawns the session daemon
	else
		"$RS/daemon.sh" restart >&2
	fi
}
p_kill() {
	if [ -n "$P_RUN" ]; then
		local p
		p=$(p_daemon_pid) || return 1
		kill -KILL "$p"
		while kill -0 "$p" 2>/dev/null; do sleep 0.05; done
	else
		"$RS/daemon.sh" kill >&2
	fi
}
# Domains and volumes of the private daemon whose names start with $1.
p_remove() {
	local g vol
	for g in $(pvsh list --all --name 2>/dev/null | grep "^$1"); do
		pvsh destroy "$g" >/dev/null 2>&1
		pvsh undefine "$g" >/dev/null 2>&1
	done
	for vol in $(pvsh vol-list "$P_POOL" 2>/dev/null | awk '{ print $1 }' | grep "^$1"); do
		pvsh vol-delete --pool "$P_POOL" "$vol" >/dev/null 2>&1
	done
}
priv_cleanup() {
	p_start
	p_remove "$T_PREFIX"
	pvsh pool-destroy "$P_POOL" >/dev/null 2>&1
	pvsh pool-undefine "$P_POOL" >/dev/null 2>&1
	[ -n "$P_RUN" ] && rm -rf "$P_GUESTS" "$P_POOL_DIR"
}
# COLS ROWS ARGS...: vmtui as the user, on its daemon; LIBVIRT_AUTOSTART=0:
# vmtui's reconnects must not spawn the session daemon again (p_start does).
p_vmtui() {
	local cols=$1 rows=$2
	shift 2
	mkdir -p "$SCR_TMP/pstate"
	[ -n "$P_RUN" ] && chown "$FAULT_USER:" "$SCR_TMP/pstate" && chmod 0755 "$SCR_TMP"
	if [ -n "$P_RUN" ]; then
		vt_start "$cols" "$rows" runuser -u "$FAULT_USER" -- env LANG=C.UTF-8 XDG_RUNTIME_DIR="$P_RUN" LIBVIRT_AUTOSTART=0 \
			HOME="$P_HOME" XDG_CONFIG_HOME="$SCR_TMP/pstate" XDG_STATE_HOME="$SCR_TMP/pstate" \
			"$BUILD/vmtui" -c "$P_URI" "$@"
	else
		vt_start "$cols" "$rows" env LANG=C.UTF-8 XDG_CONFIG_HOME="$SCR_TMP/pstate" \
			XDG_STATE_HOME="$SCR_TMP/pstate" "$BUILD/vmtui" -c "$P_URI" "$@"
	fi
}
p_connected() { _matches "$(re "$P_URI") .*VMs" && _no_match 'DISCONNECTED|connecting'; }
p_row_running() { row_is "$P_GUEST" running; }

# 6. The daemon killed and restarted mid-refresh, again and again.
f_daemon() {
	say "# 6. the (private) daemon killed and restarted at random moments"
	if ((!PRIV)); then
		say "    skipped: no private daemon (needs root and runuser, or VMTUI_FAULT_DAEMON=1)"
		return
	fi
	local interval=0.5 cycle lat max=0 keys_ok=1 disc_ok=1 back_ok=1 t0
	p_vmtui 120 30 -d "$interval" || { not_ok "daemon: vmtui as $FAULT_USER"; return; }
	if ! wait_for 60 "connected" p_connected >/dev/null || ! filter_to "$P_GUEST" ||
		! wait_for 15 "guest running" p_row_running >/dev/null; then
		not_ok "daemon: vmtui shows the private daemon's guest"
		return
	fi
	for cycle in 1 2 3 4 5; do
		rsleep "$interval"
		p_kill || { not_ok "daemon: kill in cycle $cycle"; break; }
		t0=$(now_us)
		# keys answered while the connection is lost
		lat=$(key_latency '?' '^KEY +COMMAND')
		((lat > max)) && max=$lat
		((lat < 1000)) || keys_ok=0
		vt_esc
		if ((cycle % 2)); then
			wait_for 15 "DISCONNECTED" _matches "$(re "$P_URI").*DISCONNECTED" >/dev/null || disc_ok=0
			say "    cycle $cycle: DISCONNECTED after $((($(now_us) - t0) / 1000)) ms"
			lat=$(key_latency '?' '^KEY +COMMAND')
			((lat > max)) && max=$lat
			((lat < 1000)) || keys_ok=0
			vt_esc
		else
			say "    cycle $cycle: restarted at once"
		fi
		p_start || { not_ok "daemon: restart in cycle $cycle"; break; }
		rsleep "$interval"
		lat=$(key_latency '?' '^KEY +COMMAND')
		((lat > max)) && max=$lat
		((lat < 1000)) || keys_ok=0
		vt_esc
		if ! wait_for 60 "reconnected, guest running" p_back >/dev/null; then
			back_ok=0
			show_screen "cycle $cycle"
		fi
		say "    cycle $cycle: back after $((($(now_us) - t0) / 1000)) ms"
		vt_alive || break
	done
	check "daemon: vmtui survives 5 kill -9/restart cycles" vt_alive
	check "daemon: keys answered within 1 s throughout (slowest ${max} ms)" test "$keys_ok" = 1
	check "daemon: DISCONNECTED shown each time the daemon stayed dead" test "$disc_ok" = 1
	check "daemon: connected again with the guest running after every restart" test "$back_ok" = 1
	vt_keys L
	check "daemon: the action log says the connection was lost and reconnected" \
		wait_for 5 "log" log_conn
	vt_esc
	vt_keys q
	check "daemon: q quits with status 0" wait_for 15 "exit" exited_0
	vt_stop
}
p_back() { p_connected && p_row_running; }

# 6b. The daemon hung, not dead: its sockets stay open.
f_hung() {
	say "# 6b. the (private) daemon stopped with SIGSTOP mid-refresh"
	if [ -z "$P_RUN" ]; then
		say "    skipped: needs the private session daemon (root and runuser)"
		return
	fi
	local p t0 lat max=0 keys_ok=1
	p_vmtui 120 30 -d 0.5 || { not_ok "hung: vmtui as $FAULT_USER"; return; }
	if ! wait_for 60 "connected" p_connected >/dev/null || ! filter_to "$P_GUEST" ||
		! wait_for 15 "guest running" p_row_running >/dev/null; then
		not_ok "hung: vmtui shows the private daemon's guest"
		return
	fi
	rsleep 0.5
	p=$(p_daemon_pid) || { not_ok "hung: the daemon's pid"; return; }
	kill -STOP "$p"
	t0=$(now_us)
	while :; do
		vt_grab
		_matches "$(re "$P_URI").*DISCONNECTED" && break
		(($(now_us) - t0 < 30000000)) || break
		lat=$(key_latency '?' '^KEY +COMMAND')
		((lat > max)) && max=$lat
		((lat < 1000)) || keys_ok=0
		vt_esc
		sleep 0.5
	done
	say "    DISCONNECTED after $((($(now_us) - t0) / 1000)) ms"
	check "hung: DISCONNECTED within 30 s, saying keepalive timeout" \
		wait_for 1 "keepalive" _matches "$(re "$P_URI").*DISCONNECTED.*keepalive timeout"
	check "hung: keys answered within 1 s throughout (slowest ${max} ms)" test "$keys_ok" = 1
	kill -CONT "$p"
	check "hung: connected again with the guest running after SIGCONT" \
		wait_for 60 "reconnected, guest running" p_back
	vt_keys q
	check "hung: q quits with status 0" wait_for 15 "exit" exited_0
	vt_stop
}
log_conn() { _matches 'lost connection' && _matches 'reconnected'; }

# 7. apply --yes interrupted by the daemon's death.
f_upload() {
	say "# 7. apply --yes with a cloud-init seed, the daemon killed mid-way"
	if ((!PRIV)); then
		say "    skipped: no private daemon (needs root and runuser, or VMTUI_FAULT_DAEMON=1)"
		return
	fi
	local d=$SCR_TMP/apply step n=0
	mkdir -p "$d"
	p_remove "${T_PREFIX}up"
	# 12 MiB of user data: the seed takes a while to upload
	{ echo '#cloud-config'; echo 'write_files:'; echo '  - path: /tmp/blob'; echo '    content: |'
	  head -c 9000000 /dev/urandom | base64 -w 76 | sed 's/^/      /'; } >"$d/user-data"
	[ -n "$P_RUN" ] && chown -R "$FAULT_USER:" "$d" && chmod 0755 "$SCR_TMP" "$d"
	for step in "volume ${T_PREFIX}up1-vda" "upload the cloud-init seed" ": 10% (" "start VM"; do
		n=$((n + 1))
		upload_case "$n" "$step" "$d"
	done
}
# upload_case N STEP DIR: apply VM ${T_PREFIX}upN; kill the daemon when
# stderr shows STEP; check the message and what is left.
upload_case() {
	local n=$1 step=$2 d=$3 vm=${T_PREFIX}up$1 rc left listed bad=""
	step=${step//up1/up$n}
	cat >"$d/$vm.yaml" <<EOF
name: $vm
type: qemu
memory: 64M
disks:
  - {size: 32M, pool: $P_POOL}
networks: []
boot:
  kernel: $FIX/vmlinuz
  initrd: $FIX/initrd.img
  cmdline: console=ttyS0 quiet
cloud_init:
  user_data_file: user-data
start: true
EOF
	[ -n "$P_RUN" ] && chown "$FAULT_USER:" "$d/$vm.yaml"
	# stderr line by line: SIGSTOP the daemon on the step (at once: its pid
	# is known), then SIGKILL it
	local dpid
	dpid=$(p_daemon_pid) || { not_ok "upload $n: no daemon pid"; return; }
	(cd "$d" && as_user "$BUILD/vmtui" apply -c "$P_URI" --yes "$vm.yaml" 2>&1 >"$d/out-$n" </dev/null
	 echo "RC=$?") | while IFS= read -r line; do
		if [[ $line == *"$step"* ]] && [ ! -e "$d/killed-$n" ]; then
			kill -STOP "$dpid"
			: >"$d/killed-$n"
			kill -KILL "$dpid"
		fi
		printf '%s\n' "$line" >>"$d/err-$n"
	done
	rc=$(sed -n 's/^RC=//p' "$d/err-$n")
	sed -i '/^RC=/d' "$d/err-$n"
	if [ ! -e "$d/killed-$n" ]; then
		not_ok "upload $n: the step '$step' never showed; stderr: $(tail -n 3 "$d/err-$n" | tr '\n' '|')"
		p_start
		return
	fi
	check "upload $n (daemon killed at '$step'): apply exits with status 1" test "$rc" = 1
	check "upload $n: the message names the VM and the step that failed" \
		grep -q "^vmtui: $vm: .*failed: " "$d/err-$n"
	p_start
	left=$({ pvsh list --all --name | grep -x "$vm"; pvsh vol-list "$P_POOL" | awk '{ print $1 }' | grep "^$vm"; } | sort)
	listed=$(grep -o 'by hand (virsh [^)]*)' "$d/err-$n")
	local x
	for x in $left; do
		grep -qF -- " $x)" <<<"$listed" || bad+="$x "
	done
	say "    rc=$rc; progress: $(grep -o '[0-9]*% (' "$d/err-$n" | tr -d '( ' | tr '\n' ' ')"
	say "    left after the daemon came back: $(echo ${left:-nothing}); $(grep '^vmtui:' "$d/err-$n" | cut -c1-600)"
	check "upload $n: after the daemon is back, nothing is left but what the message says to remove by hand" \
		test -z "$bad"
	# what the message says to run does remove it
	local cmd
	while IFS= read -r cmd; do
		[ -n "$cmd" ] || continue
		as_user bash -c "$cmd -c '$P_URI'" >/dev/null 2>&1 ||
			as_user bash -c "${cmd/virsh /virsh -c $P_URI }" >/dev/null 2>&1
	done < <(grep -o 'by hand (virsh [^)]*)' "$d/err-$n" | sed 's/^by hand (//; s/)$//')
	left=$({ pvsh list --all --name | grep -x "$vm"; pvsh vol-list "$P_POOL" | awk '{ print $1 }' | grep "^$vm"; } | sort)
	check "upload $n: the virsh commands of the message remove the leftovers" test -z "$left"
}

# ---------------------------------------------------------------- main

for tool in tmux perl virsh pgrep; do
	command -v "$tool" >/dev/null || { say "fault tests need $tool"; echo "0 passed, 1 failed"; exit 1; }
done
if [ ! -x "$BUILD/vmtui" ]; then
	"$TOP/scripts/build" >&2 || { echo "0 passed, 1 failed"; exit 1; }
fi
if ! fault_stack_up; then
	not_ok "fault_stack_up (fixture, daemon, our guests)"
	summary
	exit 1
fi
SECTIONS=${FAULT_ONLY:-f_killed f_signals f_badstart f_storm f_concut f_readonly f_daemon f_hung f_upload}
case " $SECTIONS " in
*" f_daemon "* | *" f_hung "* | *" f_upload "*)
	priv_up
	case $? in
	0) say "private daemon: $P_URI as $FAULT_USER${P_RUN:+ (XDG_RUNTIME_DIR=$P_RUN)}" ;;
	2) PRIV=0 ;;
	*) not_ok "the private daemon ($P_URI as $FAULT_USER) with its guest and pool"; PRIV=0 ;;
	esac
	;;
esac
for s in $SECTIONS; do
	"$s"
	vt_stop_all
done
for f in "$SCR_TMP/state/vmtui/vmtui.log" "$SCR_TMP/pstate/vmtui/vmtui.log"; do
	if [ -s "$f" ]; then
		say "vmtui's stderr log $f (last lines):"
		tail -n 10 "$f" | sed 's/^/    /' >&2
	fi
done
# (a sanitizer build reports on stderr, which goes to the log while the
# screen is vmtui's)
check "no sanitizer report in vmtui's stderr logs" \
	bash -c "! cat '$SCR_TMP/state/vmtui/vmtui.log' '$SCR_TMP/pstate/vmtui/vmtui.log' 2>/dev/null | grep -qE 'Sanitizer|runtime error:'"
say "fault tests took $((SECONDS - T0)) s"
summary
