# shellcheck shell=bash
# seclib.sh — what the sections of the screen suite (tests/screen/sec/*.sh)
# share: the real stack of tests/lib.sh (system libvirtd, guests $T_BUSY,
# $T_IDLE, $T_OFF), tmux through screenlib.sh, the clean-up at exit, and the
# helpers more than one section uses. A section file sources it, defines
# sec_NAME and its own helpers, and ends with `section_main sec_NAME`: run
# alone, it brings the stack up, starts its own vmtui, and ends with
# "N passed, N failed" (exit status 1 if a check failed).
#
# Other engineers' guests may share the daemon: the list is filtered to
# ours (typed with /) where rows are compared.
#
# Env: T_PREFIX (guest names, default vmtuitest-), KEEP_GUESTS=1 (leave the
# guests defined at the end; run.sh sets it for each section and removes
# them once, when all have run), BUILD (default build/).
set -uo pipefail

SEC_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$SEC_LIB_DIR/../lib.sh"
# shellcheck source=screenlib.sh
. "$SEC_LIB_DIR/screenlib.sh"

T0=$SECONDS
DAEMON_KILLED=0

# At exit: the tmux servers gone, the daemon restarted if the section
# killed it, the section's own clean-up (sec_cleanup, if it defines one and
# the stack came up), our guests removed (unless KEEP_GUESTS), the scratch folder removed.
cleanup() {
	vt_stop_all
	if ((DAEMON_KILLED)); then
		say "cleanup: restarting the libvirt daemon"
		"$RS/daemon.sh" restart >&2 || true
	fi
	if [ -n "${T_URI:-}" ] && declare -F sec_cleanup >/dev/null; then sec_cleanup; fi
	stack_down
	rm -rf "$SCR_TMP"
}

# section_main FUNC...: the stack up, then each section function, then the
# tail of vmtui's log and "N passed, N failed".
section_main() {
	local s
	trap cleanup EXIT
	trap 'exit 130' INT TERM HUP
	scr_need screen tmux perl virsh
	if ! stack_up; then
		not_ok "stack_up (fixture, daemon, guests)"
		summary
		exit 1
	fi
	for s in "$@"; do
		"$s"
		vt_stop
	done
	if [ -s "$SCR_TMP/state/vmtui/vmtui.log" ]; then
		say "vmtui's stderr log (last lines):"
		tail -n 20 "$SCR_TMP/state/vmtui/vmtui.log" | sed 's/^/    /' >&2
	fi
	say "${0##*/} took $((SECONDS - T0)) s"
	summary
}

# ---------------------------------------------------------------- helpers

domstate() { vsh domstate "$1" 2>/dev/null | head -n1; }

# Poll until `virsh domstate NAME` says STATE.
wait_domstate() {
	local name=$1 want=$2 secs=${3:-10} deadline=$((SECONDS + ${3:-10})) s
	while :; do
		s=$(domstate "$name")
		[ "$s" = "$want" ] && return 0
		if ((SECONDS >= deadline)); then
			say "    virsh domstate $name: '$s' after ${secs}s, want '$want'"
			return 1
		fi
		sleep 0.2
	done
}

# Put the guests back as stack_up left them: busy and idle running, off off.
fix_states() {
	local g s
	for g in "$T_BUSY" "$T_IDLE"; do
		s=$(domstate "$g")
		case $s in
		running) ;;
		paused) vsh resume "$g" >/dev/null 2>&1 ;;
		*) "$RS/guest.sh" start "$g" --wait 90 >&2 ;;
		esac
	done
	[ "$(domstate "$T_OFF")" = "shut off" ] || vsh destroy "$T_OFF" >/dev/null 2>&1
	autostart_is "$T_OFF" disable || vsh autostart --disable "$T_OFF" >/dev/null 2>&1
	wait_domstate "$T_BUSY" running 30 && wait_domstate "$T_IDLE" running 30 &&
		wait_domstate "$T_OFF" "shut off" 30
}

