#!/usr/bin/env bash
# tests/screen/test_conpane.sh — the console pane (V), driven through tmux
# against the real stack: a guest $T_IDLE (prefix vmtuipane-, not shared
# with the other suites) running with a shell on ttyS0, prompt
# "vmtui-guest# ". V opens the pane: the console through libvterm on the
# left, the guest's CPU and memory graphs on the right; we type in the
# guest, check cursor addressing lands where it should inside the pane,
# and leave with ^] back to the list.
#
# Env: T_PREFIX (default vmtuipane-), KEEP_GUESTS=1, BUILD (default build/).
# Ends with "N passed, N failed"; exit status 1 if any check failed.
set -uo pipefail

: "${T_PREFIX:=vmtuipane-}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

T0=$SECONDS

cleanup() {
	vt_stop_all
	if [ -z "${KEEP_GUESTS:-}" ]; then
		"$RS/guest.sh" destroy "$T_IDLE" >&2 2>/dev/null || true
		"$RS/guest.sh" undefine "$T_IDLE" >&2 2>/dev/null || true
	fi
	rm -rf "$SCR_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# The fixture, the daemon and $T_IDLE running.
pane_stack_up() {
	"$RS/build-guest.sh" >&2 && "$RS/daemon.sh" start >&2 || return 1
	T_URI=$("$RS/daemon.sh" uri)
	export T_URI
	vsh dominfo "$T_IDLE" >/dev/null 2>&1 || "$RS/guest.sh" define "$T_IDLE" >&2 || return 1
	[ "$(vsh domstate "$T_IDLE" 2>/dev/null | head -n1)" = running ] ||
		"$RS/guest.sh" start "$T_IDLE" --wait 90 >&2
}

# vmtui filtered to our guest, which is selected.
pane_vmtui() {
	vt_vmtui "$1" "$2" -d 1 &&
		wait_for 60 "host line connected" vt_connected || return 1
	vt_keys /
	wait_screen '^Filter:' 5 >/dev/null || return 1
	vt_type "$T_PREFIX"
	vt_keys Enter
	wait_for 15 "our row" has_row "$T_IDLE" || return 1
	vt_keys Home
	wait_for 5 "selection on $T_IDLE" pane_selected
}
pane_selected() {
	[ "$(selected_name)" = "$(shown "$T_IDLE")" ] || { WHY="selected '$(selected_name)'"; return 1; }
}

# The pane's title row: "Console NAME ..." with the CPU graph's title to
# its right; TITLE_LINE gets its line number.
pane_title() {
	TITLE_LINE=$(grep -nE "^Console $(re "$T_IDLE") .*CPU ([0-9]|-)" <<<"$SCREEN" | head -n1 | cut -d: -f1)
	[ -n "$TITLE_LINE" ] || { WHY="no title row with the CPU graph beside it"; return 1; }
}
# The guest's prompt inside the pane, and the CPU graph on the same screen.
pane_prompt_and_graph() {
	pane_title || return 1
	_matches '^vmtui-guest#( |$)' || { WHY="no guest prompt at the left edge"; return 1; }
	_matches 'Memory used' || { WHY="no memory graph"; return 1; }
}
# Enter until the prompt shows (the shell may still be starting).
pane_prompt() {
	local i
	for i in 1 2 3; do
		vt_keys Enter
		wait_for 5 "prompt and graph" pane_prompt_and_graph 2>/dev/null && return 0
	done
	wait_for 5 "prompt and graph" pane_prompt_and_graph
}
# XYZ at row 5, column 10 of the console: 5 lines under the title row,
# 9 columns in.
pane_xyz() {
	local l
	pane_title || return 1
	l=$(sed -n "$((TITLE_LINE + 5))p" <<<"$SCREEN")
	[ "${l:9:3}" = XYZ ] || { WHY="line $((TITLE_LINE + 5)) is '$l'"; return 1; }
	# and nothing else of the cleared screen is left above it
	[ -z "$(sed -n "$((TITLE_LINE + 1)),$((TITLE_LINE + 4))p" <<<"$SCREEN" | cut -c1-80 | tr -d ' ')" ] ||
		{ WHY="the screen was not cleared above XYZ"; return 1; }
}

pane_main() {
	local r=$RANDOM
	say "# console pane"
	pane_vmtui 150 40 || { not_ok "vmtui shows our guest"; return; }
	vt_keys V
	check "V opens the pane (its title row, the CPU graph beside it)" \
		wait_for 15 "pane" pane_title
	check "Enter: the guest prompt inside the pane, the graphs beside it" pane_prompt
	vt_type "echo pane-$r"
	vt_keys Enter
	check "echo pane-$r prints its line in the pane" wait_screen "^pane-$r( |\$)" 10
	vt_type "printf '\\033[2J\\033[5;10HXYZ'"
	vt_keys Enter
	check "cursor addressing: XYZ at row 5, column 10 of the pane" \
		wait_for 10 "XYZ placed" pane_xyz
	vt_keys C-]
	check "^] leaves the pane for the list" wait_screen '^NAME +STATE' 5
	check "the status line says so" wait_screen '^Left the console pane\.' 5
	check "the pane is gone" wait_no_screen "^Console $(re "$T_IDLE") " 3
	vt_keys q
	check "q quits" wait_for 5 "exit" vt_dead
	vt_stop
}

scr_need pane tmux perl virsh
if ! pane_stack_up; then
	not_ok "pane_stack_up (fixture, daemon, $T_IDLE running)"
	summary
	exit 1
fi
pane_main
vt_stop_all
say "console pane tests took $((SECONDS - T0)) s"
summary
