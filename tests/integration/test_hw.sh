#!/usr/bin/env bash
# test_hw.sh — `vmtui hw`, `disk`, `media` and `nic` against the real daemon
# and a real running guest (tests/realstack/guest.sh), what the guest sees
# read through its serial console (tests/realstack/console-run.sh):
#   - a disk made as a new volume and hot-plugged appears as /sys/block/vdb,
#     removed (its volume deleted on request) it disappears; --dry-run
#     shows the diff and changes nothing; cache/discard saved for the next
#     boot only;
#   - a disk used by another guest is not attached twice, nor its volume
#     deleted;
#   - a CD-ROM drive (IDE: saved for the next boot, as it cannot be
#     hot-plugged) gets its ISO ejected and inserted live. The tiny guest
#     has no CD driver (no ide/sr modules in its initrd), so the medium is
#     checked with `virsh domblklist`, as libvirt and qemu see it;
#   - a NIC hot-plugged on a network appears in /sys/class/net, its link
#     set down and up is seen by the guest (carrier), moved to another
#     network, removed: gone from the guest;
#   - refusals: --live on a shut-off guest, a SATA disk hot-plugged, an
#     unknown device, options of another action, read-only.
# Everything is named ${T_PREFIX}hw-* and removed at the end; networks use
# 192.168.235-236.0/24 and bridges vmthw-*.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

P=${T_PREFIX}hw-
G=${P}g
OFF=${P}off
POOL=${P}pool
POOLDIR=${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}/${P}pool
NA=${P}a
NB=${P}b
MAC=52:54:00:4d:77:01
run_files hw

v() { virsh -q -c "$T_URI" "$@"; }
con() { "$RS/console-run.sh" -t 40 "$G" "$1"; }

remove_ours() {
	local n
	remove_guests "$P" "$POOL"
	for n in "$NA" "$NB"; do
		v net-destroy "$n" >/dev/null 2>&1
		v net-undefine "$n" >/dev/null 2>&1
	done
	rm -rf "$POOLDIR"
}
SSHD_ON=""
hw_cleanup() {
	[ -z "$SSHD_ON" ] || "$TOP/tests/ssh/sshd.sh" stop >/dev/null 2>&1
	remove_ours
	rm -rf "$D"
}
refused() {
	local what=$1 want=$2
	check "$what: exit 1" eq "$RC" 1
	check "$what: the message" is "$ERR" "$want"
}
net_make() { # NAME BRIDGE THIRD-OCTET
	v net-define <(printf "<network><name>%s</name><bridge name='%s'/><ip address='192.168.%s.1' netmask='255.255.255.0'/></network>" "$1" "$2" "$3") >/dev/null &&
		v net-start "$1" >/dev/null
}
# sees PATH: the guest has PATH.
sees() { con "test -e $1 && echo yes" | grep -qx yes; }
gone() { con "test -e $1 || echo gone" | grep -qx gone; }
carrier_is() { [ "$(con 'cat /sys/class/net/eth1/carrier')" = "$1" ]; }
blk() { v domblklist "$G" | awk -v t="$1" '$1 == t { print $2 }'; }

stack_base_up || { say "cannot set up the daemon"; echo "0 passed, 1 failed"; exit 1; }
trap hw_cleanup EXIT
trap 'exit 130' INT TERM HUP
remove_ours

mkdir -p "$POOLDIR" && chmod 0755 "$POOLDIR"
v pool-create-as "$POOL" dir --target "$POOLDIR" >/dev/null
net_make "$NA" vmthw-a 235
net_make "$NB" vmthw-b 236
"$RS/guest.sh" define "$G" >&2
"$RS/guest.sh" define "$OFF" >&2
"$RS/guest.sh" start "$G" --wait 90 >&2

# ---- the list ----

run hw -c "$T_URI" "$G"
check "hw: exit 0" eq "$RC" 0
check "hw: running and persistent" has "$OUT" "$G: running, persistent"
check "hw: vda" grep -qE "^disk +vda +- +vda virtio qcow2 " "$OUT"
check "hw: the serial port" grep -qE "^serial +serial:0 +- +pty port=0" "$OUT"
run hw -c "$T_URI" --json "$G"
check "hw --json: valid, vda a disk" eq "$(python3 -c 'import json,sys
h=json.load(open(sys.argv[1])); print(h["running"], [d["kind"] for d in h["devices"] if d["name"] == "vda"])' "$OUT")" "True ['disk']"

