#!/usr/bin/env bash
# tests/screen/sec/help.sh — the help view (?, End, Esc) and the refresh
# keys - and +.
#
# A section of the screen suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/screen/run.sh with the others. Env and helpers: ../seclib.sh.
# shellcheck source=../seclib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../seclib.sh"

sec_help() {
	say "# 6. help"
	start_vmtui 80 24 -d 1 || return
	vt_keys -
	check "refresh: - doubles the interval (header 'refresh 2.0s', status 'Refresh every 2s.')" \
		both wait_screen '^vmtui.*refresh 2(\.0+)?s' 5 -- wait_screen '^Refresh every 2s\.' 5
	vt_keys +
	check "refresh: + halves it again (header 'refresh 1.0s')" \
		wait_screen '^vmtui.*refresh 1(\.0+)?s' 5
	vt_keys '?'
	check "help: ? shows the key table (KEY COMMAND WHERE, 'Quit vmtui')" \
		wait_for 5 "help" help_shown
	vt_keys End
	check "help: End scrolls to the end of the table (its last row, the notes)" \
		wait_for 5 "help end" help_end
	vt_esc
	check "help: Esc returns to the list" wait_for 5 "list" back_in_list
	vt_keys '?'
	wait_screen '^KEY +COMMAND +WHERE' 5 >/dev/null
	vt_keys '?'
	check "help: ? in the help view goes back too" wait_for 5 "list" back_in_list
	vt_stop
}
help_shown() { _matches '^KEY +COMMAND +WHERE' && _matches 'Quit vmtui'; }
# The last row is the last command's with a key (rows are added over time:
# the notes under the table mark the end).
help_end() { _matches '^Mouse: click' && _matches '^Uptime ">" means' && _no_match '^\? +help '; }

section_main sec_help
