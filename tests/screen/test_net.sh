#!/usr/bin/env bash
# tests/screen/test_net.sh — the networks view (n in the host view), its
# leases view, the create form and the delete confirmations, driven through
# tmux against the real daemon with a network and a real guest of our own
# (prefix vmtuitest-net-s, 192.168.236-237.0/24, bridges vmtnet-s*):
#   - the networks view lists the network (nat, bridge, addresses, DHCP,
#     one lease, the guest on it); n closes it again, Esc goes back;
#   - Enter: the leases view shows the guest's lease against its name; p
#     pins it (shown "pinned"; virsh has the host entry, live and saved);
#     the guest's detail view says "pinned ADDRESS" on its NIC line; u
#     unpins;
#   - the create form makes a network from typed answers (virsh agrees);
#     a bad cidr is refused in the form;
#   - delete: a wrong name refused, the right one deletes; for the guest's
#     network a second question names the running guest (n keeps it);
#   - read-only: the footer offers no network action and c is refused.
# Env: KEEP_GUESTS=1, BUILD (default build/). Ends with "N passed, N failed".
set -uo pipefail

: "${T_PREFIX:=vmtuitest-net-s}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

P=$T_PREFIX
NET=${P}nat
NEW=${P}new
G=${P}g
MAC=52:54:00:7e:57:11

v() { virsh -q -c "$T_URI" "$@"; }
remove_ours() {
	local n
	remove_guests "$P" "${P}nopool"
	for n in $(v net-list --all --name 2>/dev/null | grep "^$P"); do
		v net-destroy "$n" >/dev/null 2>&1
		v net-undefine "$n" >/dev/null 2>&1
	done
}
scr_traps remove_ours
scr_need "networks" tmux

footer() { sed -n "$(($(wc -l <<<"$SCREEN")))p" <<<"$SCREEN"; }
footer_has() { vt_grab; footer | grep -qE -- "$1" || { WHY="footer: $(footer)"; false; }; }
footer_lacks() { vt_grab; ! footer | grep -qE -- "$1" || { WHY="footer: $(footer)"; false; }; }
# select_net NAME: move the networks view's selection to NAME (the line
# under the list names the selected network).
select_net() {
	local i
	vt_keys Home
	for i in $(seq 30); do
		wait_screen "^$(re "$1"): " 1 >/dev/null 2>&1 && return 0
		vt_keys Down
	done
	WHY="$1 never selected"
	false
}
# open_networks [ARGS]: vmtui on the daemon, the host view, then n.
open_networks() {
	vt_vmtui 160 40 -d 1 "$@" && wait_for 30 "connected" vt_connected || return 1
	vt_keys h
	wait_screen 'Host CPU' 10 >/dev/null || return 1
	vt_keys n
	wait_screen '^Networks of ' 10 >/dev/null
}
lease_of_guest() {
	"$BUILD/vmtui" net leases -c "$T_URI" "$NET" 2>/dev/null | grep -q "^$MAC .* $G "
}

if ! stack_base_up; then
	not_ok "the daemon and fixture"
	summary
	exit 1
fi
KEEP_GUESTS='' remove_ours
"$BUILD/vmtui" net create -c "$T_URI" "$NET" --cidr 192.168.236.0/24 --bridge vmtnet-snat \
	>/dev/null || not_ok "create $NET"
"$RS/guest.sh" define "$G" --net "network:$NET" --mac "$MAC" >&2 &&
	"$RS/guest.sh" start "$G" --wait 90 >&2 || not_ok "start $G on $NET"
check "the guest has a lease (vmtui net leases)" eventually 60 lease_of_guest
LEASED=$("$BUILD/vmtui" net leases -c "$T_URI" "$NET" | awk -v m="$MAC" '$1 == m { sub(/\/.*/, "", $2); print $2 }')

# ---- the networks view ----

check "n in the host view: the footer offers it" eval "vt_vmtui 160 40 -d 1 && wait_for 30 connected vt_connected && vt_keys h && wait_screen 'Host CPU' 10 >/dev/null && footer_has 'nNetworks'"
vt_keys n
check "n opens the networks view" wait_screen '^Networks of ' 10
check "the network's row: nat, bridge, address, DHCP, a lease, the guest" wait_screen \
	"^$(re "$NET") +active +yes +yes +nat +vmtnet-snat +192\.168\.236\.1/24 +192\.168\.236\.2-192\.168\.236\.254 +1 +$(re "$G")\$" 10
check "the footer offers the network actions" footer_has 'EnterLeases.*cCreate.*sStart.*tStop.*aAutostart.*xDelete'
vt_keys n
check "n again goes back to the host view" wait_screen 'Host CPU' 5
vt_keys n
wait_screen '^Networks of ' 10 >/dev/null
vt_esc
check "Esc goes back to the host view" wait_screen 'Host CPU' 5
vt_keys n
wait_screen '^Networks of ' 10 >/dev/null

# ---- leases, pin ----

select_net "$NET"
vt_keys Enter
check "Enter opens the leases view" wait_screen "^Leases of $(re "$NET") \(nat, 192\.168\.236\.1/24\)" 10
check "the lease is shown against the guest, not pinned" wait_screen \
	"^$MAC +$(re "$LEASED")/24 .* in [0-9]+m [0-9]+s +$(re "$G") +-\$" 10
