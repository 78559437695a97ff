#!/usr/bin/env bash
# tests/screen/test_marks.sh — marks and bulk actions through tmux, on the
# real daemon and real tiny guests: Space marks and moves down, the header
# counts, marks survive a re-sort and a filter change, Ctrl+click marks,
# the ; menu (glob, invert, clear), the bulk confirmation lists the marked
# guests, the progress list shows each one's outcome, a guest made to fail
# (its disk removed) does not stop the others, cancel stops what has not
# started (bulk_limit: 1), Esc leaves a run going and ; p brings it back,
# every outcome in the action log with its virsh line.
#
# Guests: $T_PREFIX{busy,idle,off} of tests/lib.sh plus ${T_PREFIX}broken
# (defined, its disk removed: starting it fails). T_PREFIX defaults to
# vmtui-marks- so the suite runs beside the others.
# MARKS_ONLY="bulk_start bulk_delete" runs some parts only. Ends with
# "N passed, N failed".
set -uo pipefail
export T_PREFIX=${T_PREFIX:-vmtui-marks-}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=seclib.sh
. "$HERE/seclib.sh"

T_BROKEN=${T_PREFIX}broken
MARK='●'

sec_cleanup() {
	local g
	for g in "$T_BUSY" "$T_IDLE" "$T_OFF" "$T_BROKEN"; do
		for s in $(vsh snapshot-list "$g" --name 2>/dev/null); do
			vsh snapshot-delete "$g" "$s" >/dev/null 2>&1
		done
	done
	for g in "$T_BROKEN" "${T_PREFIX}del1" "${T_PREFIX}del2"; do
		"$RS/guest.sh" destroy "$g" >/dev/null 2>&1
		"$RS/guest.sh" undefine "$g" >/dev/null 2>&1
	done
}

# The guest rows with their mark: "1 NAME" or "0 NAME", in screen order.
mark_rows() {
	local l
	while IFS= read -r l; do
		if [[ $l =~ ^($MARK\ |\ \ )?\*?($T_PREFIX[^ ]*)\ +($STATES)\  ]]; then
			printf '%s %s\n' "$([ "${BASH_REMATCH[1]}" = "$MARK " ] && echo 1 || echo 0)" \
				"${BASH_REMATCH[2]}"
		fi
	done <<<"$SCREEN"
}
marked_names() { mark_rows | awk '$1 == 1 { print $2 }' | sort | tr '\n' ' '; }
marked_are() { # marked_are NAME...: exactly these rows carry the mark
	local want got
	want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	got=$(marked_names)
	[ "$got" = "$want" ] || { WHY="marked: '$got', want '$want'"; return 1; }
}
header_says() { _matches "^vmtui .*  $(re "$1")\$" || { WHY="title: $(head -n1 <<<"$SCREEN")"; return 1; }; }
no_marks_header() { _no_match '^vmtui .* marked' || { WHY="title still counts marks"; return 1; }; }
rows_in_order() { mark_rows | awk '{ print $2 }' | tr '\n' ' '; }

# An xterm (X10) click at 0-based cell COL,ROW: with Ctrl held (press and
# release carry the modifier, as xterm sends them), or of the right button.
vt_ctrl_click() {
	local cx cy ev
	cx=$(printf '\\x%x' $((33 + $1)))
	cy=$(printf '\\x%x' $((33 + $2)))
	ev=$(printf "\033[M0%b%b\033[M3%b%b" "$cx" "$cy" "$cx" "$cy")
	tm send-keys -t scr -l -- "$ev"
}
vt_right_click() {
	local cx cy ev
	cx=$(printf '\\x%x' $((33 + $1)))
	cy=$(printf '\\x%x' $((33 + $2)))
	ev=$(printf "\033[M\"%b%b\033[M#%b%b" "$cx" "$cy" "$cx" "$cy")
	tm send-keys -t scr -l -- "$ev"
}
screen_row_of() { grep -n -- " $(re "$1") " <<<"$SCREEN" | head -n1 | cut -d: -f1; }

