#!/usr/bin/env bash
# test_store.sh — `vmtui pool ...` and `vmtui vol ...` against the real
# daemon, checked with virsh:
#   - a dir pool created (built, started, autostart), listed (text and
#     --json, parsed), autostart off and on, stopped, started, refreshed,
#     built again, deleted keeping its files and deleted with its contents;
#   - volumes created (qcow2, raw, a qcow2 overlay on a backing volume),
#     grown (a shrink refused with the present size), cloned, wiped and
#     deleted, with the typed confirmation refused without a terminal;
#   - a volume two shut-off guests use: listed as shared with both names,
#     its delete and wipe refused naming them, the pool's delete with
#     contents refused; a running real guest's disk: grow and the pool's
#     stop refused;
#   - a logical pool on a loop device (losetup + lvm2) and a netfs pool,
#     where the machine allows; otherwise the suite says exactly why not;
#   - read-only refusals.
# Every object is named vmtuitest-store-* and removed at the end.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

P=vmtuitest-store-
POOL=${P}dir
KEEP=${P}keep
VG=vmtuitest_store_vg
FIX=${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}
DIR=$FIX/${P}dir
KDIR=$FIX/${P}keep
LOOPIMG=$FIX/${P}lvm.img
run_files store
export LVM_SUPPRESS_FD_WARNINGS=1
LOOP=

v() { virsh -q -c "$T_URI" "$@"; }

remove_ours() {
	local p g
	for g in $(v list --all --name 2>/dev/null | grep "^$P"); do
		v destroy "$g" >/dev/null 2>&1
		v undefine "$g" >/dev/null 2>&1
	done
	[ -n "${KEEP_GUESTS:-}" ] || "$RS/guest.sh" cleanup "$P" >/dev/null 2>&1
	for p in $(v pool-list --all --name 2>/dev/null | grep "^$P"); do
		v pool-destroy "$p" >/dev/null 2>&1
		v pool-undefine "$p" >/dev/null 2>&1
	done
	if command -v vgremove >/dev/null && vgs "$VG" >/dev/null 2>&1; then
		vgremove -f "$VG" >/dev/null 2>&1
	fi
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
	rm -rf "$DIR" "$KDIR" "$LOOPIMG" "$FIX/${P}nfs"
}

store_cleanup() {
	remove_ours
	rm -rf "$D"
}

stack_base_up || { say "cannot set up the daemon"; echo "0 passed, 1 failed"; exit 1; }
trap store_cleanup EXIT
trap 'exit 130' INT TERM HUP
remove_ours

pool() { run pool -c "$T_URI" "$@"; }
vol() { run vol -c "$T_URI" "$@"; }
pool_field() { v pool-info "$1" 2>/dev/null | awk -v f="$2:" '$1 == f { print $2 }'; }
# json EXPR: evaluate a Python expression on the JSON in $OUT (as j).
json() { python3 -c "import json,sys; j=json.load(open('$OUT')); print($1)"; }
# done_ok WHAT TEXT: exit 0 and TEXT on stdout.
done_ok() {
	check "$1: exit 0" eq "$RC" 0
	check "$1: says so" has "$OUT" "$2"
}
# refused WHAT TEXT: exit 1 and TEXT on the first line of stderr.
refused() {
	check "$1: exit 1" eq "$RC" 1
	check "$1: says why" eq "$(head -n1 "$ERR")" "$2"
}

# ---------------------------------------------------------------- dir pool

pool create "$POOL" --type dir --path "$DIR"
done_ok "dir pool create" "Storage pool $POOL (dir) created, built, started, starts at host boot."
check "dir pool create: the virsh line" has "$OUT" "(virsh: virsh -c $T_URI pool-define-as $POOL dir --target $DIR)"
check "dir pool create: running" eq "$(pool_field "$POOL" State)" running
check "dir pool create: autostart" eq "$(pool_field "$POOL" Autostart)" yes
check "dir pool create: the folder is made" test -d "$DIR"
pool create "$POOL" --path "$DIR"
refused "pool create: a name taken" "vmtui: A storage pool named $POOL exists already; pick another name."

