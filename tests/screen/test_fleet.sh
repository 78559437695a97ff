#!/usr/bin/env bash
# tests/screen/test_fleet.sh — a fleet in one view, driven through tmux:
# the header's fleet line (hosts up and down, guests by state, hosts
# overcommitted) at 80x24 and at 200x60, the hosts' headings with their
# overcommit ratios, and a host that hangs (accepts SSH and never answers)
# or is gone (its node file missing) stalling none of the others: keys
# move, filter and sort the list meanwhile.
#
# The hosts are test:/// drivers of node files made here (no real guest,
# the shared daemon is not touched), named in a config.yaml: rack1 (4
# CPUs, 8 GiB) and rack2 (64 CPUs, 256 GiB) with 12 guests each, rack3
# (2 CPUs, 2 GiB) with 4, "gone" (no node file: down at once) and
# "hung" (connecting until SSH's timeout, then down and retried). The test driver reports only
# guests' states; bench/libcountstats.so (built here) makes up the rest of
# a real guest's stats as for the benchmarks: 1 GiB and 1-4 vCPUs each.
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
scr_need "fleet screen" tmux perl python3
scr_traps
make -s -C "$BUILD" bench/libcountstats.so >/dev/null ||
	{ say "cannot build bench/libcountstats.so"; echo "0 passed, 1 failed"; exit 1; }
SHIM=$BUILD/bench/libcountstats.so
NODES=$SCR_TMP/nodes
mkdir -p "$NODES" "$SCR_TMP/xdg/vmtui"

# node NAME CPUS GIB GUESTS: a node file; guests 2 of 3 running, the
# rest shut off, one in 4 of the running ones paused.
node() {
	local name=$1 cpus=$2 gib=$3 n=$4 i st
	{
		echo "<node><cpu><mhz>2400</mhz><model>x86_64</model><nodes>1</nodes>"
		echo "<sockets>1</sockets><cores>$cpus</cores><threads>1</threads>"
		echo "<active>$cpus</active></cpu><memory>$((gib * 1024 * 1024))</memory>"
		for ((i = 0; i < n; i++)); do
			st=1
			((i % 3 == 2)) && st=5
			((i % 3 != 2 && i % 4 == 1)) && st=3
			printf "<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"
			printf "<name>%s-web-%02d</name><memory unit='MiB'>1024</memory>" "$name" "$i"
			printf "<vcpu>4</vcpu><os><type>hvm</type></os>"
			printf "<test:runstate>%s</test:runstate></domain>\n" "$st"
		done
		echo "</node>"
	} >"$NODES/$name.xml"
}
node rack1 4 8 12
node rack2 64 256 12
node rack3 2 2 4

# A host that accepts the SSH connection and never says a word.
HUNG_PORT_FILE=$SCR_TMP/hung.port
python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
held = []
while True:
    c, _ = s.accept(); held.append(c)
' "$HUNG_PORT_FILE" &
HUNG_PID=$!
stop_hung() { kill "$HUNG_PID" 2>/dev/null || true; }
scr_traps stop_hung
for _ in $(seq 50); do [ -s "$HUNG_PORT_FILE" ] && break; sleep 0.1; done
HUNG_PORT=$(cat "$HUNG_PORT_FILE")

cat >"$SCR_TMP/xdg/vmtui/config.yaml" <<EOF
hosts:
  - {name: rack1, uri: "test://$NODES/rack1.xml"}
  - {name: rack2, uri: "test://$NODES/rack2.xml"}
  - {name: rack3, uri: "test://$NODES/rack3.xml"}
  - {name: gone, uri: "test://$NODES/missing.xml"}
  - {name: hung, ssh: "127.0.0.1:$HUNG_PORT"}
EOF