# vmtui on the daemon, the list filtered to PATTERN (other suites' guests
# may fill the screen) and showing N guests; a failure counts once.
start_marks() { # start_marks PATTERN N
	if vt_vmtui 140 32 -d 1 && wait_connected 60 && filter_to "$1" &&
		wait_for 30 "$2 of our guests" rows_n "$2"; then
		return 0
	fi
	not_ok "vmtui at 140x32 shows our guests filtered by $1"
	return 1
}
rows_n() { [ "$(mark_rows | wc -l)" -eq "$1" ] || { WHY="$(mark_rows | wc -l) rows"; return 1; }; }

filter_to() {
	vt_keys /
	wait_screen '^Filter:' 5 || return 1
	vt_keys C-u
	vt_type "$1"
	vt_keys Enter
	wait_screen "filter: $(re "$1")" 5
}

marks_list() {
	say "# marks in the list"
	fix_states
	start_marks "$T_PREFIX" 4 || return
	vt_keys g
	sleep 0.3
	vt_grab
	local first second
	first=$(rows_in_order | awk '{ print $1 }')
	second=$(rows_in_order | awk '{ print $2 }')
	vt_keys Space
	check "Space marks the selected guest ($first): a dot in its row" \
		wait_for 5 "$first marked" marked_are "$first"
	check "the header says 1 marked" wait_for 5 "header" header_says "1 marked"
	vt_keys Space
	check "Space moved down: the next guest ($second) is marked too" \
		wait_for 5 "two marked" marked_are "$first" "$second"
	check "the header says 2 marked" wait_for 5 "header" header_says "2 marked"
	vt_keys s
	sleep 0.3
	vt_keys s
	check "after re-sorting (s, s) the same guests carry the marks" \
		wait_for 5 "marks kept" marked_are "$first" "$second"
	filter_to "$T_OFF"
	check "a filter showing one guest: the header still counts both marks" \
		wait_for 5 "header" header_says "2 marked"
	filter_to "$T_PREFIX"
	check "the filter back: the same guests marked" \
		wait_for 5 "marks kept" marked_are "$first" "$second"
	vt_keys Space
	sleep 0.2
	vt_grab
	local y
	y=$(screen_row_of "$T_BROKEN")
	vt_ctrl_click 20 $((y - 1))
	if is_marked "$T_BROKEN"; then
		check "Ctrl+click on a marked guest ($T_BROKEN) unmarks it" \
			wait_for 5 "unmarked" not_marked "$T_BROKEN"
		vt_right_click 20 $((y - 1))
		check "a right click marks it again" wait_for 5 "marked" is_marked "$T_BROKEN"
	else
		check "Ctrl+click on $T_BROKEN marks it" wait_for 5 "marked" is_marked "$T_BROKEN"
		vt_right_click 20 $((y - 1))
		check "a right click unmarks it again" wait_for 5 "unmarked" not_marked "$T_BROKEN"
	fi
	# The menu.
	vt_keys '\;'
	check "; opens the marks menu" wait_screen '^Marks: ' 5
	vt_keys c
	check "; c clears every mark (header and rows)" wait_for 5 "cleared" cleared
	vt_keys '\;'
	wait_screen '^Marks: ' 5 >/dev/null
	vt_keys g
	check "; g asks for a glob" wait_screen '^Mark by name glob:' 5
	vt_type "${T_PREFIX}*f*"
	vt_keys Enter
	check "the glob ${T_PREFIX}*f* marks $T_OFF only" wait_for 5 "glob" marked_are "$T_OFF"
	vt_keys '\;'
	wait_screen '^Marks: ' 5 >/dev/null
	vt_keys i
	check "; i inverts among the shown: all but $T_OFF" \
		wait_for 5 "inverted" marked_are "$T_BUSY" "$T_IDLE" "$T_BROKEN"
	vt_keys '\;'
	wait_screen '^Marks: ' 5 >/dev/null
	vt_keys r
	wait_screen '^Mark by name regex:' 5 >/dev/null
	vt_type "(("
	vt_keys Enter
	check "a bad regex says so and marks nothing more" \
		wait_screen 'is not a regular expression' 5
	vt_keys '\;'
	wait_screen '^Marks: ' 5 >/dev/null
	vt_keys s
	wait_screen '^Mark by state:' 5 >/dev/null
	vt_type "shut"
	vt_keys Enter
	check "; s shut marks the shut-off ones too: all four" \
		wait_for 5 "by state" marked_are "$T_BUSY" "$T_IDLE" "$T_OFF" "$T_BROKEN"
	# (other guests on the daemon that are shut off are marked too: clear.)
	vt_keys '\;'
	wait_screen '^Marks: ' 5 >/dev/null
	vt_keys c
	wait_for 5 "cleared" cleared
	vt_keys '\;'
	wait_screen '^Marks: ' 5 >/dev/null
	vt_keys a
	check "; a marks every guest shown (our four, filtered)" \
		wait_for 5 "all shown" marked_are "$T_BUSY" "$T_IDLE" "$T_OFF" "$T_BROKEN"
	check "the header says 4 marked" wait_for 5 "header" header_says "4 marked"
	vt_stop
}
has_rows4() { [ "$(mark_rows | wc -l)" -eq 4 ] || { WHY="$(mark_rows | wc -l) rows"; return 1; }; }
is_marked() { marked_names | grep -qw -- "$1" || { WHY="marked: $(marked_names)"; return 1; }; }
not_marked() { ! marked_names | grep -qw -- "$1" || { WHY="marked: $(marked_names)"; return 1; }; }
cleared() { no_marks_header && [ -z "$(marked_names)" ]; }