pool list
check "pool list: a row with type and state" grep -qE "^$POOL +dir +running +yes " "$OUT"
pool list --json
check "pool list --json: exit 0" eq "$RC" 0
check "pool list --json: parses, with the pool" \
	eq "$(json "[p['type'] + ' ' + str(p['active']) + ' ' + p['target'] for p in j if p['name'] == '$POOL']")" "['dir True $DIR']"
pool info "$POOL" --json
check "pool info --json: parses" eq "$(json "j['name'], j['state'], j['autostart'], j['persistent']")" "$POOL running True True"

pool autostart "$POOL" --disable
done_ok "autostart --disable" "Storage pool $POOL will not start at host boot."
check "autostart --disable: virsh says no" eq "$(pool_field "$POOL" Autostart)" no
check "autostart --disable: the virsh line" has "$OUT" "pool-autostart $POOL --disable"
pool autostart "$POOL"
check "autostart: virsh says yes" eq "$(pool_field "$POOL" Autostart)" yes
pool stop "$POOL"
done_ok "pool stop" "Storage pool $POOL stopped."
check "pool stop: inactive" eq "$(pool_field "$POOL" State)" inactive
vol list "$POOL"
refused "vol list of a stopped pool" "vmtui: Storage pool $POOL is not running; start it first (vmtui pool start $POOL)."
pool stop "$POOL"
check "pool stop again: exit 1" eq "$RC" 1
check "pool stop again: libvirt's reason" grep -q "^vmtui: Cannot stop storage pool $POOL: .*not active" "$ERR"
pool start "$POOL"
done_ok "pool start" "Storage pool $POOL started."
check "pool start: running" eq "$(pool_field "$POOL" State)" running
pool refresh "$POOL"
done_ok "pool refresh" "Storage pool $POOL refreshed."
pool info nosuchpool
refused "pool info of no pool" "vmtui: There is no storage pool \"nosuchpool\" (vmtui pool list shows them)."

# ---------------------------------------------------------------- volumes

vol create "$POOL" a.qcow2 --size 64M
done_ok "vol create qcow2" "Volume a.qcow2 created in storage pool $POOL: 64 MiB qcow2."
check "vol create qcow2: the virsh line" has "$OUT" "vol-create-as $POOL a.qcow2 67108864b --format qcow2"
check "vol create qcow2: a qcow2 file" eq "$(qemu-img info --output=json "$DIR/a.qcow2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["format"])')" qcow2
vol create "$POOL" r.img --size 32M --format raw
done_ok "vol create raw" "Volume r.img created in storage pool $POOL: 32 MiB raw."
check "vol create raw: 32 MiB" eq "$(stat -c %s "$DIR/r.img")" 33554432
vol create "$POOL" o.qcow2 --backing a.qcow2
done_ok "vol create overlay" "Volume o.qcow2 created in storage pool $POOL: 64 MiB qcow2 on $DIR/a.qcow2."
check "vol create overlay: backed by a.qcow2" eq "$(qemu-img info --output=json "$DIR/o.qcow2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["backing-filename"])')" "$DIR/a.qcow2"
vol create "$POOL" a.qcow2 --size 1G
refused "vol create: a name taken" "vmtui: Storage pool $POOL has a volume a.qcow2 already; pick another name."
vol create "$POOL" x.img --backing nosuch.qcow2
refused "vol create: no such backing volume" "vmtui: There is no volume \"nosuch.qcow2\" in storage pool $POOL to back the new one."

vol list "$POOL" --json
check "vol list --json: exit 0" eq "$RC" 0
check "vol list --json: names, formats" eq "$(json "[(x['name'], x['format'], x['capacity']) for x in j]")" \
	"[('a.qcow2', 'qcow2', 67108864), ('o.qcow2', 'qcow2', 67108864), ('r.img', 'raw', 33554432)]"
