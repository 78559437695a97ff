#!/usr/bin/env bash
# test_iso.sh — installing from an ISO, UEFI + TPM and os: defaults in
# vmtui.yaml definitions, against the real daemon and TCG guests:
#   * a definition with iso: (a pool volume) planned and applied: the
#     guest boots the ISO made by tests/realstack/build-iso.sh (its kernel
#     command line has vmtui.fromiso=1, which only the ISO's boot config
#     adds); the running install boots the CD first and the saved
#     definition the disk first; the guest's own reboot ends the install
#     run (the domain stops); after the "install" (the disk image an
#     installer would have written, uploaded to the volume) the next start
#     boots the disk (vmtui.fromdisk=1) with the CD still in its drive;
#   * plan and export of that VM afterwards: no changes, iso: written
#     back as pool/volume, and the export planned against it: no changes;
#   * iso: as a path with start: false: defined, not started, disk first;
#   * firmware: efi + tpm: true: the guest boots under OVMF with swtpm
#     running, and sees /sys/firmware/efi and /sys/class/tpm/tpm0;
#     secure_boot: true gets the Secure Boot firmware (q35, SMM);
#   * differences of an existing VM (firmware, tpm, iso) planned as not
#     applied; os: win11 defaults shown in the plan; an unknown os: refused
#     with the closest names.
# Every domain, volume and pool named ${T_PREFIX}iso-* is removed at the end.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

P=${T_PREFIX}iso-
POOL=${P}pool
FIX=${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}
POOLDIR=$FIX/${P}pool
run_files iso

v() { virsh -q -c "$T_URI" "$@"; }
quietly() { "$@" >/dev/null 2>&1; }
in_guest() { VMTUI_URI=$T_URI "$RS/console-run.sh" -t 150 "$@"; }
live() { v dumpxml "$1" | xmllint --xpath "$2" - 2>/dev/null; }
saved() { v dumpxml --inactive "$1" | xmllint --xpath "$2" - 2>/dev/null; }

iso_cleanup() {
	local d
	for d in $(v list --all --name 2>/dev/null | grep "^$P"); do
		quietly v destroy "$d"
		quietly v undefine --nvram --tpm "$d" || quietly v undefine --nvram "$d"
	done
	for d in $(v vol-list "$POOL" 2>/dev/null | awk '{ print $1 }'); do
		quietly v vol-delete --pool "$POOL" "$d"
	done
	quietly v pool-destroy "$POOL"
	quietly v pool-undefine "$POOL"
	rm -rf "$POOLDIR" "$D"
}

# wait_state DOM STATE SECONDS
wait_state() {
	local i
	for ((i = 0; i < $3; i++)); do
		[ "$(v domstate "$1" 2>/dev/null)" = "$2" ] && return 0
		sleep 1
	done
	false
}

stack_base_up || { say "cannot set up the daemon"; exit 1; }
"$RS/build-iso.sh" >&2 || { say "cannot build the test ISO"; exit 1; }
trap iso_cleanup EXIT
iso_cleanup
mkdir -p "$D" "$POOLDIR" && chmod 0755 "$POOLDIR"
cp "$FIX/vmtui-test.iso" "$POOLDIR/test.iso" && chmod 0644 "$POOLDIR/test.iso"
v pool-define-as "$POOL" dir --target "$POOLDIR" >/dev/null && v pool-start "$POOL" >/dev/null ||
	{ say "cannot make pool $POOL"; exit 1; }
cd "$D" || exit 1

# ---- install from a pool volume ----

G=${P}inst
cat >inst.yaml <<YAML
name: $G
type: qemu
memory: 256M
iso: $POOL/test.iso
disks:
  - size: 64M
    pool: $POOL
    format: raw
networks: []
graphics: none
boot_menu: true
YAML
run plan -c "$T_URI" inst.yaml
check "plan: exits 0" eq "$RC" 0
check "plan: the CD-ROM with the install media, booted first on the first start" has "$OUT" \
	"+ CD-ROM (sata): install media $POOL/test.iso ($POOLDIR/test.iso); the first start boots it first and ends at the installer's reboot; later starts boot the disk first"
check "plan: the boot menu" has "$OUT" "+ with boot menu"
check "plan: iso starts the VM" has "$OUT" "+ start"
run apply --yes -c "$T_URI" inst.yaml
check "apply: exits 0" eq "$RC" 0
cat "$ERR" >>"$OUT"
check "apply: saves the after-install definition as its last step" has "$OUT" \
	"save VM $G to boot its disk first after the install"
