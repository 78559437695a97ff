#!/usr/bin/env bash
# test_manage.sh — `vmtui snapshot`, `vmtui clone` and `vmtui delete`
# against the real daemon, with guests of our own (tests/realstack/guest.sh)
# whose folder is made a storage pool, checked with virsh and from inside
# the guests over their serial consoles:
#   - snapshots: a marker written to the guest's disk, a snapshot with the
#     memory state, the marker changed, revert: the guest runs again and
#     reads the first marker; a shut-off snapshot with a description full
#     of quotes, < and &; virsh agrees on the list, the current one and the
#     states; delete; refusals (raw disk, duplicate, bad name, no terminal,
#     read-only);
#   - clone: full (boots, has the marker, new UUID and MAC, its own volume)
#     and linked (a qcow2 overlay backed by the source's disk, boots);
#     refusals (source running, name taken, bad name, read-only) and the
#     rollback when the second disk cannot be made;
#   - delete: refused without the exact name, without a terminal, with a
#     disk it does not have, and for a disk another guest is built on;
#     done with the volume asked for (exactly that one removed), the backup
#     XML (mode 0600) defined again with virsh; snapshot metadata goes too.
# Every guest, volume and pool is named vmtuimgr-i-* and removed at the end.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

P=vmtuimgr-i-
SRC=${P}src   # the source: a pool over its folder
RAW=${P}raw   # a raw disk: no internal snapshots
FULL=${P}full
LNK=${P}lnk
BAD=${P}bad
POOL=${P}pool
run_files manage
export XDG_STATE_HOME=$D/state
BACKUPS=$XDG_STATE_HOME/vmtui/backups

v() { virsh -q -c "$T_URI" "$@"; }

# Our guests (with their snapshot metadata), volumes and pool.
remove_ours() { remove_guests "$P" "$POOL"; }

manage_cleanup() {
	remove_ours
	rm -rf "$D"
}

refused() {
	local what=$1 want=$2
	check "$what: exit 1" eq "$RC" 1
	check "$what: the message" is "$ERR" "$want"
}
in_guest() { VMTUI_URI=$T_URI "$RS/console-run.sh" -t 60 "$@"; }
marker() { in_guest "$1" 'dd if=/dev/vda bs=512 count=1 iflag=direct 2>/dev/null | head -c 5; echo'; }
write_marker() {
	in_guest "$1" "echo $2 | dd of=/dev/vda bs=512 count=1 conv=sync 2>/dev/null; sync" >/dev/null
}
state() { v domstate "$1" 2>/dev/null | head -n1; }
# wait_ready NAME LOG: VMTUI-GUEST-READY on the guest's console log.
wait_ready() {
	local deadline=$((SECONDS + 90))
	until grep -qa VMTUI-GUEST-READY "$2" 2>/dev/null; do
		((SECONDS < deadline)) || return 1
		sleep 0.5
	done
}
snap_names() { v snapshot-list --name "$1" | sed '/^$/d' | tr '\n' ' '; }
vol_exists() { v vol-info --pool "$POOL" "$1" >/dev/null 2>&1; }

stack_base_up || { say "cannot set up the daemon"; echo "0 passed, 1 failed"; exit 1; }
trap manage_cleanup EXIT
trap 'exit 130' INT TERM HUP
KEEP_GUESTS='' remove_ours

"$RS/guest.sh" define "$SRC" >&2 && "$RS/guest.sh" define "$RAW" >&2 ||
	{ not_ok "define the guests"; summary; exit 1; }
G=$("$RS/guest.sh" dir "$SRC")
v pool-define-as "$POOL" dir --target "$G" >/dev/null && v pool-start "$POOL" >/dev/null ||
	not_ok "pool $POOL over the folder of $SRC"