check "vol list --json: the backing chain" eq "$(json "[x['backing'] for x in j if x['name'] == 'o.qcow2']")" "['$DIR/a.qcow2']"
vol list "$POOL"
check "vol list: text rows" grep -qE "^  o\.qcow2 +qcow2 +64 MiB .*$DIR/a\.qcow2" "$OUT"

vol resize "$POOL" a.qcow2 128M
done_ok "vol resize: grow" "Volume a.qcow2 of storage pool $POOL grown from 64 MiB to 128 MiB."
check "vol resize: the virsh line" has "$OUT" "vol-resize --pool $POOL a.qcow2 134217728b"
check "vol resize: virsh sees 128 MiB" eq "$(v vol-info --pool "$POOL" a.qcow2 --bytes | awk '/^Capacity:/ { print $2 }')" 134217728
vol resize "$POOL" a.qcow2 32M
refused "vol resize: a shrink" "vmtui: Volume a.qcow2 is 128 MiB; it cannot shrink to 32 MiB (volumes only grow: data past the new end would be lost)."
check "vol resize: a shrink changes nothing" eq "$(v vol-info --pool "$POOL" a.qcow2 --bytes | awk '/^Capacity:/ { print $2 }')" 134217728
vol resize "$POOL" a.qcow2 2X
refused "vol resize: not a size" "vmtui vol resize: \"2X\": unknown unit (use K, M, G or T; a bare number is GiB)."

vol clone "$POOL" r.img r2.img
done_ok "vol clone" "Volume r.img of storage pool $POOL cloned as r2.img."
check "vol clone: the copy exists" test -f "$DIR/r2.img"
printf 'vmtui' | dd of="$DIR/r2.img" conv=notrunc status=none
v pool-refresh "$POOL" >/dev/null
vol wipe "$POOL" r2.img
refused "vol wipe without a terminal nor --yes" "vmtui: not done: vol wipe $POOL asks for the name typed on a terminal; give --yes to do it without one."
vol wipe "$POOL" r2.img --yes
done_ok "vol wipe" "Volume r2.img of storage pool $POOL wiped (its data is zeros now)."
check "vol wipe: the data is gone" eq "$(head -c 5 "$DIR/r2.img" | tr -d '\0')" ""
vol delete "$POOL" r2.img
refused "vol delete without a terminal nor --yes" "vmtui: not done: vol delete $POOL asks for the name typed on a terminal; give --yes to do it without one."
vol delete "$POOL" r2.img --yes
done_ok "vol delete" "Volume r2.img of storage pool $POOL deleted."
check "vol delete: the file is gone" test ! -e "$DIR/r2.img"
vol delete "$POOL" r2.img --yes
refused "vol delete: no such volume" "vmtui: Storage pool $POOL has no volume \"r2.img\" (vmtui vol list $POOL shows them)."

# ---------------------------------------------------------------- in use

# two shut-off guests on one volume
for g in g1 g2; do
	cat >"$D/$g.xml" <<EOF
<domain type='qemu'><name>$P$g</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
<os><type arch='x86_64'>hvm</type></os><devices>
<disk type='file' device='disk'><driver name='qemu' type='raw'/>
<source file='$DIR/r.img'/><target dev='vda' bus='virtio'/></disk></devices></domain>
EOF
	v define "$D/$g.xml" >/dev/null