# fleet_vmtui COLS ROWS: vmtui on the config's five hosts.
fleet_vmtui() {
	vt_start "$1" "$2" env -u LC_ALL -u LC_CTYPE -u LC_MESSAGES -u NO_COLOR \
		-u LIBVIRT_DEFAULT_URI LANG=C.UTF-8 XDG_CONFIG_HOME="$SCR_TMP/xdg" \
		XDG_STATE_HOME="$SCR_TMP/state" LD_PRELOAD="$SHIM" VMTUI_BENCH_FAKESTATS=1 \
		"$BUILD/vmtui" -d 1 --known-hosts "$SCR_TMP/known_hosts"
}
line2() { vt_grab; sed -n 2p <<<"$SCREEN"; }
# the fleet line (the header's second line) matches the ERE $1
fleet_line() {
	local l
	l=$(line2)
	grep -Eq -- "$1" <<<"$l" || { WHY="line 2: $l"; return 1; }
}
fits() { local l; l=$(line2); [ "${#l}" -le "$1" ] || { WHY="${#l} > $1: $l"; return 1; }; }
# the list's column titles on line 3
list_on_3() { [[ $(sed -n 3p <<<"$SCREEN") == NAME* ]] || { WHY="line 3 is not the titles"; return 1; }; }
# rack2's heading says no overcommit
rack2_plain() {
	local l
	l=$(grep -E '^. rack2 ' <<<"$SCREEN")
	[ -n "$l" ] && [[ $l != *overcommit* ]] || { WHY="rack2: $l"; return 1; }
}
# rack1's first guest is the selected row (drawn in the selection colours)
rack1_first_selected() {
	vt_grab_e | perl "$SCR_DIR/sgr.pl" |
		awk -F'\t' '$5 ~ /^  rack1-web-00 / && $2 != "d" { f = 1 } END { exit !f }' ||
		{ WHY="rack1-web-00 not selected"; return 1; }
}
# only rack2's guests 10 and 11 are listed
filtered() {
	! grep -q 'rack1-web' <<<"$SCREEN" && grep -q 'rack2-web-11' <<<"$SCREEN" ||
		{ WHY="not filtered"; return 1; }
}

# 3 hosts up; 28 guests: 12 of rack1 = 6 running, 2 paused, 4 off; the
# same on rack2; rack3's 4 = 2 running, 1 paused, 1 off.
say "# the fleet at 80x24"
fleet_vmtui 80 24
check "80x24: the fleet line counts hosts up, down and connecting" \
	wait_for 30 "fleet line" fleet_line '^5 hosts: 3 up, (1 down, 1 connecting|2 down)  VMs: 14 run, 5 paused, 9 off  Over: '
check "80x24: vCPU overcommit on 2 hosts, memory on 1 (counts only)" \
	wait_for 15 "overcommit" fleet_line '  Over: vCPU 2, mem 1 *$'
check "80x24: the fleet line fits the width" fits 80
check "80x24: the title stays the first line" wait_screen '^vmtui .* refresh 1s' 5
check "80x24: the list starts on line 3, a heading first" \
	wait_for 5 "list on line 3" list_on_3
vt_stop

say "# the fleet at 200x60"
fleet_vmtui 200 60
check "200x60: the fleet line names the host down and the worst overcommitted" \
	wait_for 30 "fleet line" fleet_line '^Fleet: 5 hosts: 3 up, (1 down \(gone\), 1 connecting|2 down \(first gone\))  28 guests: 14 running, 5 paused, 9 off  Overcommit: vCPU on 2 hosts \(worst rack1 [0-9.]+x\), memory on 1 host \(rack3 1\.5x\)$'
check "200x60: rack3's heading says both its overcommit ratios" \
	wait_screen '^. rack3 .*vCPU overcommit [0-9.]+x mem overcommit 1\.5x' 10
check "200x60: rack2's heading has no overcommit" \
	wait_for 5 "rack2 heading" rack2_plain
check "200x60: the host gone is down, with libvirt's reason" \
	wait_screen '^. test://.*/missing\.xml  DISCONNECTED, retry in [0-9]+s: .*missing\.xml' 10
check "200x60: the hung host's heading: connecting, or down after the SSH timeout" \
	wait_screen "^. qemu:///system via ssh 127\.0\.0\.1:$HUNG_PORT  (connecting|DISCONNECTED)" 10

# The hung host holds its worker forever: the others still answer keys.
say "# keys while a host hangs"
vt_keys Home
vt_keys j
check "hung host: Down selects rack1's first guest" \
	wait_for 5 "selection" rack1_first_selected
vt_type /rack2-web-1
check "hung host: the filter narrows the list as typed" \
	wait_for 5 "filtered" filtered
vt_keys Enter
vt_keys c
check "hung host: a sort change is shown at once" wait_screen 'sort cpu' 5
check "hung host: refreshes go on (the fleet line still complete)" \
	wait_for 10 "fleet line" fleet_line '28 guests: 14 running'
check "hung host: vmtui still runs" vt_alive
vt_keys q
vt_stop
say "fleet screen tests took $((SECONDS - T0)) s"
summary
