#!/usr/bin/env bash
# tests/screen/test_rules.sh — one behaviour for the same key in every
# view (HACKING.md, "Rules every view keeps"), driven through tmux:
#   - Esc goes back to the view below, and in the list clears a filter;
#   - the key that opened a view closes it again;
#   - views stack: what was opened from the detail view goes back to it;
#   - the footer offers no key the mode refuses (read-only), and no global
#     key in a form, where printable keys are typed;
#   - Enter submits a form from any field;
#   - a form taller than the screen scrolls to the field typed in;
#   - the same in the storage views (p in the host view) and their forms.
#
# It runs vmtui on test:///default, libvirt's in-process test driver with
# one running guest "test": the rules are the loop's and the dispatcher's,
# the same whatever the driver (the real-guest suites open the same views
# on a real daemon). The shared daemon is not touched.
#
# Env: BUILD (default build/). Ends with "N passed, N failed"; exit status
# 1 if any check failed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

T0=$SECONDS
T_URI=test:///default

scr_traps
scr_need "rules" tmux

LIST='^NAME +STATE'
# What each view shows first, by the key that opens it from the list.
declare -A SHOWS=(
	[Enter]='^test +running +on '
	['?']='^KEY +COMMAND +WHERE'
	[L]='^ACTION LOG'
	[h]='CPU|Memory'
	[T]='^Snapshots of test'
	[Z]='^Resize test'
	[Y]='^Clone test'
	[D]='^Delete test'
	[N]='^New VM'
)

# start COLS ROWS [ARGS]: vmtui on the test driver, the guest selected.
start() {
	local cols=$1 rows=$2
	shift 2
	vt_vmtui "$cols" "$rows" "$@" && wait_screen '^test +running' 15 >/dev/null
}

# opens KEY: KEY in the list shows its view.
opens() {
	vt_keys "$1"
	wait_screen "${SHOWS[$1]}" 5 >/dev/null || { WHY="$1 did not open its view"; return 1; }
}
# back_to PATTERN: Esc shows PATTERN again.
back_to() {
	vt_esc
	wait_screen "$1" 5 >/dev/null || { WHY="Esc did not go back"; return 1; }
}
footer() { sed -n "$(($(wc -l <<<"$SCREEN")))p" <<<"$SCREEN"; }
footer_has() { vt_grab; footer | grep -qE -- "$1" || { WHY="footer: $(footer)"; false; }; }
footer_lacks() { vt_grab; ! footer | grep -qE -- "$1" || { WHY="footer: $(footer)"; false; }; }

# ---------------------------------------------------------------- Esc

start 120 30 -d 1
for k in Enter '?' L h T Z Y D N; do
	check "Esc: $k's view goes back to the list" eval "opens '$k' && back_to '$LIST'"
done

# ---------------------------------------------------------------- toggles

for k in '?' L h T; do
	check "toggle: $k opens its view and $k again goes back" \
		eval "opens '$k' && vt_keys '$k' && wait_screen '$LIST' 5 >/dev/null"
done

# ---------------------------------------------------------------- the stack

vt_keys Enter
wait_screen "${SHOWS[Enter]}" 5 >/dev/null
for k in '?' L T; do
	check "stack: $k from the detail view goes back to the detail view" \
		eval "opens '$k' && back_to '${SHOWS[Enter]}'"
done
check "stack: ? over L over the detail view unwinds one at a time" \
	eval "opens L && opens '?' && back_to '^ACTION LOG' && back_to '${SHOWS[Enter]}' && back_to '$LIST'"

# ---------------------------------------------------------------- filter

vt_keys /
vt_type zzz
vt_keys Enter
check "filter: a filter that matches nothing" wait_screen 'No guest matches the filter' 5
vt_esc
check "filter: Esc in the list clears it" wait_screen '^test +running' 5
check "filter: ... and says so" wait_screen '^Filter cleared\.' 5

# ---------------------------------------------------------------- forms

vt_keys N
wait_screen '^New VM' 5 >/dev/null
check "forms: the footer has no global key (they type here)" footer_lacks 'Help|Quit'
check "forms: ... and still offers Esc" footer_has 'EscBack'
vt_keys Enter
check "forms: Enter submits from the first field (the empty name is refused)" \
	wait_screen '^Name: give the new VM a name\.' 5
