#!/usr/bin/env bash
# test_apply.sh — `vmtui validate|plan|apply|export` against the real
# daemon: VMs made from definition files in the test pool ($T_POOL of
# tests/lib.sh), checked with virsh, booted (the fixture kernel of
# tests/realstack/build-guest.sh, TCG) and looked at from inside; plans
# after apply and after edits, updates, export and re-creation, failures
# that must leave nothing behind, and strings with quotes and ampersands.
# Every domain and volume named vmtuitest-apply-* is removed at the end.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

P=vmtuitest-apply-
FIX=${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}
run_files apply

v() { virsh -q -c "$T_URI" "$@"; }

apply_cleanup() {
	local d vol
	for d in $(v list --all --name 2>/dev/null | grep "^$P"); do
		v destroy "$d" >/dev/null 2>&1
		v undefine "$d" >/dev/null 2>&1
	done
	for vol in $(v vol-list "$T_POOL" 2>/dev/null | awk '{ print $1 }' | grep "^$P"); do
		v vol-delete --pool "$T_POOL" "$vol" >/dev/null 2>&1
	done
	rm -rf "$D"
}

our_things() {
	{ v list --all --name | grep "^$P"; v vol-list "$T_POOL" | awk '{ print $1 }' | grep "^$P"; } |
		sort
}
xpath() { v dumpxml --inactive "$1" | xmllint --xpath "$2" -; }
vol_bytes() { v vol-info --bytes --pool "$T_POOL" "$1" | awk '/^Capacity:/ { print $2 }'; }
quietly() { "$@" >/dev/null 2>&1; }
in_guest() { VMTUI_URI=$T_URI "$RS/console-run.sh" -t 90 "$@"; }

stack_base_up || { say "cannot set up the daemon and pool"; exit 1; }
trap apply_cleanup EXIT
apply_cleanup
mkdir -p "$D"
cd "$D" || exit 1

# ---- validate ----

printf 'name: web01\nmemroy: 2G\nvcpus: 0\n' >bad.yaml
printf 'name: %sa&b\n' "$P" >badname.yaml
printf 'name: %sok\nnetworks: []\n' "$P" >ok.yaml
run validate ok.yaml
check "validate: a valid file exits 0" eq "$RC" 0
run validate bad.yaml ok.yaml badname.yaml
check "validate: errors exit 1" eq "$RC" 1
check "validate: every error, file:line:col: message" eq "$(cat "$ERR")" \
"bad.yaml:2:1: unknown key \"memroy\" (did you mean \"memory\"?)
bad.yaml:3:8: vcpus: \"0\" is not a whole number from 1 to 4096
badname.yaml:1:7: name: \"${P}a&b\" may only hold letters, digits and - _ . +"
run validate
check "validate: no file is a usage error" eq "$RC" 1

# ---- create ----

CMDLINE="console=ttyS0 quiet vmtui.x=\"a&b'c<d>\""
CMDLINE_YAML=${CMDLINE//"'"/"''"} # single-quoted YAML doubles its quotes
cat >vms.yaml <<EOF
${P}blank:
  type: qemu
  vcpus: {current: 1, max: 2}
  memory: 128M
  disks:
    - {size: 64M, pool: $T_POOL}
  networks: [{user: true}]
  boot:
    kernel: $FIX/vmlinuz
    initrd: $FIX/initrd.img
    cmdline: '$CMDLINE_YAML'
  start: true
${P}overlay:
  type: qemu
  memory: 128M
  disks:
    - {image: $T_POOL/$T_BASE, size: 48M, pool: $T_POOL}
  networks: []
  boot:
    kernel: $FIX/vmlinuz
    initrd: $FIX/initrd.img
    cmdline: console=ttyS0 quiet
  cloud_init:
    user_data: |
      #cloud-config
      runcmd:
        - echo "a&b'c<d>" > /tmp/x
  autostart: true
EOF
printf '#cloud-config\nruncmd:\n  - echo "a&b'"'"'c<d>" > /tmp/x\n' >want-user-data

run plan -c "$T_URI" vms.yaml
check "plan: exit 0 for VMs to create" eq "$RC" 0
check "plan: blank volume" has "$OUT" \
	"  + disk vda: new volume $T_POOL/${P}blank-vda.qcow2, 64M qcow2, blank"
check "plan: overlay volume" has "$OUT" \
	"  + disk vda: new volume $T_POOL/${P}overlay-vda.qcow2, 48M qcow2, overlay on $T_POOL/$T_BASE (qcow2)"
check "plan: seed, define, autostart, start" eq "$(grep -c -e '+ cloud-init seed: new volume' \
	-e '+ define VM' -e '+ autostart on' -e '+ start' "$OUT")" 5
check "plan: summary" has "$OUT" "2 to create, 0 to update, 0 unchanged."
check "plan: nothing created" eq "$(our_things)" ""

run apply -c "$T_URI" vms.yaml
check "apply: refuses without --yes when stdin is no terminal" eq "$RC" 1
check "apply: says why" has "$ERR" "standard input is not a terminal"
check "apply: nothing created without --yes" eq "$(our_things)" ""

run apply -c "$T_URI" --yes vms.yaml
check "apply --yes: exit 0" eq "$RC" 0
check "apply --yes: progress of the upload" has "$ERR" \
	"${P}overlay: upload the cloud-init seed to volume ${P}overlay-seed.iso in pool $T_POOL: 100%"
check "apply --yes: summary" has "$ERR" "Applied: 2 created, 0 updated."
check "both domains defined" eq "$(v list --all --name | grep -c "^$P")" 2
check "blank volume: 64M" eq "$(vol_bytes "${P}blank-vda.qcow2")" $((64 << 20))
check "overlay volume: 48M" eq "$(vol_bytes "${P}overlay-vda.qcow2")" $((48 << 20))
check "overlay volume: backed by the base image" eq \
	"$(v vol-dumpxml --pool "$T_POOL" "${P}overlay-vda.qcow2" |
		xmllint --xpath 'string(/volume/backingStore/path)' -)" "$T_POOL_DIR/$T_BASE"
