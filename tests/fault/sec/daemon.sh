#!/usr/bin/env bash
# tests/fault/sec/daemon.sh — the private libvirt daemon (see
# ../faultlib.sh) killed with SIGKILL and restarted at random offsets within
# the refresh interval: keys answered within 1 s throughout, DISCONNECTED
# shown, the guest comes back, the action log says so.
#
# A section of the fault suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/fault/run.sh with the others. Env and helpers: ../faultlib.sh.
# shellcheck source=../faultlib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../faultlib.sh"

f_daemon() {
	say "# 6. the (private) daemon killed and restarted at random moments"
	if ((!PRIV)); then
		say "    skipped: no private daemon (needs root and runuser, or VMTUI_FAULT_DAEMON=1)"
		return
	fi
	local interval=0.5 cycle lat max=0 keys_ok=1 disc_ok=1 back_ok=1 t0
	p_vmtui 120 30 -d "$interval" || { not_ok "daemon: vmtui as $FAULT_USER"; return; }
	if ! wait_for 60 "connected" p_connected >/dev/null || ! filter_to "$P_GUEST" ||
		! wait_for 15 "guest running" p_row_running >/dev/null; then
		not_ok "daemon: vmtui shows the private daemon's guest"
		return
	fi
	for cycle in 1 2 3 4 5; do
		rsleep "$interval"
		p_kill || { not_ok "daemon: kill in cycle $cycle"; break; }
		t0=$(now_us)
		# keys answered while the connection is lost
		lat=$(key_latency '?' '^KEY +COMMAND')
		((lat > max)) && max=$lat
		((lat < 1000)) || keys_ok=0
		vt_esc
		if ((cycle % 2)); then
			wait_for 15 "DISCONNECTED" _matches "$(re "$P_URI").*DISCONNECTED" >/dev/null || disc_ok=0
			say "    cycle $cycle: DISCONNECTED after $((($(now_us) - t0) / 1000)) ms"
			lat=$(key_latency '?' '^KEY +COMMAND')
			((lat > max)) && max=$lat
			((lat < 1000)) || keys_ok=0
			vt_esc
		else
			say "    cycle $cycle: restarted at once"
		fi
		p_start || { not_ok "daemon: restart in cycle $cycle"; break; }
		rsleep "$interval"
		lat=$(key_latency '?' '^KEY +COMMAND')
		((lat > max)) && max=$lat
		((lat < 1000)) || keys_ok=0
		vt_esc
		if ! wait_for 60 "reconnected, guest running" p_back >/dev/null; then
			back_ok=0
			show_screen "cycle $cycle"
		fi
		say "    cycle $cycle: back after $((($(now_us) - t0) / 1000)) ms"
		vt_alive || break
	done
	check "daemon: vmtui survives 5 kill -9/restart cycles" vt_alive
	check "daemon: keys answered within 1 s throughout (slowest ${max} ms)" test "$keys_ok" = 1
	check "daemon: DISCONNECTED shown each time the daemon stayed dead" test "$disc_ok" = 1
	check "daemon: connected again with the guest running after every restart" test "$back_ok" = 1
	vt_keys L
	check "daemon: the action log says the connection was lost and reconnected" \
		wait_for 5 "log" log_conn
	vt_esc
	vt_keys q
	check "daemon: q quits with status 0" wait_for 15 "exit" exited_0
	vt_stop
}
log_conn() { _matches 'lost connection' && _matches 'reconnected'; }

fault_main --private-daemon f_daemon
