#!/usr/bin/env bash
# test_apply_res.sh — storage pools and networks in definition files,
# against the real daemon: a dir pool, a NAT network with a fixed host and
# a guest using both, planned, applied (pool and network first), seen
# running by virsh, planned again without changes; a fixed host added to
# the running network (live and saved); export of the network and the pool
# applied again under new names; a failing guest rolling back the pool and
# network its apply made. Everything named vmtuitest-defs-* (networks on
# 192.168.231-234.0/24, bridges vmtdef*) is removed at the end. Where a
# loop device can be had, an fs pool on one: mounted without build, and
# with build: true refused, its file system untouched.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

P=vmtuitest-defs-
FIX=${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}
PDIR=/var/tmp/${P}pools
run_files apply-res

v() { virsh -q -c "$T_URI" "$@"; }
quietly() { "$@" >/dev/null 2>&1; }

res_cleanup() {
	local x vol
	for x in $(v list --all --name 2>/dev/null | grep "^$P"); do
		v destroy "$x" >/dev/null 2>&1
		v undefine "$x" >/dev/null 2>&1
	done
	for x in $(v pool-list --all --name 2>/dev/null | grep "^$P"); do
		for vol in $(v vol-list "$x" 2>/dev/null | awk '{ print $1 }'); do
			v vol-delete --pool "$x" "$vol" >/dev/null 2>&1
		done
		v pool-destroy "$x" >/dev/null 2>&1
		v pool-undefine "$x" >/dev/null 2>&1
	done
	for x in $(v net-list --all --name 2>/dev/null | grep "^$P"); do
		v net-destroy "$x" >/dev/null 2>&1
		v net-undefine "$x" >/dev/null 2>&1
	done
	[ -z "${LOOP:-}" ] || losetup -d "$LOOP" 2>/dev/null
	rm -rf "$PDIR" "$D"
}

# Our pools, networks and guests, one "kind name" a line.
ours() {
	{
		v pool-list --all --name | grep "^$P" | sed 's/^/pool /'
		v net-list --all --name | grep "^$P" | sed 's/^/net /'
		v list --all --name | grep "^$P" | sed 's/^/vm /'
	} | sort
}
pool_state() { v pool-info "$1" | awk '/^State:/ { print $2 } /^Autostart:/ { print $2 }' | xargs; }
net_state() { v net-info "$1" | awk '/^Active:/ { print $2 } /^Autostart:/ { print $2 }' | xargs; }
host_ip() { # NET MAC [--inactive]
	v net-dumpxml ${3:-} "$1" | xmllint --xpath "string(//dhcp/host[@mac='$2']/@ip)" -
}

stack_base_up || { say "cannot set up the daemon and pool"; exit 1; }
trap res_cleanup EXIT
res_cleanup
mkdir -p "$D" "$PDIR" && chmod 0755 "$PDIR"
cd "$D" || exit 1

cat >lab.yaml <<EOF
${P}pool:
  type: pool
  path: $PDIR/lab
${P}net:
  type: network
  forward: nat
  bridge: vmtdef0
  cidr: 192.168.231.0/24
  domain: defs
  hosts:
    - {mac: "52:54:00:de:f5:01", ip: 192.168.231.10, name: g1}
${P}g1:
  type: qemu
  memory: 128M
  disks: [{size: 64M, pool: ${P}pool}]
  networks: [{network: ${P}net, mac: "52:54:00:de:f5:01"}]
  boot:
    kernel: $FIX/vmlinuz
    initrd: $FIX/initrd.img
    cmdline: console=ttyS0 quiet
  start: true
EOF

# ---- validate, plan, apply ----

run validate lab.yaml
check "validate: a pool, a network and a guest" eq "$(cat "$OUT")" \
	"valid: 1 VM: ${P}g1; 1 pool: ${P}pool; 1 network: ${P}net"

run plan -c "$T_URI" lab.yaml
check "plan: exit 0" eq "$RC" 0
check "plan: the pool is made" has "$OUT" "pool ${P}pool: create
  + define pool ${P}pool: dir, $PDIR/lab
  + build it: make its folder
  + autostart on
  + start"
check "plan: the network is made" has "$OUT" "network ${P}net: create
  + define network ${P}net: nat, bridge vmtdef0, 192.168.231.0/24 (host 192.168.231.1), DHCP 192.168.231.2-192.168.231.254, domain defs, 1 fixed host"