check "seed volume exists" quietly v vol-info --pool "$T_POOL" "${P}overlay-seed.iso"
check "blank VM: started" eq "$(v domstate "${P}blank")" running
check "overlay VM: autostart on" has <(v dominfo "${P}overlay") "Autostart:      enable"
check "cmdline with quotes and & reaches libvirt as written" eq \
	"$(xpath "${P}blank" 'string(/domain/os/cmdline)')" "$CMDLINE"
v vol-download --pool "$T_POOL" "${P}overlay-seed.iso" seed.iso
isoinfo -R -x /user-data -i seed.iso >got-user-data 2>&1
check "seed: user-data as written" cmp got-user-data want-user-data
check "seed: meta-data names the VM" has <(isoinfo -R -x /meta-data -i seed.iso) \
	"local-hostname: \"${P}overlay\""

v start "${P}overlay" >/dev/null
check "blank VM: the guest sees 64M (sectors)" eq \
	"$(in_guest "${P}blank" 'cat /sys/block/vda/size' | tr -d '\r')" $((64 << 11))
check "blank VM: the guest's kernel got the cmdline" has \
	<(in_guest "${P}blank" 'cat /proc/cmdline') "vmtui.x=\"a&b'c<d>\""
check "overlay VM: the guest sees 48M (sectors)" eq \
	"$(in_guest "${P}overlay" 'cat /sys/block/vda/size' | tr -d '\r')" $((48 << 11))

run plan -c "$T_URI" vms.yaml
check "plan after apply: no changes" eq "$(grep -c ': no changes (running)$' "$OUT")" 2
check "plan after apply: summary" has "$OUT" "0 to create, 0 to update, 2 unchanged."
run apply -c "$T_URI" vms.yaml
check "apply after apply: nothing to do, without asking" eq "$RC:$(cat "$ERR")" "0:Nothing to do."

# ---- update ----

sed -e 's/vcpus: {current: 1, max: 2}/vcpus: 2/' \
	-e '0,/memory: 128M/s//memory: {current: 96M, max: 128M}/' vms.yaml >more.yaml
run plan -c "$T_URI" more.yaml
check "plan: vCPUs change live" has "$OUT" "  ~ vcpus: 1 -> 2 (now, and saved)"
check "plan: memory changes live" has "$OUT" "  ~ memory: 128M -> 96M (now, and saved)"
check "plan: one to update" has "$OUT" "0 to create, 1 to update, 1 unchanged."
run apply -c "$T_URI" --yes more.yaml
check "apply update: exit 0" eq "$RC" 0
check "vCPUs: 2 in the saved definition" eq "$(v vcpucount --config --current "${P}blank")" 2
check "vCPUs: 2 live" eq "$(v vcpucount --live --current "${P}blank")" 2
check "memory: 96M saved" eq "$(xpath "${P}blank" 'string(/domain/currentMemory)')" 98304
# The guest's balloon driver deflates in its own time.
memstat_has() { v dommemstat "${P}blank" | grep -qF -- "$1" || { say "  dommemstat:"; v dommemstat "${P}blank" | sed 's/^/  | /' >&2; false; }; }
check "memory: balloon target 96M live" eventually 30 memstat_has "actual 98304"
run plan -c "$T_URI" more.yaml
check "plan after update: no changes" has "$OUT" "0 to create, 0 to update, 2 unchanged."

