#!/usr/bin/env bash
# tests/screen/test_hwfirm.sh — the boot, CPU and firmware forms (b, u, f)
# and the host devices view (p), driven through tmux on libvirt's test
# driver: a shut-off guest "web" and three node devices copied from
# tests/unit/nodedev/ (a virtio PCI device without IOMMU group, a PCI
# device in one, a USB stick). The keys work in the hardware view (w).
#   - a form starts at the saved configuration and says what it would
#     change, or why not, as it is typed;
#   - Enter opens the review: what, when, the saved XML diff and the virsh
#     line; n goes back with nothing done, y applies and the form says the
#     outcome once (and starts again from the new configuration); the
#     action log keeps the virsh line;
#   - refusals: a bad boot device, a topology that is not the vCPUs;
#   - host devices: refused without an IOMMU; a USB stick reviewed and its
#     attach tried (the test driver cannot attach: libvirt's reason comes
#     back under the list); p closes the view again.
# Env: BUILD (default build/). Ends with "N passed, N failed".
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

scr_traps
scr_need "hwfirm" tmux

NODE=$SCR_TMP/node.xml
{
	echo "<node>"
	cat <<'EOF'
<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
<name>web</name><uuid>5ca1ab1e-0000-4000-8000-000000000001</uuid>
<memory unit='MiB'>256</memory><vcpu>2</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
<devices><disk type='file' device='disk'><source file='/img/web.img'/><target dev='vda'/></disk>
</devices><test:runstate>5</test:runstate></domain>
EOF
	for f in pci_0000_00_05_0 handmade-pci_0000_00_14_0 handmade-usb_1_4; do
		cat "$TOP/tests/unit/nodedev/$f.xml"
	done
	echo "</node>"
} >"$NODE"
T_URI=test://$NODE

footer() { sed -n "$(($(wc -l <<<"$SCREEN")))p" <<<"$SCREEN"; }
footer_has() { vt_grab; footer | grep -qE -- "$1" || { say "  footer: $(footer)"; false; }; }

vt_vmtui 130 40 -d 1 && wait_screen '^web +shut ?off' 15 >/dev/null
vt_keys Enter
wait_screen 'web' 5 >/dev/null
vt_keys w
wait_screen '^Hardware of web' 10 >/dev/null
check "hardware view: the footer offers the forms" footer_has 'bBoot.*uCPU.*fFirmware.*pHostDevs'

# ---- firmware and TPM ----
vt_keys f
check "f: the firmware form" wait_screen '^Firmware and TPM of web \(shut off; saved configuration: the next boot\)' 5
check "f: firmware starts at bios" wait_screen '^Firmware +bios ' 5
check "f: TPM starts at none" wait_screen '^TPM +none ' 5
vt_keys Tab Tab C-u
vt_type tpm-crb
check "f: what Enter would do" wait_screen '^Enter: review and apply: web: TPM none -> tpm-crb \(at the next boot\)\.' 5
vt_keys Enter
check "review: what and when" wait_screen '^Takes effect at the next boot\.  y or Enter: apply' 5
check "review: the saved XML diff" wait_screen "^\+    <tpm model='tpm-crb'>" 5
check "review: the virsh line" wait_screen "^virsh -c test://.*node\.xml define web\.xml" 5
vt_keys n
check "review: n goes back to the form" wait_screen '^Enter: review and apply: web: TPM none' 5
vt_keys Enter
wait_screen '^Takes effect' 5 >/dev/null
vt_keys y
check "y: the outcome in the form" wait_screen '^web: TPM none -> tpm-crb: done \(at the next boot\)\.' 5
check "y: the form starts again from the new configuration" wait_screen '^TPM +tpm-crb ' 5
check "y: nothing left to change" wait_screen '^Nothing to change yet\.' 5
# Secure Boot on BIOS (the focus stays on TPM): refused as typed
vt_keys Tab Tab C-u
vt_type on
check "f: Secure Boot without UEFI refused as typed" wait_screen 'Secure Boot needs UEFI firmware; web boots BIOS' 5
vt_keys Escape
wait_screen 'bBoot' 5 >/dev/null
vt_keys L
check "action log: the change with its virsh line" \
	wait_screen '\$ virsh -c test://.*node\.xml define web\.xml' 5
vt_keys L

# ---- boot order ----
vt_keys b
check "b: the boot form" wait_screen '^Boot order of web' 5
check "b: the order starts at hd" wait_screen '^Boot order +hd ' 5
vt_keys C-u
vt_type hd,floppy
check "b: a bad device refused as typed" wait_screen '"floppy" is not a boot device' 5
vt_keys Enter
check "b: Enter refuses in the status line" wait_screen 'Cannot change web: "floppy" is not a boot device' 5
vt_keys C-u
vt_type cdrom,hd
vt_keys Tab C-u
vt_type on
check "b: order and menu together" wait_screen 'web: boot hd \(menu off\) -> cdrom,hd \(menu on\)' 5
vt_keys Escape

# ---- CPU ----
wait_screen 'bBoot' 5 >/dev/null
vt_keys u
check "u: the CPU form" wait_screen '^CPU of web' 5
vt_keys Tab Tab C-u
vt_type 2,2,1
check "u: a topology that is not the vCPUs" wait_screen '= 4 vCPUs, but web has 2 at most' 5
vt_keys C-u
vt_type 2,1,1
check "u: a topology of the vCPUs" wait_screen 'CPU default -> default, 2 sockets x 1 core x 1 thread' 5
check "u: not checked against this host (no domain capabilities)" wait_screen 'Not checked against the host' 5
vt_keys Escape

# ---- host devices ----
wait_screen 'bBoot' 5 >/dev/null
vt_keys p
check "p: the host devices" wait_screen '^Host devices of .* \(3 PCI and USB\) for web' 5
check "p: a PCI device without IOMMU group" wait_screen '^pci 0000:00:05\.0 none ' 5
check "p: a PCI device in IOMMU group 3" wait_screen '^pci 0000:00:14\.0 3 ' 5
check "p: the USB stick" wait_screen '^usb 001:004 .*0781:5567 SanDisk Corp\. Cruzer Blade' 5
vt_keys a
check "a: refused without an IOMMU" wait_screen 'Cannot pass the device through: pci_0000_00_05_0: the host has no IOMMU' 5
vt_keys End
vt_keys a
check "a: the USB stick's review" wait_screen '^web: pass host device usb_1_4 \(001:004\) through' 5
check "a: the hostdev in the saved XML diff" wait_screen "^\+    <hostdev mode='subsystem' type='usb' managed='yes'>" 5
check "a: the virsh line" wait_screen 'attach-device web hostdev-usb_1_4\.xml --config' 5
vt_keys y
check "y: libvirt's reason under the list" \
	wait_screen 'attaching the device failed: this function is not supported' 5
vt_keys p
check "p again: back to the hardware view" wait_screen 'bBoot' 5

vt_stop
summary
