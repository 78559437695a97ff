#!/usr/bin/env bash
# tests/screen/sec/resize.sh — resizes to 40x10, 20x5, 250x70 and back to
# 80x24: still running, each layout right for its size.
#
# A section of the screen suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/screen/run.sh with the others. Env and helpers: ../seclib.sh.
# shellcheck source=../seclib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../seclib.sh"

sec_resize() {
	say "# 10. resize"
	fix_states
	start_vmtui 80 24 -d 1 || return
	filter_ours
	local size ok
	for size in 40x10 20x5 250x70 80x24; do
		tm resize-window -t scr -x "${size%x*}" -y "${size#*x}"
		ok=1
		wait_for 10 "layout at $size" layout_ok "${size%x*}" "${size#*x}" || ok=0
		vt_alive || { say "    vmtui died at $size"; ok=0; }
		check "resize to $size: still running, header/list/footer redrawn for the size" test "$ok" = 1
		if [ "$size" = 20x5 ]; then
			# NAME (10) and STATE (8) fill the width; CPU% starts past it.
			check "resize to 20x5: rows show name and state only, no stray characters" \
				wait_for 5 "clean rows" rows_clean_20
		fi
		if [ "$size" = 250x70 ]; then
			check "resize to 250x70: the CPU sparkline column is wide and drawn" \
				wait_for 10 "wide sparkline" wide_sparkline
		fi
	done
	vt_stop
}
layout_ok() {
	local cols=$1 rows=$2 n
	n=$(wc -l <<<"$SCREEN")
	# (a narrow title drops the version first, then the interval and sort)
	[[ $(screen_line 1) =~ ^vmtui( |$) ]] || { WHY="line 1 is not the title"; return 1; }
	# nothing drawn wider than the terminal (tmux would have wrapped it)
	perl -CSD -ne "exit 1 if length(\$_) > $cols + 1" <<<"$SCREEN" || { WHY="lines wider than $cols"; return 1; }
	case $rows in
	5)  # header 1 line, list 3 (titles + 2 rows), status 1
		[[ $(screen_line 2) =~ ^NAME ]] || { WHY="line 2 is not the column titles"; return 1; }
		[[ $(screen_line 3) == "$(shown "$T_BUSY")"* ]] || { WHY="line 3 is not the busy guest"; return 1; }
		;;
	*)
		# the host line keeps the host and its guests by state at any width
		# (the URI, memory and CPU go first where they do not fit)
		[[ $(screen_line 2) == *" VMs: "* ]] || { WHY="line 2 is not the host line"; return 1; }
		[[ $(screen_line 3) =~ ^NAME\ +STATE ]] || { WHY="line 3 is not the column titles"; return 1; }
		rows_are "$T_BUSY" "$T_IDLE" "$T_OFF" || return 1
		[[ $(screen_line "$rows") == '?Help qQuit'* ]] || { WHY="line $rows is not the key hints"; return 1; }
		;;
	esac
	case $cols in
	80) [[ $(screen_line 3) =~ UPTIME$ ]] || { WHY="80 wide: no UPTIME column"; return 1; } ;;
	40) [[ $(screen_line 3) =~ MEM/ALLOC ]] || { WHY="40 wide: no MEM/ALLOC column"; return 1; } ;;
	esac
}
rows_clean_20() {
	local l bad=""
	while IFS= read -r l; do
		[[ $l =~ ^[^\ ]+\ ($STATES) ]] || continue
		[[ $l =~ ^[^\ ]+\ ($STATES)\ *$ ]] || bad+="'$l' "
	done <<<"$SCREEN"
	[ -z "$bad" ] || { WHY="rows with characters past STATE: $bad"; return 1; }
}
# At 250 columns the sparkline grows to ~150 cells; with more than 10
# samples of the busy guest, blocks show far right of the usual place.
wide_sparkline() {
	local l
	l=$(grep -m1 -- "^$(re "$T_BUSY") " <<<"$SCREEN")
	[ -n "$l" ] || { WHY="no busy row"; return 1; }
	# characters 150..200 of the row hold the newest samples
	perl -CSD -ne 'exit(substr($_, 150, 55) =~ /[\x{2581}-\x{2588}]{5}/ ? 0 : 1)' <<<"$l" ||
		{ WHY="no blocks in columns 150-205 of: $l"; return 1; }
}

section_main sec_resize
