#!/usr/bin/env bash
# test_agent.sh — the guest agent and `vmtui ssh` against the real daemon,
# with guests of our own (T_PREFIX, default vmtuitest-agent-i-):
#   A  the fixture with qemu-ga on its guest_agent channel, dropbear with
#      a throwaway key, on a NAT network of our own (192.168.247.0/24);
#   N  no agent channel at all.
# Checked:
#   - `vmtui info --json A` gives what the guest itself says: hostname,
#     kernel release, eth0's address, and a filesystem the test makes and
#     fills (ext2 on vda at /mnt, 8 MiB written): its used and total bytes
#     equal the guest's own statfs (used + available); the address comes
#     from the agent;
#   - `vmtui info N` says "no agent" and makes no agent call (libvirt's
#     client log counts virDomainGetGuestInfo: none for N, one per info
#     of A);
#   - `vmtui ssh A -- CMD` runs CMD in the guest (exit status passed on);
#     with -H through the throwaway sshd of tests/ssh/sshd.sh, the relay
#     carries it (ssh's ProxyCommand is vmtui ssh-proxy);
#   - `vmtui snapshot create A` is quiesced through the agent;
#   - `vmtui password A root` sets root's password: the hash in the
#     guest's /etc/shadow is openssl's for it (the same salt); with
#     --crypted the hash given is the one stored;
#   - a guest defined by apply gets the agent channel, agent: false none.
# Env: BUILD (default build/), KEEP_GUESTS=1. Ends with "N passed, N failed".
set -uo pipefail
: "${T_PREFIX:=vmtuitest-agent-i-}"
. "$(dirname "$0")/../lib.sh"

run_files agent
P=$T_PREFIX
A=${P}a
N=${P}n
NET=${P}net
SSHD_SH=$TOP/tests/ssh/sshd.sh
SSHD_UP=

cleanup() {
	if [ -z "${KEEP_GUESTS:-}" ]; then
		remove_guests "$P" "${P}nopool"
		vsh net-destroy "$NET" >/dev/null 2>&1
	fi
	[ -z "$SSHD_UP" ] || [ -n "${KEEP_SSHD:-}" ] || "$SSHD_SH" stop >/dev/null 2>&1
	rm -rf "$D"
}