# ---- disks ----

run disk add -c "$T_URI" "$G" --pool "$POOL" --size 16M --dry-run
check "add --dry-run: exit 0" eq "$RC" 0
check "add --dry-run: the running diff" has "$OUT" "+      <source pool=\"$POOL\" volume=\"$G-vdb.qcow2\"/>"
check "add --dry-run: the saved diff" has "$OUT" "+++ saved (after)"
check "add --dry-run: the virsh lines" has "$OUT" "  virsh -c $T_URI vol-create-as $POOL $G-vdb.qcow2 16M --format qcow2"
check "add --dry-run: nothing changed" eq "$(blk vdb)$(v vol-list "$POOL" | wc -l)" "0"

run disk add -c "$T_URI" "$G" --pool "$POOL" --size 16M
check "add: exit 0" eq "$RC" 0
check "add: what and when" is "$OUT" "Add disk vdb (new 16 MiB qcow2 volume $G-vdb.qcow2 in pool $POOL, virtio) to $G: now and at the next boot.
  virsh -c $T_URI vol-create-as $POOL $G-vdb.qcow2 16M --format qcow2
  virsh -c $T_URI attach-device $G $G-vdb.xml --live --config
Done."
check "add: the guest sees /sys/block/vdb" eventually 20 sees /sys/block/vdb
check "add: 16 MiB in the guest" eq "$(con 'cat /sys/block/vdb/size')" 32768
check "add: in the saved configuration" grep -q "<target dev='vdb' bus='virtio'/>" <(v dumpxml --inactive "$G")

run disk set -c "$T_URI" "$G" vdb --cache writeback --discard unmap
check "set: exit 0" eq "$RC" 0
check "set: at the next boot" has "$OUT" "Set disk vdb of $G to cache writeback, discard unmap: at the next boot."
check "set: saved" grep -q "cache='writeback' discard='unmap'" <(v dumpxml --inactive "$G")
check "set: not live" eq "$(v dumpxml "$G" | grep -c "cache='writeback'")" 0
run hw -c "$T_URI" "$G"
check "hw: vdb changed at next boot" grep -qE "^disk +vdb +changed at next boot " "$OUT"
run disk set -c "$T_URI" "$G" vdb --cache writeback --live
refused "set --live" "vmtui: nothing was changed: The cache mode and discard of a disk change at the next boot only (qemu opens the disk with them)."

run disk remove -c "$T_URI" "$G" vdb --delete-volume -y
check "remove: exit 0" eq "$RC" 0
check "remove: the volume deleted after" is "$OUT" "Remove disk vdb from $G and delete its volume $G-vdb.qcow2 of pool $POOL: now and at the next boot.
  virsh -c $T_URI detach-disk $G vdb --live --config
  virsh -c $T_URI vol-delete $G-vdb.qcow2 --pool $POOL
Done."
check "remove: gone from the guest" eventually 20 gone /sys/block/vdb
check "remove: the volume is gone" eq "$(v vol-list "$POOL" | grep -c "$G-vdb")" 0
check "remove: gone from the saved configuration" eq "$(v dumpxml --inactive "$G" | grep -c "dev='vdb'")" 0

# A disk of another guest: not attached twice, its volume not deleted.
v vol-create-as "$POOL" shared.img 8M --format raw >/dev/null
run disk add -c "$T_URI" "$OFF" --volume "$POOL/shared.img"
check "add to the shut-off guest: next boot" has "$OUT" "Add disk vdb ($POOLDIR/shared.img, virtio, raw) to $OFF: at the next boot."
run disk add -c "$T_URI" "$G" --volume "$POOL/shared.img"
refused "add a disk another guest has" "vmtui: nothing was changed: $POOLDIR/shared.img is the disk of $OFF too; two guests writing one disk corrupt it."
v attach-disk "$G" "$POOLDIR/shared.img" vdc --config >/dev/null
run disk remove -c "$T_URI" "$OFF" vdb --delete-volume -y
refused "delete a volume another guest uses" "vmtui: nothing was changed: Volume shared.img of pool $POOL is used by $G too: not deleting it. Remove the disk alone."
check "the volume is kept" eq "$(v vol-list "$POOL" | grep -c shared.img)" 1
run disk remove -c "$T_URI" "$OFF" vdb --delete-volume
refused "delete a volume without a terminal" "vmtui: not deleting the volume of vdb: confirm with -y, or run this on a terminal."

