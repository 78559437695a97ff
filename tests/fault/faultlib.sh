# shellcheck shell=bash
# faultlib.sh — what the sections of the fault suite (tests/fault/sec/*.sh)
# share: vmtui under faults against the real stack, each case checking that
# vmtui survives (or exits cleanly) AND that the terminal is as it was
# (stty -g identical, cursor on, alternate screen, keypad and mouse off).
# A section file sources it, defines f_NAME and its own helpers, and ends
# with `fault_main [--private-daemon] f_NAME`: run alone, it brings up the
# daemon and our guests (and the private daemon), runs its checks, looks
# for sanitizer reports in vmtui's stderr logs, and ends with "N passed,
# N failed". SSH connections dropped mid-way: tests/ssh/run.sh.
#
# Our guests: $G_IDLE and $G_KILL running, $G_OFF shut off, on the shared
# daemon. The shared system daemon is never stopped: the sections that kill
# a daemon (--private-daemon) use the session daemon of user $FAULT_USER
# (default vmtuifault, created when missing; needs root and runuser), which
# no one else uses. Without root they are skipped unless
# VMTUI_FAULT_DAEMON=1, which then kills the daemon of
# tests/realstack/daemon.sh (only when nobody else uses it).
#
# Guests, volumes and pools are named vmtuifault-* and removed at the end.
# Env: BUILD (default build/), KEEP_GUESTS=1 (leave them; run.sh sets it for
# each section and removes them once, at its end), FAULT_LOG_DIR (set by
# run.sh: vmtui's logs are copied there and run.sh looks for sanitizer
# reports in all of them at once).
# With an ASan build (BUILD=build-asan) set ASAN_OPTIONS=detect_leaks=0:
# libvirt keeps 8 bytes of an open console stream at a quit on a signal.
set -uo pipefail

FAULT_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T_PREFIX=vmtuifault-
# shellcheck source=../lib.sh
. "$FAULT_LIB_DIR/../lib.sh"
# shellcheck source=../screen/screenlib.sh
. "$TOP/tests/screen/screenlib.sh"

T0=$SECONDS
G_IDLE=${T_PREFIX}idle   # running, idle: console, dialogs
G_KILL=${T_PREFIX}kill   # running: killed from outside, started again
G_OFF=${T_PREFIX}off     # shut off
FAULT_USER=${FAULT_USER:-vmtuifault}
P_GUEST=${T_PREFIX}pd1   # the private daemon's guest
P_POOL=${T_PREFIX}pool
P_POOL_DIR=/var/tmp/${T_PREFIX}pool
P_GUESTS=/var/tmp/${T_PREFIX}guests
FIX=${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}
PRIV=0                   # 1: the private daemon is up
BG_PID=""

# At exit: the background resizer and the tmux servers gone; unless
# KEEP_GUESTS, our guests and the private daemon's things removed; the
# scratch folder removed.
cleanup() {
	[ -n "$BG_PID" ] && kill "$BG_PID" 2>/dev/null
	vt_stop_all
	[ -n "${KEEP_GUESTS:-}" ] || fault_teardown
	rm -rf "$SCR_TMP"
}
# Every guest of ours (the prefix's, so a section's own guest too)
# undefined and, if the private daemon was used, its guest,
# volumes and pool removed.
fault_teardown() {
	"$RS/guest.sh" cleanup "$T_PREFIX" >/dev/null 2>&1
	((PRIV)) && priv_cleanup
}

vsh() { virsh -q -c "$T_URI" "$@"; }
domstate() { vsh domstate "$1" 2>/dev/null | head -n1; }
wait_domstate() {
	local deadline=$((SECONDS + ${3:-10}))
	until [ "$(domstate "$1")" = "$2" ]; do
		((SECONDS < deadline)) || { say "    virsh domstate $1: '$(domstate "$1")', want '$2'"; return 1; }
		sleep 0.2
	done
}
qemu_pid() { cat "/run/libvirt/qemu/$1.pid" 2>/dev/null; }

fault_stack_up() {
	"$RS/build-guest.sh" >&2 && "$RS/daemon.sh" start >&2 || return 1
	T_URI=$("$RS/daemon.sh" uri)
	export T_URI
	local g
	for g in "$G_IDLE" "$G_KILL" "$G_OFF"; do
		vsh dominfo "$g" >/dev/null 2>&1 || "$RS/guest.sh" define "$g" --net none >&2 || return 1
	done
	vsh destroy "$G_OFF" >/dev/null 2>&1
	guests_up
}
guests_up() {
	local g
	for g in "$G_IDLE" "$G_KILL"; do
		[ "$(domstate "$g")" = running ] || "$RS/guest.sh" start "$g" --wait 90 >&2 || return 1
	done
}

