#!/usr/bin/env bash
# test_bulk.sh — the commands taking many guests (`vmtui start|shutdown|
# reboot|off|autostart|list`, `snapshot create|delete --name`, `delete`)
# against the real daemon, with guests of our own:
#   a, b, c   power off on the ACPI button (guest.sh define --acpi)
#   deaf      ignores the ACPI button: its shutdown fails on purpose
#   broken    its disk removed: its start fails on purpose
# Checks: a glob start starts the four good ones and fails the broken one
# (exit 1, one line per guest, the others not stopped); a second start
# skips them (exit 0); a name or glob matching nothing does nothing
# (exit 1); list and --json; a shutdown followed to shut off for a and b
# while deaf fails when the wait passes (virsh agrees on each state);
# a reboot followed to its end; off -y; autostart; snapshots by name on
# two guests and virsh's list of them; delete of two with the typed words.
# Guests are named ${T_PREFIX:-vmtui-bulk-}it-* and removed at the end.
set -uo pipefail
T_PREFIX=${T_PREFIX:-vmtui-bulk-}
. "$(dirname "$0")/../lib.sh"

P=${T_PREFIX}it-
export VMTUI_FIXTURES=${VMTUI_FIXTURES_ACPI:-/var/tmp/vmtui-fixtures-bulk}
run_files bulk
export XDG_STATE_HOME=$D/state

"$RS/daemon.sh" start >&2
T_URI=${VMTUI_URI:-$("$RS/daemon.sh" uri)}
export T_URI

cleanup() {
	remove_guests "$P" "${P}nopool"
	rm -rf "$D"
}
trap cleanup EXIT

state() { vsh domstate "$1" 2>/dev/null | head -n1; }
# ready NAME COUNT: the guest wrote its "power button" (or READY) line more
# than COUNT times: it has booted since.
READY_ACPI="power button powers off"
lines() { grep -ac "$2" "$("$RS/guest.sh" dir "$1")/console.log" 2>/dev/null || echo 0; }
booted() { [ "$(lines "$1" "$2")" -gt "$3" ]; }

remove_guests "$P" "${P}nopool"
for g in a b c; do
	"$RS/guest.sh" define "${P}$g" --acpi --net none >/dev/null 2>&1 || say "cannot define ${P}$g"
done
"$RS/guest.sh" define "${P}deaf" --net none >/dev/null 2>&1 || say "cannot define ${P}deaf"
"$RS/guest.sh" define "${P}broken" --net none >/dev/null 2>&1 || say "cannot define ${P}broken"
rm -f "$("$RS/guest.sh" dir "${P}broken")/disk.qcow2"

# ---- start: one fails, the others go on ----
run start -c "$T_URI" "${P}*"
check "start of a glob with a broken guest exits 1" eq "$RC" 1
for g in a b c deaf; do
	check "start: ${P}$g done" has "$OUT" "done      ${P}$g"
	check "start: ${P}$g runs (virsh)" eq "$(state "${P}$g")" running
done
check "start: the broken guest failed, saying why" has "$OUT" "failed    ${P}broken"
check "start: the broken guest's line names its host and the error" \
	grep -qE "failed +${P}broken +$T_URI: Cannot start ${P}broken: .*disk.qcow2" "$OUT"
check "start: the count on stderr" has "$ERR" "start: 4 done, 1 failed, 0 skipped."
check "start: the broken guest stays shut off" eq "$(state "${P}broken")" "shut off"

run start -c "$T_URI" "${P}a" "${P}[bc]" "${P}a"
check "start again: exit 0" eq "$RC" 0
check "start again: each once, skipped with the reason" \
	eq "$(grep -c "skipped   ${P}.*: ${P}.* was left alone: it is already running." "$OUT")" 3

run start -c "$T_URI" "${P}a" "${P}zz*"
check "a glob matching nothing: exit 1" eq "$RC" 1
check "a glob matching nothing: named, nothing done" \
	has "$ERR" "the pattern \"${P}zz*\" matches no guest on $T_URI; nothing was done"
check "a glob matching nothing: no line printed" is "$OUT" ""

# ---- list ----
run list -c "$T_URI" "${P}*"
check "list: exit 0" eq "$RC" 0
check "list: a running" grep -qE "^${P}a +$T_URI +running +-$" "$OUT"
check "list: broken shut off" grep -qE "^${P}broken +$T_URI +shut off +-$" "$OUT"
run list -c "$T_URI" --json "${P}deaf"
check "list --json" has "$OUT" "{\"name\":\"${P}deaf\",\"uuid\":\"$(vsh domuuid "${P}deaf")\",\"host\":\"$T_URI\",\"state\":\"running\",\"autostart\":false,\"persistent\":true,\"tags\":[]}"

