#!/usr/bin/env bash
# tests/screen/sec/detail.sh — the detail view: title, graph titles, braille
# dots in the CPU graph, disks and NICs, Esc back; -g ascii draws no
# braille.
#
# A section of the screen suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/screen/run.sh with the others. Env and helpers: ../seclib.sh.
# shellcheck source=../seclib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../seclib.sh"

sec_detail() {
	say "# 5. detail view"
	fix_states
	start_vmtui 80 24 -d 1 || return
	filter_ours
	nav_to "$T_BUSY" Home >/dev/null
	vt_keys Enter
	check "detail: title has the name and 'running'" \
		wait_screen "^$(re "$T_BUSY")  running  on " 5
	check "detail: graph titles CPU, Memory used, Disk read/s, Net rx/s" \
		wait_for 5 "graph titles" graph_titles
	check "detail: braille dots are drawn in the CPU graph within 10s" \
		wait_for 10 "braille in the CPU graph" cpu_graph_has '[\x{2801}-\x{28FF}]'
	check "detail: the disk vda (capacity, size on the host) and a MAC address" \
		wait_for 5 "vda and MAC" devices_listed
	vt_esc
	check "detail: Esc returns to the list" \
		wait_for 5 "list" back_in_list
	vt_stop

	start_vmtui 80 24 -d 1 -g ascii || return
	filter_ours
	nav_to "$T_BUSY" Home >/dev/null
	vt_keys Enter
	wait_screen "^$(re "$T_BUSY")  running  on " 5 >/dev/null
	check "detail -g ascii: '#' or ':' cells in the CPU graph, no braille on screen" \
		wait_for 10 "ascii CPU graph" ascii_graph
	vt_stop
}
graph_titles() {
	_matches '^CPU [0-9.]+%' && _matches 'Memory used ' && _matches '^Disk read/s ' &&
		_matches '^Net rx/s '
}
# The CPU graph of the detail view at 80 columns: the lines between the
# "CPU" title and "Disk read/s", columns 8-39 (right of the scale).
cpu_graph() {
	perl -CSD -ne '$done = 1 if /^Disk read\/s/; print substr($_, 7, 32), "\n" if $in && !$done;
		$in = 1 if /^CPU [0-9.]+%/' <<<"$SCREEN"
}
# has_char PERL-CHAR-CLASS [TEXT]: TEXT (default: stdin) contains one.
has_char() { perl -CSD -e 'my $re = shift; local $/; exit(<STDIN> =~ /$re/ ? 0 : 1)' "$1"; }
cpu_graph_has() { cpu_graph | has_char "$1"; }
# The disk's line says its capacity and what its file takes on the host
# (virsh domstats' block.0.physical: a running qcow2's "allocation" is
# only the highest offset written, 0 for an untouched disk).
devices_listed() {
	local phys
	phys=$(virsh -q -c "$T_URI" domstats --block "$T_BUSY" | sed -n 's/^ *block\.0\.physical=//p')
	_matches "^ +vda +32\.0M cap +$(re "$(fmt_bytes "${phys:-0}")") on host " ||
		{ WHY="no vda line with 32.0M cap and $(fmt_bytes "${phys:-0}") on host"; return 1; }
	_matches '^ +([0-9a-f]{2}:){5}[0-9a-f]{2} ' || { WHY="no MAC line"; return 1; }
}
ascii_graph() {
	cpu_graph_has '[#:]' || { WHY="no # or : in the CPU graph"; return 1; }
	! has_char '[\x{2800}-\x{28FF}]' <<<"$SCREEN" || { WHY="braille on screen"; return 1; }
}

section_main sec_detail
