#!/usr/bin/env bash
# tests/screen/sec/nav.sh — navigation: j/k, arrows, Home/End, g/G,
# PgUp/PgDn, the detail view of the selected row, mouse clicks and double
# clicks, a click on a column title.
#
# A section of the screen suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/screen/run.sh with the others. Env and helpers: ../seclib.sh.
# shellcheck source=../seclib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../seclib.sh"

sec_nav() {
	say "# 4. navigation"
	fix_states
	start_vmtui 120 30 -d 1 || return
	filter_ours
	local ok=1
	nav_to "$T_BUSY" Home || ok=0
	nav_to "$T_IDLE" j || ok=0
	nav_to "$T_OFF" j || ok=0
	nav_to "$T_OFF" j || ok=0 # stays on the last row
	nav_to "$T_IDLE" k || ok=0
	nav_to "$T_BUSY" k || ok=0
	nav_to "$T_BUSY" k || ok=0 # stays on the first row
	check "nav: j/k move the highlighted row and stop at the ends" test "$ok" = 1
	ok=1
	nav_to "$T_IDLE" Down || ok=0
	nav_to "$T_OFF" Down || ok=0
	nav_to "$T_IDLE" Up || ok=0
	nav_to "$T_BUSY" Up || ok=0
	check "nav: Down/Up move the highlighted row" test "$ok" = 1
	ok=1
	nav_to "$T_OFF" End || ok=0
	nav_to "$T_BUSY" Home || ok=0
	nav_to "$T_OFF" End || ok=0
	nav_to "$T_BUSY" g || ok=0
	nav_to "$T_OFF" NPage || ok=0
	nav_to "$T_BUSY" PPage || ok=0
	check "nav: End/Home (g, PgDn/PgUp) go to the last/first row (G is the screen here)" test "$ok" = 1
	local d1 d2 d3
	vt_keys End
	d1=$(detail_name)
	vt_keys Home
	d2=$(detail_name)
	vt_keys Down
	d3=$(detail_name)
	check "nav: the detail view opens on the selected guest (End: $d1, Home: $d2, Down: $d3)" \
		test "$d1 $d2 $d3" = "$T_OFF $T_BUSY $T_IDLE"
	# Mouse: screen rows are title, host, column titles, then the guests.
	ok=1
	vt_keys Home
	wait_for 3 "selection on $T_BUSY" selected_is "$T_BUSY" || ok=0
	vt_click 3 5
	wait_for 3 "click on the third row" selected_is "$T_OFF" || ok=0
	vt_click 3 4
	wait_for 3 "click on the second row" selected_is "$T_IDLE" || ok=0
	check "nav: a mouse click selects the row under it" test "$ok" = 1
	sleep 0.5 # not part of a double click with the clicks above
	vt_click 3 4 double
	check "nav: a double click opens the detail view of that row" \
		wait_screen "^$(re "$T_IDLE") +running +on " 5
	vt_esc
	wait_for 5 "list view" _matches '^NAME +STATE' >/dev/null 2>&1
	vt_grab
	local titles cpu_x
	titles=$(screen_line 3)
	titles=${titles%%CPU%*}
	cpu_x=${#titles}
	vt_click "$cpu_x" 2
	check "nav: a click on a column title sorts by it (CPU%: 'sort cpu')" \
		wait_screen '^vmtui .*sort cpu' 5
	vt_stop
}

section_main sec_nav