check "the footer offers pin and unpin" footer_has 'pPin.*uUnpin'
vt_keys p
check "p: the lease is shown pinned" wait_screen "^$MAC +$(re "$LEASED")/24 .* $(re "$G") +pinned\$" 15
check "p: the outcome in the view" wait_screen \
	"^$MAC is pinned to $(re "$LEASED") on network $(re "$NET") \(running and saved\)\." 5
check "p: virsh has the host entry, running" grep -q "<host mac='$MAC' name='$G' ip='$LEASED'/>" \
	<(v net-dumpxml "$NET")
check "p: ... and saved" grep -q "<host mac='$MAC' name='$G' ip='$LEASED'/>" \
	<(v net-dumpxml --inactive "$NET")
vt_keys L
check "p: the action log has the virsh command" wait_screen \
	"virsh -c $(re "$T_URI") net-update $(re "$NET") add-last ip-dhcp-host" 5
vt_keys L
wait_screen "^Leases of " 5 >/dev/null

# The guest's detail view: its NIC line says pinned.
vt_esc
vt_esc
vt_esc
wait_screen '^NAME +STATE' 5 >/dev/null
vt_keys /
vt_type "$G"
vt_keys Enter
vt_keys Enter
check "the detail view's NIC line: pinned ADDRESS" wait_screen \
	"^ +$MAC virtio +network $(re "$NET") .*pinned $(re "$LEASED")\$" 15
vt_esc
vt_esc
vt_keys h
wait_screen 'Host CPU' 10 >/dev/null
vt_keys n
wait_screen '^Networks of ' 10 >/dev/null
select_net "$NET"
vt_keys Enter
wait_screen "^Leases of " 10 >/dev/null
wait_screen "^$MAC .* pinned\$" 10 >/dev/null
vt_keys u
check "u: unpinned" wait_screen "^$MAC +$(re "$LEASED")/24 .* $(re "$G") +-\$" 15
check "u: virsh has no host entry" eq "$(v net-dumpxml "$NET" | grep -c '<host ')" 0
vt_esc
wait_screen '^Networks of ' 5 >/dev/null

# ---- the create form ----

vt_keys c
check "c opens the create form" wait_screen '^New network' 5
check "the form offers a free network" wait_screen '^IPv4 network +192\.168\.[0-9]+\.0/24' 5
check "the form: no global key in the footer" footer_lacks 'Help|Quit'
vt_type "$NEW"
vt_keys Tab Tab C-u
vt_type 192.168.300.0/24
vt_keys Enter
check "a bad cidr is refused in the form" wait_screen \
	"^Cannot create network $(re "$NEW"): cidr must be an IPv4 network like 192\.168\.100\.0/24\." 5
vt_keys C-u
vt_type 192.168.237.0/24
vt_keys Tab Tab Tab Tab
vt_type vmtnet-snew
vt_keys Tab C-u
vt_type no
vt_keys Enter
check "created: listed, active, no autostart" wait_screen \
	"^$(re "$NEW") +active +no +yes +nat +vmtnet-snew +192\.168\.237\.1/24 " 15
check "created: virsh agrees" eq "$(v net-info "$NEW" | awk '/^Active:|^Autostart:/ { printf "%s ", $2 }')" "yes no "

# ---- delete ----

select_net "$NEW"
vt_keys x
check "x asks for the name" wait_screen "^Type $(re "$NEW") to confirm:" 5
vt_type "${NEW}x"
vt_keys Enter
check "a wrong name is refused" wait_screen \
	"^Not deleted: type the exact name $(re "$NEW") to confirm \(typed: \"$(re "$NEW")x\"\)\." 5
vt_keys BSpace Enter
check "the right name deletes it" wait_screen "^Network $(re "$NEW") deleted\." 15
check "deleted: virsh agrees" eq "$(v net-info "$NEW" >/dev/null 2>&1 && echo yes)" ""

select_net "$NET"
vt_keys x
wait_screen "^Type $(re "$NET") to confirm:" 5 >/dev/null
check "the guest's network: the dialog warns" wait_screen "^Running guests use it: $(re "$G")\." 5
vt_type "$NET"
vt_keys Enter
check "a second question names the running guest" wait_screen \
	"Running guest $(re "$G") uses network $(re "$NET");" 5
vt_keys n
vt_esc
check "n keeps it" eq "$(v net-info "$NET" | awk '/^Active:/ { print $2 }')" yes
vt_keys t
check "t on a network a guest uses asks first" wait_screen \
	"Stop network $(re "$NET")\? Running guest $(re "$G") loses it" 5
vt_keys n
vt_stop

# ---- read-only ----

open_networks -r
check "read-only: the footer offers no network action" footer_lacks 'cCreate|sStart|tStop|aAutostart|xDelete'
vt_keys c
check "read-only: c is refused" wait_screen \
	'^Cannot create a network: vmtui runs read-only \(-r\); restart without -r to change guests\.' 5
vt_stop

summary
