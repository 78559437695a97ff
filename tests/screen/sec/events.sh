#!/usr/bin/env bash
# tests/screen/sec/events.sh — lifecycle events change the list at once:
# virsh suspend and resume from outside show within 3 s with a refresh every
# 30 s.
#
# A section of the screen suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/screen/run.sh with the others. Env and helpers: ../seclib.sh.
# shellcheck source=../seclib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../seclib.sh"

sec_events() {
	say "# 8. events"
	fix_states
	start_vmtui 120 30 -d 30 || return
	filter_ours
	wait_for 10 "idle running" row_is "$T_IDLE" running >/dev/null
	local t0
	vsh suspend "$T_IDLE" >/dev/null
	t0=$(now_us)
	check "events: 'virsh suspend' from outside shows paused within 3 s (refresh is 30 s)" \
		wait_for 3 "paused" row_is "$T_IDLE" paused
	say "    paused shown after $((($(now_us) - t0) / 1000)) ms"
	vsh resume "$T_IDLE" >/dev/null
	check "events: 'virsh resume' from outside shows running within 3 s" \
		wait_for 3 "running" row_is "$T_IDLE" running
	vt_stop
	fix_states
}

section_main sec_events
