#!/usr/bin/env bash
# tests/screen/test_manage.sh — snapshots (T), clone (Y) and delete (D)
# driven through tmux against the real daemon, with guests of our own
# (prefix vmtuimgr-s-, their folder a storage pool):
#   - the snapshot view: empty, the create form (default name, typed name
#     and a description with quotes, < and &), the new row marked current,
#     a taken name refused in the form, revert and delete after a question
#     (n keeps it), read-only refusals; checked with virsh;
#   - the clone dialog: a bad name refused as typed, then a full copy with
#     its progress bar at 100% and the outcome; the clone exists in virsh;
#   - the delete dialog: the wrong name refused, the right one with the
#     volume ticked deletes exactly that volume and shows the backup path,
#     which exists; read-only refusal.
# Env: KEEP_GUESTS=1, BUILD (default build/). Ends with "N passed, N failed".
set -uo pipefail

: "${T_PREFIX:=vmtuimgr-s-}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

P=$T_PREFIX
SRC=${P}src
CL=${P}cl
POOL=${P}pool

v() { virsh -q -c "$T_URI" "$@"; }
vol_ok() { v vol-info --pool "$POOL" "$1" >/dev/null 2>&1; }

remove_ours() { remove_guests "$P" "$POOL"; }

scr_traps remove_ours

# The status line of a 130x30 screen (the footer's first line).
STATUS_WAIT=20
snap_names() { v snapshot-list --name "$1" | sed '/^$/d' | tr '\n' ' '; }

# open NAME [ARGS]: vmtui filtered to NAME, which is selected.
open() {
	local name=$1
	shift
	vt_vmtui 130 30 -d 1 "$@" && wait_for 30 "connected" vt_connected || return 1
	vt_keys /
	wait_screen '^Filter:' 5 >/dev/null || return 1
	vt_type "$name"
	vt_keys Enter
	wait_for 15 "row $name" has_row "$name" || return 1
	vt_keys Home
	wait_for 5 "$name selected" is_selected "$name"
}

if ! stack_base_up; then
	not_ok "the daemon and fixture"
	summary
	exit 1
fi
KEEP_GUESTS='' remove_ours
"$RS/guest.sh" define "$SRC" >&2 || { not_ok "define $SRC"; summary; exit 1; }
G=$("$RS/guest.sh" dir "$SRC")
# 24M of data on the disk: the copy has something to show progress on.
qemu-io -f qcow2 -c 'write -P 0x55 0 24M' "$G/disk.qcow2" >/dev/null &&
	v pool-define-as "$POOL" dir --target "$G" >/dev/null && v pool-start "$POOL" >/dev/null ||
	not_ok "data on $SRC's disk, pool $POOL over its folder"
BACKUPS=$SCR_TMP/state/vmtui/backups

# ---- snapshots ----

open "$SRC"
vt_keys T
check "T opens the snapshot view" wait_screen "^Snapshots of $(re "$SRC") \(shut off\)  0 snapshots"
check "no snapshots yet" wait_screen "^  No snapshots yet: press c to create one\."
vt_keys c
check "c opens the form" wait_screen '^New snapshot:'
check "the default name is snap-DATE-TIME" wait_screen '^Name +snap-[0-9]{8}-[0-9]{6} *$'
vt_keys C-u
vt_type "tmux-1"
vt_keys Tab
vt_type 'with "quotes" & <tags>'
check "the description as typed" wait_screen '^Description +with "quotes" & <tags> *$'
vt_keys Enter
check "created: said in the dialog" wait_screen \
	"^Snapshot \"tmux-1\" of $(re "$SRC") created: disks of the shut-off guest"
check "created: the row, current, with its description" wait_screen \
	'^\* tmux-1 +[0-9-]{10} [0-9:]{8} +shutoff +- +with "quotes" & <tags> *$'
check "created: the count" wait_screen "^Snapshots of $(re "$SRC") \(shut off\)  1 snapshot$"
check "created: virsh lists it" eq "$(snap_names "$SRC")" "tmux-1 "
check "created: virsh has the description" eq \
	"$(v snapshot-dumpxml "$SRC" tmux-1 | xmllint --xpath 'string(/domainsnapshot/description)' -)" \
	'with "quotes" & <tags>'