# ---------------------------------------------------------------- helpers

connected() { _matches "$(re "$T_URI") .*VMs" && _no_match 'DISCONNECTED|connecting'; }
rows_ours() { has_row "$G_IDLE" && has_row "$G_KILL" && has_row "$G_OFF"; }
# Type a filter as a person would: only our guests, or one of them.
filter_to() {
	vt_keys /
	wait_screen '^Filter:' 5 >/dev/null || return 1
	vt_type "$1"
	vt_keys Enter
	wait_screen "filter: $(re "$1")" 5 >/dev/null
}
selected_is() {
	local s
	s=$(selected_name)
	[ "$s" = "$(shown "$1")" ] || { WHY="selected '${s:-none}', want $1"; return 1; }
}
# The row of guest $1 selected by Home and then Down, whatever else the
# filter lets through (a guest left by another suite sorts anywhere).
select_guest() {
	local i
	vt_keys Home
	for ((i = 0; i < 20; i++)); do
		wait_for 1 "$1 selected" selected_is "$1" >/dev/null 2>&1 && return 0
		vt_keys Down
	done
	WHY="$1 never selected (at '$(selected_name)')"
	return 1
}
# vmtui in a pane, our guests listed, filtered to $1 (default: all ours).
fault_vmtui() {
	local cols=$1 rows=$2 filter=$3
	shift 3
	vt_vmtui "$cols" "$rows" "$@" && wait_for 60 "connected" connected >/dev/null &&
		wait_for 15 "our rows" rows_ours >/dev/null && filter_to "$filter" || {
		not_ok "vmtui $* at ${cols}x$rows: shows the connected host and our guests"
		return 1
	}
}
key_latency() { # KEY PATTERN: ms from the key to PATTERN (99999: not in 3 s)
	local t0 t
	t0=$(now_us)
	vt_keys "$1"
	while :; do
		tm capture-pane -p -t scr 2>/dev/null | grep -Eq -- "$2" && { echo $((($(now_us) - t0) / 1000)); return; }
		t=$(now_us)
		((t - t0 > 3000000)) && { echo 99999; return; }
		sleep 0.02
	done
}
term_modes() { vt_fmt '#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{keypad_flag} #{mouse_any_flag} #{mouse_button_flag} #{mouse_standard_flag} #{mouse_all_flag}'; }
modes_normal() {
	local f
	f=$(term_modes)
	[ "$f" = "0 1 0 0 0 0 0 0" ] || { say "    alternate cursor keypad_cursor keypad mouse(4) = $f (want 0 1 0 0 0 0 0 0)"; return 1; }
}
# A random sleep of 0 to $1 seconds.
rsleep() { sleep "$(awk -v m="$1" -v r="$RANDOM" 'BEGIN { printf "%.3f", m * r / 32767 }')"; }

# ---- a shell in the pane (stty before and after, exit status) ----

shell_pane() {
	vt_start "${1:-120}" "${2:-30}" env PS1='$ ' LANG=C.UTF-8 TERM=screen bash --norc --noprofile -i &&
		wait_screen '^\$' 10 >/dev/null
}
# shell_run TAG CMD: run CMD, then print RC-TAG=status and save stty -g.
shell_run() {
	vt_type "$2; echo \"RC-$1=\$?\"; stty -g > $SCR_TMP/stty-$1; echo MARK-AFTER-$1"
	vt_keys Enter
}
shell_rc() { tm capture-pane -p -J -t scr -S -200 2>/dev/null | grep -o "^RC-$1=[0-9]*" | tail -n1 | cut -d= -f2; }
wait_mark() {
	local deadline=$((SECONDS + ${2:-10}))
	until tm capture-pane -p -J -t scr -S -200 2>/dev/null | grep -q "^MARK-AFTER-$1"; do
		((SECONDS < deadline)) || return 1
		sleep 0.1
	done
}
vmtui_pid() { pgrep -P "$(vt_pid)" -x vmtui; }
vmtui_cmd() {
	echo "env -u NO_COLOR XDG_CONFIG_HOME=$SCR_TMP/xdg XDG_STATE_HOME=$SCR_TMP/state $BUILD/vmtui -c $T_URI $*"
}
# The pane's program ended with status 0. tmux now and then leaves it a
# zombie without reading its status (seen after 10 kB lines and with
# LeakSanitizer): the kernel has it in /proc/PID/stat then.
exited_0() {
	local st pid
	vt_alive && { WHY="still running"; return 1; }
	st=$(vt_fmt '#{pane_dead_status}')
	if [ -z "$st" ] && pid=$(vt_pid) && [ -r "/proc/$pid/stat" ]; then
		st=$(($(awk '{ print $NF }' "/proc/$pid/stat") >> 8))
	fi
	[ "$st" = 0 ] || { WHY="exit status '$st'"; return 1; }
}
# Keys are answered: ? shows the help within 5 s.
keys_answered() { vt_keys '?'; wait_screen '^KEY +COMMAND' 5; }