# The header's host line says the connection is up (another engineer may
# restart the daemon at any time: give vmtui time to reconnect).
wait_connected() { wait_for "${1:-60}" "host line connected" vt_connected; }

# Start vmtui and wait for its first full frame with our guests in it; if
# that fails, count it as a failure (the section is then skipped).
start_vmtui() {
	local cols=$1 rows=$2
	shift 2
	if vt_vmtui "$cols" "$rows" "$@" && wait_connected 60 &&
		wait_for 15 "rows of our guests" our_rows_shown; then
		return 0
	fi
	not_ok "vmtui $* at ${cols}x$rows: shows the connected host and our guests"
	return 1
}
our_rows_shown() { has_row "$T_BUSY" && has_row "$T_IDLE" && has_row "$T_OFF"; }

# Filter the list to our three guests (other engineers' guests may share
# the daemon), typed as a person would.
filter_ours() {
	vt_keys /
	wait_screen '^Filter:' 5 || return 1
	vt_type "$T_PREFIX"
	vt_keys Enter
	wait_screen "filter: $(re "$T_PREFIX")" 5 && wait_for 5 "only our guests" only_ours
}
only_ours() {
	local n
	n=$(row_names | wc -l)
	if [ "$n" -ne 3 ] || ! our_rows_shown; then WHY="$n rows"; return 1; fi
}

# The rows, by name as shown, are exactly these in this order.
rows_are() {
	local want="" n got
	for n in "$@"; do want+=$(shown "$n")$'\n'; done
	got=$(row_names)$'\n'
	[ "$got" = "$want" ] || { WHY="rows: ${got//$'\n'/ }"; return 1; }
}

# Title line of the detail view of the selected guest (Enter, read, Esc).
detail_name() {
	vt_keys Enter
	wait_for 5 "detail view" _matches '^CPU [0-9.-]' >/dev/null 2>&1 || { echo "?"; return; }
	vt_grab
	sed -n 3p <<<"$SCREEN" | awk '{ print $1 }'
	vt_esc
	wait_for 5 "list view" _matches '^NAME +STATE' >/dev/null 2>&1
}

selected_is() {
	local s
	s=$(selected_name)
	[ "$s" = "$(shown "$1")" ] || { WHY="selected: '${s:-none}', want $(shown "$1")"; return 1; }
}

# key KEY... then the selection is on NAME (by colour, polled).
nav_to() {
	local name=$1
	shift
	vt_keys "$@"
	wait_for 3 "selection on $name after $*" selected_is "$name"
}

status_says() { wait_screen "$1" "${2:-10}"; }
# The busy guest's row has a CPU% figure.
busy_has_cpu() { [[ $(row "$T_BUSY" cpu) =~ ^[0-9] ]]; }
# The list is shown again (not the detail view), with the busy guest.
back_in_list() { _matches '^NAME +STATE' && _no_match '^CPU [0-9.]+%' && has_row "$T_BUSY"; }

# key_latency KEY PATTERN: milliseconds from send-keys to PATTERN on screen
# (99999 if not within 3 s).
key_latency() {
	local t0 t found
	t0=$(now_us)
	vt_keys "$1"
	while :; do
		found=0
		tm capture-pane -p -t scr 2>/dev/null | grep -Eq -- "$2" && found=1
		t=$(now_us)
		if ((found)); then
			echo $(((t - t0) / 1000))
			return
		fi
		((t - t0 > 3000000)) && { echo 99999; return; }
		sleep 0.02
	done
}
# autostart_is NAME enable|disable: what virsh dominfo says.
autostart_is() { [ "$(vsh dominfo "$1" | awk '/^Autostart:/ { print $2 }')" = "$2" ]; }
# both CMD1... -- CMD2...: run both (even if the first fails); true if both are.
both() {
	local a=() r=0
	while (($#)) && [ "$1" != -- ]; do a+=("$1"); shift; done
	shift
	"${a[@]}" || r=1
	"$@" || r=1
	return $r
}