# $RAW's disk as a raw image.
GR=$("$RS/guest.sh" dir "$RAW")
qemu-img convert -O raw "$GR/disk.qcow2" "$GR/disk.raw" && chmod 0644 "$GR/disk.raw" &&
	v dumpxml --inactive "$RAW" | sed -e "s|type='qcow2'|type='raw'|" \
		-e "s|disk.qcow2|disk.raw|" >"$D/raw.xml" && v define "$D/raw.xml" >/dev/null ||
	not_ok "make $RAW's disk raw"

# ---- snapshots ----

"$RS/guest.sh" start "$SRC" --wait 90 >&2 || not_ok "start $SRC"
write_marker "$SRC" MARK1
check "the first marker is on the disk" eq "$(marker "$SRC")" MARK1

run snapshot list -c "$T_URI" "$SRC"
check "list, none: exit 0" eq "$RC" 0
check "list, none: says so" is "$OUT" "$SRC has no snapshots."

run snapshot create -c "$T_URI" "$SRC" live
check "create running: exit 0" eq "$RC" 0
check "create running: what was made" is "$OUT" \
"Snapshot \"live\" of $SRC created: disks and memory state (a revert brings $SRC back running).
(virsh: virsh -c $T_URI snapshot-create-as $SRC live --atomic)"
check "create running: virsh lists it" eq "$(snap_names "$SRC")" "live "
check "create running: virsh: state running" eq \
	"$(v snapshot-info "$SRC" live | awk '/^State:/ { print $2 }')" running
check "create running: virsh: current" eq "$(v snapshot-current --name "$SRC")" live
check "create running: the guest still runs" eq "$(state "$SRC")" running

run snapshot create -c "$T_URI" "$SRC" live
refused "create, name taken" "vmtui: $SRC already has a snapshot \"live\"; pick another name."
run snapshot create -c "$T_URI" "$SRC" a/b
refused "create, bad name" "vmtui: \"a/b\": a snapshot name cannot contain \"/\"."
run snapshot create -c "$T_URI" -r "$SRC" x
refused "create, read-only" \
	"vmtui: cannot create a snapshot of $SRC: vmtui runs read-only (-r); nothing was changed. Drop -r to change it."
run snapshot create -c "$T_URI" "$RAW" x
refused "create, raw disk" \
	"vmtui: $RAW: disk vda ($GR/disk.raw) is a raw image; internal snapshots need qcow2 disks. Convert it while $RAW is shut off (qemu-img convert -O qcow2) or use virsh snapshot-create-as --disk-only."
check "create, raw disk: nothing made" eq "$(snap_names "$RAW")" ""

write_marker "$SRC" MARK2
check "the second marker is on the disk" eq "$(marker "$SRC")" MARK2
run snapshot revert -c "$T_URI" "$SRC" live
refused "revert without a terminal or --yes" \
	"vmtui: Not reverted: give --yes to revert without a terminal."
run snapshot revert -c "$T_URI" -y "$SRC" nope
refused "revert to a snapshot that is not there" "vmtui: $SRC has no snapshot \"nope\" (any more)."
run snapshot revert -c "$T_URI" -y "$SRC" live
check "revert running: exit 0" eq "$RC" 0
check "revert running: says it runs" has "$OUT" "$SRC reverted to \"live\"; it is running now."
check "revert running: the guest runs" eq "$(state "$SRC")" running
check "revert running: the first marker is back" eq "$(marker "$SRC")" MARK1

"$RS/guest.sh" destroy "$SRC" >&2
DESC="before \"upgrade\" <v2> & more"
run snapshot create -c "$T_URI" "$SRC" off --description "$DESC"
check "create shut off: exit 0" eq "$RC" 0
check "create shut off: what was made" has "$OUT" \
	"Snapshot \"off\" of $SRC created: disks of the shut-off guest (a revert leaves $SRC shut off)."
check "create shut off: the description, exactly" eq \
	"$(v snapshot-dumpxml "$SRC" off | xmllint --xpath 'string(/domainsnapshot/description)' -)" "$DESC"
check "create shut off: virsh: state shutoff" eq \
	"$(v snapshot-info "$SRC" off | awk '/^State:/ { print $2 }')" shutoff