sed -e 's/size: 64M/size: 32M/' -e 's/networks: \[{user: true}\]/networks: []/' more.yaml >less.yaml
run plan -c "$T_URI" less.yaml
check "plan: a smaller disk is not applied" has "$OUT" \
	"  ! disks[0].size: 64M -> 32M (not applied: apply never shrinks a disk)"
check "plan: a removed NIC is not applied" has "$OUT" \
	"  ! networks: 1 -> 0 (not applied: apply never removes an interface)"
run apply -c "$T_URI" --yes less.yaml
check "apply: nothing it may do" eq "$RC:$(cat "$ERR")" "0:Nothing to do."
check "the disk keeps its size" eq "$(vol_bytes "${P}blank-vda.qcow2")" $((64 << 20))
check "the NIC stays" eq "$(v domiflist "${P}blank" | wc -l)" 1

# ---- export ----

run export -c "$T_URI" "${P}blank"
check "export: exit 0" eq "$RC" 0
sed "s/^name: ${P}blank\$/name: ${P}copy/" "$OUT" >copy.yaml
run apply -c "$T_URI" --yes copy.yaml
check "export, then apply under a new name: exit 0" eq "$RC" 0
check "copy: same vCPUs" eq "$(v vcpucount --config --maximum "${P}copy")/$(v vcpucount \
	--config --current "${P}copy")" "$(v vcpucount --config --maximum "${P}blank")/2"
check "copy: same memory" eq "$(xpath "${P}copy" 'string(/domain/memory)')/$(xpath "${P}copy" \
	'string(/domain/currentMemory)')" "131072/98304"
check "copy: same disk count" eq "$(xpath "${P}copy" "count(/domain/devices/disk)")" \
	"$(xpath "${P}blank" "count(/domain/devices/disk)")"
check "copy: same disk size" eq "$(vol_bytes "${P}copy-vda.qcow2")" $((64 << 20))
check "copy: same NICs" eq "$(xpath "${P}copy" 'string(/domain/devices/interface/@type)')/$(xpath \
	"${P}copy" 'string(/domain/devices/interface/model/@type)')" "user/virtio"
check "copy: same kernel command line" eq \
	"$(xpath "${P}copy" 'string(/domain/os/cmdline)')" "$CMDLINE"
run export -c "$T_URI" "${P}nosuch"
check "export: a missing VM exits 1 and says so" eq "$RC:$(cat "$ERR")" \
	"1:vmtui: there is no VM, network or storage pool named \"${P}nosuch\" (virsh list --all, net-list --all and pool-list --all show them)."

# ---- failures leave nothing behind ----

before=$(our_things)
cat >fail1.yaml <<EOF
${P}fail1:
  type: qemu
  disks:
    - {size: 64M, pool: $T_POOL}
    - {image: $T_POOL/${P}nosuch.qcow2, pool: $T_POOL}
  networks: []
EOF
run apply -c "$T_URI" --yes fail1.yaml
check "missing base image: exit 1" eq "$RC" 1
check "missing base image: said in the plan" has "$OUT" \
	"  error: fail1.yaml:5:7: ${P}fail1: disk 2: image \"$T_POOL/${P}nosuch.qcow2\": pool \"$T_POOL\" has no volume \"${P}nosuch.qcow2\""
check "missing base image: nothing created" eq "$(our_things)" "$before"
run plan -c "$T_URI" fail1.yaml
check "plan with errors: exit 1" eq "$RC" 1

cat >fail2.yaml <<EOF
${P}fail2:
  type: qemu
  disks:
    - {size: 64M, pool: $T_POOL}
  networks: []
  cloud_init: true
  boot: {kernel: /nonexistent/vmlinuz}
  start: true
EOF
run apply -c "$T_URI" --yes fail2.yaml
check "failing start: exit 1" eq "$RC" 1
check "failing start: rolled back" has "$ERR" \
	"Rolled back: undefined VM ${P}fail2; deleted volume ${P}fail2-seed.iso in pool $T_POOL; deleted volume ${P}fail2-vda.qcow2 in pool $T_POOL."
check "failing start: nothing left" eq "$(our_things)" "$before"

summary