vt_keys L
check "the action log has the virsh command" wait_screen \
	"^ +\\$ virsh -c $(re "$T_URI") snapshot-create-as $(re "$SRC") tmux-1 --description 'with \"quotes\" & <tags>'"
vt_esc
check "Esc: back to the snapshots from the log" wait_screen "^Snapshots of $(re "$SRC")"
vt_keys c
wait_screen '^New snapshot:' 5 >/dev/null
vt_keys C-u
vt_type "tmux-1"
vt_keys Enter
check "a taken name is refused in the form" wait_screen \
	"^$(re "$SRC") already has a snapshot \"tmux-1\"; pick another name\."
vt_keys C-u
vt_type "tmux-2"
vt_keys Enter
check "the second: current, child of the first" wait_screen '^\* tmux-2 +[0-9-]{10} [0-9:]{8} +shutoff +tmux-1'
check "the first is no longer current" wait_screen '^  tmux-1 '
vt_keys Up r
check "r asks, saying what the guest will be" wait_screen \
	"Revert $(re "$SRC") to snapshot \"tmux-1\""
check "r: afterwards shut off" wait_screen "afterwards it will be shut off\."
vt_keys y
check "revert: said in the dialog" wait_screen "^$(re "$SRC") reverted to \"tmux-1\"; it is shut off now\."
check "revert: virsh's current is tmux-1" eq "$(v snapshot-current --name "$SRC")" tmux-1
check "revert: marked current" wait_screen '^\* tmux-1 '
vt_keys x
check "x asks" wait_screen "Delete snapshot \"tmux-1\" of $(re "$SRC")"
vt_keys n
check "n keeps it" wait_status '^Cancelled\.'
check "n: virsh still has both" eq "$(snap_names "$SRC")" "tmux-1 tmux-2 "
vt_keys DC
wait_screen "Delete snapshot \"tmux-1\"" 5 >/dev/null
vt_keys y
check "deleted: said in the dialog" wait_screen "^Snapshot \"tmux-1\" of $(re "$SRC") deleted\."
check "deleted: said once: not again in the status line" eval '! status_is "^Snapshot"'
check "deleted: the row is gone" wait_no_screen '^[* ] tmux-1 '
check "deleted: virsh agrees" eq "$(snap_names "$SRC")" "tmux-2 "
vt_keys x
wait_screen "Delete snapshot \"tmux-2\"" 5 >/dev/null
vt_keys y
check "the last one deleted" wait_screen "^  No snapshots yet"
vt_keys r
check "r with no snapshots: refused" wait_status "^$(re "$SRC") has no snapshot to revert to\."
v snapshot-create-as "$SRC" outside >/dev/null
vt_keys C-l
check "^L reads the list again" wait_screen '^\* outside +[0-9-]{10} [0-9:]{8} +shutoff'
vt_esc
check "Esc goes back to the list" wait_screen '^NAME +STATE'
vt_stop

open "$SRC" -r
vt_keys T
wait_screen "^Snapshots of $(re "$SRC")" 10 >/dev/null
vt_keys c
check "read-only: create refused" wait_status \
	"^Cannot create a snapshot: vmtui runs read-only \(-r\); restart without -r to change guests\."
check "read-only: no form" wait_no_screen '^New snapshot:' 2
vt_esc
vt_keys Y
check "read-only: clone refused" wait_status \
	"^Cannot clone $(re "$SRC"): vmtui runs read-only \(-r\); restart without -r to change guests\."
vt_keys D
check "read-only: delete refused" wait_status \
	"^Cannot delete $(re "$SRC"): vmtui runs read-only \(-r\); restart without -r to change guests\."
vt_stop

# ---- a running guest: delete says it forces it off, clone refuses ----

v start "$SRC" >/dev/null
open "$SRC"
vt_keys D
check "delete dialog, running: forced off first" wait_screen \
	"^$(re "$SRC") is running: it will be forced off first \(unsaved data in the guest is lost\)\."