check "create shut off: parent is live" eq "$(v snapshot-parent "$SRC" off)" live
run snapshot list -c "$T_URI" "$SRC"
check "list: two, the current marked" eq "$(sed -E 's/  +/ /g; s/[0-9-]{10} [0-9:]{8}/T/' "$OUT")" \
" NAME CREATED STATE PARENT / DESCRIPTION
 live T running -
* off T shutoff live / $DESC
(* the current snapshot)"
run snapshot revert -c "$T_URI" -y "$SRC" live
check "revert shut off -> running: runs" eq "$(state "$SRC")" running
check "revert: virsh current is live" eq "$(v snapshot-current --name "$SRC")" live
run snapshot revert -c "$T_URI" -y "$SRC" off
check "revert to the shut-off one: says so" has "$OUT" "$SRC reverted to \"off\"; it is shut off now."
check "revert to the shut-off one: shut off" eq "$(state "$SRC")" "shut off"
run snapshot delete -c "$T_URI" -y "$SRC" off
check "delete: exit 0" eq "$RC" 0
check "delete: says so" has "$OUT" "Snapshot \"off\" of $SRC deleted."
check "delete: virsh agrees" eq "$(snap_names "$SRC")" "live "
run snapshot delete -c "$T_URI" "$SRC" live
refused "delete without a terminal or --yes" \
	"vmtui: Not deleted: give --yes to delete without a terminal."

# ---- clone ----

"$RS/guest.sh" start "$SRC" >&2
run clone -c "$T_URI" "$SRC" "$FULL"
refused "clone, source running" \
	"vmtui: Cannot clone $SRC: $SRC is running; shut it down first: a copy of a disk in use is inconsistent."
"$RS/guest.sh" destroy "$SRC" >&2
run clone -c "$T_URI" "$SRC" "$RAW"
refused "clone, name taken" "vmtui: Cannot clone $SRC: a guest named $RAW exists already."
run clone -c "$T_URI" "$SRC" "bad name"
refused "clone, bad name" \
	"vmtui: \"bad name\": use letters, digits and . _ + - only (it names files too)."
run clone -c "$T_URI" -r "$SRC" "$FULL"
refused "clone, read-only" \
	"vmtui: cannot clone $SRC: vmtui runs read-only (-r); nothing was changed. Drop -r to change it."
check "refusals made no volume" eq "$(v vol-list "$POOL" | grep -c "$FULL")" 0

run clone -c "$T_URI" "$SRC" "$FULL" --start
check "full clone: exit 0" eq "$RC" 0
check "full clone: the copy step" has "$OUT" "copy vda: $POOL/disk.qcow2 -> $FULL-vda.qcow2"
check "full clone: 100%" has "$OUT" "  100%"
check "full clone: the virsh command" has "$OUT" \
	"(virsh: virsh -c $T_URI vol-clone --pool $POOL disk.qcow2 $FULL-vda.qcow2)"
check "full clone: the result" has "$OUT" \
	"$SRC cloned as $FULL (new UUID and MACs; disks $G/$FULL-vda.qcow2 (vda)). It is starting."
check "full clone: its volume" vol_exists "$FULL-vda.qcow2"
check "full clone: its disk" eq "$(v domblklist "$FULL" | awk '$1 == "vda" { print $2 }')" \
	"$G/$FULL-vda.qcow2"
check "full clone: boots" wait_ready "$FULL" "$G/$FULL-console.log"
check "full clone: another UUID" test "$(v domuuid "$FULL")" != "$(v domuuid "$SRC")"
M_SRC=$(v domiflist "$SRC" | awk '{ print $NF }')
M_FULL=$(v domiflist "$FULL" | awk '{ print $NF }')
check "full clone: a MAC" grep -qE '^52:54:00(:[0-9a-f]{2}){3}$' <<<"$M_FULL"
check "full clone: another MAC" test "$M_FULL" != "$M_SRC"
check "full clone: the source's data" eq "$(marker "$FULL")" MARK1

