#!/usr/bin/env bash
# tests/screen/test_gfx.sh — a guest's graphical screen in the terminal,
# driven through tmux as a person would: G in vmtui and `vmtui screen VM`
# in a shell, against the real stack of tests/lib.sh and a guest with a VGA
# console and VNC (tests/realstack/guest.sh define --vga: a shell on tty1).
#
# Sections (in this order; the guest is destroyed last):
#   gfx_view      G: symbols drawn in colour, the status line (name,
#                 resolution, VNC, symbols, the escape key); a command typed
#                 into the VGA shell reaches the guest's serial log; ^] q
#                 back to the list, the terminal's modes as before
#   gfx_prefix    ^] m (the menu), ^] z (zoom 1:1, 2:1, fit), ^] t (a line
#                 typed as keystrokes reaches the guest); mouse reports go
#                 to the pointer, not to the shell
#   gfx_nographics a guest without any video: the clear sentence, no screen
#   gfx_resize    the terminal made tiny (20x6) and huge (300x100) while the
#                 screen shows: still running, redrawn, the status line
#   gfx_readonly  vmtui -r: the status line says read-only, typed keys do
#                 not reach the guest and the status line says so
#   gfx_cli       vmtui screen: the same screen; ^] q exits 0 with the
#                 shell's terminal as before; bad VM and no graphics exit 1
#   gfx_shot      a VGA guest without <graphics>: screenshots, keyboard only
#                 (the status line says so), typed keys reach the guest
#   gfx_mouse     clicks, a drag and the wheel reach the guest's virtio
#                 tablet at the pixels under the cells (its events on the
#                 serial log); read-only sends none
#   gfx_shutdown  the guest destroyed while watched: back to the list with
#                 the reason
#
# Guests: ${T_PREFIX}vnc (VGA + VNC), ${T_PREFIX}plain (no video) and
# ${T_PREFIX}shot (VGA, no <graphics>), running, removed at exit. Hold /tmp/vmtui-stack.lock around it.
# Env: T_PREFIX (default vmtuigfxv-), KEEP_GUESTS=1, BUILD (default
# build/), GFX_ONLY="gfx_view gfx_cli" (only these sections).
# Ends with "N passed, N failed"; exit status 1 if any check failed.
set -uo pipefail

: "${T_PREFIX:=vmtuigfxv-}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

T0=$SECONDS
G_VNC=${T_PREFIX}vnc
G_PLAIN=${T_PREFIX}plain
G_SHOT=${T_PREFIX}shot