check "plan: the guest on them plans cleanly" has "$OUT" \
	"  + disk vda: new volume ${P}pool/${P}g1-vda.qcow2, 64M qcow2, blank"
check "plan: no warning or error" eq "$(grep -c -e 'error:' -e 'warning:' "$OUT")" 0
check "plan: summary" has "$OUT" "3 to create, 0 to update, 0 unchanged."
check "plan: nothing made" eq "$(ours)" ""

run apply -c "$T_URI" --yes lab.yaml
check "apply: exit 0" eq "$RC" 0
check "apply: the pool and network before the guest" eq \
	"$(grep -n -e "define pool" -e "define network" -e "define VM" "$ERR" | cut -d: -f3- | xargs)" \
	"define pool ${P}pool define network ${P}net define VM ${P}g1"
check "apply: summary" has "$ERR" "Applied: 3 created, 0 updated."
check "virsh: the pool runs, autostarted" eq "$(pool_state ${P}pool)" "running yes"
check "virsh: the pool's folder was built" test -d "$PDIR/lab"
check "virsh: the network runs, autostarted" eq "$(net_state ${P}net)" "yes yes"
check "virsh: the network's bridge" eq "$(v net-info ${P}net | awk '/^Bridge:/ { print $2 }')" vmtdef0
check "virsh: the fixed host" eq "$(host_ip ${P}net 52:54:00:de:f5:01)" 192.168.231.10
check "virsh: the guest runs" eq "$(v domstate ${P}g1)" running
check "virsh: the guest's disk is in the new pool" quietly v vol-info --pool ${P}pool ${P}g1-vda.qcow2
check "virsh: the guest's NIC is on the new network" eq \
	"$(v dumpxml ${P}g1 | xmllint --xpath 'string(//interface/source/@network)' -)" ${P}net

run plan -c "$T_URI" lab.yaml
check "plan again: no changes" has "$OUT" "0 to create, 0 to update, 3 unchanged."
check "plan again: the pool and network unchanged" eq \
	"$(grep -c -e "^pool ${P}pool: no changes (active)$" -e "^network ${P}net: no changes (active)$" "$OUT")" 2
run apply -c "$T_URI" --yes lab.yaml
check "apply again: nothing to do" has "$ERR" "Nothing to do."

# ---- a fixed host added to the running network ----

sed 's/^    - {mac: "52:54:00:de:f5:01".*/&\n    - {mac: "52:54:00:de:f5:02", ip: 192.168.231.11, name: g2}/' lab.yaml >lab2.yaml
run plan -c "$T_URI" lab2.yaml
check "plan: a new fixed host is added now, and saved" has "$OUT" \
	"  ~ hosts[52:54:00:de:f5:02]: none -> 192.168.231.11 (g2) (now, and saved)"
run apply -c "$T_URI" --yes lab2.yaml
check "apply: the fixed host added" eq "$RC" 0
check "virsh: the new host in the running network" eq "$(host_ip ${P}net 52:54:00:de:f5:02)" 192.168.231.11
check "virsh: the new host in the saved network" eq \
	"$(host_ip ${P}net 52:54:00:de:f5:02 --inactive)" 192.168.231.11
sed 's/domain: defs/domain: other/' lab2.yaml >lab3.yaml
run plan -c "$T_URI" lab3.yaml
check "plan: a different domain is said, never applied" has "$OUT" \
	"  ! domain: defs -> other (not applied: vmtui does not change an existing network's definition"
check "plan: and nothing else to do" has "$OUT" "0 to create, 0 to update, 3 unchanged."

# ---- export, applied again under new names ----

run export -c "$T_URI" --network ${P}net
check "export --network: exit 0" eq "$RC" 0
cp "$OUT" net.yaml
run export -c "$T_URI" ${P}net
check "export NAME finds the network" cmp "$OUT" net.yaml
run export -c "$T_URI" --pool ${P}pool
check "export --pool: exit 0" eq "$RC" 0
cp "$OUT" pool.yaml
check "export: the network's entry" has net.yaml "${P}net:
  type: network
  forward: nat
  bridge: vmtdef0
  cidr: \"192.168.231.0/24\"
  dhcp: true
  domain: defs
  hosts:"
