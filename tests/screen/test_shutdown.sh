#!/usr/bin/env bash
# tests/screen/test_shutdown.sh — H (shutdown) and R (reboot) through tmux
# against the real daemon, with a guest of our own (prefix vmtuishut-s-).
# The test guests ignore ACPI, as a guest OS without a power-button
# handler does: libvirt accepts the request and nothing happens. With
# shutdown_wait: 3s in config.yaml:
#   - H says "shutdown requested" (never "done"), then, the guest still
#     running, "still runs 3.0 s after the shutdown request (its OS may
#     ignore ACPI): F forces it off"; F then forces it off, and the request
#     is followed no more;
#   - a guest stopped within the wait (virsh destroy from outside) is told
#     as "shut off (after N s)", with no warning after it;
#   - R says "reboot requested", then that it has not rebooted; a reset
#     (libvirt's reboot event) then says "rebooted (after N s)";
#   - the action log lists the request with its virsh command, and the
#     warning;
#   - with force-off bound to J in config.yaml the warning names J.
# Env: KEEP_GUESTS=1, BUILD (default build/). Ends with "N passed, N failed".
set -uo pipefail

: "${T_PREFIX:=vmtuishut-s-}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

T0=$SECONDS
P=$T_PREFIX
G=${P}g
CFG=$SCR_TMP/xdg/vmtui/config.yaml

v() { virsh -q -c "$T_URI" "$@"; }
domstate() { v domstate "$1" 2>/dev/null | head -n1; }
remove_ours() { remove_guests "$P" "${P}none"; }

cleanup() {
	vt_stop_all
	remove_ours
	rm -rf "$SCR_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# The status line (the footer's first line, 29 of 30).
state_is() { [ "$(domstate "$1")" = "$2" ] || { say "    virsh domstate $1: '$(domstate "$1")', want '$2'"; false; }; }

# The guest running (and booted: its OS is up to ignore ACPI), shown so.
g_running() {
	[ "$(domstate "$G")" = running ] || "$RS/guest.sh" start "$G" --wait 90 >&2 || return 1
	wait_for 15 "$G running" row_is "$G" running
}

# vmtui on 170x30, filtered to our guest, which is selected.
open() {
	vt_vmtui 170 30 -d 1 && wait_for 30 "connected" vt_connected || return 1
	vt_keys /
	wait_screen '^Filter:' 5 >/dev/null || return 1
	vt_type "$P"
	vt_keys Enter
	wait_for 15 "row $G" has_row "$G" || return 1
	vt_keys Home
	wait_for 5 "$G selected" is_selected "$G"
}

# log_line KIND TEXT [NEXT]: the action log has a KIND line with TEXT (and
# NEXT on the line under it).
log_line() {
	awk -v k="$1" -v t="$2" -v n="${3-}" '
		found && index($0, n) { ok = 1; exit }
		found = 0
		$0 ~ "^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]  " k " " && index($0, t) {
			if (n == "") { ok = 1; exit }
			found = 1
		}
		END { exit !ok }' <<<"$SCREEN" || { WHY="no $1 line '$2'${3:+ with '$3' under it}"; false; }
}
# log_count TEXT: how many lines of the action log have TEXT.
log_count() { grep -cF -- "$1" <<<"$SCREEN"; }

scr_need shutdown tmux perl virsh
if ! stack_base_up; then
	not_ok "the daemon and fixture"
	summary
	exit 1
fi
KEEP_GUESTS='' remove_ours
"$RS/guest.sh" define "$G" >&2 && "$RS/guest.sh" start "$G" --wait 90 >&2 ||
	{ not_ok "define and start $G"; summary; exit 1; }
mkdir -p "$(dirname "$CFG")"
printf 'shutdown_wait: 3s\n' >"$CFG"

say "# shutdown ignored, then forced off"
open || { not_ok "vmtui shows $G"; summary; exit 1; }
g_running >/dev/null
vt_keys H
check "H: the status line says the shutdown was requested, not done" \
	wait_status "^$(re "$G"): shutdown requested *\$" 5
check "the guest ignores it: still running 3 s on, the status line says so and names F" \
	wait_status "^$(re "$G") still runs [0-9.]+ s after the shutdown request \\(its OS may ignore ACPI\\): F forces it off *\$" 10
check "...and it does still run (virsh)" state_is "$G" running
_no_match 'shutdown: done' || not_ok "no 'shutdown: done' anywhere"
vt_keys F
wait_screen "Force off $(re "$G")\\?" 5 >/dev/null
vt_keys y
check "F, y: forced off (status)" wait_status "^$(re "$G"): force off: done" 10
check "F, y: forced off (row)" wait_for 10 "shut off" row_is "$G" "shut off"

say "# a guest stopped within the wait"
g_running >/dev/null || not_ok "$G running again"
vt_keys H
wait_status "^$(re "$G"): shutdown requested" 5 >/dev/null
v destroy "$G" >/dev/null
check "stopped within the wait (virsh destroy): 'shut off (after N s)'" \
	wait_status "^$(re "$G") shut off \\(after [0-9.]+ s\\) *\$" 5
sleep 4
vt_grab
check "no warning after it" _no_match 'still runs'

say "# reboot ignored, then a reset"
g_running >/dev/null || not_ok "$G running again"
vt_keys R
check "R: the status line says the reboot was requested" \
	wait_status "^$(re "$G"): reboot requested *\$" 5
check "nothing happened in 3 s: it says so, the request was only passed on; F then S" \
	wait_status "^$(re "$G") has not rebooted [0-9.]+ s after the reboot request, which was only passed on \\(its OS may ignore ACPI\\): F forces it off, then S starts it *\$" 10
v reset "$G" >/dev/null
check "a reset (libvirt's reboot event): 'rebooted (after N s)'" \
	wait_status "^$(re "$G") rebooted \\(after [0-9.]+ s\\) *\$" 5

say "# the action log"
vt_keys L
wait_screen '^ACTION LOG' 5 >/dev/null
check "the shutdown request with its virsh command" \
	wait_for 5 "request line" log_line action "$G: shutdown requested" "\$ virsh -c $T_URI shutdown $G"
check "the reboot request with its virsh command" \
	log_line action "$G: reboot requested" "\$ virsh -c $T_URI reboot $G"
check "the warning" log_line error "$G still runs "
check "the stop within the wait" log_line info "$G shut off (after "
check "the reboot" log_line info "$G rebooted (after "
check "one warning per ignored shutdown (one, not repeated; none for the forced off)" \
	eq "$(log_count "still runs")" 1
check "no 'shut off (after' for the guest forced off after the warning (followed no more)" \
	eq "$(log_count "shut off (after")" 1
vt_esc
vt_stop
v destroy "$G" >/dev/null 2>&1

say "# the key named is the one bound"
printf 'shutdown_wait: 3s\nkeys:\n  force-off: J\n' >"$CFG"
open || not_ok "vmtui with force-off on J"
g_running >/dev/null
vt_keys H
check "force-off bound to J: the warning names J" \
	wait_status "^$(re "$G") still runs [0-9.]+ s after the shutdown request \\(its OS may ignore ACPI\\): J forces it off *\$" 10
vt_stop
v destroy "$G" >/dev/null 2>&1

vt_stop_all
say "shutdown tests took $((SECONDS - T0)) s"
summary
