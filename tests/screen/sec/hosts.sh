#!/usr/bin/env bash
# tests/screen/sec/hosts.sh — several hosts: guests grouped under foldable
# host headings, actions on a heading refused, the host view (h) with pools
# and versions.
#
# A section of the screen suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/screen/run.sh with the others. Env and helpers: ../seclib.sh.
# shellcheck source=../seclib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../seclib.sh"

heading_refused() { vt_alive && _matches 'A host line is selected: pick a guest below it'; }
sec_hosts() {
	say "# 15. several hosts"
	vt_vmtui 120 30 -d 1 -c test:///default || { not_ok "hosts: vmtui starts"; return; }
	check "hosts: a heading per host, with URI, vCPUs and memory given to guests" \
		wait_screen "^. .*$(re "$T_URI") .*vCPUs [0-9]+/[0-9]+ +Alloc" 30
	check "hosts: the second host's heading and its guest (test driver's 'test')" \
		wait_screen '^. .*test:///default .*VMs: 1 running' 10
	check "hosts: guests are indented under their host" wait_screen '^  test +running' 10
	vt_keys End
	vt_keys k
	vt_keys S
	check "hosts: an action on a heading asks for a guest" \
		wait_screen 'A host line is selected: pick a guest below it' 5
	vt_keys Z
	sleep 0.3
	vt_keys C
	sleep 0.3
	vt_keys V
	check "hosts: resize and console on a heading are refused the same way, vmtui still runs" \
		wait_for 5 "refused, alive" heading_refused
	vt_keys Enter
	check "hosts: Enter folds the host (its guests hidden)" \
		wait_no_screen '^  test +running' 5
	vt_keys Enter
	check "hosts: Enter again unfolds it" wait_screen '^  test +running' 5
	vt_keys Home
	vt_keys h
	check "hosts: h opens the host view with CPU and memory graphs" \
		wait_screen '^Host CPU .*Host memory used' 10
	check "hosts: the host view lists storage pools with free space" \
		wait_screen "^$(re "$T_POOL") +dir +active +[0-9.]+[KMGT] +[0-9.]+[KMGTB]+ +[0-9.]+[KMGT]" 15
	check "hosts: the host view shows the node and libvirt versions" \
		wait_screen 'CPUs \(.*libvirt [0-9]+\.[0-9]+\.[0-9]+' 10
	vt_esc
	check "hosts: Esc returns to the list" wait_screen '^NAME +STATE' 5
	vt_stop
}

section_main sec_hosts