# ---------------------------------------------------------------- the private daemon

# Commands as the throwaway user, on its session daemon.
P_RUN=""
as_user() {
	if [ -n "$P_RUN" ]; then
		runuser -u "$FAULT_USER" -- env XDG_RUNTIME_DIR="$P_RUN" HOME="$P_HOME" \
			VMTUI_URI=qemu:///session VMTUI_GUESTS_DIR="$P_GUESTS" "$@"
	else
		"$@"
	fi
}
pvsh() { as_user virsh -q -c "$P_URI" "$@"; }
p_daemon_pid() {
	local p
	p=$(cat "$P_RUN/libvirt/libvirtd.pid" 2>/dev/null)
	[ -n "$p" ] && [ "$(cat "/proc/$p/comm" 2>/dev/null)" = libvirtd ] && echo "$p"
}
# The private daemon's user, folders and URI (PRIV=1); status 2 when there
# can be none (not root, and no VMTUI_FAULT_DAEMON=1).
priv_env() {
	if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
		id "$FAULT_USER" >/dev/null 2>&1 || useradd -m -s /bin/bash "$FAULT_USER" || return 1
		P_HOME=$(getent passwd "$FAULT_USER" | cut -d: -f6)
		P_RUN=/run/user/$(id -u "$FAULT_USER")
		mkdir -p "$P_RUN" "$P_GUESTS" "$P_POOL_DIR" && chown "$FAULT_USER:" "$P_RUN" "$P_GUESTS" "$P_POOL_DIR" &&
			chmod 0700 "$P_RUN" && chmod 0755 "$P_GUESTS" "$P_POOL_DIR" || return 1
		P_URI=qemu:///session
		PRIV=1
	elif [ "${VMTUI_FAULT_DAEMON:-}" = 1 ]; then
		P_URI=$T_URI
		P_GUESTS=${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}/guests
		PRIV=1
	else
		return 2
	fi
}
# The private daemon up, with its guest running and its pool.
priv_up() {
	priv_env || return
	p_start || return 1
	# A guest left defined by an earlier run whose folder is gone (its
	# teardown removed the folder but not the domain) cannot start: it
	# is defined again.
	if pvsh dominfo "$P_GUEST" >/dev/null 2>&1 && [ ! -f "$P_GUESTS/$P_GUEST/disk.qcow2" ]; then
		say "private daemon: $P_GUEST was left without its folder; defining it again"
		p_remove "$P_GUEST"
	fi
	pvsh dominfo "$P_GUEST" >/dev/null 2>&1 || as_user "$RS/guest.sh" define "$P_GUEST" --net user >&2 || return 1
	[ "$(pvsh domstate "$P_GUEST" 2>/dev/null | head -n1)" = running ] ||
		as_user "$RS/guest.sh" start "$P_GUEST" --wait 90 >&2 || return 1
	if ! pvsh pool-info "$P_POOL" >/dev/null 2>&1; then
		pvsh pool-define-as "$P_POOL" dir --target "$P_POOL_DIR" >/dev/null || return 1
	fi
	[ "$(pvsh pool-info "$P_POOL" | awk '/^State:/ { print $2 }')" = running ] ||
		pvsh pool-start "$P_POOL" >/dev/null
}
p_start() {
	if [ -n "$P_RUN" ]; then
		as_user timeout 60 virsh -c "$P_URI" version >/dev/null 2>&1 # spawns the session daemon
	else
		"$RS/daemon.sh" restart >&2
	fi
}
p_kill() {
	if [ -n "$P_RUN" ]; then
		local p
		p=$(p_daemon_pid) || return 1
		kill -KILL "$p"
		while kill -0 "$p" 2>/dev/null; do sleep 0.05; done
	else
		"$RS/daemon.sh" kill >&2
	fi
}
# Domains and volumes of the private daemon whose names start with $1.
p_remove() {
	local g vol
	for g in $(pvsh list --all --name 2>/dev/null | grep "^$1"); do
		pvsh destroy "$g" >/dev/null 2>&1
		pvsh undefine "$g" >/dev/null 2>&1
	done
	for vol in $(pvsh vol-list "$P_POOL" 2>/dev/null | awk '{ print $1 }' | grep "^$1"); do
		pvsh vol-delete --pool "$P_POOL" "$vol" >/dev/null 2>&1
	done
}
priv_cleanup() {
	p_start
	p_remove "$T_PREFIX"
	pvsh pool-destroy "$P_POOL" >/dev/null 2>&1
	pvsh pool-undefine "$P_POOL" >/dev/null 2>&1
	# The folders only once no domain of ours uses them.
	if [ -n "$P_RUN" ] && ! pvsh list --all --name 2>/dev/null | grep -q "^$T_PREFIX"; then
		rm -rf "$P_GUESTS" "$P_POOL_DIR"
	fi
}
# COLS ROWS ARGS...: vmtui as the user, on its daemon; LIBVIRT_AUTOSTART=0:
# vmtui's reconnects must not spawn the session daemon again (p_start does).
p_vmtui() {
	local cols=$1 rows=$2
	shift 2
	mkdir -p "$SCR_TMP/pstate"
	[ -n "$P_RUN" ] && chown "$FAULT_USER:" "$SCR_TMP/pstate" && chmod 0755 "$SCR_TMP"
	if [ -n "$P_RUN" ]; then
		vt_start "$cols" "$rows" runuser -u "$FAULT_USER" -- env LANG=C.UTF-8 XDG_RUNTIME_DIR="$P_RUN" LIBVIRT_AUTOSTART=0 \
			HOME="$P_HOME" XDG_CONFIG_HOME="$SCR_TMP/pstate" XDG_STATE_HOME="$SCR_TMP/pstate" \
			"$BUILD/vmtui" -c "$P_URI" "$@"
	else
		vt_start "$cols" "$rows" env LANG=C.UTF-8 XDG_CONFIG_HOME="$SCR_TMP/pstate" \
			XDG_STATE_HOME="$SCR_TMP/pstate" "$BUILD/vmtui" -c "$P_URI" "$@"
	fi
}
p_connected() { _matches "$(re "$P_URI") .*VMs" && _no_match 'DISCONNECTED|connecting'; }
p_row_running() { row_is "$P_GUEST" running; }
p_back() { p_connected && p_row_running; }