vt_type q
check "forms: q types (no quit)" wait_screen '^Name +q' 5
vt_esc
wait_screen "$LIST" 5 >/dev/null
vt_stop

# ---------------------------------------------------------------- small screens

start 40 12 -d 1
vt_keys N
wait_screen '^New VM' 5 >/dev/null
vt_keys Up
check "40x12: the new-VM form scrolls to its last field" wait_screen '^Start it +yes' 5
vt_keys Down
check "40x12: ... and back to its first" wait_screen '^Name' 5
vt_esc
wait_screen "$LIST" 5 >/dev/null
vt_keys D
check "40x12: the delete dialog shows the name to type" wait_screen '^Type test to confirm:' 5
vt_esc
vt_stop

# ---------------------------------------------------------------- storage views

start 140 30 -d 1
vt_keys h
wait_screen 'Host CPU' 5 >/dev/null
check "storage: p in the host view opens the pools" eval "vt_keys p && wait_screen '^Storage pools of ' 5 >/dev/null"
check "storage: p again goes back to the host view" eval "vt_keys p && wait_screen 'Host CPU' 5 >/dev/null"
vt_keys p
wait_screen '^default-pool ' 5 >/dev/null
check "storage: Enter opens the volumes, Esc goes back to the pools" \
	eval "vt_keys Enter && wait_screen '^Volumes of pool default-pool' 5 >/dev/null && back_to '^Storage pools of '"
check "storage: Esc from the pools goes back to the host view" back_to 'Host CPU'
vt_keys p
wait_screen '^default-pool ' 5 >/dev/null
vt_keys c
wait_screen '^New storage pool on ' 5 >/dev/null
check "storage forms: no global key in the footer" footer_lacks 'Help|Quit'
check "storage forms: Esc goes back to the pools" back_to '^Storage pools of '
vt_keys c
wait_screen '^New storage pool on ' 5 >/dev/null
vt_keys Tab Tab Tab
vt_keys Enter
check "storage forms: Enter submits from any field (the empty name is refused)" \
	wait_screen '^Name: give the new pool a name\.' 5
vt_esc
vt_keys Enter
wait_screen '^Volumes of pool default-pool' 5 >/dev/null
vt_keys c
wait_screen '^New volume in pool ' 5 >/dev/null
vt_type q
check "storage forms: q types (no quit)" wait_screen '^Name +q' 5
vt_esc
# The test driver has no streams: the upload fails at once, shown in its view.
printf 'x' >"$SCR_TMP/up.raw"
vt_keys u
wait_screen '^Upload file:' 5 >/dev/null
vt_type "$SCR_TMP/up.raw"
vt_keys Enter
wait_screen "^New volume's name:" 5 >/dev/null
vt_keys Enter
wait_screen '^Failed\. Esc goes back\.' 10 >/dev/null
check "transfer view: no global key but help and quit in its footer" footer_lacks 'Create|Grow|Upload'
check "transfer view: Esc after the end goes back to the volumes" back_to '^Volumes of pool default-pool'
vt_stop

start 40 12 -d 1
vt_keys h
wait_screen '^POOL ' 5 >/dev/null
vt_keys p
wait_screen '^Storage pools' 5 >/dev/null
vt_keys c
wait_screen '^Name' 5 >/dev/null
vt_keys Up
check "40x12: the pool form scrolls to its last field" wait_screen '^Autostart +< yes >' 5
vt_keys Down
check "40x12: ... and back to its first" wait_screen '^Name' 5
vt_stop

start 160 20 -d 1 -r
vt_keys h
wait_screen 'Host CPU' 5 >/dev/null
vt_keys p
wait_screen '^default-pool' 5 >/dev/null
check "read-only: the pools footer offers no change" footer_lacks 'Create|Build|Start|Stop|Refresh|Autostart|Delete'
vt_keys Enter
wait_screen '^Volumes of pool default-pool' 5 >/dev/null
check "read-only: the volumes footer offers no upload or download" footer_lacks 'Upload|Download'
vt_keys u
check "read-only: u is refused" wait_screen 'read-only' 5