cleanup() {
	vt_stop_all
	if [ -z "${KEEP_GUESTS:-}" ]; then
		"$RS/guest.sh" cleanup "$T_PREFIX" >/dev/null 2>&1
	fi
	rm -rf "$SCR_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

domstate() { vsh domstate "$1" 2>/dev/null | head -n1; }

gfx_stack_up() {
	"$RS/build-guest.sh" >&2 && "$RS/daemon.sh" start >&2 || return 1
	T_URI=$("$RS/daemon.sh" uri)
	export T_URI
	vsh dominfo "$G_VNC" >/dev/null 2>&1 || "$RS/guest.sh" define "$G_VNC" --vga --net none >&2 || return 1
	vsh dominfo "$G_PLAIN" >/dev/null 2>&1 || "$RS/guest.sh" define "$G_PLAIN" --net none >&2 || return 1
	vsh dominfo "$G_SHOT" >/dev/null 2>&1 ||
		"$RS/guest.sh" define "$G_SHOT" --vga --graphics none --net none >&2 || return 1
	gfx_guests_up
}
gfx_guests_up() {
	local g
	for g in "$G_VNC" "$G_PLAIN" "$G_SHOT"; do
		[ "$(domstate "$g")" = running ] || "$RS/guest.sh" start "$g" --wait 90 >&2 || return 1
	done
}

# ---- the list ----

gfx_vmtui() {
	local cols=$1 rows=$2
	shift 2
	vt_vmtui "$cols" "$rows" -d 1 "$@" &&
		wait_for 60 "host line connected" vt_connected &&
		gfx_filter && gfx_select "$G_VNC"
}
gfx_filter() {
	vt_keys /
	wait_screen '^Filter:' 5 >/dev/null || return 1
	vt_type "$T_PREFIX"
	vt_keys Enter
	wait_for 15 "our two rows" gfx_two_rows
}
gfx_two_rows() {
	has_row "$G_VNC" && has_row "$G_PLAIN" || { WHY="rows: $(row_names | tr '\n' ' ')"; return 1; }
}
gfx_select() {
	local i
	for i in 1 2 3; do
		selected_is "$1" && return 0
		vt_keys Down
		sleep 0.2
		vt_grab
	done
	vt_keys Home
	for i in 1 2 3; do
		vt_grab
		selected_is "$1" && return 0
		vt_keys Down
		sleep 0.2
	done
	wait_for 3 "selection on $1" selected_is "$1"
}
selected_is() {
	local s
	s=$(selected_name)
	[ "$s" = "$(shown "$1")" ] || { WHY="selected '$s'"; return 1; }
}
term_modes() { vt_fmt '#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{keypad_flag} #{mouse_any_flag} #{mouse_button_flag} #{mouse_standard_flag} #{mouse_all_flag}'; }

# ---- the screen ----

# The status line: the last line of the pane.
status_line() { grep -v '^$' <<<"$SCREEN" | tail -n1; }
status_has() {
	local s
	s=$(tm capture-pane -p -t scr 2>/dev/null | tail -n1)
	grep -Eq -- "$1" <<<"$s" || { WHY="status line '$s'"; return 1; }
}
wait_status() { wait_for "${2:-10}" "status /$1/" status_has "$1"; }
# The picture: cells drawn with block symbols, in colours other than the
# default (SGR 38/48 with a colour), counted in capture-pane -e.
blocks() { tm capture-pane -p -t scr 2>/dev/null | grep -o '[▀▄▌▐▖▗▘▝▙▛▜▟▚▞█]' | wc -l; }
coloured() {
	tm capture-pane -p -e -t scr 2>/dev/null |
		grep -oE $'\e\\[([0-9]+;)*(3[0-7]|4[0-7]|9[0-7]|10[0-7]|[34]8;5;[0-9]+|[34]8;2;[0-9]+;[0-9]+;[0-9]+)(;[0-9]+)*m' |
		wc -l
}
# drawn N: at least N colour changes and a few block symbols (the VGA
# text is thin: most of its cells are one colour).
drawn() {
	local b c
	b=$(blocks)
	c=$(coloured)
	((c >= ${1:-5} && b >= 5)) || { WHY="$b block cells, $c colour sequences"; return 1; }
}
# Cells in blue (the 16 colours' 4 or 12, as fore- or background): the
# pattern the guest paints with its VGA console's blue background.
blue() {
	local n
	n=$(tm capture-pane -p -e -t scr 2>/dev/null |
		grep -oE $'\e\\[([0-9]+;)*(34|44|94|104|[34]8;5;(4|12|17|18|19|20|21))(;[0-9]+)*m' | wc -l)
	((n >= $1)) || { WHY="$n blue colour sequences"; return 1; }
}

# The guest's serial console log ($G_VNC's, or $3's).
glog() { cat "$("$RS/guest.sh" dir "${1:-$G_VNC}")/console.log" 2>/dev/null; }
log_has() { glog "${2:-}" | tr -d '\r' | grep -q -- "$1"; }
wait_log() {
	local deadline=$((SECONDS + ${2:-15}))
	until log_has "$1" "${3:-}"; do
		((SECONDS < deadline)) || { say "    not in the serial log within ${2:-15}s: $1"; return 1; }
		sleep 0.2
	done
}

# G, then the status line: the name, the resolution, the input mode ($1,
# default VNC).
open_screen() {
	vt_keys G
	wait_status "^ $(re "$G_VNC")  [0-9]+x[0-9]+  ${1:-VNC}" 20
}
leave_screen() {
	vt_keys C-]
	wait_status '^ \^\]: q leave' 5 >/dev/null
	vt_keys q
	wait_screen '^NAME +STATE' 10
}

# ---------------------------------------------------------------- sections

