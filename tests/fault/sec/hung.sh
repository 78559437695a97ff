#!/usr/bin/env bash
# tests/fault/sec/hung.sh — the private daemon stopped (SIGSTOP) instead of
# killed: the stats connection has no keepalive of its own, the main one's
# must still find the daemon gone: DISCONNECTED with "keepalive timeout"
# within 30 s, keys answered throughout, connected again after SIGCONT.
#
# A section of the fault suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/fault/run.sh with the others. Env and helpers: ../faultlib.sh.
# shellcheck source=../faultlib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../faultlib.sh"

f_hung() {
	say "# 6b. the (private) daemon stopped with SIGSTOP mid-refresh"
	if [ -z "$P_RUN" ]; then
		say "    skipped: needs the private session daemon (root and runuser)"
		return
	fi
	local p t0 lat max=0 keys_ok=1
	p_vmtui 120 30 -d 0.5 || { not_ok "hung: vmtui as $FAULT_USER"; return; }
	if ! wait_for 60 "connected" p_connected >/dev/null || ! filter_to "$P_GUEST" ||
		! wait_for 15 "guest running" p_row_running >/dev/null; then
		not_ok "hung: vmtui shows the private daemon's guest"
		return
	fi
	rsleep 0.5
	p=$(p_daemon_pid) || { not_ok "hung: the daemon's pid"; return; }
	kill -STOP "$p"
	t0=$(now_us)
	while :; do
		vt_grab
		_matches "$(re "$P_URI").*DISCONNECTED" && break
		(($(now_us) - t0 < 30000000)) || break
		lat=$(key_latency '?' '^KEY +COMMAND')
		((lat > max)) && max=$lat
		((lat < 1000)) || keys_ok=0
		vt_esc
		sleep 0.5
	done
	say "    DISCONNECTED after $((($(now_us) - t0) / 1000)) ms"
	check "hung: DISCONNECTED within 30 s, saying keepalive timeout" \
		wait_for 1 "keepalive" _matches "$(re "$P_URI").*DISCONNECTED.*keepalive timeout"
	check "hung: keys answered within 1 s throughout (slowest ${max} ms)" test "$keys_ok" = 1
	kill -CONT "$p"
	check "hung: connected again with the guest running after SIGCONT" \
		wait_for 60 "reconnected, guest running" p_back
	vt_keys q
	check "hung: q quits with status 0" wait_for 15 "exit" exited_0
	vt_stop
}

fault_main --private-daemon f_hung
