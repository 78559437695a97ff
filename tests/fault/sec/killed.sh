#!/usr/bin/env bash
# tests/fault/sec/killed.sh — a guest's qemu killed with SIGKILL from
# outside: its row goes to shut off (or crashed) within 5 s, virsh agrees,
# the other guests are untouched, vmtui keeps running, the action log (L)
# shows the event.
#
# A section of the fault suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/fault/run.sh with the others. Env and helpers: ../faultlib.sh.
# shellcheck source=../faultlib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../faultlib.sh"

f_killed() {
	say "# 1. a guest's qemu killed with SIGKILL"
	guests_up || { not_ok "guests up"; return; }
	fault_vmtui 120 30 "$T_PREFIX" -d 2 || return
	wait_for 10 "kill row running" row_is "$G_KILL" running >/dev/null
	local pid t0
	pid=$(qemu_pid "$G_KILL")
	[ -n "$pid" ] || { not_ok "killed: /run/libvirt/qemu/$G_KILL.pid"; return; }
	kill -KILL "$pid"
	t0=$(now_us)
	check "killed: the row goes to shut off (or crashed) within 5 s" \
		wait_for 5 "row shut off" _matches "^$(re "$(shown "$G_KILL")") +(shut off|crashed) "
	say "    shown after $((($(now_us) - t0) / 1000)) ms; virsh: $(domstate "$G_KILL")"
	check "killed: virsh agrees (shut off)" wait_domstate "$G_KILL" "shut off" 5
	check "killed: the other guests are untouched (idle running, off shut off)" \
		wait_for 3 "others" both_others
	check "killed: vmtui keeps running" vt_alive
	vt_keys L
	check "killed: the action log shows the event ($G_KILL stopped)" \
		wait_screen "^[0-9:]{8}  event +.*$(re "$G_KILL") stopped" 5
	vt_esc
	check "killed: Esc back to the list, keys answered" wait_screen '^NAME +STATE' 5
	vt_keys q
	check "killed: q quits" wait_for 15 "exit" dead_pane
	vt_stop
	"$RS/guest.sh" start "$G_KILL" --wait 90 >&2
}
both_others() { row_is "$G_IDLE" running && row_is "$G_OFF" "shut off"; }
dead_pane() { ! vt_alive; }

fault_main f_killed
