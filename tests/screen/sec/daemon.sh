#!/usr/bin/env bash
# tests/screen/sec/daemon.sh — losing the daemon: killed under vmtui,
# DISCONNECTED, rows kept and dimmed, keys answered, actions refused; back
# after a restart (run.sh runs it last: it disturbs everyone on the daemon).
#
# A section of the screen suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/screen/run.sh with the others. Env and helpers: ../seclib.sh.
# shellcheck source=../seclib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../seclib.sh"

sec_daemon() {
	say "# 12. daemon loss"
	fix_states
	start_vmtui 120 30 -d 1 || return
	filter_ours
	nav_to "$T_OFF" End >/dev/null
	wait_for 15 "busy guest has a CPU figure" busy_has_cpu >/dev/null
	DAEMON_KILLED=1
	"$RS/daemon.sh" kill >&2
	check "daemon loss: header shows DISCONNECTED within 15 s" \
		wait_screen "$(re "$T_URI").*DISCONNECTED" 15
	check "daemon loss: the guest rows are still listed with their last figures" \
		wait_for 3 "rows kept" kept_rows
	check "daemon loss: the kept rows are dimmed" wait_for 3 "dim rows" dim_rows
	local lat
	lat=$(key_latency '?' '^KEY +COMMAND')
	check "daemon loss: keys still answered (? in ${lat} ms)" test "$lat" -lt 1000
	vt_esc
	wait_for 3 "list" back_in_list >/dev/null
	vt_keys S
	check "daemon loss: S is refused: host not connected" \
		status_says "Cannot start $(re "$T_OFF"): its host is not connected" 5
	"$RS/daemon.sh" restart >&2 && DAEMON_KILLED=0
	check "daemon back: DISCONNECTED goes away within 60 s" \
		wait_for 60 "reconnected" vt_connected
	check "daemon back: rows show running again" \
		wait_for 15 "running rows" reconnected_rows
	vt_stop
}
kept_rows() {
	rows_are "$T_BUSY" "$T_IDLE" "$T_OFF" || return 1
	row_is "$T_BUSY" running && row_is "$T_IDLE" running && row_is "$T_OFF" "shut off" || return 1
	busy_has_cpu || { WHY="the busy guest lost its CPU figure"; return 1; }
}
dim_rows() {
	local dims
	dims=$(vt_grab_e | perl "$SCR_DIR/sgr.pl" | awk -F'\t' -v a="$(shown "$T_BUSY")" -v b="$(shown "$T_IDLE")" \
		'index($5, a " ") == 1 || index($5, b " ") == 1 { print $4 }' | tr -d '\n')
	[ "$dims" = 11 ] || { WHY="dim flags of busy/idle rows: '$dims'"; return 1; }
}
reconnected_rows() { row_is "$T_BUSY" running && row_is "$T_IDLE" running && row_is "$T_OFF" "shut off"; }

section_main sec_daemon