vt_esc
check "Esc leaves it running" eq "$(v domstate "$SRC")" running
vt_keys Y
check "clone dialog, running: refused as shown" wait_screen \
	"^$(re "$SRC") is running; shut it down first: a copy of a disk in use is inconsistent\."
vt_esc
vt_stop
v destroy "$SRC" >/dev/null

# ---- clone ----

open "$SRC"
vt_keys Y
check "Y opens the clone dialog" wait_screen "^Clone $(re "$SRC") \(shut off\)"
check "the default name" wait_screen "^New name +$(re "$SRC")-clone *\$"
check "the disk's plan: its size and what a full copy copies" wait_screen \
	"^  vda +$(re "$POOL")/disk\.qcow2 \(32\.0M disk, [0-9.]+[KMG]? to copy\) -> copy $(re "$SRC")-clone-vda\.qcow2"
COPY=$(grep -Eo '32\.0M disk, [0-9.]+[KMG]? to copy' <<<"$SCREEN" | sed -E 's/.*, ([^ ]+) to copy/\1/')
vt_keys C-u
vt_type "bad name"
check "a bad name is refused as typed" wait_screen \
	'^"bad name": use letters, digits and \. _ \+ - only \(it names files too\)\.'
vt_keys Enter
check "Enter with a bad name: refused" wait_status "^Cannot clone $(re "$SRC"): \"bad name\""
vt_keys C-u
vt_type "$CL"
check "the plan follows the name" wait_screen "-> copy $(re "$CL")-vda\.qcow2"
vt_keys Enter
check "the copy's progress at 100%, of what the plan said ($COPY)" \
	wait_screen "^\\[#+\\] +100% $(re "$COPY")/$(re "$COPY")" 60
check "the copy step" wait_screen "^copy vda: $(re "$POOL")/disk\.qcow2 -> $(re "$CL")-vda\.qcow2"
check "the outcome" wait_screen "^$(re "$SRC") cloned as $(re "$CL") \(new UUID and MACs; disks"
check "clone: virsh has it" eq "$(v domstate "$CL" 2>/dev/null)" "shut off"
check "clone: its volume" vol_ok "$CL-vda.qcow2"
check "clone: another UUID" test "$(v domuuid "$CL")" != "$(v domuuid "$SRC")"
vt_esc
vt_stop

# ---- delete ----

open "$CL"
vt_keys D
check "D opens the delete dialog" wait_screen "^Delete $(re "$CL") \(shut off\)"
check "the volume, unticked" wait_screen \
	"^  \[ \] vda +$(re "$G/$CL")-vda\.qcow2 \(disk, pool $(re "$POOL")\)"
check "where the backup goes" wait_screen "^Its definition is saved first in $(re "$BACKUPS")/"
vt_type "$SRC"
vt_keys Enter
check "the wrong name: refused" wait_screen \
	"^Not deleted: type the exact name $(re "$CL") to confirm \(typed: \"$(re "$SRC")\"\)\."
check "the wrong name: still defined" eq "$(v domstate "$CL" 2>/dev/null)" "shut off"
vt_keys C-u
vt_type "$CL"
vt_keys Tab Space
check "Space ticks the volume" wait_screen "^  \[x\] vda +$(re "$G/$CL")-vda\.qcow2"
vt_keys Enter
check "deleted: the outcome" wait_screen "^$(re "$CL") deleted\. Storage removed: $(re "$G/$CL")-vda\.qcow2 \(vda\)\." 30
BK=$(ls "$BACKUPS"/"$CL"-*.xml 2>/dev/null | head -n1)
check "deleted: the backup file" test -f "$BK"
check "deleted: its path on the screen" wait_screen "$(re "$(basename "$BK")")"
check "deleted: virsh has no guest" eq "$(v dominfo "$CL" >/dev/null 2>&1 && echo yes)" ""
check "deleted: its volume is gone" eq "$(vol_ok "$CL-vda.qcow2" && echo yes)" ""
check "deleted: the source's disk stays" vol_ok disk.qcow2
vt_esc
check "Esc: back to the list, without the row" wait_for 10 "no row $CL" eval '! has_row "$CL"'
vt_stop

summary