run clone -c "$T_URI" "$SRC" "$LNK" --linked
check "linked clone: exit 0" eq "$RC" 0
check "linked clone: the overlay step" has "$OUT" \
	"(virsh: virsh -c $T_URI vol-create-as $POOL $LNK-vda.qcow2 33554432B --format qcow2 --backing-vol $G/disk.qcow2 --backing-vol-format qcow2)"
check "linked clone: backed by the source's disk" eq \
	"$(v vol-dumpxml --pool "$POOL" "$LNK-vda.qcow2" | xmllint --xpath 'string(/volume/backingStore/path)' -)" \
	"$G/disk.qcow2"
check "linked clone: shut off" eq "$(state "$LNK")" "shut off"
"$RS/guest.sh" start "$LNK" >&2
check "linked clone: boots" wait_ready "$LNK" "$G/$LNK-console.log"
check "linked clone: the source's data" eq "$(marker "$LNK")" MARK1
check "linked clone: another UUID" test "$(v domuuid "$LNK")" != "$(v domuuid "$SRC")"

# Rollback: the second disk's volume is taken, so the first is removed again.
qemu-img create -q -f qcow2 "$G/data.qcow2" 16M && v pool-refresh "$POOL" >/dev/null &&
	v attach-disk "$SRC" "$G/data.qcow2" vdb --driver qemu --subdriver qcow2 --config >/dev/null &&
	v vol-create-as "$POOL" "$BAD-vdb.qcow2" 1M >/dev/null || not_ok "set up the rollback"
run clone -c "$T_URI" "$SRC" "$BAD"
refused "clone, second disk taken: rolled back" \
	"vmtui: Cannot clone $SRC as $BAD: Pool $POOL already has a volume $BAD-vdb.qcow2; remove it or pick another name. Removed again: $BAD-vda.qcow2."
check "rollback: the first volume is gone" eq "$(vol_exists "$BAD-vda.qcow2" && echo yes)" ""
check "rollback: no guest" eq "$(v dominfo "$BAD" >/dev/null 2>&1 && echo yes)" ""
v vol-delete --pool "$POOL" "$BAD-vdb.qcow2" >/dev/null
v detach-disk "$SRC" vdb --config >/dev/null

# ---- delete ----

run delete -c "$T_URI" "$FULL"
refused "delete without a terminal" \
	"vmtui: not deleting $FULL: confirm with --yes-i-typed followed by its exact name, or run this on a terminal to type it."
run delete -c "$T_URI" "$FULL" --yes-i-typed "${FULL}x"
refused "delete, wrong name" \
	"vmtui: not deleting $FULL: the name given with --yes-i-typed is not its exact name."
# on_tty TEXT ARGS...: vmtui on a terminal (script(1)), TEXT typed.
on_tty() {
	local text=$1 cmd
	shift
	printf -v cmd '%q ' "$VMTUI" "$@"
	printf '%s\n' "$text" | script -qec "$cmd" /dev/null >"$OUT" 2>&1
	RC=$?
}
on_tty "${FULL}x" delete -c "$T_URI" "$FULL"
check "delete on a terminal, wrong name typed: exit 1" eq "$RC" 1
check "delete on a terminal: asks for the name" has "$OUT" "Type the name of the VM to delete it: "
check "delete on a terminal, wrong name typed: refused" has "$OUT" \
	"vmtui: not deleting $FULL: the name typed is not its exact name."
check "delete on a terminal, wrong name typed: still there" eq "$(state "$FULL")" running
run delete -c "$T_URI" -r "$FULL" --yes-i-typed "$FULL"
refused "delete, read-only" \
	"vmtui: cannot delete $FULL: vmtui runs read-only (-r); nothing was changed. Drop -r to change it."