gfx_view() {
	say "# 1. G from the list: drawn, status line, typing reaches the guest"
	gfx_vmtui 100 30 || { not_ok "vmtui shows our guests"; return; }
	local modes tok
	modes=$(term_modes)
	check "view: G opens the screen (status line: name, resolution, VNC)" open_screen
	check "view: the status line names the input mode" wait_status "VNC: keys and mouse" 5
	check "view: the status line names the rendering (symbols inside tmux)" wait_status "  symbols " 5
	check "view: the status line names the way out" wait_status '\^\] q leaves, \^\] m menu' 5
	check "view: the symbol renderer drew coloured cells" wait_for 10 "picture" drawn
	check "view: no list under the picture" wait_no_screen '^NAME +STATE' 3
	# the VGA shell may still be starting: Enter until the screen changes
	vt_keys Enter
	sleep 1
	tok="VMTUI-GFX-VIEW-$RANDOM"
	vt_type "echo $tok > /dev/ttyS0"
	vt_keys Enter
	check "view: a command typed into the VGA shell reaches the guest (serial log)" wait_log "$tok" 20
	# a known pattern: six rows of 40 blue cells painted by the guest
	vt_type "clear; for i in 1 2 3 4 5 6; do printf '\\033[44m%40s\\033[0m\\n' ''; done"
	vt_keys Enter
	check "view: the blue rows the guest paints show as blue cells (capture-pane -e)" \
		wait_for 10 "blue cells" blue 6
	check "view: ^] q goes back to the list" leave_screen
	check "view: the status line says the screen was left" \
		wait_screen "Left the screen of $(re "$G_VNC")\." 5
	check "view: the terminal's modes as before the screen" eq "$(term_modes)" "$modes"
	vt_keys '?'
	sleep 0.3
	vt_keys End
	check "view: the help lists G" help_find '^G +screen +list,detail +Graphical screen of the guest'
	vt_keys q
	vt_stop
}

gfx_prefix() {
	say "# 2. after ^]: the menu, zoom, type this text"
	gfx_vmtui 100 30 || { not_ok "vmtui shows our guests"; return; }
	open_screen || { not_ok "prefix: G opens the screen"; return; }
	vt_keys C-]
	check "prefix: ^] shows what follows it" wait_status '^ \^\]: q leave  m keys menu  t type text  z zoom \(fit\)' 5
	vt_keys m
	check "prefix: m shows the menu of combos" wait_status '^ Send: d Ctrl\+Alt\+Del  1\.\.9 0 - = Ctrl\+Alt\+F1\.\.F12  s SysRq  p Print' 5
	vt_keys Escape
	check "prefix: Esc leaves the menu (back to the guest)" wait_status "^ $(re "$G_VNC")  " 5
	vt_keys C-] z
	check "prefix: z zooms 1:1" wait_status 'z zoom \(1:1\)' 5
	check "prefix: the zoomed picture is drawn (its top left: the shell's text)" \
		wait_for 10 "picture" drawn
	vt_keys z
	check "prefix: z again zooms 2:1" wait_status 'z zoom \(2:1\)' 5
	vt_keys Right Down
	check "prefix: the arrows pan and stay after the prefix" wait_status 'z zoom \(2:1\)' 5
	vt_keys z Escape
	check "prefix: back to fit, the status line says fit" wait_status '  fit  ' 5
	local tok="VMTUI-GFX-TYPED-$RANDOM"
	vt_keys C-] t
	check "prefix: t asks for the text" wait_status "^ Type into $(re "$G_VNC") \(Enter types, Esc cancels\): _" 5
	vt_type "echo $tok > /dev/ttyS0"
	check "prefix: the text shows as typed" wait_status "$(re "$tok") > /dev/ttyS0_" 5
	vt_keys Enter
	check "prefix: the status line counts what was typed" wait_status "^ Typed [0-9]+ characters into" 5
	vt_keys Enter
	check "prefix: the typed text runs in the guest (serial log)" wait_log "$tok" 20
	# the mouse: a click, a drag and the wheel as SGR reports (what a
	# terminal sends with mode 1006 on) go to the pointer, not to the shell
	tok="VMTUI-GFX-MOUSE-$RANDOM"
	vt_type $'\e[<0;10;5M\e[<32;12;6M\e[<0;12;6m\e[<64;10;5M\e[<65;10;5M\e[<35;20;8M'
	vt_type "echo $tok > /dev/ttyS0"
	vt_keys Enter
	check "mouse: reports are eaten, the next typed command still runs" wait_log "$tok" 20
	check "mouse: nothing of the reports reached the guest's shell" eval '! glog | grep -aq "<0;10;5M\|<64;10"'
	vt_keys C-] x
	check "prefix: another key after ^] says it does nothing" wait_status 'x after the escape key does nothing' 5
	check "prefix: ^] ^] leaves too" eval 'vt_keys C-] C-]; wait_screen "^NAME +STATE" 10'
	vt_keys q
	vt_stop
}