# Mark our four with the menu's glob.
mark_ours() {
	vt_keys '\;'
	wait_screen '^Marks: ' 5 || return 1
	vt_keys g
	wait_screen '^Mark by name glob:' 5 || return 1
	vt_type "${T_PREFIX}*"
	vt_keys Enter
	wait_for 5 "four marked" marked_are "$T_BUSY" "$T_IDLE" "$T_OFF" "$T_BROKEN"
}

bulk_start() {
	say "# a bulk start: one fails, the others go on"
	fix_states
	start_marks "$T_PREFIX" 4 || return
	mark_ours
	vt_keys S
	check "S with four marked: one confirmation listing the four" \
		wait_for 5 "confirmation" confirm_lists "start on 4 guests?"
	vt_keys y
	check "the progress list: 1 done, 1 failed, 2 skipped, finished" \
		wait_for 180 "run ended" run_counts 4 1 1 0 2 0
	check "the broken guest's row says failed with libvirt's reason" \
		wait_for 5 "failed row" run_row "$T_BROKEN" failed
	check "$T_OFF started despite the failure (done in the list)" \
		wait_for 5 "done row" run_row "$T_OFF" done
	check "the running ones were skipped, saying why" \
		wait_for 5 "skipped row" run_row "$T_BUSY" skipped
	check "virsh: $T_OFF is running" wait_domstate "$T_OFF" running 30
	check "virsh: $T_BROKEN is still shut off" eq "$(domstate "$T_BROKEN")" "shut off"
	vt_esc
	vt_keys L
	check "the action log has the failure with its virsh line" \
		wait_screen "virsh .*start $(re "$T_BROKEN")" 5
	vt_esc
	vt_stop
}
bulk_tags() {
	say "# # on the marked: tags written to each real guest's metadata"
	fix_states
	start_marks "$T_PREFIX" 4 || return
	mark_ours
	vt_keys '#'
	check "# with four marked asks +add -remove" wait_screen '^Tags \+add -remove:' 5
	vt_type '+lab -nosuch'
	vt_keys Enter
	check "# : one confirmation listing the four" \
		wait_for 5 "confirmation" confirm_lists "tag +lab -nosuch on 4 guests?"
	vt_keys y
	check "the progress list: 4 done, finished" wait_for 60 "run ended" run_counts 4 4 0 0 0 0
	check "virsh: each guest's metadata has the tag lab" wait_for 10 "metadata" all_tagged lab
	vt_esc
	check "the list's TAGS column shows lab (the worker read the change)" \
		wait_for 15 "TAGS" tags_column_has lab
	vt_stop
}
all_tagged() {
	local g
	for g in "$T_BUSY" "$T_IDLE" "$T_OFF" "$T_BROKEN"; do
		vsh metadata "$g" https://vmtui.org/xmlns/guest/1 2>/dev/null | grep -qE "<([a-z]+:)?tag>$1</" ||
			{ WHY="$g has no tag $1"; return 1; }
	done
}
tags_column_has() { vt_grab; grep -qE "^.*$(re "$T_OFF") .* $1 *$" <<<"$SCREEN" || { WHY="row: $(grep -- "$T_OFF" <<<"$SCREEN")"; return 1; }; }
confirm_lists() {
	_matches "^$(re "$1")" || { WHY="no question '$1'"; return 1; }
	local g
	for g in "$T_BUSY" "$T_IDLE" "$T_OFF" "$T_BROKEN"; do
		_matches "^  .* $(re "$g")\$" || { WHY="$g not listed"; return 1; }
	done
}
run_counts() { # run_counts N OK FAILED RUNNING SKIPPED CANCELLED
	_matches "^bulk .*: $1 guests  $2 done  $3 failed  $4 running  0 queued  $5 skipped  $6 cancelled  - finished" ||
		{ WHY="$(grep '^bulk ' <<<"$SCREEN")"; return 1; }
}
run_counts_any() { _matches "^bulk .*- finished" || { WHY="$(grep '^bulk ' <<<"$SCREEN")"; return 1; }; }
run_row() { _matches "^[^ ]+ +$(re "$1") +$2 " || { WHY="no row $1 $2"; return 1; }; }

