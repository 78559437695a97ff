#!/usr/bin/env bash
# tests/fault/sec/concut.sh — the console stream cut: qemu killed with
# SIGKILL while attached with C, and while the console pane (V) is open (the
# guest destroyed while attached: tests/screen/test_console.sh).
#
# A section of the fault suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/fault/run.sh with the others. Env and helpers: ../faultlib.sh.
# shellcheck source=../faultlib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../faultlib.sh"

f_concut() {
	say "# 4. console stream cut (qemu killed with SIGKILL)"
	guests_up || { not_ok "guests up"; return; }
	fault_vmtui 120 30 "$G_KILL" -d 1 || return
	wait_for 5 "selected" selected_is "$G_KILL" >/dev/null
	MODES=$(term_modes)
	vt_keys C
	check "cut C: attached" wait_screen "^Connected to the console of $(re "$G_KILL")" 10
	kill -KILL "$(qemu_pid "$G_KILL")"
	check "cut C: back in vmtui by itself (alternate screen)" \
		wait_for 10 "back" alt_is 1
	check "cut C: the status line says the console closed as the guest stopped" \
		wait_screen "^The console of $(re "$G_KILL") closed: the guest stopped\." 5
	check "cut C: the row shows shut off" wait_for 10 "off" row_is "$G_KILL" "shut off"
	check "cut C: terminal modes as before the console (alternate, cursor, keypad, mouse)" \
		test "$(term_modes)" = "$MODES"
	check "cut C: keys answered (? shows the help)" keys_answered
	vt_esc
	"$RS/guest.sh" start "$G_KILL" --wait 90 >&2
	check "cut V: the row is running again" wait_for 15 "running" row_is "$G_KILL" running
	vt_keys V
	check "cut V: the pane is open" wait_screen "^Console $(re "$G_KILL") " 10
	kill -KILL "$(qemu_pid "$G_KILL")"
	check "cut V: the pane closes by itself, saying the guest stopped" \
		wait_screen "^The console of $(re "$G_KILL") closed: the guest stopped\." 10
	check "cut V: back to the list, the row shut off" wait_for 10 "off" row_is "$G_KILL" "shut off"
	check "cut V: vmtui keeps running" vt_alive
	local t0=$(now_us)
	vt_keys q
	check "cut V: q quits with status 0" wait_for 15 "exit" exited_0
	say "    quit took $((($(now_us) - t0) / 1000)) ms"
	vt_stop
	"$RS/guest.sh" start "$G_KILL" --wait 90 >&2
}
alt_is() { [ "$(vt_fmt '#{alternate_on}')" = "$1" ] || { WHY="alternate_on=$(vt_fmt '#{alternate_on}')"; return 1; }; }

fault_main f_concut
