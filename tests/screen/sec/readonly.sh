#!/usr/bin/env bash
# tests/screen/sec/readonly.sh — read-only (-r): the header says so, S F P
# are refused, nothing changes, the balloon stats period is left alone.
#
# A section of the screen suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/screen/run.sh with the others. Env and helpers: ../seclib.sh.
# shellcheck source=../seclib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../seclib.sh"

sec_readonly() {
	say "# 9. read-only"
	fix_states
	vsh dommemstat "$T_IDLE" --period 1 --live >/dev/null 2>&1
	start_vmtui 120 30 -r -d 3 || return
	check "read-only: header says READ-ONLY" wait_screen '^vmtui .*READ-ONLY' 5
	filter_ours
	nav_to "$T_OFF" End >/dev/null
	vt_keys S
	check "read-only: S is refused, saying vmtui is read-only" \
		status_says "Cannot start $(re "$T_OFF"): vmtui runs read-only" 5
	nav_to "$T_IDLE" Home Down >/dev/null
	vt_keys F
	check "read-only: F is refused without asking" \
		wait_for 5 "F refused" refused "force off" "$T_IDLE"
	vt_keys P
	check "read-only: P is refused" \
		wait_for 5 "P refused" refused pause "$T_IDLE"
	sleep 4
	vt_grab
	check "read-only: nothing changed (screen and virsh: off, running, running)" \
		ro_unchanged
	check "read-only: the balloon stats period was left alone (still 1 with -d 3)" \
		test "$(balloon_period "$T_IDLE")" = 1
	vt_stop
	fix_states
}
refused() {
	_no_match 'Force off .*\?' || { WHY="a dialog opened"; return 1; }
	_matches "Cannot $1 $(re "$2"): vmtui runs read-only"
}
ro_unchanged() {
	if ! { row_is "$T_OFF" "shut off" && row_is "$T_IDLE" running && row_is "$T_BUSY" running; }; then
		say "    $WHY"
		return 1
	fi
	[ "$(domstate "$T_OFF")" = "shut off" ] && [ "$(domstate "$T_IDLE")" = running ] &&
		[ "$(domstate "$T_BUSY")" = running ]
}
balloon_period() {
	vsh dumpxml "$1" | sed -n "s/.*<stats period='\([0-9]*\)'.*/\1/p" | head -n1
}

section_main sec_readonly
