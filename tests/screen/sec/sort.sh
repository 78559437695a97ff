#!/usr/bin/env bash
# tests/screen/sec/sort.sh — sorting: c by CPU% (again: reversed), n by
# name.
#
# A section of the screen suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/screen/run.sh with the others. Env and helpers: ../seclib.sh.
# shellcheck source=../seclib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../seclib.sh"

sec_sort() {
	say "# 2. sorting"
	fix_states
	start_vmtui 120 30 -d 1 || return
	wait_for 15 "busy guest has a CPU figure" busy_has_cpu >/dev/null
	vt_keys c
	check "sort: c sorts by CPU% descending (header 'sort cpu', column non-increasing)" \
		wait_for 10 "CPU order" cpu_sorted
	filter_ours
	check "sort: by CPU the busy guest is the first row" \
		wait_for 10 "busy first" rows_are "$T_BUSY" "$T_IDLE" "$T_OFF"
	vt_keys c
	check "sort: c again reverses (busy after idle, shut off last)" \
		wait_for 10 "reversed CPU order" rev_cpu
	vt_keys n
	check "sort: n sorts by name (header 'sort name')" \
		wait_for 10 "name order" name_sorted
	vt_stop
}
cpu_sorted() {
	_matches '^vmtui .*sort cpu' || { WHY="header"; return 1; }
	local cpus
	cpus=$(list_rows | cut -f4 | tr '\n' ' ')
	WHY="CPU% column: $cpus"
	awk -v s="$cpus" 'BEGIN { n = split(s, v, " "); prev = 1e9; dash = 0
		for (i = 1; i <= n; i++) {
			if (v[i] == "-") { dash = 1; continue }
			if (dash || v[i] + 0 > prev) exit 1
			prev = v[i] + 0 }
		exit 0 }' || return 1
	# the busy guest above the idle one
	row_names | grep -xF -e "$(shown "$T_BUSY")" -e "$(shown "$T_IDLE")" | head -n1 |
		grep -qxF -- "$(shown "$T_BUSY")"
}
rev_cpu() {
	if ! _matches '^vmtui .*sort cpu' || _matches '^vmtui .*sort cpu (↓|\(desc\))'; then
		WHY="header"
		return 1
	fi
	rows_are "$T_IDLE" "$T_BUSY" "$T_OFF"
}
name_sorted() {
	_matches '^vmtui .*sort name' || { WHY="header"; return 1; }
	rows_are "$T_BUSY" "$T_IDLE" "$T_OFF"
}

section_main sec_sort