gfx_nographics() {
	say "# 3. a guest without graphics"
	gfx_vmtui 100 30 || { not_ok "vmtui shows our guests"; return; }
	gfx_select "$G_PLAIN" || { not_ok "select $G_PLAIN"; return; }
	vt_keys G
	check "no graphics: the clear sentence in the status line" \
		wait_screen "$(re "$G_PLAIN") has no graphical display" 20
	check "no graphics: still the list" wait_screen '^NAME +STATE' 2
	vt_keys Enter
	wait_screen "^$(re "$G_PLAIN") +running" 10 >/dev/null
	vt_keys G
	check "no graphics: G in the detail view says the same" \
		wait_screen "$(re "$G_PLAIN") has no graphical display" 20
	vt_keys q
	vt_stop
}

gfx_resize() {
	say "# 4. the terminal resized tiny and huge while watching"
	gfx_vmtui 100 30 || { not_ok "vmtui shows our guests"; return; }
	open_screen || { not_ok "resize: G opens the screen"; return; }
	tm resize-window -t scr -x 20 -y 6
	sleep 1
	check "resize: alive at 20x6" vt_alive
	check "resize: the status line starts with the name at 20x6" wait_status "^ $(re "${G_VNC:0:18}")" 5
	tm resize-window -t scr -x 300 -y 100
	check "resize: the status line is on line 100 at 300x100" wait_for 10 "status at 100" \
		eval '[ "$(tm capture-pane -p -t scr | sed -n 100p | grep -c "720x400\|[0-9]x[0-9]")" = 1 ]'
	check "resize: the picture drawn again at 300x100" wait_for 10 "picture" drawn
	tm resize-window -t scr -x 120 -y 40
	check "resize: at 120x40, drawn" wait_for 10 "picture" drawn
	check "resize: ^] q still leaves" leave_screen
	check "resize: the list takes the size it changed to meanwhile (footer on line 40)" \
		wait_for 5 "footer at 40" eval '[[ "$(tm capture-pane -p -t scr | sed -n 40p)" == "?Help"* ]]'
	vt_keys q
	vt_stop
}

gfx_readonly() {
	say "# 5. read-only: shown, nothing sent"
	gfx_vmtui 100 30 -r || { not_ok "vmtui -r shows our guests"; return; }
	check "read-only: G opens the screen, the input mode says nothing is sent" \
		open_screen "read-only: nothing is sent  symbols"
	local tok="VMTUI-GFX-RO-$RANDOM"
	vt_type "echo $tok > /dev/ttyS0"
	vt_keys Enter
	check "read-only: typing says it is not sent" wait_status "Read-only \(vmtui -r\): nothing is sent to $(re "$G_VNC")" 5
	vt_keys C-] t
	check "read-only: ^] t refuses" wait_status "Read-only" 5
	sleep 2
	check "read-only: the guest got nothing (not in the serial log)" eval '! log_has "$tok"'
	check "read-only: ^] q leaves" leave_screen
	vt_keys q
	vt_stop
}

