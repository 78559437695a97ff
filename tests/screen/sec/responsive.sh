#!/usr/bin/env bash
# tests/screen/sec/responsive.sh — keys answered at once: the time from ? to
# the help view, in the list and in the detail view, refreshing every 0.25
# s.
#
# A section of the screen suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/screen/run.sh with the others. Env and helpers: ../seclib.sh.
# shellcheck source=../seclib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../seclib.sh"

sec_responsive() {
	say "# 13. keys answered quickly"
	fix_states
	start_vmtui 120 30 -d 0.25 || return
	local i t max=0 lat ok=1
	for i in 1 2 3 4 5; do
		lat=$(key_latency '?' '^KEY +COMMAND')
		((lat > max)) && max=$lat
		vt_esc
		wait_for 3 "list" back_in_list >/dev/null || ok=0
	done
	filter_ours
	nav_to "$T_BUSY" Home >/dev/null
	vt_keys Enter
	wait_screen "^$(re "$T_BUSY")  running" 5 >/dev/null
	for i in 1 2 3; do
		lat=$(key_latency '?' '^KEY +COMMAND')
		((lat > max)) && max=$lat
		vt_esc
		wait_screen "^$(re "$T_BUSY")  running" 3 >/dev/null || ok=0
	done
	say "    slowest answer: ${max} ms (8 presses, list and detail, refresh 0.25s)"
	check "responsive: ? shows the help within 1 s, every time (slowest ${max} ms)" \
		test "$ok" = 1 -a "$max" -lt 1000
	vt_stop
}

section_main sec_responsive
