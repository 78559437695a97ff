# shellcheck shell=bash
# screenlib.sh — run a program in a detached tmux pane, type at it and read
# its screen (sourced by run.sh, after tests/lib.sh).
#
# Every vt_start gets a tmux server of its own (-L socket), which is killed
# by vt_stop: a fresh socket per test avoids the races of kill-server
# followed at once by new-session on the same socket.
#
#   vt_start COLS ROWS CMD...    run CMD in a new COLSxROWS pane
#   vt_vmtui COLS ROWS ARGS...   run $BUILD/vmtui -c $T_URI ARGS in UTF-8
#   vt_keys KEY...               tmux send-keys (key names: Enter, Escape, ...)
#   vt_type TEXT                 type TEXT literally
#   vt_screen                    the screen as text (SCREEN is set too)
#   wait_screen PATTERN [SECS]   poll until a line matches grep -E PATTERN
#   wait_no_screen PATTERN [SECS] poll until no line matches
#   wait_for SECS DESC FUNC...   poll until FUNC (reading $SCREEN) succeeds
#   vt_alive, vt_dead            the program still runs in the pane, or not
#   vt_connected                 the header's host line says $T_URI is up
#   vt_stop                      kill the tmux server
#   scr_need WHAT TOOL...        give up unless the tools are there; build
#   scr_traps [FUNC...]          at exit: vt_stop_all, each FUNC, rm $SCR_TMP

SCR_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Screens hold UTF-8 (braille, blocks): read them in a UTF-8 locale.
export LC_ALL=C.UTF-8
SCR_SOCK_BASE=vmtuiscr$$
SCR_N=0
SCR_SOCKS=()
SCR_TMP=$(mktemp -d /tmp/vmtuiscr.XXXXXX)
mkdir -p "$SCR_TMP/xdg"
SOCK=""
SCREEN=""
WHY=""

tm() { tmux -L "$SOCK" -f "$SCR_DIR/tmux.conf" "$@"; }

# Microseconds since the epoch.
now_us() { local t=${EPOCHREALTIME/./}; echo "${t#0}"; }

vt_start() {
	local cols=$1 rows=$2 cmd
	shift 2
	vt_stop
	SCR_N=$((SCR_N + 1))
	SOCK=$SCR_SOCK_BASE-$SCR_N
	SCR_SOCKS+=("$SOCK")
	printf -v cmd '%q ' "$@"
	LANG=C.UTF-8 tm new-session -d -x "$cols" -y "$rows" -s scr "exec $cmd" ||
		{ say "vt_start: tmux new-session failed"; return 1; }
}

# vmtui as a person would start it, in a UTF-8 locale, with colours, and
# with configuration and state directories of its own (no config file; its
# stderr log goes to $SCR_TMP/state/vmtui/vmtui.log).
vt_vmtui() {
	local cols=$1 rows=$2
	shift 2
	vt_vmtui_bare "$cols" "$rows" -c "$T_URI" "$@"
}
# The same without -c first (for `vmtui top ...` and --replay).
vt_vmtui_bare() {
	local cols=$1 rows=$2
	shift 2
	vt_start "$cols" "$rows" env -u LC_ALL -u LC_CTYPE -u LC_MESSAGES -u NO_COLOR \
		-u LIBVIRT_DEFAULT_URI LANG=C.UTF-8 XDG_CONFIG_HOME="$SCR_TMP/xdg" \
		XDG_STATE_HOME="$SCR_TMP/state" "$BUILD/vmtui" "$@"
}

# scr_need WHAT TOOL...: end the suite ("0 passed, 1 failed") when a tool
# is missing; build vmtui when $BUILD has none.
scr_need() {
	local what=$1 tool
	shift
	for tool in "$@"; do
		command -v "$tool" >/dev/null || { say "$what tests need $tool"; echo "0 passed, 1 failed"; exit 1; }
	done
	if [ ! -x "$BUILD/vmtui" ]; then
		"$TOP/scripts/build" >&2 || { echo "0 passed, 1 failed"; exit 1; }
	fi
}

# tmux leaves the socket file behind after kill-server: remove it too.
sock_path() { echo "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$1"; }

vt_stop() {
	[ -n "$SOCK" ] || return 0
	tm kill-server >/dev/null 2>&1 || true
	rm -f "$(sock_path "$SOCK")"
	SOCK=""
}

vt_stop_all() {
	local s
	for s in "${SCR_SOCKS[@]}"; do
		tmux -L "$s" kill-server >/dev/null 2>&1 || true
		rm -f "$(sock_path "$s")"
	done
	SOCK=""
}

vt_keys() { tm send-keys -t scr "$@"; }
# vt_click COL ROW [double]: a left click at 0-based screen cell COL,ROW, as
# an xterm (X10 encoding) reports it: press then release.
vt_click() {
	local cx cy ev
	cx=$(printf '\\x%x' $((33 + $1)))
	cy=$(printf '\\x%x' $((33 + $2)))
	ev=$(printf "\033[M %b%b\033[M#%b%b" "$cx" "$cy" "$cx" "$cy")
	tm send-keys -t scr -l -- "$ev"
	if [ "${3:-}" = double ]; then
		sleep 0.05
		tm send-keys -t scr -l -- "$ev"
	fi
}
vt_type() { tm send-keys -t scr -l -- "$1"; }
# Esc on its own: ncurses waits ESCDELAY (25 ms) to tell it from Alt-key.
vt_esc() { tm send-keys -t scr Escape; sleep 0.15; }