cli() { echo "$BUILD/vmtui screen -c '$T_URI' $*"; }
shell_pane() {
	vt_start "${1:-100}" "${2:-30}" env PS1='$ ' LANG=C.UTF-8 TERM=screen bash --norc --noprofile -i &&
		wait_screen '^\$' 10 >/dev/null
}
shell_run() {
	vt_type "$2; echo \"RC-$1=\$?\"; stty -g > $SCR_TMP/stty-$1"
	vt_keys Enter
}
joined() { tm capture-pane -p -J -t scr -S -200 2>/dev/null; }
wait_rc() {
	local deadline=$((SECONDS + ${2:-10}))
	until joined | grep -q "^RC-$1="; do
		((SECONDS < deadline)) || return 1
		sleep 0.2
	done
}
rc_of() { joined | grep -o "^RC-$1=[0-9]*" | tail -n1 | cut -d= -f2; }

gfx_cli() {
	say "# 6. vmtui screen from the shell"
	shell_pane 100 30 || { not_ok "shell pane"; return; }
	vt_type "stty -g > $SCR_TMP/stty-before; clear"
	vt_keys Enter
	sleep 0.3
	local modes
	modes=$(term_modes)
	shell_run ok "$(cli "$G_VNC")"
	check "cli: the screen with its status line" wait_status "^ $(re "$G_VNC")  [0-9]+x[0-9]+  VNC: keys and mouse  symbols" 20
	check "cli: coloured cells" wait_for 10 "picture" drawn
	vt_keys C-] q
	check "cli: ^] q exits" wait_rc ok 10
	check "cli: exit status 0" eq "$(rc_of ok)" 0
	check "cli: says it left" eval 'joined | grep -q "^Left the screen of $(re "$G_VNC") (\^\] q)\.$"'
	check "cli: stty -g as before" cmp -s "$SCR_TMP/stty-before" "$SCR_TMP/stty-ok"
	check "cli: the terminal's modes as before" eq "$(term_modes)" "$modes"
	shell_run esc "$(cli --escape ^A "$G_VNC")"
	check "cli: --escape ^A: the status line names it" wait_status '\^A q leaves, \^A m menu' 20
	vt_keys C-]
	check "cli: --escape ^A: ^] is a key for the guest, not the prefix" wait_status '\^A q leaves' 3
	vt_keys C-a q
	check "cli: --escape ^A: ^A q exits 0" eval 'wait_rc esc 10 && [ "$(rc_of esc)" = 0 ]'
	shell_run plain "$(cli "$G_PLAIN")"
	check "cli: no graphics exits" wait_rc plain 20
	check "cli: no graphics: exit status 1" eq "$(rc_of plain)" 1
	check "cli: no graphics: the sentence" eval 'joined | grep -q "vmtui: $(re "$G_PLAIN") has no graphical display"'
	shell_run none "$(cli "${T_PREFIX}nosuch")"
	check "cli: an unknown VM exits 1" wait_rc none 30
	check "cli: an unknown VM: the sentence" eval 'joined | grep -q "vmtui: there is no VM named ${T_PREFIX}nosuch on "'
	vt_stop
}

gfx_shot() {
	say "# 7. the screenshot fallback: a VGA guest without <graphics>"
	gfx_vmtui 100 30 || { not_ok "vmtui shows our guests"; return; }
	gfx_select "$G_SHOT" || { not_ok "select $G_SHOT"; return; }
	vt_keys G
	check "shot: the status line says keyboard only (screenshots)" \
		wait_status "^ $(re "$G_SHOT")  [0-9]+x[0-9]+  keyboard only \(screenshots\)  symbols" 30
	check "shot: the screenshots are drawn" wait_for 10 "picture" drawn
	local tok="VMTUI-GFX-SHOT-$RANDOM"
	vt_keys Enter
	sleep 1
	vt_type "echo $tok > /dev/ttyS0"
	vt_keys Enter
	check "shot: a command typed (virDomainSendKey) reaches the guest" wait_log "$tok" 30 "$G_SHOT"
	check "shot: ^] q leaves" leave_screen
	vt_keys q
	vt_stop
}

