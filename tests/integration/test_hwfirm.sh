#!/usr/bin/env bash
# test_hwfirm.sh — `vmtui firmware`, `tpm`, `cpu`, `boot` and `hostdev`
# against the real daemon, with guests of our own (tests/realstack/guest.sh),
# checked with virsh and from inside the guests over their serial consoles:
#   - UEFI: a guest switched to UEFI (libvirt's firmware auto-selection
#     picks Debian's OVMF) with an emulated TPM 2.0 (swtpm) boots the tiny
#     kernel directly (OVMF loads it from fw_cfg) and sees both: the kernel
#     has /sys/firmware/efi and /sys/class/tpm/tpm0 (the cloud kernel builds
#     the TPM drivers in; tests/realstack/build-guest.sh adds them where
#     they are modules). OVMF needs more than the usual 128 MiB: 512.
#   - Secure Boot: a q35 guest (guest.sh's XML with the machine changed)
#     turned UEFI with Secure Boot gets OVMF's Secure Boot build with
#     Microsoft's keys enrolled and SMM, and its kernel says "Secure boot
#     enabled"; turned off while it runs, saved for the next boot;
#   - --dry-run changes nothing; a change to a running guest says it waits
#     for the next boot, and the running guest keeps what it has;
#   - CPU topology: 1,1,2 puts the two vCPUs in one package (seen in
#     /sys/devices/system/cpu; the guest's qemu64 model, an AMD one without
#     topoext, does not show them as thread siblings), 2,1,1 (saved while it
#     runs) two packages after the next start; the host's refusals: host-passthrough under TCG, a
#     named model the host says is not usable, a topology that does not
#     multiply to the maximum vCPUs;
#   - boot order and menu in the saved XML;
#   - `vmtui hostdev list` is `virsh nodedev-list --cap pci` and
#     `--cap usb_device`; passing a PCI device through is refused with its
#     reason. This sandbox (a KVM guest itself) has no IOMMU:
#     /sys/kernel/iommu_groups is empty and no node device has an
#     iommuGroup, so every PCI device is refused (no IOMMU, a bridge, or the
#     host's own disk or network). On a host with an IOMMU that part is
#     skipped, saying so.
# Every guest is named ${T_PREFIX}hf-* and removed at the end.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

P=${T_PREFIX}hf-
EFI=${P}efi     # UEFI + TPM
SB=${P}sb       # q35, UEFI with Secure Boot
CPU=${P}cpu     # two vCPUs, topology changes
run_files hwfirm

v() { virsh -q -c "$T_URI" "$@"; }
in_guest() { VMTUI_URI=$T_URI "$RS/console-run.sh" -t 60 "$@"; }
saved() { v dumpxml --inactive "$1" | xmllint --xpath "$2" - 2>/dev/null; }
hw_cleanup() {
	remove_guests "$P" "${P}nopool"
	rm -rf "$D"
}
restart() { v destroy "$1" >/dev/null 2>&1; "$RS/guest.sh" start "$1" --wait 180 >&2; }

stack_base_up || { say "cannot set up the daemon"; echo "0 passed, 1 failed"; exit 1; }
trap hw_cleanup EXIT
trap 'exit 130' INT TERM HUP
KEEP_GUESTS='' remove_guests "$P" "${P}nopool"

"$RS/guest.sh" define "$EFI" --mem 512 --maxmem 512 >&2 &&
	"$RS/guest.sh" define "$CPU" --vcpus 2 --maxvcpus 2 >&2 ||
	{ not_ok "define the guests"; summary; exit 1; }

# ---- UEFI and a TPM ----

before=$(v dumpxml --inactive "$EFI")
run firmware -c "$T_URI" "$EFI" efi --dry-run
check "firmware --dry-run: exit 0" eq "$RC" 0
check "firmware --dry-run: what" has "$OUT" "$EFI: firmware BIOS -> UEFI, Secure Boot off"
check "firmware --dry-run: the diff" has "$OUT" "+  <os firmware='efi'>"
check "firmware --dry-run: the virsh line" has "$OUT" "virsh -c $T_URI define $EFI.xml"
check "firmware --dry-run: changes nothing" eq "$(v dumpxml --inactive "$EFI")" "$before"

run firmware -c "$T_URI" "$EFI" bios --secure-boot on
check "Secure Boot on BIOS: refused" eq "$RC" 1
check "Secure Boot on BIOS: the reason" has "$ERR" "Secure Boot needs UEFI firmware"
run firmware -c "$T_URI" "$EFI" efi --secure-boot on
check "Secure Boot on i440fx: refused" has "$ERR" "needs the q35 machine type; $EFI has pc-i440fx"

