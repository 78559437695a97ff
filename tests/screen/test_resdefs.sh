#!/usr/bin/env bash
# tests/screen/test_resdefs.sh — storage pools and networks in definition
# files opened in the TUI with o: examples/lab.yaml (a dir pool, a NAT
# network, a guest on both) is planned with the pool and network first,
# applied with y, and planned again with nothing to change; a file with a
# network error shows it as file:line:col, as `vmtui plan` prints it.
#
# It runs vmtui on test:///default, libvirt's in-process test driver: the
# shared daemon is not touched.
#
# Env: BUILD (default build/). Ends with "N passed, N failed"; exit status
# 1 if any check failed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

T0=$SECONDS
T_URI=test:///default

scr_traps

scr_need "pools and networks screen" tmux
mkdir -p "$SCR_TMP/state"

# rd_open PATH: o, the path typed, Enter; the job view comes up.
rd_open() {
	vt_keys o
	wait_screen '^Open VM definitions:' 5 >/dev/null || return 1
	vt_type "$1"
	vt_keys Enter
	wait_screen "^Apply $(re "$1") on " 10 >/dev/null
}

LAB=$TOP/examples/lab.yaml
F=$SCR_TMP/files
mkdir -p "$F"
printf 'rd-net:\n  type: network\n  cidr: 10.20.0.0/24\n  hosts:\n    - {mac: "52:54:00:00:00:01", ip: 10.21.0.5}\n' >"$F/bad.yaml"

if ! { vt_vmtui 120 45 && wait_screen '^test +running' 15 >/dev/null; }; then
	not_ok "vmtui starts on $T_URI"
	show_screen "start"
	summary
	exit
fi

say "# examples/lab.yaml opened with o"
if rd_open "$LAB"; then
	check "plan: the pool is made first" wait_screen '^pool lab-images: create$' 10
	check "plan: the pool's definition" wait_screen '^  \+ define pool lab-images: dir, /var/lib/libvirt/lab-images$' 3
	check "plan: its folder, built" wait_screen '^  \+ build it: make its folder$' 3
	check "plan: the network" wait_screen '^network lab-net: create$' 3
	check "plan: the guest on both, without a problem" wait_screen '^lab1: create$' 3
	check "plan: the summary" wait_screen '^3 to create, 0 to update, 0 unchanged\.$' 3
	check "plan: y would apply it" wait_screen '^Press y to apply this plan, Esc to cancel\.' 5
	vt_keys y
	check "apply: done" wait_screen "^Applied $(re "$LAB") to " 20
	vt_esc
	check "Esc goes back to the list" wait_screen '^test +running' 5
	check "the new guest is listed" wait_screen '^lab1 +shut ?off' 10
else
	not_ok "lab.yaml: o opens the job view"
	show_screen "after o"
fi

say "# the same file again"
if rd_open "$LAB"; then
	check "plan again: the pool unchanged" wait_screen '^pool lab-images: no changes \(active\)$' 10
	check "plan again: the network unchanged" wait_screen '^network lab-net: no changes \(active\)$' 3
	check "plan again: nothing to do" wait_screen '^0 to create, 0 to update, 3 unchanged\.$' 3
	vt_esc
	wait_screen '^test +running' 5 >/dev/null
else
	not_ok "lab.yaml again: o opens the job view"
fi

say "# a network with a fixed host outside it"
want=$("$BUILD/vmtui" validate "$F/bad.yaml" 2>&1 </dev/null)
check "vmtui validate: the error at the fixed host" eq "$want" \
	"$F/bad.yaml:5:7: network \"rd-net\": a fixed host's ip is outside the network's cidr"
if rd_open "$F/bad.yaml"; then
	check "o: the same error on the screen" wait_screen "^$(re "$want")$" 10
	vt_esc
	check "Esc goes back to the list" wait_screen '^test +running' 5
else
	not_ok "bad.yaml: o opens the job view"
fi
vt_keys q
check "q quits" wait_for 10 "exit" vt_dead
vt_stop

say "# done in $((SECONDS - T0)) s"
summary