gfx_shutdown() {
	say "# 8. the guest destroyed while watched"
	gfx_guests_up
	gfx_vmtui 100 30 || { not_ok "vmtui shows our guests"; return; }
	open_screen || { not_ok "shutdown: G opens the screen"; return; }
	vsh destroy "$G_VNC" >/dev/null
	check "shutdown: back to the list by itself" wait_screen '^NAME +STATE' 15
	check "shutdown: the status line says why" \
		wait_screen "The screen of $(re "$G_VNC") closed: The guest shut down\." 5
	check "shutdown: the list shows it shut off" wait_for 10 "shut off" row_is "$G_VNC" "shut off"
	vt_keys G
	check "shutdown: G on a shut-off guest says to start it" \
		wait_screen "$(re "$G_VNC") is shut off: start it first \(S\) to see its screen\." 5
	vt_keys q
	vt_stop
	# the same from the shell: vmtui screen ends with the reason, status 1
	gfx_guests_up
	shell_pane 100 30 || { not_ok "shell pane"; return; }
	vt_type "stty -g > $SCR_TMP/stty-before-down; clear"
	vt_keys Enter
	sleep 0.3
	shell_run down "$(cli "$G_VNC")"
	wait_status "^ $(re "$G_VNC")  [0-9]+x[0-9]+  VNC" 20 >/dev/null ||
		{ not_ok "shutdown: vmtui screen shows the screen"; return; }
	vsh destroy "$G_VNC" >/dev/null
	check "shutdown: vmtui screen ends by itself" wait_rc down 15
	check "shutdown: vmtui screen: exit status 1" eq "$(rc_of down)" 1
	check "shutdown: vmtui screen: the reason on stderr" \
		eval 'joined | grep -q "^vmtui: the screen of $(re "$G_VNC") closed: The guest shut down\.$"'
	check "shutdown: vmtui screen: stty -g as before" cmp -s "$SCR_TMP/stty-before-down" "$SCR_TMP/stty-down"
	vt_stop
}

# ---- the guest's pointer ----