# ---------------------------------------------------------------- networks

start 120 30 -d 1
vt_keys h
wait_screen 'Host CPU' 5 >/dev/null
vt_keys n
check "networks: n in the host view opens them" wait_screen '^Networks of ' 5
vt_keys n
check "networks: n again goes back to the host view" wait_screen 'Host CPU' 5
vt_keys n
wait_screen '^Networks of ' 5 >/dev/null
vt_keys Enter
check "networks: Enter opens the leases" wait_screen '^Leases of default' 5
check "networks: Esc from the leases goes back to the networks" back_to '^Networks of '
vt_keys c
wait_screen '^New network' 5 >/dev/null
check "networks: the create form's footer has no global key" footer_lacks 'Help|Quit'
vt_keys C-u Enter
check "networks: Enter submits the form from its first field (no name refused)" \
	wait_screen '^Name: give the new network a name\.' 5
check "networks: Esc leaves the form for the networks" back_to '^Networks of '
check "networks: Esc goes back to the host view" back_to 'Host CPU'
vt_stop
start 40 12 -d 1
vt_keys h
wait_screen 'Host|Reading the host' 5 >/dev/null
vt_keys n
wait_screen '^Networks of ' 5 >/dev/null
vt_keys c
wait_screen '^New network' 5 >/dev/null
vt_keys Up
check "40x12: the create form scrolls to its last field" wait_screen '^Autostart +yes' 5
vt_esc
vt_keys x
check "40x12: the network delete dialog shows the field to type in" \
	wait_screen '^Type default to confirm:' 5
vt_esc
vt_stop

# ---------------------------------------------------------------- modes

start 160 20 -d 1 -r
check "read-only: the footer offers no action" footer_lacks 'Start|Shutdown|Reboot|Off|Pause|Resume|Autostart|Open|New'
check "read-only: ... but help, detail and quit" footer_has '\?Help.*qQuit.*EnterDetail'
vt_keys S
check "read-only: S is refused in one wording" \
	wait_screen '^Cannot start test: vmtui runs read-only \(-r\); restart without -r to change guests\.' 5
vt_keys Z
check "read-only: Z is refused in the same wording" \
	wait_screen '^Cannot resize test: vmtui runs read-only \(-r\); restart without -r to change guests\.' 5
vt_keys o
check "read-only: o is refused in the same wording" \
	wait_screen '^Cannot create guests: vmtui runs read-only \(-r\); restart without -r to change guests\.' 5
vt_stop

# ---------------------------------------------------------------- the hardware view (w)

opens_hw() {
	vt_keys w
	wait_screen '^Hardware of test \(running\)' 5 >/dev/null || { WHY="w did not open it"; return 1; }
}
start 120 30 -d 1
check "hardware: Esc goes back to the list" eval "opens_hw && back_to '$LIST'"
check "hardware: w opens it and w again goes back" \
	eval "opens_hw && vt_keys w && wait_screen '$LIST' 5 >/dev/null"
vt_keys Enter
wait_screen "${SHOWS[Enter]}" 5 >/dev/null
check "hardware: from the detail view it goes back to the detail view" \
	eval "opens_hw && back_to '${SHOWS[Enter]}'"
opens_hw
vt_keys n Tab Tab
vt_keys Enter
check "hardware: Enter submits the NIC form from its third field" \
	wait_screen '^Add NIC 52:54:00:[0-9a-f:]{8} on network default \(virtio\) to test$' 10
vt_esc
check "hardware: Esc in the dialog changes nothing" wait_screen 'Cancelled: test is unchanged\.' 5
vt_stop
start 40 12 -d 1
opens_hw
vt_keys a Tab Tab Tab Tab Tab Tab Tab
check "40x12: the disk form shows its last field, typed in" wait_screen '^When +auto' 5
vt_esc
vt_stop
start 160 20 -d 1 -r
opens_hw
check "read-only: the hardware view's footer offers no change" footer_lacks 'Disk|Remove|NIC|Eject'
vt_stop

say "rules tests took $((SECONDS - T0)) s"
summary