check "export: the pool's entry" has pool.yaml "${P}pool:
  type: pool
  pooltype: dir
  path: $PDIR/lab
  start: true
  autostart: true"
sed -e "s/^${P}net:/${P}net2:/" -e 's/192\.168\.231\./192.168.232./g' -e 's/vmtdef0/vmtdef1/' \
	net.yaml >copy.yaml
sed -e "s/^${P}pool:/${P}pool2:/" -e "s#$PDIR/lab#$PDIR/lab2#" pool.yaml >>copy.yaml
run apply -c "$T_URI" --yes copy.yaml
check "export applied under new names: exit 0" eq "$RC" 0
check "export applied: Applied: 2 created" has "$ERR" "Applied: 2 created, 0 updated."
check "export applied: the pool runs" eq "$(pool_state ${P}pool2)" "running yes"
check "export applied: the network runs" eq "$(net_state ${P}net2)" "yes yes"
check "export applied: the fixed hosts came along" eq \
	"$(host_ip ${P}net2 52:54:00:de:f5:02)" 192.168.232.11
run plan -c "$T_URI" copy.yaml
check "export applied: plan again, no changes" has "$OUT" "0 to create, 0 to update, 2 unchanged."

# ---- a failure rolls back the pool and network ----

cat >fail.yaml <<EOF
${P}rbpool: {type: pool, path: $PDIR/rb}
${P}rbnet: {type: network, cidr: 192.168.233.0/24, bridge: vmtdef3}
${P}rb:
  type: qemu
  memory: 128M
  disks: [{size: 16M, pool: ${P}rbpool}]
  networks: [${P}rbnet]
  boot: {kernel: $PDIR/no-such-kernel}
  start: true
EOF
before=$(ours)
run apply -c "$T_URI" --yes fail.yaml
check "failing apply: exit 1" eq "$RC" 1
check "failing apply: says what it rolled back" has "$ERR" \
	"Rolled back: undefined VM ${P}rb; deleted volume ${P}rb-vda.qcow2 in pool ${P}rbpool; undefined network ${P}rbnet; undefined pool ${P}rbpool."
check "failing apply: nothing of it left" eq "$(ours)" "$before"
check "failing apply: the folder it built is gone" test ! -e "$PDIR/rb"

# ---- an fs pool on a loop device ----

LOOP=
if truncate -s 32M "$D/fs.img" && mkfs.ext4 -q -F "$D/fs.img" 2>/dev/null &&
	LOOP=$(losetup -f --show "$D/fs.img" 2>/dev/null) && [ -b "$LOOP" ]; then
	uuid=$(blkid -o value -s UUID "$LOOP")
	printf '%sfs:\n  type: pool\n  pooltype: fs\n  path: %s/fsmnt\n  source_device: %s\n' \
		"$P" "$PDIR" "$LOOP" >fs.yaml
	run plan -c "$T_URI" fs.yaml
	check "fs pool: plan makes the mount point, no file system" has "$OUT" \
		"  + build it: make its mount point"
	run apply -c "$T_URI" --yes fs.yaml
	check "fs pool: applied" eq "$RC" 0
	check "fs pool: mounted on its mount point" eq \
		"$(findmnt -n -o SOURCE "$PDIR/fsmnt")" "$LOOP"
	v pool-destroy ${P}fs >/dev/null && v pool-undefine ${P}fs >/dev/null
	{ cat fs.yaml; echo "  build: true"; } >fsbuild.yaml
	run plan -c "$T_URI" fsbuild.yaml
	check "fs pool, build: a file system only if the device has none" has "$OUT" \
		"  + build it: make its mount point, and a file system if the device has none"
	run apply -c "$T_URI" --yes fsbuild.yaml
	check "fs pool, build: refused over the device's file system" eq "$RC" 1
	check "fs pool, build: rolled back" has "$ERR" "Rolled back: undefined pool ${P}fs."
	check "fs pool, build: the file system untouched" eq "$(blkid -o value -s UUID "$LOOP")" "$uuid"
	check "fs pool, build: nothing left" eq "$(ours | grep -c "^pool ${P}fs$")" 0
else
	say "# no loop device here: the fs pool checks are skipped"
fi

summary