# ---------------------------------------------------------------- main

# no_sanitizer_report FILE...: no ASan/UBSan report in vmtui's stderr logs
# (a sanitizer build reports on stderr, which goes to the log while the
# screen is vmtui's); a missing log has none.
no_sanitizer_report() { ! grep -qsE 'Sanitizer|runtime error:' "$@"; }

# fault_main [--private-daemon] FUNC...: the tools and vmtui, the daemon and
# our guests (and the private daemon), then each section function, the tail
# of vmtui's logs, the sanitizer check and "N passed, N failed".
fault_main() {
	local priv=0 s f tool logs
	[ "${1:-}" = --private-daemon ] && { priv=1; shift; }
	trap cleanup EXIT
	trap 'exit 130' INT TERM HUP
	for tool in tmux perl virsh pgrep; do
		command -v "$tool" >/dev/null || { say "fault tests need $tool"; echo "0 passed, 1 failed"; exit 1; }
	done
	if [ ! -x "$BUILD/vmtui" ]; then
		"$TOP/scripts/build" >&2 || { echo "0 passed, 1 failed"; exit 1; }
	fi
	if ! fault_stack_up; then
		not_ok "fault_stack_up (fixture, daemon, our guests)"
		summary
		exit 1
	fi
	if ((priv)); then
		priv_up
		case $? in
		0) say "private daemon: $P_URI as $FAULT_USER${P_RUN:+ (XDG_RUNTIME_DIR=$P_RUN)}" ;;
		2) PRIV=0 ;;
		*) not_ok "the private daemon ($P_URI as $FAULT_USER) with its guest and pool"; PRIV=0 ;;
		esac
	fi
	for s in "$@"; do
		"$s"
		vt_stop_all
	done
	logs=("$SCR_TMP/state/vmtui/vmtui.log" "$SCR_TMP/pstate/vmtui/vmtui.log")
	for f in "${logs[@]}"; do
		if [ -s "$f" ]; then
			say "vmtui's stderr log $f (last lines):"
			tail -n 10 "$f" | sed 's/^/    /' >&2
		fi
	done
	if [ -n "${FAULT_LOG_DIR:-}" ]; then
		cat "${logs[@]}" >"$FAULT_LOG_DIR/${0##*/}.log" 2>/dev/null
	else
		check "no sanitizer report in vmtui's stderr logs" no_sanitizer_report "${logs[@]}"
	fi
	say "${0##*/} took $((SECONDS - T0)) s"
	summary
}