run disk add -c "$T_URI" "$G" --file "$POOLDIR/x.img" --bus sata --live
refused "sata --live" "vmtui: nothing was changed: SATA disks cannot be hot-plugged: it can only be saved for the next boot (--config)."
run disk add -c "$T_URI" "$OFF" --file /x.img --live
refused "--live on a shut-off guest" "vmtui: nothing was changed: $OFF is not running: nothing can change now; without --live the change is saved for the next boot."
run disk remove -c "$T_URI" "$G" vdz
refused "remove an unknown disk" "vmtui: nothing was changed: $G has no disk vdz."
run disk remove -c "$T_URI" -r "$G" vda
refused "remove read-only" "vmtui: cannot change the hardware of $G: vmtui runs read-only (-r); nothing was changed. Drop -r to change it."

# ---- CD-ROM ----

qemu-img create -q -f raw "$POOLDIR/a.iso" 1M && qemu-img create -q -f raw "$POOLDIR/b.iso" 1M
v pool-refresh "$POOL" >/dev/null
run disk add -c "$T_URI" "$G" --cdrom --bus ide --file "$POOLDIR/a.iso"
check "cd drive: ide waits for the next boot" has "$OUT" "Add CD-ROM drive hda (with $POOLDIR/a.iso, ide) to $G (IDE drives cannot be hot-plugged): at the next boot."
v destroy "$G" >/dev/null
"$RS/guest.sh" start "$G" --wait 90 >&2
check "cd drive: there after the boot" eq "$(blk hda)" "$POOLDIR/a.iso"
run media eject -c "$T_URI" "$G" hda
check "eject: exit 0" eq "$RC" 0
check "eject: virsh line" has "$OUT" "virsh -c $T_URI change-media $G hda --eject --live --config"
check "eject: empty now" eq "$(blk hda)" "-"
check "eject: empty at the next boot" eq "$(v dumpxml --inactive "$G" | grep -c a.iso)" 0
run media eject -c "$T_URI" "$G" hda
refused "eject an empty drive" "vmtui: nothing was changed: CD-ROM drive hda of $G holds no medium."
run media insert -c "$T_URI" "$G" hda --volume "$POOL/b.iso"
check "insert: exit 0" eq "$RC" 0
check "insert: in the drive" eq "$(blk hda)" "$POOLDIR/b.iso"
check "insert: saved" eq "$(v dumpxml --inactive "$G" | grep -c "b.iso")" 1
run media insert -c "$T_URI" "$G" vda /x.iso
refused "insert into a disk" "vmtui: nothing was changed: $G has no CD-ROM drive vda."

# ---- NICs ----

run nic add -c "$T_URI" "$G" --network "$NA" --mac "$MAC"
check "nic add: exit 0" eq "$RC" 0
check "nic add: what and virsh" is "$OUT" "Add NIC $MAC on network $NA (virtio) to $G: now and at the next boot.
  virsh -c $T_URI attach-device $G $G-52-54-00-4d-77-01.xml --live --config