run firmware -c "$T_URI" "$EFI" efi
check "firmware efi: exit 0" eq "$RC" 0
check "firmware efi: at the next boot" has "$OUT" "Done: at the next boot."
check "firmware efi: saved" eq "$(saved "$EFI" 'string(/domain/os/@firmware)')" efi
run tpm add -c "$T_URI" "$EFI"
check "tpm add: exit 0" eq "$RC" 0
check "tpm add: saved" eq "$(saved "$EFI" 'string(/domain/devices/tpm/backend/@version)')" 2.0
run tpm add -c "$T_URI" "$EFI"
check "tpm add twice: refused" has "$ERR" "has a TPM already (tpm-crb, emulator 2.0); remove it first."
run firmware -c "$T_URI" "$EFI"
check "firmware: shown" has "$OUT" "$EFI firmware: UEFI, Secure Boot off; TPM: tpm-crb, emulator"

if "$RS/guest.sh" start "$EFI" --wait 180 >&2; then
	ok "the UEFI guest with a TPM boots the tiny kernel"
	check "libvirt picked OVMF for it" grep -q OVMF <<<"$(v dumpxml "$EFI" | xmllint --xpath 'string(/domain/os/loader)' -)"
	check "the guest was booted by UEFI" eq "$(in_guest "$EFI" '[ -d /sys/firmware/efi ] && echo efi')" efi
	check "the guest sees the TPM" eq "$(in_guest "$EFI" 'ls /sys/class/tpm')" tpm0
	check "swtpm runs for it" pgrep -f -c "swtpm socket.*$EFI-swtpm.sock" >/dev/null
	# back to BIOS while it runs: saved for the next boot only
	run firmware -c "$T_URI" "$EFI" bios
	check "firmware bios while running: exit 0" eq "$RC" 0
	check "firmware bios while running: says when" has "$OUT" "$EFI is running: this takes effect at the next boot"
	check "firmware bios while running: the NVRAM note" has "$OUT" "virsh undefine --nvram"
	check "firmware bios: saved has no firmware" eq "$(saved "$EFI" 'count(/domain/os/loader)')" 0
	check "firmware bios: the running guest keeps UEFI" eq "$(in_guest "$EFI" '[ -d /sys/firmware/efi ] && echo efi')" efi
	run tpm remove -c "$T_URI" "$EFI"
	check "tpm remove: saved" eq "$(saved "$EFI" 'count(/domain/devices/tpm)')" 0
	check "tpm remove: the running guest keeps it" eq "$(in_guest "$EFI" 'ls /sys/class/tpm')" tpm0
else
	not_ok "the UEFI guest with a TPM boots the tiny kernel"
	tail -c 2000 "$("$RS/guest.sh" dir "$EFI")/console.log" | tr -d '\033' | tail -5 >&2
fi

# ---- Secure Boot on a q35 guest ----

# guest.sh makes i440fx guests: the same XML on q35, its PCI addresses
# and controllers left for libvirt to lay out again.
if "$RS/guest.sh" define "$SB" --mem 512 --maxmem 512 >&2 &&
	v dumpxml --inactive "$SB" | sed -e "s/machine='pc-i440fx-[^']*'/machine='q35'/" \
		-e "/<address type='pci'/d" -e "/<controller type='pci'/d" >"$D/sb.xml" &&
	v define "$D/sb.xml" >/dev/null; then
	run firmware -c "$T_URI" "$SB" efi --secure-boot on
	check "Secure Boot on q35: exit 0" eq "$RC" 0
	check "Secure Boot on q35: saved" eq "$(saved "$SB" "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)")" yes
	check "Secure Boot on q35: SMM on" eq "$(saved "$SB" 'string(/domain/features/smm/@state)')" on
	if "$RS/guest.sh" start "$SB" --wait 180 >&2; then
		check "libvirt picked a Secure Boot loader" eq "$(v dumpxml "$SB" | xmllint --xpath 'string(/domain/os/loader/@secure)' -)" yes
		check "the guest's kernel runs with Secure Boot" has <(in_guest "$SB" 'dmesg | grep -i "secure boot"') "Secure boot enabled"
		run firmware -c "$T_URI" "$SB" --secure-boot off
		check "Secure Boot off while running: at the next boot" has "$OUT" "$SB is running: this takes effect at the next boot"
		check "Secure Boot off: saved" eq "$(saved "$SB" "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)")" no
	else
		not_ok "the Secure Boot guest boots"
	fi
	v destroy "$SB" >/dev/null 2>&1
else
	not_ok "define a q35 guest"
fi

# ---- CPU ----

