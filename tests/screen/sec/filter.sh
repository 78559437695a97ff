#!/usr/bin/env bash
# tests/screen/sec/filter.sh — the filter: / opens the prompt, applies while
# typing, Enter keeps it, Esc clears it; state: terms; no match says so.
#
# A section of the screen suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/screen/run.sh with the others. Env and helpers: ../seclib.sh.
# shellcheck source=../seclib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../seclib.sh"

sec_filter() {
	say "# 3. filter"
	fix_states
	start_vmtui 120 30 -d 1 || return
	local part=${T_IDLE:1}
	vt_keys /
	check "filter: / opens the Filter: prompt on the footer" wait_screen '^Filter:' 5
	vt_type "$part"
	check "filter: applies while typing (only the idle guest left)" \
		wait_for 5 "only $T_IDLE" filtered_to "$part" "$T_IDLE"
	vt_keys Enter
	check "filter: Enter keeps it: header 'filter: $part', only matching rows" \
		wait_for 5 "filter kept" filter_kept "$part"
	vt_keys /
	wait_screen '^Filter:' 5 >/dev/null
	vt_esc
	check "filter: / then Esc clears it (all guests back, no 'filter:')" \
		wait_for 5 "filter cleared" filter_cleared
	vt_keys /
	vt_type "state:shut $T_PREFIX"
	vt_keys Enter
	check "filter: 'state:shut PREFIX' leaves only the shut-off guest" \
		wait_for 5 "only $T_OFF" filtered_to "" "$T_OFF"
	vt_keys /
	vt_keys C-u
	vt_type "zz-no-such-guest"
	vt_keys Enter
	check "filter: no match says so" wait_screen 'No guest matches the filter' 5
	vt_stop
}
filtered_to() { # filtered_to PART NAME: the list shows NAME only (PART: for the record)
	local n
	n=$(row_names)
	[ "$n" = "$(shown "$2")" ] || { WHY="rows: ${n//$'\n'/ }"; return 1; }
}
filter_kept() {
	_matches "^vmtui .*filter: $(re "$1")" || { WHY="header"; return 1; }
	_no_match '^Filter:' || { WHY="prompt still open"; return 1; }
	filtered_to "$1" "$T_IDLE"
}
filter_cleared() {
	_no_match '^vmtui .*filter:' || { WHY="header still has a filter"; return 1; }
	our_rows_shown
}

section_main sec_filter