done
vol delete "$POOL" r.img --yes
refused "vol delete in use" "vmtui: Cannot delete volume r.img: guests ${P}g1, ${P}g2 use it; remove the disk from the guest or delete the guest first."
check "vol delete in use: the volume stays" test -f "$DIR/r.img"
vol wipe "$POOL" r.img --yes
refused "vol wipe in use" "vmtui: Cannot wipe volume r.img: guests ${P}g1, ${P}g2 use it; remove the disk from the guest or delete the guest first."
vol list "$POOL" --json
check "vol list --json: a shared volume and its users" eq "$(json "[(x['shared'], x['used_by']) for x in j if x['name'] == 'r.img']")" "[(True, '${P}g1, ${P}g2')]"
vol list "$POOL"
check "vol list: the shared volume marked" grep -qE "^! r\.img .*${P}g1, ${P}g2 \(WARNING: one volume, several guests\)" "$OUT"
pool list --json
check "pool list --json: the pool's users" eq "$(json "[p['used_by'] for p in j if p['name'] == '$POOL']")" "['${P}g1, ${P}g2']"
pool delete "$POOL" --contents --yes
refused "pool delete --contents in use" "vmtui: Cannot delete storage pool $POOL with its contents: guests ${P}g1, ${P}g2 have disks in it. Delete those guests or their disks first."
check "pool delete --contents in use: the pool stays" eq "$(pool_field "$POOL" State)" running
vol resize "$POOL" r.img 64M
done_ok "vol resize of a shut-off guest's volume" "grown from 32 MiB to 64 MiB."
v undefine "${P}g1" >/dev/null
v undefine "${P}g2" >/dev/null

# a running guest: its folder a pool
RUN=${P}run
if "$RS/guest.sh" define "$RUN" --net none >/dev/null 2>&1 && "$RS/guest.sh" start "$RUN" >/dev/null 2>&1; then
	GDIR=$("$RS/guest.sh" dir "$RUN")
	v pool-create-as "${P}guest" dir --target "$GDIR" >/dev/null
	vol resize "${P}guest" disk.qcow2 64M
	refused "vol resize of a running guest's disk" "vmtui: Cannot grow volume disk.qcow2: guest $RUN runs with it (grow a running guest's disk with vmtui resize --disk)."
	vol clone "${P}guest" disk.qcow2 copy.qcow2
	refused "vol clone of a running guest's disk" "vmtui: Cannot clone volume disk.qcow2: guest $RUN runs with it; shut it down first."
	pool stop "${P}guest"
	refused "pool stop under a running guest" "vmtui: Cannot stop storage pool ${P}guest: guest $RUN runs with disks in it. Shut them down first."
	pool list --json
	check "pool list --json: the running guest's pool" eq "$(json "[p['used_by'] for p in j if p['name'] == '${P}guest']")" "['$RUN']"
	v pool-destroy "${P}guest" >/dev/null
	"$RS/guest.sh" destroy "$RUN" >/dev/null 2>&1
	"$RS/guest.sh" undefine "$RUN" >/dev/null 2>&1
else
	not_ok "a running guest: tests/realstack/guest.sh could not define and start $RUN"
fi

# ---------------------------------------------------------------- delete

mkdir -p "$KDIR"
pool create "$KEEP" --path "$KDIR" --no-autostart
done_ok "second pool" "Storage pool $KEEP (dir) created, built, started."
vol create "$KEEP" k.img --size 1M --format raw
pool delete "$KEEP"
refused "pool delete without a terminal nor --yes" "vmtui: not done: pool delete $KEEP asks for the name typed on a terminal; give --yes to do it without one."
pool delete "$KEEP" --yes
done_ok "pool delete (contents kept)" "Storage pool $KEEP deleted (its storage is kept)."
check "pool delete: undefined" eq "$(v pool-list --all --name | grep -c "^$KEEP\$")" 0
check "pool delete: its volume stays" test -f "$KDIR/k.img"

pool delete "$POOL" --contents --yes
done_ok "pool delete --contents" "Storage pool $POOL deleted with its contents."
check "pool delete --contents: undefined" eq "$(v pool-list --all --name | grep -c "^$POOL\$")" 0
check "pool delete --contents: the folder is gone" test ! -e "$DIR"
check "pool delete --contents: the virsh line" has "$OUT" "pool-destroy $POOL && virsh -c $T_URI pool-delete $POOL && virsh -c $T_URI pool-undefine $POOL"

# ---------------------------------------------------------------- read-only

run pool -c "$T_URI" -r start "$KEEP"
refused "read-only" "vmtui: cannot start storage pool $KEEP: vmtui runs read-only (-r); nothing was changed. Drop -r to change it."