# ---- shutdown followed; deaf fails on purpose ----
for g in a b c deaf; do
	pat=$READY_ACPI
	[ "$g" = deaf ] && pat=VMTUI-GUEST-READY
	eventually 900 booted "${P}$g" "$pat" 0 || say "${P}$g has not booted"
done
run shutdown -c "$T_URI" --timeout 30 --json "${P}a" "${P}b" "${P}deaf"
check "shutdown with a guest ignoring ACPI: exit 1" eq "$RC" 1
check "shutdown --json: a done" \
	grep -qE "\"name\":\"${P}a\",[^}]*\"status\":\"done\",\"message\":\"${P}a shut off \(after [0-9.]+ s\)\.\",\"virsh\":\"virsh -c $T_URI shutdown ${P}a\"" "$OUT"
check "shutdown --json: b done" grep -qE "\"name\":\"${P}b\",[^}]*\"status\":\"done\"" "$OUT"
check "shutdown --json: deaf failed, saying what to do" \
	grep -qE "\"name\":\"${P}deaf\",[^}]*\"status\":\"failed\",\"message\":\"${P}deaf still runs 3[0-9] s after the shutdown request \(its OS may ignore ACPI\): force it off" "$OUT"
check "shutdown --json: the counts" has "$OUT" '"done":2,"failed":1,"skipped":0,"cancelled":0}'
check "shutdown: a is shut off (virsh)" eq "$(state "${P}a")" "shut off"
check "shutdown: b is shut off (virsh)" eq "$(state "${P}b")" "shut off"
check "shutdown: deaf still runs (virsh)" eq "$(state "${P}deaf")" running

# ---- reboot followed ----
id=$(vsh domid "${P}c")
run reboot -c "$T_URI" --timeout 120 "${P}c"
check "reboot: exit 0" eq "$RC" 0
check "reboot: followed to its end" grep -qE "^done +${P}c +$T_URI: ${P}c rebooted \(after" "$OUT"
check "reboot: the guest runs" eq "$(state "${P}c")" running

# ---- off, autostart ----
run off -c "$T_URI" "${P}*"
check "off without -y and without a terminal: exit 1, nothing done" eq "$RC:$(state "${P}c")" "1:running"
run off -c "$T_URI" -y "${P}*"
check "off -y: exit 0" eq "$RC" 0
check "off -y: c and deaf forced off" \
	eq "$(grep -cE "^done +${P}(c|deaf) .*Forced ${P}(c|deaf) off\.$" "$OUT")" 2
check "off -y: the shut-off ones skipped" eq "$(grep -c "^skipped " "$OUT")" 3
check "off -y: deaf is shut off (virsh)" eq "$(state "${P}deaf")" "shut off"
run autostart -c "$T_URI" "${P}[ab]"
check "autostart: on for a and b" eq "$RC:$(vsh dominfo "${P}a" | grep -c 'Autostart: *enable')" "0:1"
run autostart -c "$T_URI" --disable "${P}[ab]"
check "autostart --disable: off again" eq "$RC:$(vsh dominfo "${P}b" | grep -c 'Autostart: *disable')" "0:1"

# ---- snapshots by name ----
run snapshot create -c "$T_URI" --name before-upgrade "${P}a" "${P}b"
check "snapshot create of two: exit 0" eq "$RC" 0
check "snapshot create: virsh lists it on a" eq "$(vsh snapshot-list --name "${P}a")" before-upgrade
check "snapshot create: virsh lists it on b" eq "$(vsh snapshot-list --name "${P}b")" before-upgrade
run snapshot create -c "$T_URI" --name before-upgrade "${P}[ab]"
check "snapshot create again: skipped" eq "$RC:$(grep -c 'already has a snapshot "before-upgrade"' "$OUT")" "0:2"
run snapshot delete -c "$T_URI" --name before-upgrade -y "${P}a" "${P}c"
check "snapshot delete: a's deleted, c skipped" \
	eq "$RC:$(vsh snapshot-list --name "${P}a" | grep -c .):$(grep -c 'has no snapshot' "$OUT")" "0:0:1"

# ---- delete two ----
run delete -c "$T_URI" "${P}[ab]" --yes-i-typed 'delete 3'
check "delete with the wrong count: exit 1, both kept" \
	eq "$RC:$(vsh list --all --name | grep -c "^${P}[ab]$")" "1:2"
run delete -c "$T_URI" "${P}[ab]" --yes-i-typed 'delete 2'
check "delete of two: exit 0" eq "$RC" 0
check "delete of two: both gone (virsh)" eq "$(vsh list --all --name | grep -c "^${P}[ab]$")" 0
check "delete of two: their backups written" \
	eq "$(find "$XDG_STATE_HOME/vmtui/backups" -name "${P}[ab]-*.xml" | wc -l)" 2

summary
