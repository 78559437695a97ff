#!/usr/bin/env bash
# tests/screen/test_agent.sh — the guest agent and ssh on the screen,
# against the real daemon, with guests of our own (T_PREFIX, default
# vmtuitest-agent-s-): A runs qemu-ga and dropbear on a NAT network of its
# own (192.168.248.0/24); N has no agent channel.
#   - the detail view of A has the agent's section: OS, kernel, hostname,
#     the interfaces with eth0's address, the filesystems with /mnt (filled
#     by the test to over 90%) marked the fullest, in the warning colour;
#     the NIC's addresses say they come from the agent;
#   - the detail view of N says "no agent", and opening it again and again
#     makes no agent call (libvirt's client log: no virDomainGetGuestInfo
#     for N), while A's facts are asked once for several openings (cache);
#   - $ on A: ssh on the whole terminal (a command typed in the guest's
#     shell answers), exit brings the screen back as it was, the status
#     line says the session was left;
#   - H on A: "shutdown (guest agent) requested", and the guest goes off.
# Env: KEEP_GUESTS=1, BUILD (default build/). Ends with "N passed, N failed".
set -uo pipefail

: "${T_PREFIX:=vmtuitest-agent-s-}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

P=$T_PREFIX
A=${P}a
N=${P}n
NET=${P}net
LOG=$SCR_TMP/libvirt.log