# ---------------------------------------------------------------- logical

# NOLVM: why no logical pool can be tried here, or empty (then LOOP is a
# loop device on a 64M file).
NOLVM=
if ! command -v vgcreate >/dev/null; then
	NOLVM="no vgcreate (Debian package lvm2)"
elif ! command -v losetup >/dev/null; then
	NOLVM="no losetup (Debian package mount)"
elif [ ! -e /dev/loop-control ]; then
	NOLVM="no /dev/loop-control: this machine gives no loop devices"
else
	truncate -s 64M "$LOOPIMG" && LOOP=$(losetup -f --show "$LOOPIMG" 2>/dev/null)
	[ -b "$LOOP" ] || { LOOP=; NOLVM="losetup cannot attach $LOOPIMG to a loop device"; }
fi
if [ -z "$NOLVM" ]; then
	pool create "${P}vg" --type logical --source-device "$LOOP" --source-name "$VG" --build
	done_ok "logical pool create (vgcreate on $LOOP)" "Storage pool ${P}vg (logical) created, built, started, starts at host boot."
	if [ "$RC" = 0 ]; then
		check "logical pool: the volume group" eval "vgs $VG >/dev/null"
		if grep -qw device-mapper /proc/misc; then
			vol create "${P}vg" lv1 --size 8M --format raw
			done_ok "logical volume create" "Volume lv1 created in storage pool ${P}vg: 8 MiB raw."
			check "logical volume: the LV" test -b "/dev/$VG/lv1"
			vol resize "${P}vg" lv1 16M
			done_ok "logical volume grow" "grown from 8 MiB to 16 MiB."
		else
			say "skip - logical volumes (lvcreate): this kernel has no device-mapper (not in /proc/misc; dmsetup version fails), so no LV can be made; the pool itself (vgcreate, vgremove) is tested"
		fi
		pool info "${P}vg" --json
		check "logical pool info: source" eq "$(json "j['source'], j['target']")" "$VG on $LOOP /dev/$VG"
		pool delete "${P}vg" --contents --yes
		done_ok "logical pool delete --contents" "Storage pool ${P}vg deleted with its contents."
		check "logical pool delete --contents: the VG is gone" eval "! vgs $VG >/dev/null 2>&1"
	fi
	losetup -d "$LOOP" 2>/dev/null
	LOOP=
else
	say "skip - logical pool: $NOLVM"
fi

# ---------------------------------------------------------------- netfs

NFSDIR=$FIX/${P}nfs
pool create "${P}nfs" --type netfs --source-host 127.0.0.1 --source-dir /srv/vmtuitest --path "$NFSDIR" --no-start --no-autostart
done_ok "netfs pool create (defined, not started)" "Storage pool ${P}nfs (netfs) created."
check "netfs pool: the source in its XML" eval "v pool-dumpxml ${P}nfs | grep -q \"<host name='127.0.0.1'/>\" && v pool-dumpxml ${P}nfs | grep -q \"<dir path='/srv/vmtuitest'/>\""
pool info "${P}nfs" --json
check "netfs pool info: host:dir" eq "$(json "j['source']")" "127.0.0.1:/srv/vmtuitest"
if ! grep -qw nfs /proc/filesystems; then
	say "skip - netfs pool mount: this kernel has no NFS client (no nfs in /proc/filesystems) and no NFS server runs here; the pool is defined and its XML checked, not mounted"
else
	pool start "${P}nfs"
	check "netfs start without a server: exit 1" eq "$RC" 1
	check "netfs start without a server: libvirt's reason" grep -q "^vmtui: Cannot start storage pool ${P}nfs: " "$ERR"
fi
pool delete "${P}nfs" --yes
done_ok "netfs pool delete" "Storage pool ${P}nfs deleted (its storage is kept)."

say "skip - -H (SSH hosts): tests/ssh runs the SSH transport; this suite uses -c"
summary