check "apply: the VM runs" eq "$(v domstate "$G")" running
check "install run: boots the CD first" eq \
	"$(live "$G" 'string(/domain/os/boot[1]/@dev)')$(live "$G" 'string(/domain/os/boot[2]/@dev)')" cdromhd
check "install run: the installer's reboot stops it" eq "$(live "$G" 'string(/domain/on_reboot)')" destroy
check "saved: boots the disk first, then the CD" eq \
	"$(saved "$G" 'string(/domain/os/boot[1]/@dev)')$(saved "$G" 'string(/domain/os/boot[2]/@dev)')" hdcdrom
check "saved: reboots restart" eq "$(saved "$G" 'string(/domain/on_reboot)')" restart
check "saved: the ISO in a read-only sata CD-ROM" eq \
	"$(saved "$G" "string(/domain/devices/disk[@device='cdrom']/source/@file)")|$(saved "$G" "string(/domain/devices/disk[@device='cdrom']/target/@bus)")|$(saved "$G" "count(/domain/devices/disk[@device='cdrom']/readonly)")" \
	"$POOLDIR/test.iso|sata|1"
cmdline=$(in_guest "$G" 'cat /proc/cmdline')
check "the guest booted from the CD (vmtui.fromiso=1 on its command line)" \
	eval '[[ " $cmdline " == *" vmtui.fromiso=1 "* ]] || { say "  cmdline: $cmdline"; false; }'
VMTUI_URI=$T_URI "$RS/console-run.sh" -t 30 "$G" '(sleep 2; reboot -f) >/dev/null 2>&1 &' >/dev/null
check "the guest's reboot ends the install run: the VM stops" wait_state "$G" "shut off" 60
# What the installer would have left on the disk: a system that boots.
v vol-upload --pool "$POOL" "$G-vda.img" "$FIX/vmtui-test-disk.img" 2>"$D/upload.err"
check "the installed system is on the disk" eq "$?" 0
v start "$G" >/dev/null
check "next start: boots the disk first" eq "$(live "$G" 'string(/domain/os/boot[1]/@dev)')" hd
check "next start: reboots restart" eq "$(live "$G" 'string(/domain/on_reboot)')" restart
cmdline=$(in_guest "$G" 'cat /proc/cmdline')
check "next start: the guest booted from the disk (vmtui.fromdisk=1), not the CD" \
	eval '[[ " $cmdline " == *" vmtui.fromdisk=1 "* && " $cmdline " != *fromiso* ]] || { say "  cmdline: $cmdline"; false; }'
check "next start: the CD is still in its drive" eq \
	"$(v domblklist "$G" | awk '$2 ~ /test.iso$/ { print $1 }')" sda

run plan -c "$T_URI" inst.yaml
check "plan after the install: no changes" has "$OUT" "$G: no changes (running)"
run export -c "$T_URI" "$G"
check "export: exits 0" eq "$RC" 0
check "export: iso written back as pool/volume" has "$OUT" "iso: $POOL/test.iso"
check "export: boot_menu written back" has "$OUT" "boot_menu: true"
check "export: no boot order (iso gives it)" eval '! grep -q "order:" "$OUT"'
cp "$OUT" exported.yaml
run plan -c "$T_URI" exported.yaml
check "export planned against the VM: no changes" has "$OUT" "$G: no changes (running)"

# ---- differences of an existing VM: planned, not applied ----

sed -e 's/^boot_menu: true$/boot_menu: false/' inst.yaml >changed.yaml
printf 'firmware: efi\ntpm: true\n' >>changed.yaml
sed -i "s|^iso: .*|iso: /srv/other.iso|" changed.yaml
run plan -c "$T_URI" changed.yaml
check "plan: firmware difference not applied, with the command to use" has "$OUT" \
	"! firmware: bios -> efi (not applied: apply does not change an existing VM's firmware; use vmtui firmware"
check "plan: TPM difference not applied" has "$OUT" \
	"! tpm: none -> crb (not applied: apply does not add or remove a TPM; use vmtui tpm)"
check "plan: boot menu difference not applied" has "$OUT" "! boot_menu: true -> false"
check "plan: media difference not applied" has "$OUT" \
	"! iso: $POOLDIR/test.iso -> /srv/other.iso (not applied: apply does not change the media of an existing VM; use vmtui media (insert or eject))"
v destroy "$G" >/dev/null 2>&1

# ---- iso as a path, not started ----

