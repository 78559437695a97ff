#!/usr/bin/env bash
# tests/screen/sec/list80.sh — the guest list at 80x24: header, one row per
# guest with its state, CPU% and MEM/ALLOC figures against virsh, the key
# hints.
#
# A section of the screen suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/screen/run.sh with the others. Env and helpers: ../seclib.sh.
# shellcheck source=../seclib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../seclib.sh"

sec_list80() {
	say "# 1. the guest list at 80x24"
	fix_states
	start_vmtui 80 24 -d 1 || return
	check "80x24: header shows vmtui, the URI and VMs" \
		wait_for 5 "header" header80
	filter_ours
	check "80x24: a row per guest with its state (running/running/shut off)" \
		wait_for 10 "rows" rows80
	check "80x24: CPU% of the busy guest reaches >= 60 while the idle one is < 40" \
		wait_for 15 "CPU figures" cpu80
	check "80x24: MEM/ALLOC shows used/alloc for running guests, -/alloc when off" \
		wait_for 10 "memory figures" mem80
	check "80x24: footer shows key hints ?Help and qQuit on the last line" \
		wait_for 5 "footer" footer80
	vt_stop
}
header80() {
	[[ $(screen_line 1) =~ ^vmtui\ [0-9] ]] || { WHY="line 1"; return 1; }
	[[ $(screen_line 2) == *"$T_URI"*VMs* ]] || { WHY="line 2"; return 1; }
}
# At 80 columns names are cut to 10 characters, so guests with a long common
# prefix (vmtuitest-busy, vmtuitest-idle) look alike: with the list filtered
# to our guests and sorted by name, row 1 is busy, 2 idle, 3 off.
rows80() {
	rows_are "$T_BUSY" "$T_IDLE" "$T_OFF" || return 1
	WHY="states: $(rowi 1 state), $(rowi 2 state), $(rowi 3 state)"
	[ "$(rowi 1 state)" = running ] && [ "$(rowi 2 state)" = running ] &&
		[ "$(rowi 3 state)" = "shut off" ]
}
cpu80() {
	local b i
	rows_are "$T_BUSY" "$T_IDLE" "$T_OFF" || return 1
	b=$(rowi 1 cpu)
	i=$(rowi 2 cpu)
	WHY="busy CPU% '$b', idle CPU% '$i'"
	[[ $b =~ ^[0-9.]+$ && $i =~ ^[0-9.]+$ ]] || return 1
	awk -v b="$b" -v i="$i" 'BEGIN { exit !(b >= 60 && i < 40) }'
}
mem80() {
	local n g m used alloc want kib
	rows_are "$T_BUSY" "$T_IDLE" "$T_OFF" || return 1
	for n in 1 2; do
		g=$T_BUSY
		[ $n = 2 ] && g=$T_IDLE
		m=$(rowi $n mem)
		used=${m%/*} alloc=${m#*/}
		kib=$(vsh dominfo "$g" | awk '/^Used memory:/ { print $3 }')
		want=$(fmt_bytes $((kib * 1024)))
		WHY="$g: MEM/ALLOC '$m', alloc should be $want"
		[[ $used =~ ^[0-9.]+[BKMGT]$ ]] || return 1
		[ "$alloc" = "$want" ] || return 1
		(($(to_bytes "$used") > 0 && $(to_bytes "$used") <= $(to_bytes "$alloc"))) || return 1
	done
	m=$(rowi 3 mem)
	WHY="$T_OFF: MEM/ALLOC '$m'"
	[[ $m =~ ^-/[0-9.]+[BKMGT]$ ]]
}
footer80() {
	local last
	last=$(screen_line 24)
	WHY="line 24: '$last'"
	[[ $last == *'?Help'* && $last == *qQuit* ]]
}

section_main sec_list80