v() { virsh -q -c "$T_URI" "$@"; }
remove_ours() {
	remove_guests "$P" "${P}nopool"
	[ -n "${KEEP_GUESTS:-}" ] || v net-destroy "$NET" >/dev/null 2>&1
}
cleanup() {
	vt_stop_all
	remove_ours
	rm -rf "$SCR_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

select_row() {
	vt_keys Home
	local i
	for i in 1 2 3; do
		is_selected "$1" 2>/dev/null && return 0
		vt_grab
		is_selected "$1" && return 0
		vt_keys Down
		sleep 0.3
		vt_grab
	done
	is_selected "$1"
}
calls_for() { grep -c "virDomainGetGuestInfo:.*name=$1," "$LOG" 2>/dev/null || true; }

scr_need agent tmux virsh ssh ssh-keygen
if ! stack_base_up; then
	not_ok "the daemon and fixture"
	summary
	exit 1
fi
KEEP_GUESTS='' remove_ours
cat >"$SCR_TMP/net.xml" <<EOF
<network><name>$NET</name><forward mode='nat'/><bridge name='vmtagts0'/>
<ip address='192.168.248.1' netmask='255.255.255.0'><dhcp><range start='192.168.248.100' end='192.168.248.200'/></dhcp></ip></network>
EOF
v net-create "$SCR_TMP/net.xml" >/dev/null || { not_ok "network $NET"; summary; exit 1; }
ssh-keygen -q -t ed25519 -N '' -f "$SCR_TMP/key" || exit 1
{ "$RS/guest.sh" define "$A" --agent --ssh-key "$SCR_TMP/key.pub" --net "network:$NET" &&
	"$RS/guest.sh" define "$N" && "$RS/guest.sh" start "$A" && "$RS/guest.sh" start "$N" &&
	"$RS/guest.sh" wait-ready "$A" 900 && "$RS/guest.sh" wait-ready "$N" 900; } >&2 ||
	{ not_ok "define and start $A and $N"; summary; exit 1; }
connected() { v dumpxml "$A" | grep -q "guest_agent.0' state='connected'"; }
addr_of() { v domifaddr --source agent "$A" 2>/dev/null | awk '$1 == "eth0" && $3 == "ipv4" { sub(/\/.*/, "", $4); print $4 }'; }
have_addr() { [ -n "$(addr_of)" ]; }
check "A's agent connects and gives an address" eventually 150 have_addr
IP=$(addr_of)
SSHO="-i $SCR_TMP/key -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=20"
# shellcheck disable=SC2086
gsh() { timeout 120 ssh $SSHO -o BatchMode=yes "root@$IP" "$@"; }
ssh_up() { gsh true; }
check "dropbear answers in A" eventually 90 ssh_up
# /mnt over 90% full: the fullest, in the warning colour.
# (mke2fs: busybox's name for it; qemu-ga reports no virtual filesystem.)
gsh 'mke2fs -q /dev/vda >/dev/null && mount /dev/vda /mnt &&
	{ dd if=/dev/zero of=/mnt/fill bs=1M count=29 2>/dev/null; sync; }' >&2
check "A: an ext2 filesystem mounted at /mnt" eval "gsh 'grep -q \"^/dev/vda /mnt ext2 \" /proc/mounts'"

export VMTUI_SSH="ssh $SSHO" VMTUI_SSH_USER=root
export LIBVIRT_LOG_FILTERS="1:libvirt 4:rpc 4:util 4:conf 4:remote 4:qemu 4:security 4:event"
export LIBVIRT_LOG_OUTPUTS="1:file:$LOG"
vt_vmtui 170 70 -d 1 && wait_for 30 "connected" vt_connected || { not_ok "vmtui starts"; summary; exit 1; }
vt_keys /
wait_screen '^Filter:' 5 >/dev/null
vt_type "$P"
vt_keys Enter
wait_for 15 "row $A" has_row "$A" >/dev/null

say "# the agent's section"
select_row "$A" >/dev/null
vt_keys Enter
check "detail of A: the agent's OS" wait_screen "^Guest agent: vmtui test guest 4" 30
check "detail of A: kernel and hostname" wait_screen "kernel $(re "$(uname -r | cut -c1-3)")|kernel 6\\.1" 5
check "detail of A: hostname and time zone" wait_screen "hostname vmtui-guest +time zone UTC" 5
check "detail of A: eth0 with its address" wait_screen "^ +eth0 +52:54:00:[0-9a-f:]+ +$(re "$IP")/24" 5
check "detail of A: the NIC's addresses come from the agent" wait_screen "addresses \\(agent\\): $(re "$IP")/24" 5
check "detail of A: ssh goes to the agent's address" wait_screen "ssh goes to $(re "$IP") \\(address from the guest agent\\)" 5
check "detail of A: /mnt the fullest" wait_screen "^ +/mnt +ext2 .* (9[0-9]|100)% fullest" 5
warn_line() { vt_grab_e | grep '/mnt ' | grep -q $'\e\\[' ; }
check "detail of A: /mnt in a colour of its own" warn_line
vt_esc
vt_keys Enter
wait_screen "^Guest agent: vmtui test guest 4" 10 >/dev/null
vt_esc
vt_keys Enter
wait_screen "^Guest agent: vmtui test guest 4" 10 >/dev/null
vt_esc
check "three openings of A in a few seconds: one agent call" eq "$(calls_for "$A")" 1

say "# no agent"
select_row "$N" >/dev/null
vt_keys Enter
check "detail of N: no agent" wait_screen "^Guest agent: no agent \\(no guest agent channel\\)" 20
# ^L refreshes now: wait for that refresh's bulk stats call, so that
# the openings below come after it.
stats_calls() { grep -c "virConnectGetAllDomainStats:" "$LOG" 2>/dev/null || true; }
stats_since() { (($(stats_calls) > $1)) || { WHY="no stats call after ^L"; false; }; }
n=$(stats_calls)
vt_keys C-l
wait_for 10 "a refresh after ^L" stats_since "$n" >/dev/null
vt_esc
vt_keys Enter
wait_screen "^Guest agent: no agent" 10 >/dev/null
vt_esc
vt_keys Enter
wait_screen "^Guest agent: no agent" 10 >/dev/null
vt_esc
check "N: no agent call at all" eq "$(calls_for "$N")" 0

say "# ssh round trip"
select_row "$A" >/dev/null
vt_keys '$'
check "\$: ssh has the terminal (the guest's shell prompt)" wait_screen "vmtui-guest#" 60
vt_type 'echo ROUND$((6*7))'
vt_keys Enter
check "a command typed in the guest answers" wait_screen "^ROUND42" 20
vt_type 'exit'
vt_keys Enter
check "exit: the screen is back (header, list)" wait_for 20 "the list" vt_connected
check "exit: the guest's row is there again" wait_for 5 "row $A" has_row "$A"
check "exit: the status line says the session was left" wait_status "Left the ssh session of $(re "$A")" 10
vt_grab
check "exit: nothing of ssh's session is left on the screen" _no_match "ROUND42|vmtui-guest# "

say "# shutdown through the agent"
select_row "$A" >/dev/null
vt_keys H
check "H: shutdown requested through the guest agent" wait_status "^$(re "$A"): shutdown \\(guest agent\\) requested" 30
off() { [ "$(v domstate "$A" 2>/dev/null | head -n1)" = "shut off" ]; }
check "the guest goes off (its agent ran the shutdown)" eventually 90 off

vt_keys q
summary