vt_screen() {
	SCREEN=$(tm capture-pane -p -t scr 2>/dev/null)
	printf '%s\n' "$SCREEN"
}
vt_grab() { SCREEN=$(tm capture-pane -p -t scr 2>/dev/null); }
vt_grab_e() { tm capture-pane -p -e -t scr 2>/dev/null; }

# pane_dead=0 and the pane's process exists
vt_alive() {
	local dead pid
	dead=$(tm display-message -p -t scr '#{pane_dead}' 2>/dev/null) || return 1
	pid=$(tm display-message -p -t scr '#{pane_pid}' 2>/dev/null) || return 1
	[ "$dead" = 0 ] && kill -0 "$pid" 2>/dev/null
}
vt_dead() { ! vt_alive; }
vt_pid() { tm display-message -p -t scr '#{pane_pid}' 2>/dev/null; }
vt_fmt() { tm display-message -p -t scr "$1" 2>/dev/null; }

show_screen() {
	local title=${1:-screen} s=${2-$SCREEN}
	{
		printf '    ---- %s (%s) ----\n' "$title" "$(vt_fmt '#{window_width}x#{window_height}, pane_dead=#{pane_dead} #{pane_dead_status}' || echo 'no tmux')"
		printf '%s\n' "$s" | sed 's/^/    |/'
		printf '    ----\n'
	} >&2
}

# Line N (1-based) of $SCREEN.
screen_line() { sed -n "${1}p" <<<"$SCREEN"; }

wait_for() {
	local secs=$1 desc=$2 deadline
	shift 2
	deadline=$(($(now_us) + $(awk -v s="$secs" 'BEGIN { printf "%d", s * 1000000 }')))
	while :; do
		vt_grab
		WHY=""
		"$@" && return 0
		if (($(now_us) >= deadline)); then
			say "    not seen within ${secs}s: $desc${WHY:+ ($WHY)}"
			show_screen "last screen"
			return 1
		fi
		sleep 0.1
	done
}

_matches() { grep -Eq -- "$1" <<<"$SCREEN"; }
_no_match() { ! grep -Eq -- "$1" <<<"$SCREEN"; }
# The header's host line says the connection to $T_URI is up.
vt_connected() { _matches "$(re "$T_URI") .*VMs" && _no_match 'DISCONNECTED|connecting'; }
# lines_in_order PATTERN...: each on a line of its own, in this order.
lines_in_order() {
	local prev=0 n p
	vt_grab
	for p in "$@"; do
		n=$(grep -nE -- "$p" <<<"$SCREEN" | awk -F: -v after="$prev" '$1 > after { print $1; exit }')
		[ -n "$n" ] || { say "  /$p/ not after line $prev"; sed 's/^/  | /' <<<"$SCREEN" >&2; return 1; }
		prev=$n
	done
}
# wait_joined TEXT [SECONDS]: TEXT on the screen where wrapped lines are
# joined with a space (a wrapped sentence, wherever the width breaks it).
_joined() { tr '\n' ' ' <<<"$SCREEN" | tr -s ' ' | grep -qF -- "$1"; }
wait_joined() { wait_for "${2:-10}" "'$1' (lines joined)" _joined "$1"; }
wait_screen() { wait_for "${2:-10}" "/$1/" _matches "$1"; }
wait_no_screen() { wait_for "${2:-10}" "no /$1/" _no_match "$1"; }

# Quote a string for use inside an extended regular expression.
re() { sed 's/[][\.*^$+?(){}|/]/\\&/g' <<<"$1"; }

# ---- the guest list ----

STATES='running|blocked|paused|stopping|shut off|crashed|pmsusp|nostate'

# The rows of the guest list on $SCREEN, one per line:
#   NAME<TAB>STATE<TAB>VC<TAB>CPU<TAB>MEM   (NAME as shown, without '*';
#   VC '-' when the column is not shown)
list_rows() {
	local l
	while IFS= read -r l; do
		# VC is left out on narrow terminals
		if [[ $l =~ ^\*?([^ ]+)\ +($STATES)\ +(([0-9]+)\ +)?([0-9.]+|-)\ (.*\ )?([0-9.]+[BKMGTPE]?/[0-9.]+[BKMGTPE]|-/[0-9.]+[BKMGTPE]) ]]; then
			printf '%s\t%s\t%s\t%s\t%s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" \
				"${BASH_REMATCH[4]:--}" "${BASH_REMATCH[5]}" "${BASH_REMATCH[7]}"
		fi
	done <<<"$SCREEN"
}

