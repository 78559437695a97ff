#!/usr/bin/env bash
# test_migrate.sh — `vmtui migrate` between two real libvirt daemons of this
# machine that libvirt takes for two hosts: the shared daemon (daemon.sh)
# and a second one in a mount namespace of its own with its own host UUID
# (daemon2.sh), which cannot see $M/local (its own empty folder stands
# there: the other host's local disks). Guests named ${P}*:
#   - a failed pre-flight changes nothing (a running guest with --offline;
#     --copy-storage before the target has the pool: the fix named);
#   - a live migration cancelled with SIGINT: the guest still runs on the
#     source, its console answers, the target has none of it;
#   - a live migration (disks both see): the guest runs on the target, is
#     gone from the source, its console answers there and its uptime went
#     on (no reboot);
#   - a live migration copying the disks (NBD) into the target's pool;
#   - an offline migration copying the disk (vmtui's streams): the bytes
#     written before are in the target's copy, and it boots there.
# Run it under flock /tmp/vmtui-stack.lock when others share the daemon.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

P=${T_PREFIX:-vmtui-mig-}
M=${VMTUI_MIG_DIR:-/var/tmp/${P%-}-test}
export VMTUI_D2_DIR=$M/d2 VMTUI_D2_PRIVATE=$M/local
LIVE=${P}live
COPY=${P}copy
OFF=${P}off
run_files migrate

v() { virsh -q -c "$T_URI" "$@"; }
v2() { virsh -q -c "$U2" "$@"; }
state() { virsh -q -c "$1" domstate "$2" 2>/dev/null | head -n1; }
# guest.sh on a daemon (1: the shared one, 2: the second), with its guests
# in folder DIR.
g() { local uri=$1 dir=$2; shift 2; VMTUI_URI=$uri VMTUI_GUESTS_DIR=$dir "$RS/guest.sh" "$@"; }
con() { VMTUI_URI=$1 "$RS/console-run.sh" -t 60 "$2" "$3"; }

mig_cleanup() {
	local u name
	for u in "$T_URI" "${U2:-}"; do
		[ -n "$u" ] || continue
		for name in $(virsh -q -c "$u" list --all --name 2>/dev/null | grep "^$P"); do
			virsh -q -c "$u" destroy "$name" >/dev/null 2>&1
			virsh -q -c "$u" undefine "$name" >/dev/null 2>&1
		done
		for name in $(virsh -q -c "$u" pool-list --all --name 2>/dev/null | grep "^$P"); do
			virsh -q -c "$u" pool-destroy "$name" >/dev/null 2>&1
			virsh -q -c "$u" pool-undefine "$name" >/dev/null 2>&1
		done
	done
	"$RS/daemon2.sh" stop >&2 2>/dev/null
	[ -n "${KEEP_GUESTS:-}" ] || rm -rf "$M"
	rm -rf "$D"
}
trap mig_cleanup EXIT

# A dir pool NAME at PATH on the daemon of URI, started.
pool_at() {
	virsh -q -c "$1" pool-define-as "$2" dir --target "$3" >/dev/null &&
		virsh -q -c "$1" pool-start "$2" >/dev/null
}

setup() {
	"$RS/build-guest.sh" >&2 && "$RS/daemon.sh" start >&2 || return 1
	T_URI=$("$RS/daemon.sh" uri)
	mig_cleanup 2>/dev/null
	trap mig_cleanup EXIT
	mkdir -p "$M/shared" "$M/local" "$D" && chmod 0755 "$M" "$M/shared" "$M/local" || return 1
	"$RS/daemon2.sh" start >&2 || return 1
	U2=$("$RS/daemon2.sh" uri)
	g "$T_URI" "$M/shared" define "$LIVE" --net user >&2 &&
		g "$T_URI" "$M/local" define "$COPY" --net user >&2 &&
		g "$T_URI" "$M/local" define "$OFF" --net none >&2 || return 1
	# the copied guests' folders are pools on the source; the target's
	# pools of the same names stand on its own (empty) folders
	pool_at "$T_URI" "${P}copy" "$M/local/$COPY" && pool_at "$T_URI" "${P}off" "$M/local/$OFF" ||
		return 1
	g "$T_URI" "$M/shared" start "$LIVE" >&2 && g "$T_URI" "$M/local" start "$COPY" >&2 ||
		return 1
	g "$T_URI" "$M/shared" wait-ready "$LIVE" 300 >&2 && g "$T_URI" "$M/local" wait-ready "$COPY" 300 >&2
}

# The guest's seconds of uptime (integer) through its console on URI.
uptime_of() { con "$1" "$2" 'cut -d. -f1 /proc/uptime' | tr -dc 0-9; }