run delete -c "$T_URI" "$FULL" --storage vdz --yes-i-typed "$FULL"
refused "delete, no such disk" "vmtui: Cannot delete $FULL: $FULL has no disk vdz; its disks: vda. Nothing was deleted."
"$RS/guest.sh" destroy "$LNK" >&2
run delete -c "$T_URI" "$SRC" --storage vda --yes-i-typed "$SRC"
refused "delete, a disk another is built on" \
	"vmtui: Cannot delete $SRC: The storage of vda cannot be removed: $G/disk.qcow2 is the backing image of $LNK-vda.qcow2. Nothing was deleted."
check "refusals deleted nothing" eq "$(state "$FULL")" running
check "refusals wrote no backup" eq "$(ls "$BACKUPS" 2>/dev/null | wc -l)" 0

run delete -c "$T_URI" "$FULL" --storage vda --yes-i-typed "$FULL"
check "delete: exit 0" eq "$RC" 0
BK=$(ls "$BACKUPS"/"$FULL"-*.xml 2>/dev/null | head -n1)
check "delete: the backup is named NAME-DATE.xml" grep -qE "/$FULL-[0-9]{8}-[0-9]{6}\.xml\$" <<<"$BK"
check "delete: what it did" has "$OUT" \
	"$FULL deleted (forced off first). Storage removed: $G/$FULL-vda.qcow2 (vda). Kept: none. Its definition is saved in $BK (virsh define it to bring the guest back)."
check "delete: forced off with virsh destroy" has "$OUT" \
	"force off before deleting: done (virsh: virsh -c $T_URI destroy $FULL)"
check "delete: the guest is gone" eq "$(v dominfo "$FULL" >/dev/null 2>&1 && echo yes)" ""
check "delete: its volume is gone" eq "$(vol_exists "$FULL-vda.qcow2" && echo yes)" ""
check "delete: the others stay" eq "$(vol_exists disk.qcow2 && vol_exists "$LNK-vda.qcow2" && echo yes)" yes
check "delete: the backup is mode 0600" eq "$(stat -c %a "$BK")" 600
check "delete: the backup folder is 0700" eq "$(stat -c %a "$BACKUPS")" 700
check "delete: the backup defines again" v define "$BK"
check "delete: defined again, same name" eq "$(v domstate "$FULL")" "shut off"
v undefine "$FULL" >/dev/null

run snapshot create -c "$T_URI" "$LNK" mine --description "kept in the disk"
check "a snapshot of the linked clone" eq "$RC" 0
on_tty "$LNK" delete -c "$T_URI" "$LNK"
check "delete with snapshots, name typed on a terminal: exit 0" eq "$RC" 0
check "delete with snapshots: gone" eq "$(v dominfo "$LNK" >/dev/null 2>&1 && echo yes)" ""
check "delete with snapshots: undefine removed their metadata" has "$OUT" \
	"undefine: done (virsh: virsh -c $T_URI undefine $LNK --managed-save --snapshots-metadata --checkpoints-metadata --nvram)"
check "delete with snapshots: the volume is kept" vol_exists "$LNK-vda.qcow2"
check "delete with snapshots: says it is kept" has "$OUT" "Kept: $G/$LNK-vda.qcow2 (vda)."
BK=$(ls "$BACKUPS"/"$LNK"-*.xml 2>/dev/null | head -n1)
check "delete with snapshots: the backup names them" grep -qF \
	"Snapshots (their metadata went with the guest): mine" "$BK"

# The test scripts' own clean-up (tests/realstack/guest.sh cleanup) on a
# guest with a snapshot: a plain virsh undefine refuses it.
"$RS/guest.sh" define "${P}snap" >&2 && v snapshot-create-as "${P}snap" one >/dev/null
check "guest.sh cleanup: a guest with a snapshot to remove" eq "$(snap_names "${P}snap")" "one "
"$RS/guest.sh" cleanup "${P}snap" >&2
check "guest.sh cleanup removes a guest with snapshots" \
	eq "$(v dominfo "${P}snap" >/dev/null 2>&1 && echo yes)" ""

summary
