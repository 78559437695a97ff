#!/usr/bin/env bash
# tests/screen/sec/create.sh — creating guests: open a YAML file (Tab
# completion), plan, apply with y, land on the new row; the quick-create
# form writes its YAML and goes through the same plan; errors in a file are
# shown with line:column; read-only refuses both.
#
# A section of the screen suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/screen/run.sh with the others. Env and helpers: ../seclib.sh.
# shellcheck source=../seclib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../seclib.sh"

C1=vmtuicreate-one
C2=vmtuicreate-two
create_cleanup() {
	local g
	for g in "$C1" "$C2"; do
		vsh destroy "$g" >/dev/null 2>&1
		vsh undefine "$g" --remove-all-storage >/dev/null 2>&1
		vsh vol-delete --pool "$T_POOL" "$g-vda.qcow2" >/dev/null 2>&1
		vsh vol-delete --pool "$T_POOL" "$g-seed.iso" >/dev/null 2>&1
	done
}
# At exit, also when interrupted: no guest of this section left behind.
sec_cleanup() { create_cleanup; }
sec_create() {
	say "# 14. creating guests"
	create_cleanup
	local dir=$SCR_TMP/defs fix=${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}
	mkdir -p "$dir"
	cat >"$dir/create-one.yaml" <<-EOF
	# A tiny guest: direct kernel boot of the test fixture.
	name: $C1
	type: qemu
	vcpus: 1
	memory: 96M
	disks:
	  - size: 32M
	    pool: $T_POOL
	networks: []
	boot:
	  kernel: $fix/vmlinuz
	  initrd: $fix/initrd.img
	  cmdline: console=ttyS0 quiet
	cloud_init: false
	start: true
	EOF
	cat >"$dir/broken.yaml" <<-EOF
	name: $C2
	memory: lots
	vcpuz: 2
	EOF
	start_vmtui 110 30 -d 1 || return
	vt_keys o
	check "create: o opens the path prompt" wait_screen '^Open VM definitions:' 5
	vt_type "$dir/create-o"
	vt_keys Tab
	check "create: Tab completes the file name" \
		wait_screen "^Open VM definitions: .*create-one\.yaml" 5
	vt_keys Enter
	check "create: the plan lists the new guest, its volume and the start" \
		wait_screen "^$(re "$C1"): create" 20
	check "create: the plan names the volume in the pool" \
		wait_screen "new volume $T_POOL/$(re "$C1")-vda\.qcow2, 32M" 5
	check "create: the view asks for y" wait_screen 'Press y to apply this plan' 5
	vt_keys y
	check "create: apply finishes (Done)" wait_screen '^Done\. Esc goes back' 60
	check "create: libvirt has the guest, running" wait_domstate "$C1" running 30
	vt_esc
	check "create: Esc lands on the new guest's row" \
		wait_for 10 "selection on $C1" selected_is "$C1"

	vt_keys o
	wait_screen '^Open VM definitions:' 5
	vt_type "$dir/broken.yaml"
	vt_keys Enter
	check "create: a broken file shows every error with line:column" \
		wait_screen "broken\.yaml:2:9: memory" 15
	check "create: ... including the unknown key with a suggestion" \
		wait_screen "broken\.yaml:3:1: unknown key .vcpuz. \(did you mean .vcpus.\?\)" 5
	check "create: nothing was created from the broken file" \
		bash -c "! virsh -q -c '$T_URI' dominfo '$C2' >/dev/null 2>&1"
	vt_esc
	wait_screen '^NAME +STATE' 5

	vt_keys N
	check "create: N opens the quick-create form" wait_screen '^New VM' 5
	vt_type "$C2"
	vt_keys Tab Tab
	vt_keys C-u
	vt_type 64M
	vt_keys Tab C-u Tab Tab C-u
	vt_type "$T_POOL"
	vt_keys Tab C-u Tab C-u
	vt_type no
	vt_keys F2
	check "create: the form's plan shows the guest to create" \
		wait_screen "^$(re "$C2"): create" 20
	check "create: the form wrote its YAML file" \
		test -s "$SCR_TMP/xdg/vmtui/vms/$C2.yaml"
	vt_keys y
	check "create: the quick-created guest is defined (shut off)" \
		wait_domstate "$C2" "shut off" 30
	vt_esc
	vt_stop
	start_vmtui 110 30 -d 1 -r || { create_cleanup; return; }
	vt_keys o
	check "create: read-only refuses o" wait_screen 'Cannot create guests: vmtui runs read-only' 5
	vt_keys N
	check "create: read-only refuses N" wait_screen 'Cannot create guests: vmtui runs read-only' 5
	vt_stop
	create_cleanup
}

section_main sec_create
