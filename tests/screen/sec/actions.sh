#!/usr/bin/env bash
# tests/screen/sec/actions.sh — actions: S, F (with y, n, Esc and q), A, P,
# U in the list and the detail view, against virsh; the action log (L) and
# its virsh commands.
#
# A section of the screen suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/screen/run.sh with the others. Env and helpers: ../seclib.sh.
# shellcheck source=../seclib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../seclib.sh"

sec_actions() {
	say "# 7. actions"
	fix_states
	start_vmtui 120 30 -d 1 || return
	filter_ours
	nav_to "$T_OFF" End >/dev/null
	vt_keys S
	check "actions: S starts the shut-off guest (row running within 10 s)" \
		wait_for 10 "running" row_is "$T_OFF" running
	check "actions: virsh domstate agrees: running" wait_domstate "$T_OFF" running 10
	check "actions: the status line says the start is done" \
		status_says "$(re "$T_OFF"): start: done" 10
	vt_keys F
	check "actions: F asks 'Force off $T_OFF?'" \
		wait_screen "Force off $(re "$T_OFF")\\?" 5
	vt_keys n
	check "actions: n cancels: dialog gone, status 'Cancelled'" \
		wait_for 5 "cancelled" cancelled
	sleep 1
	check "actions: after n the guest still runs (screen and virsh)" \
		still_running "$T_OFF"
	vt_keys F
	wait_screen "Force off $(re "$T_OFF")\\?" 5 >/dev/null
	vt_esc
	local esc_ok=0 q_ok=0
	wait_for 5 "cancelled by Esc" cancelled && esc_ok=1
	vt_keys F
	wait_screen "Force off $(re "$T_OFF")\\?" 5 >/dev/null
	vt_keys q
	wait_for 5 "cancelled by q" cancelled && vt_alive && q_ok=1
	check "actions: Esc and q cancel the question too (q does not quit)" \
		test "$esc_ok$q_ok" = 11
	vt_keys F
	wait_screen "Force off $(re "$T_OFF")\\?" 5 >/dev/null
	vt_keys y
	check "actions: F then y forces it off (row shut off)" \
		wait_for 10 "shut off" row_is "$T_OFF" "shut off"
	check "actions: virsh domstate agrees: shut off" wait_domstate "$T_OFF" "shut off" 10
	vt_keys A
	check "actions: A turns autostart on ('*' before the name, virsh says enable)" \
		both wait_for 10 "'*' mark" autostart_mark "$T_OFF" on -- wait_autostart "$T_OFF" enable
	vt_keys A
	check "actions: A again turns it off ('*' gone, virsh says disable)" \
		both wait_for 10 "no '*' mark" autostart_mark "$T_OFF" off -- wait_autostart "$T_OFF" disable
	nav_to "$T_IDLE" Home Down >/dev/null
	vt_keys P
	check "actions: P pauses the idle guest (row paused, virsh paused)" \
		both wait_for 10 paused row_is "$T_IDLE" paused -- wait_domstate "$T_IDLE" paused 10
	vt_keys U
	check "actions: U resumes it (row running, virsh running)" \
		both wait_for 10 running row_is "$T_IDLE" running -- wait_domstate "$T_IDLE" running 10
	vt_keys S
	check "actions: S on a running guest says 'Cannot start ... already running'" \
		status_says "Cannot start $(re "$T_IDLE"): it is already running" 5
	vt_keys Enter
	wait_screen "^$(re "$T_IDLE")  running  on " 5 >/dev/null
	vt_keys P
	local p_ok=0
	wait_screen "^$(re "$T_IDLE")  paused  on " 10 && wait_domstate "$T_IDLE" paused 10 && p_ok=1
	vt_keys U
	check "actions: P and U work in the detail view too (title paused, then running)" \
		both test "$p_ok" = 1 -- wait_screen "^$(re "$T_IDLE")  running  on " 10
	vt_keys L
	check "action log: L opens it, newest first, with a count" \
		wait_screen "^ACTION LOG  [0-9]+ entries, newest first" 5
	check "action log: resume of $T_IDLE: done, with its virsh command under it" \
		log_has_action "$T_IDLE: resume: done" "virsh -c $T_URI resume $T_IDLE"
	check "action log: force off of $T_OFF: done, virsh destroy" \
		log_has_action "$T_OFF: force off: done" "virsh -c $T_URI destroy $T_OFF"
	check "action log: autostart off is 'virsh autostart --disable'" \
		log_has_action "$T_OFF: autostart off: done" "virsh -c $T_URI autostart --disable $T_OFF"
	check "action log: libvirt events are listed (event: $T_IDLE resumed)" \
		wait_screen "^[0-9:]{8}  event +.*$(re "$T_IDLE") resumed" 5
	check "action log: the shown virsh command does the same (suspend pauses $T_IDLE)" \
		run_logged "virsh -c $T_URI suspend $T_IDLE" "$T_IDLE" paused
	run_logged "virsh -c $T_URI resume $T_IDLE" "$T_IDLE" running >/dev/null 2>&1
	vt_esc
	check "action log: Esc goes back to where it was opened (detail view)" \
		wait_screen "^$(re "$T_IDLE")  running  on " 5
	vt_stop
	fix_states
}
# log_has_action TEXT VIRSH: TEXT on an "action" line, "$ VIRSH" right below.
log_has_action() {
	local page
	for page in 1 2 3 4; do
		vt_grab
		_log_has "$@" && { vt_keys Home; return 0; }
		vt_keys PgDn
		sleep 0.3
	done
	vt_keys Home
	WHY="no action line '$1' with '\$ $2' under it"
	show_screen
	return 1
}
_log_has() {
	awk -v t="$1" -v v="\$ $2" '
		found && index($0, v) { ok = 1; exit }
		{ found = ($0 ~ /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]  action / && index($0, t)) }
		END { exit !ok }' <<<"$SCREEN"
}
# run_logged CMD NAME STATE: the log shows "$ CMD" (the first such line); run
# exactly that text in a shell and wait for NAME to be in STATE.
run_logged() {
	local line
	vt_grab
	line=$(grep -F -- "\$ $1" <<<"$SCREEN" | head -n1 | sed -E 's/^ *\$ //; s/ +$//')
	[ "$line" = "$1" ] || { say "    no '\$ $1' line on the screen"; return 1; }
	bash -c "$line" >/dev/null || return 1
	wait_domstate "$2" "$3" 10
}
autostart_mark() { # autostart_mark NAME on|off
	local re_name
	re_name=$(re "$(shown "$1")")
	if [ "$2" = on ]; then
		_matches "^\\*$re_name " || { WHY="no '*' before $1"; return 1; }
	else
		_matches "^$re_name " || { WHY="'*' still before $1"; return 1; }
	fi
}
wait_autostart() {
	local i
	for i in $(seq 50); do
		autostart_is "$1" "$2" && return 0
		sleep 0.2
	done
	say "    virsh dominfo $1: Autostart is not '$2'"
	return 1
}
cancelled() { _no_match 'Force off ' && _matches 'Cancelled'; }
still_running() {
	vt_grab
	row_is "$1" running || { say "    $WHY"; return 1; }
	[ "$(domstate "$1")" = running ]
}

section_main sec_actions