# Width of the NAME column: where STATE starts in the column titles.
name_width() {
	local l
	l=$(grep -m1 -E '^NAME +STATE' <<<"$SCREEN") || return 1
	l=${l%%STATE*}
	echo $((${#l} - 1))
}

# A guest's name as the list shows it (cut to the NAME column).
# A name too long for the column is cut to width-1 characters plus "…".
shown() {
	local w
	w=$(name_width) || w=32
	if [ "${#1}" -le "$w" ]; then
		echo "$1"
	else
		echo "${1:0:w-1}…"
	fi
}

# row NAME FIELD: a field (state, vc, cpu, mem) of the row of guest NAME.
row() {
	local n f
	n=$(shown "$1")
	case $2 in state) f=2 ;; vc) f=3 ;; cpu) f=4 ;; mem) f=5 ;; *) f=1 ;; esac
	list_rows | awk -F'\t' -v n="$n" -v f=$f '$1 == n { print $f; exit }'
}
# rowi N FIELD: a field of the Nth row (1-based), for lists whose names are
# cut so short that two guests look the same (80 columns: 10 characters).
rowi() {
	local f
	case $2 in name) f=1 ;; state) f=2 ;; vc) f=3 ;; cpu) f=4 ;; mem) f=5 ;; esac
	list_rows | awk -F'\t' -v n="$1" -v f=$f 'NR == n { print $f; exit }'
}
has_row() { list_rows | cut -f1 | grep -qxF -- "$(shown "$1")"; }
row_names() { list_rows | cut -f1; }

# row_uptime NAME: the UP column (the last) of guest NAME's row, in UPTIME;
# false, with WHY, when there is none.
row_uptime() {
	UPTIME=$(grep -E "^\*?$(re "$1") " <<<"$SCREEN" | awk '{ print $NF }')
	[ -n "$UPTIME" ] || { WHY="no row $1"; return 1; }
}

# Predicates for wait_for.
row_is() { # row_is NAME STATE
	local s
	s=$(row "$1" state)
	[ "$s" = "$2" ] || { WHY="row $1: state '${s:-no row}', want '$2'"; return 1; }
}

# The text of the highlighted (selected) line of the list, from the colours:
# the selection is drawn black on yellow (bg 3), or reversed without colour.
selected_line() {
	vt_grab_e | perl "$SCR_DIR/sgr.pl" |
		awk -F'\t' '($2 == "3" || $3 == 1) && $5 !~ /^NAME +STATE/ { print $5; exit }'
}
selected_name() { selected_line | sed -E 's/^\*?([^ ]+) .*/\1/'; }
# is_selected NAME: NAME's row is the highlighted one.
is_selected() { [ "$(selected_name)" = "$(shown "$1")" ] || { WHY="selected '$(selected_name)'"; false; }; }

# The status line of $SCREEN: the line above the key hints, the pane's
# last but one, whatever its height.
status_line() { sed -n "$(($(vt_fmt '#{pane_height}') - 1))p" <<<"$SCREEN"; }
# status_is ERE, wait_status ERE [SECONDS]: the status line matches (within
# SECONDS, default STATUS_WAIT or 10).
status_is() { status_line | grep -qE -- "$1" || { WHY="status: $(status_line)"; false; }; }
wait_status() { wait_for "${2:-${STATUS_WAIT:-10}}" "status /$1/" status_is "$1"; }

# Bytes from a figure such as 20.9M (binary units).
to_bytes() {
	awk -v s="$1" 'BEGIN {
		u = substr(s, length(s)); v = substr(s, 1, length(s) - 1) + 0
		n = index("BKMGTPE", u); if (n == 0) { print -1; exit }
		while (--n > 0) v *= 1024
		printf "%.0f\n", v }'
}

# The same formatting as tui/format.c fmt_bytes.
fmt_bytes() {
	awk -v v="$1" 'BEGIN { units = "BKMGTPE"; u = 1
		while (v >= 1023.95 && u < 7) { v /= 1024; u++ }
		c = substr(units, u, 1)
		if (u == 1) printf "%.0fB\n", v
		else if (v < 9.995) printf "%.2f%s\n", v, c
		else if (v < 99.95) printf "%.1f%s\n", v, c
		else printf "%.0f%s\n", v, c }'
}

# scr_traps [FUNC...]: when the suite exits, stop every pane, run each FUNC
# (the suite's own clean-up: its guests, networks, the stack) and remove
# $SCR_TMP; INT, TERM and HUP exit 130 through the same.
SCR_AT_EXIT=()
scr_traps() {
	SCR_AT_EXIT=("$@")
	trap scr_at_exit EXIT
	trap 'exit 130' INT TERM HUP
}
scr_at_exit() {
	local f
	vt_stop_all
	for f in "${SCR_AT_EXIT[@]}"; do "$f"; done
	rm -rf "$SCR_TMP"
}

# help_find PATTERN: page up from where the help screen is until PATTERN
# shows (the table grows as commands are added).
help_find() {
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		wait_screen "$1" 1 >/dev/null 2>&1 && return 0
		vt_keys PPage
	done
	wait_screen "$1" 1
}
