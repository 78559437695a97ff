#!/usr/bin/env bash
# test_store_ssh.sh — `vmtui pool` and `vmtui vol` with -H: the same calls
# over the in-process SSH transport, through the throwaway sshd of
# tests/ssh/sshd.sh to the real daemon of tests/lib.sh; the virsh lines
# printed name the qemu+ssh URI. Needs root (as tests/ssh/run.sh).
# Env: BUILD (default build/), KEEP_SSHD=1 leaves the sshd running.
# Ends with "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

SSHD_SH=$TOP/tests/ssh/sshd.sh
AGENT_PID=
run_files storessh
P=vmtuitest-store-ssh-

cleanup() {
	virsh -q -c "$T_URI" vol-delete --pool "$T_POOL" "${P}v.qcow2" >/dev/null 2>&1
	[[ -z $AGENT_PID ]] || kill "$AGENT_PID" 2>/dev/null
	[[ -n ${KEEP_SSHD:-} ]] || "$SSHD_SH" stop >/dev/null 2>&1
	rm -rf "$D"
}

stack_base_up || { say "cannot set up the daemon"; echo "0 passed, 1 failed"; exit 1; }
"$SSHD_SH" start >&2 || { say "cannot start sshd"; echo "0 passed, 1 failed"; exit 1; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
eval "$("$SSHD_SH" env)"
# the server's key known, the user's key in an agent of our own
echo "[127.0.0.1]:$SSHD_PORT $(cut -d' ' -f1,2 "$SSHD_DIR/host_ed25519.pub")" >"$D/known_hosts"
eval "$(ssh-agent -s -a "$D/agent.sock")" >/dev/null
AGENT_PID=$SSH_AGENT_PID
ssh-add -q "$SSHD_KEY" 2>/dev/null
H=(-H "root@127.0.0.1:$SSHD_PORT" --known-hosts "$D/known_hosts")
json() { python3 -c "import json,sys; j=json.load(open('$OUT')); print($1)"; }

run pool list "${H[@]}" --json
check "pool list -H: exit 0" eq "$RC" 0
check "pool list -H: the test pool" eq "$(json "[p['state'] for p in j if p['name'] == '$T_POOL']")" "['running']"
run vol create "${H[@]}" "$T_POOL" "${P}v.qcow2" --size 16M
check "vol create -H: exit 0" eq "$RC" 0
check "vol create -H: done" has "$OUT" "Volume ${P}v.qcow2 created in storage pool $T_POOL: 16 MiB qcow2."
check "vol create -H: the virsh line names the SSH host" has "$OUT" "(virsh: virsh -c qemu+ssh://root@127.0.0.1:$SSHD_PORT/system vol-create-as $T_POOL ${P}v.qcow2"
check "vol create -H: virsh sees it" eval "virsh -q -c '$T_URI' vol-info --pool '$T_POOL' '${P}v.qcow2' >/dev/null"
run vol delete "${H[@]}" "$T_POOL" "${P}v.qcow2" --yes
check "vol delete -H: done" has "$OUT" "Volume ${P}v.qcow2 of storage pool $T_POOL deleted."
echo "[127.0.0.1]:$SSHD_PORT ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl" >"$D/known_hosts"
run pool list "${H[@]}"
check "pool list -H, a changed host key: exit 1" eq "$RC" 1
check "pool list -H, a changed host key: says so on stderr" grep -q "^vmtui: cannot connect to root@127.0.0.1:$SSHD_PORT: WARNING: the host key of .* has CHANGED" "$ERR"
summary
