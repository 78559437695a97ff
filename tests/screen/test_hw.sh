#!/usr/bin/env bash
# tests/screen/test_hw.sh — the hardware view (w in the detail view),
# driven through tmux against the real daemon and a running guest of our
# own (prefix vmtuitest-hws-, a dir pool and a network of its own,
# 192.168.237.0/24, bridge vmthws-n):
#   - w opens the view: every device, the selected one in full under the
#     list, Enter its XML; w again closes it, Esc goes back;
#   - a: the form, then the dialog before anything changes: what, when,
#     the virsh lines and the XML diff (scrolls); nothing changed yet; y:
#     the outcome in the view, the disk in the list and in the guest
#     (/sys/block/vdb), the action log has the virsh line;
#   - x asked and answered n: unchanged; X then y: disk and volume gone;
#   - n: a NIC added on our network; l: its link set down, shown so;
#   - refusals in the status line (eject on a disk); read-only: the footer
#     offers no change and a is refused.
# Env: KEEP_GUESTS=1, BUILD (default build/). Ends with "N passed, N failed".
set -uo pipefail

: "${T_PREFIX:=vmtuitest-hws-}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

P=$T_PREFIX
G=${P}g
POOL=${P}pool
POOLDIR=${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}/${P}pool
NET=${P}net

v() { virsh -q -c "$T_URI" "$@"; }
remove_ours() {
	remove_guests "$P" "$POOL"
	v net-destroy "$NET" >/dev/null 2>&1
	rm -rf "$POOLDIR"
}
scr_traps remove_ours
scr_need "hardware" tmux

footer() { sed -n "$(($(wc -l <<<"$SCREEN")))p" <<<"$SCREEN"; }
footer_has() { vt_grab; footer | grep -qE -- "$1" || { WHY="footer: $(footer)"; false; }; }
footer_lacks() { vt_grab; ! footer | grep -qE -- "$1" || { WHY="footer: $(footer)"; false; }; }
# select_dev NAME: move the selection to device NAME (the line under the
# list names the selected device).
select_dev() {
	local i
	vt_keys Home
	for i in $(seq 30); do
		wait_screen "^$(re "$1"): " 1 >/dev/null 2>&1 && return 0
		vt_keys Down
	done
	WHY="$1 never selected"
	false
}
blk() { v domblklist "$G" | awk -v t="$1" '$1 == t { print $2 }'; }
sees() { "$RS/console-run.sh" -t 40 "$G" "test -e $1 && echo yes" | grep -qx yes; }
gone() { "$RS/console-run.sh" -t 40 "$G" "test -e $1 || echo gone" | grep -qx gone; }
# open_hw [ARGS]: vmtui on the daemon, the guest's detail view, then w.
open_hw() {
	vt_vmtui 120 30 -d 1 "$@" && wait_for 30 "connected" vt_connected || return 1
	vt_keys /
	vt_type "$G"
	vt_keys Enter
	wait_screen "^$(re "$G") " 10 >/dev/null || return 1
	vt_keys Enter
	wait_screen "^$(re "$G") +running +on " 10 >/dev/null || return 1
	vt_keys w
	wait_screen "^Hardware of $(re "$G") \(running\)" 10 >/dev/null
}

if ! stack_base_up; then
	not_ok "the daemon and fixture"
	summary
	exit 1
fi
KEEP_GUESTS='' remove_ours
mkdir -p "$POOLDIR" && chmod 0755 "$POOLDIR"
v pool-create-as "$POOL" dir --target "$POOLDIR" >/dev/null || not_ok "pool $POOL"
v net-create <(printf "<network><name>%s</name><bridge name='vmthws-n'/><ip address='192.168.237.1' netmask='255.255.255.0'/></network>" "$NET") >/dev/null ||
	not_ok "network $NET"
"$RS/guest.sh" define "$G" >&2 && "$RS/guest.sh" start "$G" --wait 90 >&2 || not_ok "start $G"

# ---- the view ----

check "w in the detail view opens the hardware view" open_hw
check "the disk's row" wait_screen "^  disk +vda +vda virtio qcow2 " 5
check "the serial port's row" wait_screen "^  serial +serial:0 +pty port=0" 5
check "the selected device in full" wait_screen "^vda: vda virtio qcow2 .*/disk\.qcow2\$" 5
check "the footer offers the changes" footer_has 'aDisk.*cCD.*iInsert.*eEject.*xRemove.*nNIC.*lLink'
vt_keys Enter
check "Enter shows the selected device's XML" wait_screen '^  <target dev="vda" bus="virtio"/>$' 5
vt_esc
check "Esc goes back to the list" wait_screen "^vda: vda virtio" 5
vt_keys e
check "e on a disk: refused in the status line" wait_screen "Select a CD-ROM drive first\." 5
vt_keys w
check "w again goes back to the detail view" wait_screen "^$(re "$G") +running +on " 5
vt_keys w
wait_screen "^Hardware of " 10 >/dev/null
vt_esc
check "Esc goes back to the detail view" wait_screen "^$(re "$G") +running +on " 5
vt_keys w
wait_screen "^Hardware of $(re "$G")" 10 >/dev/null