t_preflight() {
	run migrate -c "$T_URI" --offline "$LIVE" "$U2"
	check "a running guest with --offline: refused, exit 2" eq "$RC" 2
	check "the plan says to shut it down first" has "$OUT" "fix: shut it down first"
	check "stderr says nothing was changed" has "$ERR" "nothing was changed"
	run migrate -c "$T_URI" --copy-storage "$COPY" "$U2"
	check "copying without the target's pool: refused, exit 2" eq "$RC" 2
	check "the plan names the pool to define" has "$OUT" "fix: define pool ${P}copy on the target"
	check "the refused guests still run on the source" \
		eq "$(state "$T_URI" "$LIVE") $(state "$T_URI" "$COPY")" "running running"
	check "the target has none of them" eq "$(v2 list --all --name | grep -c "^$P")" 0
	run migrate -c "$T_URI" "$LIVE" nosuchhost
	check "an unknown target: exit 1" eq "$RC" 1
	check "it says a URI or a config host" has "$ERR" "neither a libvirt URI nor a host"
}

t_cancel() {
	local pid rc n=0
	"$VMTUI" migrate -c "$T_URI" --unsafe --bandwidth 1 "$LIVE" "$U2" >"$OUT" 2>"$ERR" </dev/null &
	pid=$!
	until grep -q "^  $LIVE: " "$OUT" || ! kill -0 "$pid" 2>/dev/null || ((n > 600)); do
		sleep 0.1
		n=$((n + 1))
	done
	kill -INT "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	check "a migration cancelled with SIGINT: exit 4" eq "$rc" 4
	check "it printed progress before" has "$OUT" "  $LIVE: "
	check "it says the guest stays on the source" has "$ERR" "stays on the source, running"
	check "the guest still runs on the source" eq "$(state "$T_URI" "$LIVE")" running
	check "the target has no such guest" eq "$(v2 list --all --name | grep -c "^$LIVE$")" 0
	check "its console answers on the source" eq "$(con "$T_URI" "$LIVE" 'echo still-$((6*7))')" \
		still-42
}

t_live() {
	local before after
	before=$(uptime_of "$T_URI" "$LIVE")
	run migrate -c "$T_URI" --unsafe "$LIVE" "$U2"
	check "a live migration: exit 0" eq "$RC" 0
	check "it said so with the virsh line" has "$OUT" "migrate --live --persistent --undefinesource --unsafe"
	check "the guest runs on the target" eq "$(state "$U2" "$LIVE")" running
	check "it is persistent there" eq "$(v2 dominfo "$LIVE" | awk '/^Persistent/ { print $2 }')" yes
	check "it is gone from the source" eq "$(v list --all --name | grep -c "^$LIVE$")" 0
	after=$(uptime_of "$U2" "$LIVE")
	check "its console answers on the target and its uptime went on ($before s, then $after s)" \
		test -n "$before" -a -n "$after" -a "${after:-0}" -ge "${before:-1}"
}

t_live_copy() {
	mkdir -p "$M/d2/private/1/$COPY" && chmod 0755 "$M/d2/private/1/$COPY"
	pool_at "$U2" "${P}copy" "$M/local/$COPY" || { not_ok "the target's pool ${P}copy"; return; }
	run migrate -c "$T_URI" --copy-storage --keep-source "$COPY" "$U2"
	check "a live migration copying the disks: exit 0" eq "$RC" 0
	check "the plan copies vda into the pool" has "$OUT" "ok    disk: vda: copied into pool ${P}copy"
	check "the guest runs on the target" eq "$(state "$U2" "$COPY")" running
	check "with --keep-source its definition stays on the source, shut off" \
		eq "$(state "$T_URI" "$COPY")" "shut off"
	check "the target has its own copy of the disk" test -s "$M/d2/private/1/$COPY/disk.qcow2"
	check "its console answers on the target" eq "$(con "$U2" "$COPY" 'echo moved-$((6*7))')" moved-42
}

t_offline_copy() {
	local img=$M/local/$OFF/disk.qcow2
	qemu-io -f qcow2 -c 'write -P 0x5a 1M 64k' "$img" >/dev/null ||
		{ not_ok "writing the marker with qemu-io"; return; }
	mkdir -p "$M/d2/private/1/$OFF" && chmod 0755 "$M/d2/private/1/$OFF"
	pool_at "$U2" "${P}off" "$M/local/$OFF" || { not_ok "the target's pool ${P}off"; return; }
	run migrate -c "$T_URI" --copy-storage "$OFF" "$U2"
	check "an offline migration copying the disk: exit 0" eq "$RC" 0
	check "it was offline" has "$OUT" "Migrated $OFF offline"
	check "the source no longer has it" eq "$(v list --all --name | grep -c "^$OFF$")" 0
	check "the target has it, shut off" eq "$(state "$U2" "$OFF")" "shut off"
	check "the marker is in the target's copy" \
		qemu-io -r -f qcow2 -c 'read -P 0x5a 1M 64k' "$M/d2/private/1/$OFF/disk.qcow2"
	check "the source's disk file is kept" test -s "$img"
	if v2 start "$OFF" >/dev/null; then
		check "it boots on the target" eventually 120 \
			grep -q VMTUI-GUEST-READY "$M/d2/private/1/$OFF/console.log"
	else
		not_ok "it starts on the target"
	fi
}

if ! setup; then
	not_ok "setup: the second daemon and our guests"
	summary
	exit 1
fi
say "second daemon: $U2"
t_preflight
t_cancel
t_live
t_live_copy
t_offline_copy
summary