H=${P}path
printf 'name: %s\ntype: qemu\nmemory: 128M\niso: %s\nstart: false\ndisks: [{size: 16M, pool: %s}]\nnetworks: []\n' \
	"$H" "$FIX/vmtui-test.iso" "$POOL" >path.yaml
run apply --yes -c "$T_URI" path.yaml
check "iso as a path: applied" eq "$RC" 0
check "iso as a path, start: false: defined, not started" eq "$(v domstate "$H")" "shut off"
check "iso as a path, start: false: the disk first, then the CD" eq \
	"$(saved "$H" 'string(/domain/os/boot[1]/@dev)')$(saved "$H" 'string(/domain/os/boot[2]/@dev)')" hdcdrom
check "iso as a path: the CD holds it" eq \
	"$(saved "$H" "string(/domain/devices/disk[@device='cdrom']/source/@file)")" "$FIX/vmtui-test.iso"

# ---- UEFI and an emulated TPM ----

E=${P}efi
cat >efi.yaml <<YAML
name: $E
type: qemu
memory: 256M
firmware: efi
tpm: true
boot:
  kernel: $FIX/vmlinuz
  initrd: $FIX/initrd.img
  cmdline: console=ttyS0
networks: []
graphics: none
start: true
YAML
run plan -c "$T_URI" efi.yaml
check "plan: UEFI and the TPM" has "$OUT" "+ with firmware efi, TPM 2.0 (crb, emulated)"
run apply --yes -c "$T_URI" efi.yaml
check "efi + tpm: applied and started" eq "$RC|$(v domstate "$E")" "0|running"
if [ "$RC" != 0 ]; then sed 's/^/  | /' "$ERR" >&2; fi
check "efi: libvirt chose OVMF" eval '[[ "$(live "$E" "string(/domain/os/loader)")" == *OVMF* ]]'
check "tpm: a tpm-crb on the emulator backend" eq \
	"$(live "$E" 'string(/domain/devices/tpm/@model)')|$(live "$E" 'string(/domain/devices/tpm/backend/@type)')" \
	"tpm-crb|emulator"
check "tpm: swtpm runs for the guest" eval "pgrep -f 'swtpm socket.*$E-swtpm' >/dev/null"
seen=$(in_guest "$E" 'for p in /sys/firmware/efi /sys/class/tpm/tpm0; do [ -e $p ] && echo $p; done')
check "efi + tpm: the guest booted under UEFI and sees its TPM" eq "$seen" \
	"/sys/firmware/efi
/sys/class/tpm/tpm0"
run export -c "$T_URI" "$E"
check "export: firmware and TPM written back" eval 'grep -qx "firmware: efi" "$OUT" && grep -qx "tpm: true" "$OUT"'
v destroy "$E" >/dev/null 2>&1

S=${P}sb
sed -e "s/^name: .*/name: $S/" -e 's/^start: true$/start: false/' efi.yaml >sb.yaml
printf 'secure_boot: true\n' >>sb.yaml
run apply --yes -c "$T_URI" sb.yaml
check "secure_boot: applied" eq "$RC" 0
check "secure_boot: q35 with SMM and the secure-boot feature" eq \
	"$(saved "$S" 'string(/domain/os/type/@machine)' | cut -d- -f2)|$(saved "$S" 'string(/domain/features/smm/@state)')|$(saved "$S" "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)")" \
	"q35|on|yes"
v start "$S" >/dev/null 2>"$D/sb.err"
check "secure_boot: starts on the Secure Boot firmware" eq \
	"$(live "$S" 'string(/domain/os/loader/@secure)')" yes
quietly v destroy "$S"

# ---- os: ----

W=${P}win
printf 'name: %s\nos: win11\niso: %s/test.iso\n' "$W" "$POOL" >win.yaml
run plan -c "$T_URI" win.yaml
check "os win11: the defaults taken, shown in the plan" has "$OUT" \
	"= from os win11: memory 4096M, 2 vCPUs, a disk of 64G, disk bus sata, NIC model e1000e, firmware efi, Secure Boot, TPM 2.0"
check "os win11: its disk" has "$OUT" "+ disk sda: new volume default/$W-sda.qcow2, 64G qcow2, blank"
printf 'name: %s\nos: debian12\n' "$W" >unknown.yaml
run plan -c "$T_URI" unknown.yaml
check "os unknown: refused" eq "$RC" 1
check "os unknown: file:line:col and the closest names" has "$ERR" \
	"unknown.yaml:2:5: os: \"debian12\" is not in libosinfo's database (did you mean debian10, debian11, debian1.2?)"

summary
