#!/usr/bin/env bash
# tests/fault/sec/gfx.sh — SIGTERM and SIGHUP while a guest's graphical
# screen is shown (G in vmtui, and `vmtui screen VM`), from a shell: the
# program ends, says it left on a signal, and the terminal is as it was
# (stty -g identical, cursor on, normal screen, keypad and mouse reports
# off: the screen turns SGR mouse reports on).
#
# A section of the fault suite: runs alone (it brings up the real stack,
# our guests and a guest of its own with a VGA console and VNC,
# ${T_PREFIX}gfx) or from tests/fault/run.sh with the others. Env and
# helpers: ../faultlib.sh.
# shellcheck source=../faultlib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../faultlib.sh"

G_GFX=${T_PREFIX}gfx

gfx_guest_up() {
	vsh dominfo "$G_GFX" >/dev/null 2>&1 || "$RS/guest.sh" define "$G_GFX" --vga --net none >&2 || return 1
	[ "$(domstate "$G_GFX")" = running ] || "$RS/guest.sh" start "$G_GFX" --wait 90 >&2
}
# Its own guest goes whatever KEEP_GUESTS says (that keeps the shared
# three): the sections after this one see only those in their lists.
gfx_guest_down() {
	"$RS/guest.sh" destroy "$G_GFX" >/dev/null 2>&1
	"$RS/guest.sh" undefine "$G_GFX" >/dev/null 2>&1
}

status_has() {
	local s
	s=$(tm capture-pane -p -t scr 2>/dev/null | tail -n1)
	grep -Eq -- "$1" <<<"$s" || { WHY="status line '$s'"; return 1; }
}
screen_shown() { wait_for 20 "the screen's status line" status_has "^ $(re "$G_GFX")  [0-9]+x[0-9]+  VNC"; }

# In vmtui: the list, filtered to the guest, then G.
st_tui() {
	wait_for 30 "vmtui connected" connected >/dev/null && filter_to "$G_GFX" &&
		wait_for 5 "gfx selected" selected_is "$G_GFX" >/dev/null || return 1
	vt_keys G
	screen_shown
}
# vmtui screen: shown by itself.
st_cli() { screen_shown; }

# said TAG TEXT: TEXT on one of the lines before RC-TAG.
said() {
	tm capture-pane -p -J -t scr -S -200 | grep -B4 "^RC-$1=" | grep -qF -- "$2" || {
		say "    not before RC-$1: $2"
		return 1
	}
}

# gfx_case TAG SIGNAL tui|cli: start, show the screen, send SIGNAL, then
# check the exit and the terminal.
gfx_case() {
	local tag=$1 sig=$2 how=$3 pid rc want msg
	if [ "$how" = tui ]; then
		shell_run "$tag" "$(vmtui_cmd -d 0.5)"
		want=0
		msg="vmtui: quit on signal"
	else
		shell_run "$tag" "env -u NO_COLOR $BUILD/vmtui screen -c $T_URI $G_GFX"
		want=1
		msg="vmtui: left the screen of $G_GFX on a signal."
	fi
	if ! "st_$how"; then
		not_ok "$tag: the screen did not show"
		pid=$(vmtui_pid)
		[ -n "$pid" ] && kill -KILL "$pid"
		wait_mark "$tag" 5
		return
	fi
	pid=$(vmtui_pid)
	kill -"$sig" "$pid"
	if ! wait_mark "$tag" 10; then
		not_ok "$tag: vmtui did not end within 10 s of SIG$sig"
		kill -KILL "$pid" 2>/dev/null
		wait_mark "$tag" 5
		return
	fi
	rc=$(shell_rc "$tag")
	check "$tag: SIG$sig ends it with status $want" eq "$rc" "$want"
	check "$tag: it says so: $msg" said "$tag" "$msg"
	check "$tag: stty -g as before" cmp -s "$SCR_TMP/stty-before" "$SCR_TMP/stty-$tag"
	check "$tag: normal screen, cursor on, keypad and mouse off" modes_normal
	check "$tag: the guest still runs" test "$(domstate "$G_GFX")" = running
	vt_keys C-l
	wait_screen '^\$ *$' 5 >/dev/null
}

f_gfx() {
	say "# SIGTERM and SIGHUP while a guest's screen shows"
	gfx_guest_up || { not_ok "$G_GFX (VGA, VNC) running"; return; }
	shell_pane 100 30 || { not_ok "shell pane"; return; }
	vt_type "stty -g > $SCR_TMP/stty-before; clear"
	vt_keys Enter
	sleep 0.3
	local sig how
	for how in tui cli; do
		for sig in TERM HUP; do
			gfx_case "gfx-$how-$sig" "$sig" "$how"
		done
	done
	vt_stop
	gfx_guest_down
}

fault_main f_gfx
