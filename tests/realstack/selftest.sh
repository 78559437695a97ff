#!/usr/bin/env bash
# selftest.sh - end-to-end check of the real-stack test kit itself
# (build-guest.sh, daemon.sh, guest.sh, console-run.sh) against a real
# libvirtd + qemu (TCG).  It:
#   builds the fixture, starts the daemon, defines+starts two guests (one
#   --busy), measures boot time and when balloon stats appear, checks that
#   cpu.time grows (~1 s/s on the busy one), that balloon.*, block.0.* and
#   net.0.* stats exist, that the console shows VMTUI-GUEST-READY and runs a
#   command; then SIGKILLs libvirtd, checks the guests survive, restarts it,
#   checks they are listed as running again, and cleans up its guests.
# Leaves the daemon running and the fixture built.  Ends with the line
# "N passed, N failed"; exit status 0 only if nothing failed.
#
# Usage: tests/realstack/selftest.sh      (as root; ~1 minute)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PREFIX=vmtuitest-selftest-
A=${PREFIX}idle B=${PREFIX}busy
PASS=0 FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok   - $*"; }
nok() { FAIL=$((FAIL + 1)); echo "FAIL - $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else nok "$what"; fi; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

"$HERE/build-guest.sh"
"$HERE/daemon.sh" start
URI=$("$HERE/daemon.sh" uri)
export VMTUI_URI=$URI
v() { virsh -q -c "$URI" "$@"; }
stat_of() { v domstats "$1" | awk -F= -v k="$2" '{ sub(/^ +/, "", $1) } $1 == k { print $2 }'; }

trap '"$HERE/guest.sh" cleanup "$PREFIX" >/dev/null 2>&1 || true' EXIT
"$HERE/guest.sh" cleanup "$PREFIX"
"$HERE/guest.sh" define "$A" --net-traffic
"$HERE/guest.sh" define "$B" --busy

# --- guest A: boot time and when the balloon stats appear
t0=$(now)
"$HERE/guest.sh" start "$A"
declare -A first=()
logA=$("$HERE/guest.sh" dir "$A")/console.log
while :; do
    st=$(v domstats "$A" --balloon 2>/dev/null || true)
    for k in balloon.rss balloon.available balloon.unused balloon.usable; do
        [[ -z ${first[$k]:-} && $st == *"$k="* ]] && first[$k]=$(since "$t0")
    done
    [[ -z ${first[ready]:-} ]] && grep -qa VMTUI-GUEST-READY "$logA" 2>/dev/null && first[ready]=$(since "$t0")
    [[ -n ${first[ready]:-} && -n ${first[balloon.available]:-} && -n ${first[balloon.unused]:-} ]] && break
    awk -v t="$(since "$t0")" 'BEGIN { exit !(t > 60) }' && break
    sleep 0.2
done
echo "# $A: virsh start -> VMTUI-GUEST-READY: ${first[ready]:-never} s"
for k in balloon.rss balloon.available balloon.unused balloon.usable; do
    echo "# $A: $k first seen ${first[$k]:-never} s after virsh start"
done
check "$A boots to VMTUI-GUEST-READY" test -n "${first[ready]:-}"
for k in balloon.rss balloon.available balloon.unused; do
    check "$A has $k" test -n "${first[$k]:-}"
done

t0=$(now)
"$HERE/guest.sh" start "$B" --wait 60
echo "# $B: start -> ready $(since "$t0") s"
check "$B console log shows VMTUI-GUEST-READY" \
    grep -qa VMTUI-GUEST-READY "$("$HERE/guest.sh" dir "$B")/console.log"

# --- CPU time
sleep 2
a1=$(stat_of "$A" cpu.time) b1=$(stat_of "$B" cpu.time) w1=$(now)
sleep 5
a2=$(stat_of "$A" cpu.time) b2=$(stat_of "$B" cpu.time)
wall=$(since "$w1")
ra=$(awk -v d=$((a2 - a1)) -v w="$wall" 'BEGIN { printf "%.3f", d / 1e9 / w }')
rb=$(awk -v d=$((b2 - b1)) -v w="$wall" 'BEGIN { printf "%.3f", d / 1e9 / w }')
echo "# cpu.time growth over ${wall}s: $A ${ra} s/s, $B ${rb} s/s"
check "$A cpu.time grows" test "$a2" -gt "$a1"
check "$B cpu.time grows ~1 s/s (got $rb)" awk -v r="$rb" 'BEGIN { exit !(r > 0.7 && r < 1.3) }'

# --- block / net stats
for d in "$A" "$B"; do
    st=$(v domstats "$d" --block --interface)
    check "$d has block.0.* (vda)" grep -q 'block.0.name=vda' <<<"$st"
    check "$d has block.0.capacity=32 MiB" grep -q 'block.0.capacity=33554432' <<<"$st"
    check "$d has net.0.* counters" grep -q 'net.0.tx.bytes=' <<<"$st"
done
p1=$(stat_of "$A" net.0.tx.pkts); sleep 3; p2=$(stat_of "$A" net.0.tx.pkts)
check "$A net.0.tx.pkts grows with --net-traffic ($p1 -> $p2)" test "$p2" -gt "$p1"

# --- console
out=$("$HERE/console-run.sh" "$A" 'cat /sys/block/vda/size' || true)
echo "# console-run $A 'cat /sys/block/vda/size' -> '$out'"
check "console-run shows /sys/block/vda/size = 65536" test "$out" = 65536
rc=0; "$HERE/console-run.sh" "$B" 'echo "it'"'"'s"; (exit 3)' >/dev/null || rc=$?
check "console-run passes the guest's exit status (3)" test "$rc" = 3

# --- daemon crash and restart
pidA=$(cat "/run/libvirt/qemu/$A.pid" 2>/dev/null || true)
pidB=$(cat "/run/libvirt/qemu/$B.pid" 2>/dev/null || true)
"$HERE/daemon.sh" kill
sleep 1
check "qemu of $A survives libvirtd SIGKILL" kill -0 "${pidA:-0}"
check "qemu of $B survives libvirtd SIGKILL" kill -0 "${pidB:-0}"
check "daemon.sh status says not running" bash -c "! '$HERE/daemon.sh' status >/dev/null"
t0=$(now)
"$HERE/daemon.sh" restart
echo "# daemon restart -> ready in $(since "$t0") s"
for d in "$A" "$B"; do
    check "$d listed as running after restart" bash -c "virsh -q -c '$URI' list --name | grep -qx '$d'"
done
c1=$(stat_of "$B" cpu.time); sleep 1; c2=$(stat_of "$B" cpu.time)
check "$B cpu.time still reported and growing after restart" test "$c2" -gt "$c1"

"$HERE/guest.sh" cleanup "$PREFIX"
check "cleanup removed the test domains" bash -c "! virsh -q -c '$URI' list --all --name | grep -q '^$PREFIX'"
trap - EXIT

echo "$PASS passed, $FAIL failed"
((FAIL == 0))