bulk_cancel() {
	say "# cancel, background and back (bulk_limit: 1)"
	mkdir -p "$SCR_TMP/xdg/vmtui"
	printf 'bulk_limit: 1\n' >"$SCR_TMP/xdg/vmtui/config.yaml"
	fix_states
	start_marks "$T_PREFIX" 4 || return
	mark_ours
	vt_keys T
	check "T with guests marked: create or delete by name" wait_screen 'create a snapshot' 5
	vt_keys c
	wait_screen 'its name:' 5 >/dev/null
	vt_keys C-u
	vt_type "marks-snap"
	vt_keys Enter
	check "the confirmation names the snapshot" \
		wait_screen '^snapshot create marks-snap on 4 guests\?' 5
	vt_keys y c
	check "c cancels what had not started: some cancelled, the run finishes" \
		wait_for 60 "cancelled" cancelled_some
	local n
	n=0
	for g in "$T_BUSY" "$T_IDLE" "$T_OFF" "$T_BROKEN"; do
		vsh snapshot-info "$g" marks-snap >/dev/null 2>&1 && n=$((n + 1))
	done
	check "virsh: fewer than 4 guests have the snapshot ($n)" test "$n" -lt 4
	vt_esc
	check "Esc leaves the progress list for the list" wait_screen '^NAME +STATE' 5
	vt_keys '\;'
	wait_screen '^Marks: ' 5 >/dev/null
	vt_keys p
	check "; p brings the progress list back" wait_screen '^bulk snapshot create marks-snap' 5
	vt_esc
	wait_screen '^NAME +STATE' 5 >/dev/null
	vt_keys T
	wait_screen 'create a snapshot' 5 >/dev/null
	vt_keys c
	wait_screen 'its name:' 5 >/dev/null
	vt_keys C-u
	vt_type "marks-snap"
	vt_keys Enter
	wait_screen '^snapshot create marks-snap on 4 guests\?' 5 >/dev/null
	vt_keys y
	check "T c, not cancelled: 3 created, the diskless one failed, one at a time" \
		wait_for 180 "created" run_counts 4 3 1 0 0 0
	n=0
	for g in "$T_BUSY" "$T_IDLE" "$T_OFF" "$T_BROKEN"; do
		vsh snapshot-info "$g" marks-snap >/dev/null 2>&1 && n=$((n + 1))
	done
	check "virsh: 3 guests have the snapshot ($n)" test "$n" -eq 3
	vt_esc
	wait_screen '^NAME +STATE' 5 >/dev/null
	vt_keys T
	wait_screen 'create a snapshot' 5 >/dev/null
	vt_keys x
	wait_screen 'its name:' 5 >/dev/null
	vt_type "marks-snap"
	vt_keys Enter
	wait_screen '^snapshot delete marks-snap on 4 guests\?' 5 >/dev/null
	vt_keys y
	check "T x deletes the snapshot by name where it is (3 done, 1 skipped)" \
		wait_for 120 "deleted" run_counts 4 3 0 0 1 0
	n=0
	for g in "$T_BUSY" "$T_IDLE" "$T_OFF" "$T_BROKEN"; do
		vsh snapshot-info "$g" marks-snap >/dev/null 2>&1 && n=$((n + 1))
	done
	check "virsh: no guest has the snapshot left" test "$n" -eq 0
	vt_esc
	vt_keys D
	check "D with guests marked asks for the count and the word" \
		wait_screen 'Type "delete 4" and Enter' 5
	vt_type "delete 3"
	vt_keys Enter
	check "a wrong count deletes nothing and says so" wait_screen 'Nothing deleted: type "delete 4"' 5
	vt_esc
	check "virsh: the four still exist" four_exist
	vt_stop
	rm -f "$SCR_TMP/xdg/vmtui/config.yaml"
}
bulk_delete() {
	say "# a bulk delete: the count and the word typed"
	local g
	for g in "${T_PREFIX}del1" "${T_PREFIX}del2"; do
		vsh dominfo "$g" >/dev/null 2>&1 || "$RS/guest.sh" define "$g" >&2 ||
			{ not_ok "define $g"; return; }
	done
	start_marks "${T_PREFIX}del" 2 || return
	vt_keys '\;'
	wait_screen '^Marks: ' 5 >/dev/null
	vt_keys a
	wait_for 5 "two marked" marked_are "${T_PREFIX}del1" "${T_PREFIX}del2"
	vt_keys D
	check "D: type \"delete 2\"" wait_screen 'Type "delete 2" and Enter' 5
	vt_type "delete 2"
	vt_keys Enter
	check "the progress list: 2 done" wait_for 60 "deleted" run_counts 2 2 0 0 0 0
	check "virsh: both guests are gone" eventually 10 both_gone
	check "each guest's definition was backed up first" \
		ls "$SCR_TMP"/state/vmtui/backups/"${T_PREFIX}"del1-*.xml
	vt_esc
	vt_stop
}
both_gone() { ! vsh dominfo "${T_PREFIX}del1" >/dev/null 2>&1 && ! vsh dominfo "${T_PREFIX}del2" >/dev/null 2>&1; }

cancelled_some() {
	_matches "^bulk .* [1-9][0-9]* cancelled  - finished" ||
		{ WHY="$(grep '^bulk ' <<<"$SCREEN")"; return 1; }
}
four_exist() {
	local g
	for g in "$T_BUSY" "$T_IDLE" "$T_OFF" "$T_BROKEN"; do
		vsh dominfo "$g" >/dev/null 2>&1 || { say "  $g is gone"; return 1; }
	done
}

sec_marks() {
	# The guest made to fail: defined, then its disk removed.
	if ! vsh dominfo "$T_BROKEN" >/dev/null 2>&1; then
		"$RS/guest.sh" define "$T_BROKEN" >&2 || { not_ok "define $T_BROKEN"; return; }
	fi
	local disk
	disk=$(vsh domblklist "$T_BROKEN" --details | awk '$2 == "disk" { print $4; exit }')
	rm -f "$disk"
	local part
	for part in ${MARKS_ONLY:-marks_list bulk_start bulk_tags bulk_cancel bulk_delete}; do
		"$part"
	done
	vsh destroy "$T_OFF" >/dev/null 2>&1
}

section_main sec_marks
