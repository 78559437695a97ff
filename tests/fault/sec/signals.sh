#!/usr/bin/env bash
# tests/fault/sec/signals.sh — SIGTERM, SIGHUP and SIGINT while a confirm
# dialog, the detail view, the help, the console pane (V) or the console (C,
# SIGINT only: TERM and HUP are in tests/screen/test_console.sh) is open,
# and in the middle of rapid resizes, from a shell: status 0, 'vmtui: quit
# on signal', the terminal as before (stty -g, cursor on, no alternate
# screen, keypad and mouse off).
#
# A section of the fault suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/fault/run.sh with the others. Env and helpers: ../faultlib.sh.
# shellcheck source=../faultlib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../faultlib.sh"

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

fault_main f_signals