# The tablet's events the guest logged (build-guest.sh: "VMTUI-EV" and the
# 24 bytes of struct input_event in hex), from line $1 of the serial log
# on, as "TYPE CODE VALUE" in decimal (little-endian: type at byte 16, code
# at 18, the signed value at 20).
events_since() {
	glog | tr -d '\r' | tail -n +"$1" | grep -ao 'VMTUI-EV [0-9a-f]\{48\}' |
		while read -r _ h; do
			local t=$((16#${h:34:2}${h:32:2})) c=$((16#${h:38:2}${h:36:2}))
			local v=$((16#${h:46:2}${h:44:2}${h:42:2}${h:40:2}))
			((v >= 2147483648)) && v=$((v - 4294967296))
			[ "$t" = 0 ] || echo "$t $c $v"
		done
}
log_lines() { glog | wc -l; }
# The last absolute X (code 0) and Y (code 1) the guest got since line $1.
last_abs() { events_since "$1" | awk -v c="$2" '$1 == 3 && $2 == c { v = $3 } END { print v }'; }
# ev_seen FROM "TYPE CODE VALUE": the guest got that event since line FROM.
ev_seen() {
	events_since "$1" | grep -qx -- "$2" || { WHY="events: $(events_since "$1" | tr '\n' ',')"; return 1; }
}
# near A B TOL: |A - B| <= TOL
near() { [ -n "$1" ] && (( ($1 - $2) <= $3 && ($2 - $1) <= $3 )) || { WHY="$1 is not $2 +- $3"; return 1; }; }
# click COL ROW: a left click as a terminal reports it with mode 1006 (1-based).
click() { vt_type $'\e'"[<0;$1;$2M"$'\e'"[<0;$1;$2m"; }

gfx_mouse() {
	say "# 9. the mouse reaches the guest's pointer (its virtio tablet)"
	gfx_guests_up
	gfx_vmtui 100 30 || { not_ok "vmtui shows our guests"; return; }
	open_screen || { not_ok "mouse: G opens the screen"; return; }
	wait_log "vmtui-init: tablet events from /dev/input/event" 5 ||
		{ not_ok "mouse: the guest logs its tablet's events (fixture)"; return; }
	# The VGA text screen (720x400) is wider than tall: at 100x30 it takes
	# the 100 columns and is centred in the 29 rows above the status line,
	# so the middle cell (51, 15 in 1-based reports) is the middle pixel,
	# and 30 columns are 30/100 of the width. The tablet's range is
	# 0..32767 on both axes; a cell is at most 330 across and 1200 down.
	local from x0 y0 xr xl
	from=$(log_lines)
	click 51 15
	check "mouse: a click presses the guest's left button (BTN_LEFT 1)" \
		wait_for 15 "BTN_LEFT down" ev_seen "$from" "1 272 1"
	check "mouse: and releases it (BTN_LEFT 0)" wait_for 5 "BTN_LEFT up" ev_seen "$from" "1 272 0"
	x0=$(last_abs "$from" 0)
	y0=$(last_abs "$from" 1)
	check "mouse: the middle cell is the middle of the screen across (ABS_X $x0)" near "$x0" 16383 700
	check "mouse: and down (ABS_Y $y0)" near "$y0" 16383 2400
	from=$(log_lines)
	click 81 15
	wait_for 15 "BTN_LEFT up" ev_seen "$from" "1 272 0" >/dev/null
	xr=$(last_abs "$from" 0)
	from=$(log_lines)
	click 21 15
	wait_for 15 "BTN_LEFT up" ev_seen "$from" "1 272 0" >/dev/null
	xl=$(last_abs "$from" 0)
	check "mouse: 30 columns right are 30% of the width right (ABS_X $xr)" \
		near "$((${xr:-0} - x0))" 9830 1000
	check "mouse: 30 columns left are as far left (ABS_X $xl)" near "$((x0 - ${xl:-0}))" 9830 1000
	# a drag: pressed at the middle, moved with the button held, released
	from=$(log_lines)
	vt_type $'\e[<0;51;15M\e[<32;61;20M\e[<32;71;25M\e[<0;71;25m'
	check "mouse: a drag moves the pointer with the button held" \
		wait_for 15 "drag" eval 'ev_seen "$from" "1 272 0" && near "$(last_abs "$from" 0)" $((x0 + 6553)) 700'
	check "mouse: the drag went down too" eval 'near "$(( $(last_abs "$from" 1) - y0 ))" 11300 3000'
	# the wheel: SGR 64 (up) and 65 (down) as wheel clicks (REL_WHEEL)
	from=$(log_lines)
	vt_type $'\e[<64;51;15M'
	check "mouse: the wheel up turns the guest's wheel up (REL_WHEEL 1)" \
		wait_for 15 "wheel up" ev_seen "$from" "2 8 1"
	vt_type $'\e[<65;51;15M'
	check "mouse: the wheel down turns it down (REL_WHEEL -1)" \
		wait_for 15 "wheel down" ev_seen "$from" "2 8 -1"
	leave_screen
	vt_keys q
	vt_stop
	# read-only: the same click sends nothing
	gfx_vmtui 100 30 -r || { not_ok "vmtui -r shows our guests"; return; }
	open_screen "read-only" || { not_ok "mouse: G opens the screen read-only"; return; }
	from=$(log_lines)
	click 51 15
	vt_keys C-] x
	wait_status 'x after the escape key does nothing' 5 >/dev/null
	check "mouse: read-only, a click reaches no pointer" eval '! events_since "$from" | grep -q .'
	leave_screen
	vt_keys q
	vt_stop
}

# ---------------------------------------------------------------- main

scr_need gfx tmux virsh
if ! gfx_stack_up; then
	not_ok "gfx_stack_up (fixture, daemon, $G_VNC and $G_PLAIN running)"
	summary
	exit 1
fi
SECTIONS=${GFX_ONLY:-gfx_view gfx_prefix gfx_nographics gfx_resize gfx_readonly gfx_cli gfx_shot gfx_mouse gfx_shutdown}
for s in $SECTIONS; do
	"$s"
	vt_stop_all
done
if [ -s "$SCR_TMP/state/vmtui/vmtui.log" ]; then
	say "vmtui's stderr log (last lines):"
	tail -n 20 "$SCR_TMP/state/vmtui/vmtui.log" | sed 's/^/    /' >&2
fi
say "graphical screen tests took $((SECONDS - T0)) s"
summary
