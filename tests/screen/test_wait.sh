#!/usr/bin/env bash
# tests/screen/test_wait.sh — the WAIT% column and a host's load tables in
# the TUI, on test:///default (libvirt's in-process test driver: its guest
# "test" has two vCPUs on host CPU 15 of 16, one NIC and no disk stats;
# the shared daemon is not touched):
#   - the list has a WAIT% column beside CPU%; % sorts by it (the title says so), a
#     second % reverses; it is dropped before CPU% on a narrow terminal;
#   - the help screen lists sort-wait and the tables' commands;
#   - from the host view (h): c opens "by host CPU", one row per host CPU,
#     the guest's two vCPUs on CPU 15; s sorts by the next column, r
#     reverses, a click on a column's title sorts by it; c closes it;
#   - i opens "by network interface", b "by block device" (from another
#     table, it takes that one's place); Esc goes back to the host view;
#   - the detail view has the CPU wait graph and its line.
# Real figures (WAIT% rising on a busy host) are tests/integration/test_wait.sh's.
#
# Env: BUILD (default build/). Ends with "N passed, N failed"; exit status
# 1 if any check failed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

T_URI=test:///default
scr_traps
scr_need "WAIT% and host load screen" tmux
mkdir -p "$SCR_TMP/state"

vt_vmtui 120 40 -d 1
check "connected" wait_for 10 "connected" vt_connected
check "list: a WAIT% column beside CPU%, UPTIME still last" \
	wait_screen '^NAME +STATE +VC +CPU% +WAIT% +MEM/ALLOC .* UPTIME$' 5
check "list: the guest's WAIT% (none from the test driver)" wait_screen '^test +running +[0-9]+ +[0-9.-]+ +- +[0-9.]+[BKMGT]?/' 5
vt_keys %
check "%: sorted by WAIT% (title)" wait_screen 'refresh [0-9.]+s  sort wait' 5
vt_keys ?
check "?: the help" wait_screen '^KEY +COMMAND +WHERE +WHAT IT DOES' 5
vt_keys End
check "help: sort-wait" help_find 'sort-wait'
vt_keys End
check "help: host-cpus in the host view" help_find 'host-cpus'
vt_esc

vt_keys h
check "h: the host view" wait_screen 'Host CPU' 10
vt_keys c
check "c: by host CPU, 16 CPUs, sorted by CPU" wait_screen '^Host CPUs of .*: 16, sorted by CPU \(reversed\)' 10
check "c: column titles" wait_screen '^ CPU +LOAD% +VCPUS +PINNED +GUEST/VCPU' 5
check "c: CPU 0 first, no vCPU on it" wait_screen '^   0 +- +0 +0 *$' 5
check "c: the guest's two vCPUs on CPU 15" wait_screen '^  15 +[0-9.-]+ +2 +0 +test/0 test/1' 10
vt_keys s
check "s: sorted by the next column" wait_screen 'sorted by LOAD%   ' 5
vt_keys s
check "s: then VCPUS, CPU 15 (two vCPUs) first" wait_screen 'sorted by VCPUS   ' 5
first_row_15() {
	local t
	t=$(grep -n '^ CPU  *LOAD%' <<<"$SCREEN" | cut -d: -f1) || return 1
	[[ $(screen_line $((t + 1))) =~ ^\ +15\  ]]
}
check "s: CPU 15 first" wait_for 5 "CPU 15 first" first_row_15
vt_keys r
check "r: reversed" wait_screen 'sorted by VCPUS \(reversed\)' 5
# A click on the CPU title (line 2 of the screen: the body's second).
title_y=$(($(grep -n '^ CPU  *LOAD%' <<<"$SCREEN" | cut -d: -f1) - 1))
vt_click 2 "$title_y"
check "click: sorted by CPU" wait_screen 'sorted by CPU   ' 5
vt_keys c
check "c again: back to the host view" wait_no_screen '^Host CPUs of' 5
check "... the host view shown" wait_screen 'Host CPU' 5

vt_keys i
check "i: by network interface, none with counters here" \
	wait_screen '^Network interfaces of .*: 0, sorted by RX/s' 5
check "i: says why it is empty" wait_screen 'No running guest has one\.' 5
vt_keys b
check "b from the NIC table: by block device in its place" wait_screen '^Block devices of .*: 0,' 5
check "b: columns" wait_screen '^GUEST +DISK +RD/s +WR/s +RDOP/s +WROP/s +PATH' 5
vt_esc
check "Esc: back to the host view, not to the NIC table" wait_screen 'Host CPU' 5
check "... no table left" wait_no_screen '^(Network interfaces|Block devices) of' 3
vt_esc

# the WAIT% graph row is drawn where the info lines still fit below it
tm resize-window -t scr -x 120 -y 70 2>/dev/null
vt_keys Enter
check "detail: the CPU wait graph (a tall terminal)" wait_screen 'CPU wait \(WAIT%\)' 10
check "detail: the wait line names the source" \
	wait_screen '^CPU wait .* of the vCPUs. time \(' 10
vt_esc

vt_stop
vt_vmtui 60 20 -d 1
check "narrow: the guest listed" wait_screen '^test +running' 10
check "narrow: CPU% kept, WAIT% dropped" wait_screen '^NAME +STATE +VC +CPU%' 5
check "narrow: no WAIT%" wait_no_screen 'WAIT%' 2
vt_stop

summary
