#!/usr/bin/env bash
# tests/screen/sec/restore.sh — quit and terminal restoration: q ends vmtui;
# after q, SIGTERM, SIGHUP and Ctrl-C in a shell, stty and the terminal's
# modes are as before.
#
# A section of the screen suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/screen/run.sh with the others. Env and helpers: ../seclib.sh.
# shellcheck source=../seclib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../seclib.sh"

sec_restore() {
	say "# 11. quit and terminal restoration"
	fix_states
	start_vmtui 80 24 -d 1 || return
	vt_keys q
	check "quit: q ends vmtui (process gone)" wait_for 5 "exit" dead_pane
	vt_stop

	local d=$SCR_TMP/stty how
	mkdir -p "$d"
	vt_start 100 30 env PS1='$ ' LANG=C.UTF-8 TERM=screen bash --norc --noprofile -i
	wait_screen '^\$' 10 >/dev/null
	vt_type "stty -g > $d/before; echo MARK-BEFORE"
	vt_keys Enter
	wait_screen '^MARK-BEFORE' 5 >/dev/null
	for how in q TERM HUP C-c; do
		rm -f "$d/after"
		vt_type "env -u NO_COLOR XDG_CONFIG_HOME=$SCR_TMP/xdg XDG_STATE_HOME=$SCR_TMP/state $BUILD/vmtui -c $T_URI -d 1; echo \"RC-$how=\$?\"; stty -g > $d/after; echo MARK-AFTER-$how"
		vt_keys Enter
		if ! wait_screen '^vmtui [0-9].*sort name' 15 >/dev/null; then
			not_ok "restore after $how: vmtui did not start in the shell"
			continue
		fi
		local alt_in
		alt_in=$(vt_fmt '#{alternate_on}')
		case $how in
		q | C-c) vt_keys "$how" ;;
		*) kill -"$how" "$(pgrep -P "$(vt_pid)" -x vmtui)" ;;
		esac
		if ! wait_screen "^MARK-AFTER-$how" 10 >/dev/null; then
			not_ok "restore after $how: the shell did not get back"
			continue
		fi
		vt_grab
		say "    after $how: $(grep -o "RC-$how=[0-9]*" <<<"$SCREEN" | tail -n1), alternate screen during run: $alt_in"
		check "restore after $how: stty -g before and after are equal" \
			cmp -s "$d/before" "$d/after"
		check "restore after $how: normal screen back (shell lines visible, alternate off, cursor on, keypad/mouse off)" \
			terminal_restored "$how"
	done
	vt_stop
}
dead_pane() { ! vt_alive; }
terminal_restored() {
	local f
	_matches '^MARK-BEFORE' || { say "    earlier shell output not visible"; show_screen; return 1; }
	f=$(vt_fmt '#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{keypad_flag} #{mouse_any_flag} #{mouse_button_flag} #{mouse_standard_flag} #{mouse_all_flag}')
	[ "$f" = "0 1 0 0 0 0 0 0" ] || {
		say "    after $1: alternate cursor keypad_cursor keypad mouse_any mouse_button mouse_standard mouse_all = $f (want 0 1 0 0 0 0 0 0)"
		return 1
	}
}

section_main sec_restore