run cpu -c "$T_URI" "$CPU" --mode host-passthrough
check "host-passthrough under TCG: refused" has "$ERR" "(it needs KVM; this guest is emulated, TCG)"
run cpu -c "$T_URI" "$CPU" --model Haswell
check "an unusable model: refused" has "$ERR" "CPU model Haswell cannot run on this host"
run cpu -c "$T_URI" "$CPU" --model NoSuchCPU
check "an unknown model: refused, with the usable ones" has "$ERR" '"NoSuchCPU" is not a CPU model this host knows. Usable: '
run cpu -c "$T_URI" "$CPU" --topology 2,2,1
check "a topology of 4 for 2 vCPUs: refused" has "$ERR" "= 4 vCPUs, but $CPU has 2 at most"
run cpu -c "$T_URI" "$CPU" --topology 1,1,2
check "topology 1,1,2: exit 0" eq "$RC" 0
check "topology 1,1,2: saved" eq "$(saved "$CPU" 'string(/domain/cpu/topology/@threads)')" 2
if "$RS/guest.sh" start "$CPU" --wait 120 >&2; then
	check "two vCPUs" eq "$(in_guest "$CPU" 'nproc')" 2
	check "one package of both" eq "$(in_guest "$CPU" 'cat /sys/devices/system/cpu/cpu0/topology/package_cpus_list')" 0-1
	run cpu -c "$T_URI" "$CPU" --topology 2,1,1
	check "topology 2,1,1 while running: at the next boot" has "$OUT" "$CPU is running: this takes effect at the next boot"
	check "the running guest keeps its topology" eq "$(in_guest "$CPU" 'cat /sys/devices/system/cpu/cpu1/topology/physical_package_id')" 0
	if restart "$CPU"; then
		check "after a restart: two sockets" eq "$(in_guest "$CPU" 'cat /sys/devices/system/cpu/cpu1/topology/physical_package_id')" 1
		check "after a restart: a package each" eq "$(in_guest "$CPU" 'cat /sys/devices/system/cpu/cpu0/topology/package_cpus_list')" 0
	else
		not_ok "restart $CPU"
	fi
else
	not_ok "start $CPU"
fi

# ---- boot order ----

run boot -c "$T_URI" "$CPU" --order cdrom,hd,network --menu on
check "boot: exit 0" eq "$RC" 0
check "boot: the order saved" eq "$(v dumpxml --inactive "$CPU" | xmllint --xpath '/domain/os/boot/@dev' - | tr -d ' \n')" \
	'dev="cdrom"dev="hd"dev="network"'
check "boot: the menu saved" eq "$(saved "$CPU" 'string(/domain/os/bootmenu/@enable)')" yes
check "boot: the direct kernel boot is said" has "$OUT" "boots a kernel directly"
run boot -c "$T_URI" "$CPU" --order cdrom,hd,network --menu on
check "boot again: nothing to change" has "$OUT" "Nothing to change: $CPU has that already."

# ---- host devices ----

run hostdev list -c "$T_URI" --json
check "hostdev list --json: exit 0" eq "$RC" 0
mine=$(python3 -c 'import json,sys; print("\n".join(sorted(d["name"] for d in json.load(open(sys.argv[1])))))' "$OUT")
theirs=$( (v nodedev-list --cap pci; v nodedev-list --cap usb_device) | grep . | sort)
check "hostdev list is virsh nodedev-list --cap pci and usb_device" eq "$mine" "$theirs"
run hostdev list -c "$T_URI"
check "hostdev list: a line per device" eq "$(($(wc -l <"$OUT") - 1))" "$(grep -c . <<<"$theirs")"

if [ -n "$(ls -A /sys/kernel/iommu_groups 2>/dev/null)" ]; then
	say "skip - this host has an IOMMU: the refusal for its absence is not tested"
else
	noiommu=0
	for dev in $(v nodedev-list --cap pci); do
		run hostdev attach -c "$T_URI" "$CPU" "$dev"
		check "pass $dev through: refused" eq "$RC" 1
		grep -q "the host has no IOMMU" "$ERR" && noiommu=$((noiommu + 1))
		grep -qE "no IOMMU|PCI bridge|host's own" "$ERR" || not_ok "pass $dev through: no reason: $(cat "$ERR")"
	done
	check "PCI passthrough refused for the missing IOMMU" test "$noiommu" -gt 0
	check "nothing was attached" eq "$(saved "$CPU" 'count(/domain/devices/hostdev)')" 0
fi
run hostdev detach -c "$T_URI" "$CPU" "$(v nodedev-list --cap pci | head -n1)"
check "release a device the guest does not have: refused" has "$ERR" "is not passed through to $CPU"

summary