Done."
check "nic add: the guest has eth1" eventually 20 sees /sys/class/net/eth1
check "nic add: its MAC" eq "$(con 'cat /sys/class/net/eth1/address')" "$MAC"
con 'ip link set eth1 up' >/dev/null
check "nic: carrier up" eventually 10 carrier_is 1
run nic link -c "$T_URI" "$G" "$MAC" down
check "link down: exit 0" eq "$RC" 0
check "link down: virsh" has "$OUT" "virsh -c $T_URI domif-setlink $G $MAC down; virsh -c $T_URI domif-setlink $G $MAC down --config"
check "link down: the guest sees no carrier" eq "$(con 'cat /sys/class/net/eth1/carrier')" 0
check "link down: saved" grep -q "<link state='down'/>" <(v dumpxml --inactive "$G")
run nic link -c "$T_URI" "$G" "$MAC" down
refused "link down twice" "vmtui: nothing was changed: The link of NIC $MAC of $G is down already."
run nic link -c "$T_URI" "$G" "$MAC" up
check "link up: the guest has carrier" eq "$(con 'cat /sys/class/net/eth1/carrier')" 1
run nic move -c "$T_URI" "$G" "$MAC" --network "$NB"
check "move: exit 0" eq "$RC" 0
check "move: on the other network now" eq "$(v domiflist "$G" | awk -v m="$MAC" '$5 == m { print $3 }')" "$NB"
check "move: and at the next boot" grep -q "<source network='$NB'/>" <(v dumpxml --inactive "$G")
run nic move -c "$T_URI" "$G" "$MAC" --network "${P}none"
refused "move to no network" "vmtui: nothing was changed: The host has no network ${P}none (vmtui net list shows them)."
run nic remove -c "$T_URI" "$G" "$MAC"
check "nic remove: exit 0" eq "$RC" 0
check "nic remove: gone from the guest" eventually 20 gone /sys/class/net/eth1
check "nic remove: gone from the saved configuration" eq "$(v dumpxml --inactive "$G" | grep -c "$MAC")" 0

# ---- -H: the same over vmtui's SSH transport (a throwaway sshd of our own) ----

export VMTUI_SSHD_DIR=${TMPDIR:-/tmp}/vmtui-sshd-hw-$(id -u)
if "$TOP/tests/ssh/sshd.sh" start >&2; then
	SSHD_ON=1
	eval "$("$TOP/tests/ssh/sshd.sh" env)"
	echo "[127.0.0.1]:$SSHD_PORT $(cut -d' ' -f1,2 "$SSHD_DIR/host_ed25519.pub")" >"$D/known_hosts"
	eval "$(ssh-agent -s -a "$D/agent.sock")" >/dev/null
	ssh-add -q "$SSHD_KEY" 2>/dev/null
	H=(-H "root@127.0.0.1:$SSHD_PORT" --known-hosts "$D/known_hosts" -c "$T_URI")
	run hw "${H[@]}" --json "$G"
	check "hw -H: the devices" eq "$(python3 -c 'import json,sys
print(json.load(open(sys.argv[1]))["vm"])' "$OUT")" "$G"
	run nic add "${H[@]}" "$G" --network "$NA" --mac "$MAC" --config
	check "nic add -H --config: exit 0" eq "$RC" 0
	check "nic add -H --config: saved, not live" eq "$(v domiflist "$G" | grep -c "$MAC")/$(v dumpxml --inactive "$G" | grep -c "$MAC")" 0/1
	run nic link "${H[@]}" "$G" "$MAC" down
	check "nic link -H: exit 0" eq "$RC" 0
	check "nic link -H: the virsh line names the SSH host" has "$OUT" "virsh -c qemu+ssh://root@127.0.0.1:$SSHD_PORT/system domif-setlink $G $MAC down --config"
	check "nic link -H: down" grep -q "<link state='down'/>" <(v dumpxml --inactive "$G")
	run nic remove "${H[@]}" "$G" "$MAC"
	check "nic remove -H: gone" eq "$(v dumpxml --inactive "$G" | grep -c "$MAC")" 0
	run media eject "${H[@]}" --dry-run "$G" hda
	check "media eject -H --dry-run: the diff" has "$OUT" "-      <source file=\"$POOLDIR/b.iso\"/>"
	kill "$SSH_AGENT_PID" 2>/dev/null
else
	not_ok "the throwaway sshd for -H"
fi

# ---- usage ----

run nic add -c "$T_URI" "$G" --cache none
refused "an option of another action" 'vmtui nic add: option "--cache" does not apply here (vmtui help nic says where it does).'
run media frobnicate "$G"
check "unknown action: exit 1" eq "$RC" 1
check "unknown action: the message" has "$ERR" 'vmtui media: unknown action "frobnicate"; use insert or eject.'

summary