# ---- a disk added, after the dialog ----

vt_keys a
check "a opens the form" wait_screen "^Add a disk:" 5
vt_keys C-u
vt_type "$POOL"
vt_keys Tab C-u
vt_type 16M
vt_keys Enter
check "the dialog: what" wait_screen "^Add disk vdb \(new 16 MiB qcow2 volume $(re "$G")-vdb\.qcow2 in pool $(re "$POOL"), virtio\) to $(re "$G")\$" 15
check "the dialog: when" wait_screen "^Takes effect: now and at the next boot\$" 5
check "the dialog: the virsh lines" wait_screen "^virsh -c $(re "$T_URI") attach-device $(re "$G") $(re "$G")-vdb\.xml --live --config\$" 5
check "the dialog: the running XML's diff" wait_screen "^\+      <source pool=\"$(re "$POOL")\" volume=\"$(re "$G")-vdb\.qcow2\"/>\$" 5
check "the dialog asks" wait_screen "^Apply this change\? y: yes" 5
check "nothing changed before the answer" eq "$(blk vdb)$(v vol-list "$POOL" | wc -l)" 0
vt_keys End
check "the dialog scrolls: the saved XML's diff at the end" wait_screen "^\+\+\+ saved \(after\)" 5
check "... its first line scrolled off" wait_no_screen "^Takes effect:" 5
vt_keys y
# (the outcome wraps where the guest's and pool's names are long: its
# "done, now" may start the next line)
check "y: the outcome in the view" wait_screen "^Add disk vdb \(.*\) to $(re "$G"):( done, now|\$)" 30
check "y: ... done, now and at the next boot" wait_joined ": done, now and at the next boot." 5
check "y: the disk's row" wait_screen "^  disk +vdb +vdb virtio qcow2 $(re "$POOL")/$(re "$G")-vdb\.qcow2" 10
check "y: the guest sees /sys/block/vdb" eventually 20 sees /sys/block/vdb
vt_keys L
check "the action log has the change and its virsh line" wait_screen "attach-device" 5
vt_keys L
wait_screen "^Hardware of " 5 >/dev/null

# ---- removed: asked, no; then with its volume ----

check "select vdb" select_dev vdb
vt_keys x
check "x asks first" wait_screen "^Remove disk vdb \($(re "$POOL")/$(re "$G")-vdb\.qcow2\) from $(re "$G"), keeping its volume\$" 15
check "x: the virsh line" wait_screen "^virsh -c $(re "$T_URI") detach-disk $(re "$G") vdb --live --config\$" 5
vt_keys n
check "n: cancelled, said so" wait_screen "Cancelled: $(re "$G") is unchanged\." 5
check "n: the disk stays" eq "$(blk vdb)" "$G-vdb.qcow2"
vt_keys X
check "X asks about the volume too" wait_screen "^Remove disk vdb from $(re "$G") and delete its volume $(re "$G")-vdb\.qcow2 of pool $(re "$POOL")\$" 15
vt_keys y
check "X, y: the outcome" wait_screen "^Remove disk vdb from .*(: done,|pool $(re "$POOL"): done,)" 30
check "X, y: the row goes" wait_no_screen "^  disk +vdb " 10
check "X, y: gone from the guest" eventually 20 gone /sys/block/vdb
check "X, y: the volume is deleted" eq "$(v vol-list "$POOL" | grep -c vdb)" 0

# ---- a NIC, its link ----

vt_keys n
check "n opens the NIC form" wait_screen "^Add a NIC:" 5
vt_keys C-u
vt_type "$NET"
vt_keys Enter
check "the NIC dialog" wait_screen "^Add NIC 52:54:00:[0-9a-f:]{8} on network $(re "$NET") \(virtio\) to $(re "$G")\$" 15
vt_keys y
check "the NIC added" wait_screen "^  NIC +52:54:00:[0-9a-f:]{8} .*network $(re "$NET") virtio\$" 30
MAC=$(v domiflist "$G" | awk -v n="$NET" '$3 == n { print $5 }')
check "the NIC is in the running guest" eq "${MAC:0:9}" "52:54:00:"
select_dev "$MAC" >/dev/null
vt_keys l
check "l asks to set the link down" wait_screen "^Set the link of NIC $MAC of $(re "$G") down\$" 15
vt_keys y
check "l, y: shown down" wait_screen "^  NIC +$MAC .*link down\$" 30
check "l, y: down for libvirt" eq "$(v domif-getlink "$G" "$MAC" | awk '{ print $NF }')" down

# ---- read-only ----

check "read-only: the view opens" open_hw -r
check "read-only: the footer offers no change" footer_lacks 'aDisk|xRemove|nNIC'
vt_keys a
check "read-only: a is refused" wait_screen "vmtui runs read-only" 5
vt_stop

summary
