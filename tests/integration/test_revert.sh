#!/usr/bin/env bash
# test_revert.sh — reverting to a snapshot of a guest whose vCPUs were
# resized live, against the real daemon with a guest of our own:
#   - vCPUs 1 -> 2 live (`vmtui resize`): vCPU 1 is plugged in after boot;
#   - `vmtui snapshot create` makes the snapshot with a warning on stderr
#     and promises no state back;
#   - `vmtui snapshot revert -y` refuses up front with the reason, and the
#     guest is untouched: still running, the same QEMU process (domain id),
#     the same current snapshot. (libvirt 9.0 would start QEMU with -loadvm
#     before plugging vCPU 1 back in; QEMU refuses the memory and the guest
#     is left shut off (failed).)
#   - after a shutdown and start (2 boot vCPUs) a new snapshot comes without
#     a warning and reverts: the guest runs, with 2 vCPUs online inside;
#   - the TUI (T, r on the first snapshot) says why and asks nothing.
# The guest is named vmtuirevert-i-* and removed at the end.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
# shellcheck source=../screen/screenlib.sh
. "$TOP/tests/screen/screenlib.sh"

P=vmtuirevert-i-
G=${P}hot
run_files revert

v() { virsh -q -c "$T_URI" "$@"; }
state() { v domstate "$1" 2>/dev/null | head -n1; }
in_guest() { VMTUI_URI=$T_URI "$RS/console-run.sh" -t 60 "$@"; }
remove_ours() { remove_guests "$P" "${P}nopool"; }
revert_cleanup() {
	vt_stop_all
	remove_ours
	rm -rf "$D" "$SCR_TMP"
}

stack_base_up || { say "cannot set up the daemon"; echo "0 passed, 1 failed"; exit 1; }
trap revert_cleanup EXIT
trap 'exit 130' INT TERM HUP
KEEP_GUESTS='' remove_ours

"$RS/guest.sh" define "$G" --vcpus 1 --maxvcpus 2 >&2 &&
	"$RS/guest.sh" start "$G" --wait 90 >&2 || { not_ok "define and start $G"; summary; exit 1; }

# ---- vCPU 1 plugged in live ----

run resize -c "$T_URI" "$G" --vcpus 2
check "resize: exit 0" eq "$RC" 0
check "resize: 2 vCPUs running" eq "$(v vcpucount "$G" --live --current)" 2
check "resize: vCPU 1 is plugged in after boot" eq \
	"$(v dumpxml "$G" | xmllint --xpath "string(//vcpus/vcpu[@id='1']/@hotpluggable)" -)" yes

PLUGGED="$G runs with vCPU 1 plugged in after boot, and libvirt cannot revert to a snapshot of its memory taken now: it starts QEMU from that memory before it plugs the vCPUs in again, and QEMU refuses the memory. vmtui will refuse to revert to this snapshot. For one that reverts, shut it down and start it again (it then boots with all its vCPUs) and take a new snapshot."
run snapshot create -c "$T_URI" "$G" hot
check "create: exit 0" eq "$RC" 0
check "create: promises no state back" is "$OUT" \
"Snapshot \"hot\" of $G created: disks and memory state (libvirt cannot revert to it; see the warning).
(virsh: virsh -c $T_URI snapshot-create-as $G hot --atomic)"
check "create: the warning" is "$ERR" "vmtui: warning: $PLUGGED"

ID=$(v domid "$G")
run snapshot revert -c "$T_URI" -y "$G" hot
check "revert: exit 1" eq "$RC" 1
check "revert: refused with the reason" is "$ERR" \
"vmtui: Cannot revert $G to \"hot\": the snapshot holds its memory with vCPU 1 plugged in after boot, and libvirt starts QEMU from that memory before it plugs the vCPUs in again, so QEMU would refuse the memory and leave $G shut off. $G stays as it is; snapshots taken after it was shut down and started again revert fine."
check "revert: nothing on stdout" eq "$(cat "$OUT")" ""
check "revert refused: the guest still runs" eq "$(state "$G")" running
check "revert refused: the same QEMU process" eq "$(v domid "$G")" "$ID"
check "revert refused: still 2 vCPUs" eq "$(v vcpucount "$G" --live --current)" 2
check "revert refused: hot is still current" eq "$(v snapshot-current --name "$G")" hot
# Without --yes the refusal comes before the question.
run snapshot revert -c "$T_URI" "$G" hot
check "revert without --yes: the reason, not the question" has "$ERR" \
	"vmtui: Cannot revert $G to \"hot\": the snapshot holds its memory"

# ---- the TUI: r says why and asks nothing ----

vt_vmtui 100 30
if wait_screen "$(re "$G")" 30 >/dev/null; then
	vt_keys /
	vt_type "$G"
	vt_keys Enter
	sleep 0.3
	vt_keys T
	check "TUI: the snapshot view" wait_screen "^Snapshots of $(re "$G") \(running\)  1 snapshot"
	vt_keys r
	check "TUI: r says why" wait_screen "Cannot revert $(re "$G") to \"hot\": the snapshot holds"
	check "TUI: r asks nothing" wait_no_screen "Revert $(re "$G") to snapshot" 2
	check "TUI: the guest still runs" eq "$(state "$G")" running
	check "TUI: the same QEMU process" eq "$(v domid "$G")" "$ID"
	vt_keys c
	check "TUI: the create form warns" wait_screen "^$(re "$G") runs with vCPU 1 plugged in after"
	vt_keys Escape
else
	not_ok "TUI: $G in the list"
fi
vt_stop_all

# ---- after a restart: 2 boot vCPUs, and the revert works ----

v destroy "$G" >/dev/null && "$RS/guest.sh" start "$G" --wait 90 >&2 || not_ok "restart $G"
check "restarted: no vCPU plugged in after boot" eq \
	"$(v dumpxml "$G" | xmllint --xpath "count(//vcpus/vcpu[@hotpluggable='yes'][@enabled='yes'])" -)" 0
run snapshot create -c "$T_URI" "$G" boot
check "create after restart: exit 0" eq "$RC" 0
check "create after restart: promises running" has "$OUT" \
	"created: disks and memory state (a revert brings $G back running)."
check "create after restart: no warning" eq "$(cat "$ERR")" ""
run snapshot revert -c "$T_URI" -y "$G" boot
check "revert after restart: exit 0" eq "$RC" 0
check "revert after restart: says it runs" has "$OUT" "$G reverted to \"boot\"; it is running now."
check "revert after restart: the guest runs" eq "$(state "$G")" running
check "revert after restart: 2 vCPUs online inside" eq \
	"$(in_guest "$G" 'cat /sys/devices/system/cpu/online' | tr -d '\r')" 0-1

summary