stack_base_up || { say "cannot set up the daemon"; echo "0 passed, 1 failed"; exit 1; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
remove_guests "$P" "${P}nopool"
vsh net-destroy "$NET" >/dev/null 2>&1
cat >"$D/net.xml" <<EOF
<network><name>$NET</name><forward mode='nat'/><bridge name='vmtagti0'/>
<ip address='192.168.247.1' netmask='255.255.255.0'><dhcp><range start='192.168.247.100' end='192.168.247.200'/></dhcp></ip></network>
EOF
vsh net-create "$D/net.xml" >/dev/null || { say "cannot create $NET"; echo "0 passed, 1 failed"; exit 1; }
ssh-keygen -q -t ed25519 -N '' -f "$D/key" || exit 1
"$RS/guest.sh" define "$A" --agent --ssh-key "$D/key.pub" --net "network:$NET" >&2 &&
	"$RS/guest.sh" define "$N" >&2 || { echo "0 passed, 1 failed"; exit 1; }
"$RS/guest.sh" start "$A" >&2 && "$RS/guest.sh" start "$N" >&2
"$RS/guest.sh" wait-ready "$A" 900 >&2 && "$RS/guest.sh" wait-ready "$N" 900 >&2 ||
	{ echo "0 passed, 1 failed"; exit 1; }

agent_connected() { vsh dumpxml "$1" | grep -q "guest_agent.0' state='connected'"; }
check "A's agent connects" eventually 120 agent_connected "$A"

# The guest's address as the agent gives it, then ssh straight to it.
addr_of() { vsh domifaddr --source agent "$A" 2>/dev/null | awk '$1 == "eth0" && $3 == "ipv4" { sub(/\/.*/, "", $4); print $4 }'; }
have_addr() { [ -n "$(addr_of)" ]; }
check "A has an address (agent)" eventually 60 have_addr
IP=$(addr_of)
SSHO=(-i "$D/key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes
	-o LogLevel=ERROR -o ConnectTimeout=20)
gsh() { timeout 120 ssh "${SSHO[@]}" "root@$IP" "$@"; }
ssh_up() { gsh true; }
check "dropbear answers in A" eventually 90 ssh_up

# What the guest says of itself; a filesystem filled to a known size.
# (mke2fs: busybox's name for it; virtual filesystems such as the initramfs
# are not reported by qemu-ga, so this one is the guest's only one.)
gsh 'mke2fs -q /dev/vda >/dev/null && mount /dev/vda /mnt &&
	dd if=/dev/zero of=/mnt/fill bs=1M count=8 2>/dev/null && sync' >&2
check "A: an ext2 filesystem mounted at /mnt" eval "gsh 'grep -q \"^/dev/vda /mnt ext2 \" /proc/mounts'"
G_HOST=$(gsh hostname)
G_KREL=$(gsh uname -r)
# From the guest's statfs, as qemu-ga reckons (and df's Size is Used +
# Avail): used = (blocks - free) * fragment size, total = used + what
# is available to users (the blocks reserved for root left out).
read -r G_B G_F G_A G_S <<<"$(gsh "stat -f -c '%b %f %a %S' /mnt")"
G_USED=$(( (G_B - G_F) * G_S ))
G_TOTAL=$(( (G_B - G_F + G_A) * G_S ))

LOG=$D/libvirt.log
calls() { grep -c "virDomainGetGuestInfo:" "$LOG" 2>/dev/null || true; }
info_logged() {
	rm -f "$LOG"
	LIBVIRT_LOG_FILTERS="1:libvirt 4:rpc 4:util 4:conf 4:remote 4:qemu 4:security 4:event" \
		LIBVIRT_LOG_OUTPUTS="1:file:$LOG" "$VMTUI" info -c "$T_URI" "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
}
json() { python3 -c "import json,sys; j=json.load(open('$OUT')); print($1)"; }

info_logged --json "$A"
check "info --json A: exit 0" eq "$RC" 0
check "info --json A: agent ok" eq "$(json "j['agent']['status']")" ok
check "info --json A: hostname as the guest says" eq "$(json "j['agent']['hostname']")" "$G_HOST"
check "info --json A: kernel as the guest says" eq "$(json "j['agent']['kernel_release']")" "$G_KREL"
check "info --json A: os-release" eq "$(json "j['agent']['os_pretty_name']")" "vmtui test guest 4"
check "info --json A: eth0's address" eq "$(json "[a['address'] for i in j['agent']['interfaces'] if i['name'] == 'eth0' for a in i['addresses'] if a['family'] == 'ipv4']")" "['$IP']"
check "info --json A: address from the agent" eq "$(json "(j['address'], j['address_source'])")" "('$IP', 'agent')"
check "info --json A: /mnt used bytes as the guest's statfs" eq "$(json "[f['used_bytes'] for f in j['agent']['filesystems'] if f['mountpoint'] == '/mnt']")" "[$G_USED]"
check "info --json A: /mnt total bytes" eq "$(json "[f['total_bytes'] for f in j['agent']['filesystems'] if f['mountpoint'] == '/mnt']")" "[$G_TOTAL]"
check "info A: one guest-info call" eq "$(calls)" 1

info_logged "$N"
check "info N: exit 0" eq "$RC" 0
check "info N: no agent" has "$OUT" "Agent:       no agent (no guest agent channel)"
check "info N: no guest-info call at all" eq "$(calls)" 0
check "info N: no agent-sourced address call" eq "$(grep -c 'virDomainInterfaceAddresses:.*source=1' "$LOG")" 0

# vmtui ssh, straight to the guest.
export VMTUI_SSH="ssh ${SSHO[*]}"
# As with ssh, the words after -- are one command line for the guest's shell.
run ssh -c "$T_URI" -l root "$A" -- 'echo "in $(hostname)"; exit 3'
check "ssh A -- CMD: the command's exit status" eq "$RC" 3
check "ssh A -- CMD: ran in the guest" is "$OUT" "in $G_HOST"
check "ssh A: says where it goes" has "$ERR" "vmtui: $A is at $IP (from the guest agent)"
run ssh -c "$T_URI" -l root "$N"
check "ssh N (no address known): exit 255" eq "$RC" 255
check "ssh N: says why" has "$ERR" "no address of $N is known"

# Through the SSH test host: the relay over vmtui's own SSH link.
if "$SSHD_SH" start >&2; then
	SSHD_UP=1
	eval "$("$SSHD_SH" env)"
	echo "[127.0.0.1]:$SSHD_PORT $(cut -d' ' -f1,2 "$SSHD_DIR/host_ed25519.pub")" >"$D/known_hosts"
	H=(-H "root@127.0.0.1:$SSHD_PORT" --known-hosts "$D/known_hosts")
	eval "$(ssh-agent -s -a "$D/agent.sock")" >/dev/null
	ssh-add -q "$SSHD_KEY" 2>/dev/null
	run ssh "${H[@]}" -l root "$A" -- cat /proc/sys/kernel/hostname
	check "ssh -H A -- CMD: exit 0" eq "$RC" 0
	check "ssh -H A -- CMD: ran in the guest" is "$OUT" "$G_HOST"
	check "ssh -H A: through the SSH link" has "$ERR" ", through the SSH link to root@127.0.0.1:$SSHD_PORT"
	kill "$SSH_AGENT_PID" 2>/dev/null
else
	check "the SSH test host starts" false
fi
run ssh-proxy "$D/nothing-here"
check "ssh-proxy to no relay: exit 1, says so" has "$ERR" "cannot reach vmtui's relay"

# A quiesced snapshot.
run snapshot create -c "$T_URI" "$A" q1
check "snapshot create A: exit 0" eq "$RC" 0
check "snapshot create A: quiesced through the agent" has "$OUT" "quiesced: filesystems frozen through the guest agent"
check "the filesystems are thawed after (writes go on)" eval "gsh 'echo x >/mnt/after && sync'"

# A password through the agent.
echo "vmtui-pw-1" | "$VMTUI" password -c "$T_URI" --password-stdin "$A" root >"$OUT" 2>"$ERR"
check "password A root: exit 0" eq "$?" 0
check "password A root: said" has "$OUT" "the password of root is set (through the guest agent)"
# root's hash in the guest's shadow is the password's, by openssl's crypt.
shadow_hash() { gsh "sed -n 's/^root:\([^:]*\):.*/\1/p' /etc/shadow"; }
H1=$(shadow_hash)
SALT=$(cut -d'$' -f3 <<<"$H1")
check "password A root: the guest's shadow has the password's SHA-512 hash" \
	eq "$H1" "$(openssl passwd -6 -salt "$SALT" vmtui-pw-1)"
H2=$(openssl passwd -6 -salt vmtuisalt vmtui-pw-2)
echo "$H2" | "$VMTUI" password -c "$T_URI" --password-stdin --crypted "$A" root >"$OUT" 2>"$ERR"
check "password --crypted A root: exit 0" eq "$?" 0
check "password --crypted A root: the hash given is the shadow's" eq "$(shadow_hash)" "$H2"
"$VMTUI" password -c "$T_URI" --password-stdin "$N" root </dev/null >"$OUT" 2>"$ERR"
check "password N: no password on stdin: exit 1" eq "$?" 1

# apply: the agent channel by default, none with agent: false.
cat >"$D/vms.yaml" <<EOF
- name: ${P}def
  type: qemu
  memory: 64M
  ssh_user: debian
- name: ${P}noagent
  type: qemu
  memory: 64M
  agent: false
EOF
run apply -y -c "$T_URI" "$D/vms.yaml"
check "apply: exit 0" eq "$RC" 0
check "apply: the default VM has the agent channel" eval "vsh dumpxml ${P}def | grep -q \"name='org.qemu.guest_agent.0'\""
check "apply: agent: false has none" eval "! vsh dumpxml ${P}noagent | grep -q guest_agent"
check "apply: ssh_user in the metadata" eval "vsh metadata ${P}def https://vmtui.org/xmlns/ssh/1 | grep -q \"user=.debian.\""
run plan -c "$T_URI" "$D/vms.yaml"
check "plan again: nothing to change" has "$OUT" "0 to create, 0 to update, 2 unchanged."

summary
