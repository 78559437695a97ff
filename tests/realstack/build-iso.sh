#!/usr/bin/env bash
# build-iso.sh - make a bootable ISO of the tiny test guest, for the install
# tests of vmtui.yaml's iso: key (tests/integration/test_iso.sh).
#
# Nothing binary is committed: the ISO is made from Debian packages.
#   * kernel + initrd: the fixture of build-guest.sh ($VMTUI_FIXTURES);
#   * boot loader: ISOLINUX (packages isolinux, syslinux-common), which
#     SeaBIOS boots from an El Torito CD under TCG; the image is also made
#     isohybrid (a disk image that boots the same way);
#   * xorriso writes the ISO 9660 image.
# The boot configuration adds vmtui.fromiso=1 to the kernel command line,
# which only this ISO does: a guest whose /proc/cmdline has it booted from
# the CD.
#
# Output, in $VMTUI_FIXTURES (mode 0644), rebuilt when the fixture's kernel
# or initrd is newer, or with --force:
#   vmtui-test.iso       the install media: vmtui.fromiso=1
#   vmtui-test-disk.img  the same made for a disk, with vmtui.fromdisk=1
#                        instead: what an installer would have written to
#                        the guest's disk (the tests upload it to a raw
#                        volume), so a boot from the disk is told apart
#                        from a boot from the CD.
#
# Usage: tests/realstack/build-iso.sh [--force] [--print]
#   --print  only print the path of the ISO (after building it if needed)
# Needs root to install missing packages.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIX=${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}
OUT=$FIX/vmtui-test.iso
DISK=$FIX/vmtui-test-disk.img
FORCE=0
PRINT=0
for a in "$@"; do
    case "$a" in
        --force) FORCE=1 ;;
        --print) PRINT=1 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "build-iso.sh: unknown argument: $a (try --help)" >&2; exit 2 ;;
    esac
done

die() { echo "build-iso.sh: error: $*" >&2; exit 1; }
log() { [[ $PRINT == 1 ]] || echo "build-iso.sh: $*" >&2; }

ISOLINUX_BIN=/usr/lib/ISOLINUX/isolinux.bin
ISOHYBRID_MBR=/usr/lib/ISOLINUX/isohdpfx.bin
LDLINUX=/usr/lib/syslinux/modules/bios/ldlinux.c32

need() {
    local missing=()
    command -v xorriso >/dev/null 2>&1 || missing+=(xorriso)
    [[ -f $ISOLINUX_BIN && -f $ISOHYBRID_MBR ]] || missing+=(isolinux)
    [[ -f $LDLINUX ]] || missing+=(syslinux-common)
    ((${#missing[@]} == 0)) && return 0
    [[ $(id -u) == 0 ]] || die "needs ${missing[*]} (apt-get install ${missing[*]}, as root)"
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
        { DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
          DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; } ||
        die "apt-get install ${missing[*]} failed"
}

"$HERE/build-guest.sh" >&2
[[ -s $FIX/vmlinuz && -s $FIX/initrd.img ]] || die "no fixture kernel and initrd in $FIX"
if [[ $FORCE == 0 && -s $OUT && -s $DISK && ! $FIX/vmlinuz -nt $OUT && ! $FIX/initrd.img -nt $OUT ]]; then
    log "ISO up to date: $OUT"
    [[ $PRINT == 0 ]] || echo "$OUT"
    exit 0
fi
need

exec 9>"$FIX/.iso.lock"
flock -w 300 9 || die "timed out waiting for another build-iso.sh on $FIX/.iso.lock"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vmtui-iso.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/root/isolinux" "$WORK/root/boot"
cp "$ISOLINUX_BIN" "$LDLINUX" "$WORK/root/isolinux/"
cp "$FIX/vmlinuz" "$WORK/root/boot/vmlinuz"
cp "$FIX/initrd.img" "$WORK/root/boot/initrd.img"
# image MARKER FILE: an isohybrid image booting the fixture with MARKER on
# its command line. No prompt, no wait: straight into the kernel, its
# console on the serial port.
image() {
    cat >"$WORK/root/isolinux/isolinux.cfg" <<CFG
SERIAL 0 115200
DEFAULT vmtui
PROMPT 0
TIMEOUT 1
LABEL vmtui
  KERNEL /boot/vmlinuz
  APPEND initrd=/boot/initrd.img console=ttyS0 $1 quiet
CFG
    rm -f "$WORK/root/isolinux/boot.cat"
    xorriso -as mkisofs -quiet -o "$WORK/out" -V VMTUI_TEST_ISO -J -r \
        -isohybrid-mbr "$ISOHYBRID_MBR" \
        -b isolinux/isolinux.bin -c isolinux/boot.cat \
        -no-emul-boot -boot-load-size 4 -boot-info-table \
        "$WORK/root" >&2 || die "xorriso failed"
    chmod 0644 "$WORK/out"
    mv -f "$WORK/out" "$2"
}
image vmtui.fromiso=1 "$OUT"
image vmtui.fromdisk=1 "$DISK"
log "built $OUT ($(stat -c %s "$OUT") bytes)"
[[ $PRINT == 0 ]] || echo "$OUT"
