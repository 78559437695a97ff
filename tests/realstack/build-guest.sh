#!/usr/bin/env bash
# build-guest.sh - build the tiny bootable Linux guest fixture used by the
# vmtui "real stack" tests (real libvirtd + real qemu guests under TCG).
#
# Nothing binary is committed: everything is produced from Debian packages.
#   * kernel: the versioned package that linux-image-cloud-amd64 depends on
#     (linux-image-<abi>-cloud-amd64), fetched with `apt-get download`;
#   * userland: busybox-static (+ its applet symlinks);
#   * qemu-guest-agent and dropbear-bin (a small SSH server), with the
#     shared libraries they load: fetched as the closure of their Depends
#     limited to library packages (lib*, zlib1g), copied as the closure of
#     their NEEDED sonames (a missing one fails the build);
#   * the virtio modules of that kernel (virtio_pci, virtio_blk, virtio_net,
#     virtio_balloon, virtio_console and their dependencies, computed with depmod/modprobe
#     --show-depends, decompressed if the kernel ships .ko.{xz,zst,gz}),
#     and its TPM drivers (tpm_crb, tpm_tis) when it has them as modules.
#
# Output, in ${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}:
#   vmlinuz       kernel (mode 0644)
#   initrd.img    gzip'ed newc cpio initramfs (mode 0644)
#   fixture.env   KVER=..., KPKG=..., BUSYBOX_VERSION=... (written last:
#                 its presence means the fixture is complete)
# A complete fixture is reused as is; pass --force to rebuild it.
#
# The guest's /init mounts proc/sys/devtmpfs, loads the modules, starts
# udhcpc on eth0 in the background, prints "VMTUI-GUEST-READY" on the console,
# starts a CPU busy loop if the kernel command line has vmtui.busy=1, and then
# runs (and respawns) an interactive job-control shell on /dev/ttyS0.
# With vmtui.nettraffic=1 it also pings ff02::1 on eth0 once a second.
# With vmtui.acpi=1 (guest.sh define --acpi) the ACPI power button powers
# it off (the button module is always loaded; nothing listens without it).
# With vmtui.vga=1 (guest.sh define --vga) it also runs a shell on the VGA
# console /dev/tty1 (respawned), prompt "vmtui-vga# ", after printing
# "VMTUI-VGA-READY" there, for the graphical console's tests, and writes
# the events of a virtio tablet (if any) on the serial console, one
# "VMTUI-EV <hex>" line each.
# Where the guest has a virtio-serial port named org.qemu.guest_agent.0
# (guest.sh define --agent), /init runs qemu-ga on it ("vmtui-init:
# guest agent on /dev/vportNpM" on the console). With vmtui.sshkey=TYPE,B64
# on the command line (guest.sh define --ssh-key FILE.pub) the key is
# root's authorized key; dropbear always listens on port 22 (host keys made
# at first connection). /etc/os-release names the guest "vmtui test guest".
# qemu-ga's shutdown runs /sbin/shutdown, which here powers off or reboots
# at once (-P, -H: off; -r: reboot).
# qemu-ga's guest-set-user-password runs chpasswd: here /usr/sbin/chpasswd,
# a script that hashes with busybox's mkpasswd (SHA-512) and rewrites
# /etc/shadow.
#
# Usage: tests/realstack/build-guest.sh [--force]
# Needs root (apt-get); installs what it needs (cpio, kmod, xz-utils, ...).
set -euo pipefail

OUT=${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}
FORCE=0
for a in "$@"; do
    case "$a" in
        --force) FORCE=1 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "build-guest.sh: unknown argument: $a (try --help)" >&2; exit 2 ;;
    esac
done

die() { echo "build-guest.sh: error: $*" >&2; exit 1; }
log() { echo "build-guest.sh: $*" >&2; }

# Bump when the fixture's content changes: older builds are then redone.
FIXTURE_VERSION=3
# Features added without changing what older checkouts expect of version
# 3 (they accept this build, and do not rebuild it from under each other):
# a build that lacks one is redone.
# "tpm": the TPM drivers (tpm_crb, tpm_tis and what they need) where the
# kernel has them as modules, for the firmware and TPM tests; "tablet-log":
# the virtio tablet's events on the serial console (the graphical console's
# mouse tests). A build with more features than these is accepted.
# "agent-ssh": qemu-guest-agent (on a guest_agent virtio-serial port), the
# virtio_console module, dropbear on port 22 and /etc/os-release.
# "chpasswd": a chpasswd (busybox-static has none), which qemu-ga runs to
# set a user's password.
FIXTURE_FEATURES="vga-shell tablet-log tpm acpi-poweroff agent-ssh chpasswd"
has_features() {
    local have f
    have=$(sed -n 's/^FIXTURE_FEATURES="\(.*\)"$/\1/p' "$OUT/fixture.env")
    for f in $FIXTURE_FEATURES; do
        [[ " $have " == *" $f "* ]] || return 1
    done
}
is_complete() {
    [[ -s "$OUT/fixture.env" && -s "$OUT/vmlinuz" && -s "$OUT/initrd.img" ]] &&
        grep -qx "FIXTURE_VERSION=$FIXTURE_VERSION" "$OUT/fixture.env" &&
        has_features
}

if [[ $FORCE == 0 ]] && is_complete; then
    log "fixture already built in $OUT ($(tr '\n' ' ' <"$OUT/fixture.env"))"
    exit 0
fi

[[ $(id -u) == 0 ]] || die "must run as root (needs apt-get); or point VMTUI_FIXTURES at an already built fixture"

# ---------------------------------------------------------------- host tools
APT_UPDATED=0
apt_update_once() {
    if [[ $APT_UPDATED == 0 ]]; then
        log "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || die "apt-get update failed"
        APT_UPDATED=1
    fi
}
need_tools() {  # need_tools cmd:package ...
    local missing=() pair
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
    done
    if ((${#missing[@]})); then
        apt_update_once
        log "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
            || die "apt-get install ${missing[*]} failed"
    fi
}
need_tools cpio:cpio gzip:gzip depmod:kmod modprobe:kmod xz:xz-utils \
    dpkg-deb:dpkg flock:util-linux apt-cache:apt readelf:binutils

mkdir -p "$OUT"
chmod 0755 "$OUT"
exec 9>"$OUT/.build.lock"
flock -w 600 9 || die "timed out waiting for another build-guest.sh holding $OUT/.build.lock"
# Someone else may have finished it while we waited.
if [[ $FORCE == 0 ]] && is_complete; then
    log "fixture already built in $OUT"
    exit 0
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vmtui-build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# ------------------------------------------------------------ kernel package
resolve_kpkg() {
    apt-cache depends linux-image-cloud-amd64 2>/dev/null \
        | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9].*-cloud-amd64$/ { print $2; exit }'
}
KPKG=$(resolve_kpkg || true)
if [[ -z $KPKG ]]; then
    apt_update_once
    KPKG=$(resolve_kpkg || true)
fi
[[ -n $KPKG ]] || die "cannot resolve linux-image-cloud-amd64 to a versioned kernel package (apt-cache depends gave nothing)"
KVER=${KPKG#linux-image-}
log "kernel package: $KPKG (kernel $KVER)"

download() {  # apt-get download, refreshing the lists once if the file is gone
    (cd "$WORK/debs" && apt-get download "$@" >&2 2>"$WORK/dl.err") && return 0
    apt_update_once
    (cd "$WORK/debs" && apt-get download "$@" >&2 2>"$WORK/dl.err") && return 0
    cat "$WORK/dl.err" >&2
    die "apt-get download $* failed"
}
mkdir -p "$WORK/debs" "$WORK/x"
# apt-get download as root warns about the _apt sandbox; let _apt write here.
chmod 0777 "$WORK/debs"
download "$KPKG" busybox-static
for deb in "$WORK"/debs/*.deb; do
    dpkg -x "$deb" "$WORK/x" || die "dpkg -x $deb failed"
done
BUSYBOX_VERSION=$(dpkg-deb -f "$WORK"/debs/busybox-static_*.deb Version)

# The guest agent and the SSH server, and the library packages they need:
# the closure of Depends/PreDepends restricted to lib* and zlib1g (what a
# dynamically linked binary loads), unpacked apart into $WORK/u.
USERPKGS=(qemu-guest-agent dropbear-bin)
lib_closure() {
    local -A seen=()
    local queue=("$@") p d
    while ((${#queue[@]})); do
        p=${queue[0]}; queue=("${queue[@]:1}")
        [[ -n ${seen[$p]:-} ]] && continue
        seen[$p]=1
        echo "$p"
        while read -r d; do
            [[ $d == lib* || $d == zlib1g ]] || continue
            [[ $d == *-dev || $d == libc-bin || $d == *-common ]] && continue
            [[ -z ${seen[$d]:-} ]] && queue+=("$d")
        done < <(apt-cache depends "$p" 2>/dev/null |
                 awk '($1 == "Depends:" || $1 == "PreDepends:") && $2 !~ /^</ { print $2 }')
    done
}
mapfile -t UPKGS < <(lib_closure "${USERPKGS[@]}")
((${#UPKGS[@]} > 2)) || { apt_update_once; mapfile -t UPKGS < <(lib_closure "${USERPKGS[@]}"); }
mkdir -p "$WORK/udebs" "$WORK/u"
chmod 0777 "$WORK/udebs"
(cd "$WORK/udebs" && apt-get download "${UPKGS[@]}" >&2 2>"$WORK/dl.err") ||
    { apt_update_once; (cd "$WORK/udebs" && apt-get download "${UPKGS[@]}" >&2 2>"$WORK/dl.err"); } ||
    { cat "$WORK/dl.err" >&2; die "apt-get download ${UPKGS[*]} failed"; }
for deb in "$WORK"/udebs/*.deb; do
    dpkg -x "$deb" "$WORK/u" || die "dpkg -x $deb failed"
done
QGA_VERSION=$(dpkg-deb -f "$WORK"/udebs/qemu-guest-agent_*.deb Version)
DROPBEAR_VERSION=$(dpkg-deb -f "$WORK"/udebs/dropbear-bin_*.deb Version)
log "guest agent $QGA_VERSION, dropbear $DROPBEAR_VERSION, libraries from: ${UPKGS[*]:2}"

VMLINUZ=$WORK/x/boot/vmlinuz-$KVER
[[ -f $VMLINUZ ]] || die "no /boot/vmlinuz-$KVER in $KPKG"
MODROOT=""
for d in "$WORK/x/lib/modules/$KVER" "$WORK/x/usr/lib/modules/$KVER"; do
    [[ -d $d ]] && MODROOT=${d%/lib/modules/"$KVER"} && break
done
[[ -n $MODROOT ]] || die "no lib/modules/$KVER in $KPKG"
BUSYBOX=$WORK/x/bin/busybox
[[ -x $BUSYBOX ]] || BUSYBOX=$WORK/x/usr/bin/busybox
[[ -x $BUSYBOX ]] || die "busybox binary not found in busybox-static package"

# ----------------------------------------------------------- module closure
depmod -b "$MODROOT" "$KVER" || die "depmod failed for $KVER"
WANTED=(virtio virtio_ring virtio_pci virtio_pci_modern_dev virtio_pci_legacy_dev
        virtio_blk virtio_net virtio_balloon virtio_input evdev virtio_console
        tpm tpm_tis_core tpm_tis tpm_crb button)
OPTIONAL=(virtio_pci_modern_dev virtio_pci_legacy_dev tpm tpm_tis_core tpm_tis tpm_crb button
          virtio_console)
declare -A SEEN=()
ORDER=()
INITRD=$WORK/initrd
mkdir -p "$INITRD/lib/modules"
for m in "${WANTED[@]}"; do
    if ! out=$(modprobe -d "$MODROOT" -S "$KVER" --show-depends "$m" 2>&1); then
        if [[ " ${OPTIONAL[*]} " == *" $m "* ]]; then
            log "optional module $m not present in $KVER, skipping"
            continue
        fi
        die "module $m not found for $KVER: $out"
    fi
    while read -r kind path _; do
        case "$kind" in
            builtin) continue ;;   # "builtin virtio" - nothing to load
            insmod) ;;
            *) continue ;;
        esac
        base=$(basename "$path")
        name=${base%%.ko*}
        [[ -n ${SEEN[$name]:-} ]] && continue
        SEEN[$name]=1
        case "$base" in
            *.ko) cp "$path" "$INITRD/lib/modules/$name.ko" ;;
            *.ko.xz) xz -dc "$path" >"$INITRD/lib/modules/$name.ko" ;;
            *.ko.zst) need_tools zstd:zstd; zstd -qdc "$path" >"$INITRD/lib/modules/$name.ko" ;;
            *.ko.gz) gzip -dc "$path" >"$INITRD/lib/modules/$name.ko" ;;
            *) die "unknown module file format: $path" ;;
        esac
        ORDER+=("$name")
    done <<<"$out"
done
((${#ORDER[@]})) || die "no modules selected (all built in?) - unexpected"
printf '%s\n' "${ORDER[@]}" >"$INITRD/lib/modules/load-order"
log "modules (load order): ${ORDER[*]}"

# ----------------------------------------------------------------- userland
mkdir -p "$INITRD"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,root,var/run}
cp "$BUSYBOX" "$INITRD/bin/busybox"
chmod 0755 "$INITRD/bin/busybox"
# Applet symlinks: `busybox --list-full` gives e.g. "usr/bin/awk".
while read -r applet; do
    [[ -z $applet || $applet == bin/busybox ]] && continue
    mkdir -p "$INITRD/$(dirname "$applet")"
    ln -sf /bin/busybox "$INITRD/$applet"
done < <("$INITRD/bin/busybox" --list-full)
[[ -e $INITRD/bin/sh ]] || ln -s busybox "$INITRD/bin/sh"

cat >"$INITRD/etc/udhcpc.script" <<'EOF'
#!/bin/sh
# udhcpc event script for the vmtui test guest
case "$1" in
    deconfig)
        ip addr flush dev "$interface"
        ip link set "$interface" up ;;
    bound|renew)
        ip addr flush dev "$interface"
        ip addr add "$ip/${mask:-24}" dev "$interface"
        if [ -n "$router" ]; then
            ip route del default 2>/dev/null
            for r in $router; do ip route add default via "$r" dev "$interface"; break; done
        fi
        : >/etc/resolv.conf
        for d in $dns; do echo "nameserver $d" >>/etc/resolv.conf; done ;;
esac
exit 0
EOF
chmod 0755 "$INITRD/etc/udhcpc.script"

cat >"$INITRD/etc/profile" <<'EOF'
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export PS1='vmtui-guest# '
EOF
echo "root:x:0:0:root:/root:/bin/sh" >"$INITRD/etc/passwd"
echo "root:x:0:" >"$INITRD/etc/group"
echo "root:*:19000:0:99999:7:::" >"$INITRD/etc/shadow"
chmod 0600 "$INITRD/etc/shadow"
printf '/bin/sh\n/bin/ash\n' >"$INITRD/etc/shells"
cat >"$INITRD/etc/os-release" <<'EOF'
NAME="vmtui test guest"
ID=vmtuitest
VERSION_ID=4
VERSION="4 (fixture)"
PRETTY_NAME="vmtui test guest 4"
EOF

# qemu-ga, dropbear and the shared libraries they load: the closure of
# their NEEDED entries, each found in the unpacked packages and copied
# under its soname with its Debian folder (nothing unused: about half of
# the packages' libraries, less for every test guest to hold in RAM).
# libgcc_s too, which glibc loads by itself when a thread unwinds. The
# loader keeps its /lib64 name.
install -m 0755 "$WORK/u/usr/sbin/qemu-ga" "$INITRD/usr/sbin/qemu-ga"
for b in dropbear dropbearkey; do
    f=$WORK/u/usr/sbin/$b; [[ -x $f ]] || f=$WORK/u/usr/bin/$b
    [[ -x $f ]] || die "$b not found in dropbear-bin"
    install -m 0755 "$f" "$INITRD/usr/sbin/$b"
done
declare -A HAVE_SO=()
add_so() {  # add_so SONAME WHO: copy it in; echo its path in the guest's tree
    local so=$1 d
    for d in lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu; do
        if [[ -e $WORK/u/$d/$so ]]; then
            mkdir -p "$INITRD/$d"
            cp -L "$WORK/u/$d/$so" "$INITRD/$d/$so" || die "copying $so failed"
            echo "$INITRD/$d/$so"
            return 0
        fi
    done
    die "the guest lacks $so (needed by $2)"
}
SOQUEUE=("$INITRD/usr/sbin/qemu-ga" "$INITRD/usr/sbin/dropbear" "$INITRD/usr/sbin/dropbearkey")
HAVE_SO[libgcc_s.so.1]=1
SOQUEUE+=("$(add_so libgcc_s.so.1 glibc)") || exit 1
while ((${#SOQUEUE[@]})); do
    f=${SOQUEUE[0]}; SOQUEUE=("${SOQUEUE[@]:1}")
    while read -r so; do
        [[ -n ${HAVE_SO[$so]:-} ]] && continue
        HAVE_SO[$so]=1
        SOQUEUE+=("$(add_so "$so" "${f#"$INITRD"/}")") || exit 1
    done < <(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
done
mkdir -p "$INITRD/lib64"
ln -sf /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$INITRD/lib64/ld-linux-x86-64.so.2"
[[ -e $INITRD/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 ]] || die "the guest lacks the loader ld-linux-x86-64.so.2"
log "libraries in the guest: ${!HAVE_SO[*]}"
mkdir -p "$INITRD/etc/dropbear" "$INITRD/root/.ssh" "$INITRD/var/log" "$INITRD/mnt"
chmod 0700 "$INITRD/root" "$INITRD/root/.ssh"
cat >"$INITRD/sbin/shutdown" <<'EOF'
#!/bin/sh
# shutdown for the vmtui test guest (no init to ask): what qemu-ga runs.
# -r reboots, anything else (-P, -H, -h) powers off, at once.
sync
for a in "$@"; do
    case "$a" in -r) exec reboot -f ;; esac
done
exec poweroff -f
EOF
chmod 0755 "$INITRD/sbin/shutdown"
cat >"$INITRD/usr/sbin/chpasswd" <<'EOF'
#!/bin/sh
# chpasswd for the vmtui test guest, which busybox-static lacks: what
# qemu-ga runs for guest-set-user-password (virDomainSetUserPassword).
# Lines USER:PASSWORD on standard input; -e: PASSWORD is already crypt(3)ed,
# else it is hashed with SHA-512 (busybox mkpasswd). /etc/shadow is
# rewritten whole, then renamed over the old one.
crypted=0
for a in "$@"; do
    case "$a" in
        -e|--encrypted) crypted=1 ;;
        *) echo "chpasswd: unknown option $a" >&2; exit 2 ;;
    esac
done
umask 077
while IFS= read -r line; do
    user=${line%%:*} pw=${line#*:}
    if [ -z "$user" ] || [ "$user" = "$line" ]; then
        echo "chpasswd: not USER:PASSWORD" >&2; exit 1
    fi
    grep -q "^$user:" /etc/shadow || { echo "chpasswd: no user $user" >&2; exit 1; }
    if [ "$crypted" = 1 ]; then
        hash=$pw
    else
        hash=$(printf '%s\n' "$pw" | mkpasswd -m sha512 -P 0) || exit 1
    fi
    case "$hash" in *:*|"") echo "chpasswd: bad hash" >&2; exit 1 ;; esac
    days=$(( $(date +%s) / 86400 ))
    awk -F: -v OFS=: -v u="$user" -v h="$hash" -v d="$days" \
        '$1 == u { $2 = h; $3 = d } { print }' /etc/shadow >/etc/shadow.new &&
        mv /etc/shadow.new /etc/shadow || exit 1
done
EOF
chmod 0755 "$INITRD/usr/sbin/chpasswd"

cat >"$INITRD/init" <<'EOF'
#!/bin/sh
# /init of the vmtui test guest (generated by tests/realstack/build-guest.sh)
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || mdev -s
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts 2>/dev/null
mount -t tmpfs tmpfs /tmp 2>/dev/null

for m in $(cat /lib/modules/load-order); do
    insmod "/lib/modules/$m.ko" || echo "vmtui-init: insmod $m failed" >/dev/console
done

hostname vmtui-guest
ip link set lo up 2>/dev/null
if [ -e /sys/class/net/eth0 ]; then
    ip link set eth0 up 2>/dev/null
    # Never block boot on DHCP: fully backgrounded, output discarded.
    udhcpc -i eth0 -s /etc/udhcpc.script -t 5 -T 2 -n -q >/dev/null 2>&1 &
fi

echo "VMTUI-GUEST-READY" >/dev/console

case " $(cat /proc/cmdline) " in
    *" vmtui.busy=1 "*)
        # Lowest priority, so the console shell stays responsive
        # (busybox-static has renice but no nice applet).
        sh -c 'while :; do :; done' </dev/null >/dev/null 2>&1 &
        renice 19 "$!" >/dev/null 2>&1
        echo "vmtui-init: busy loop started" >/dev/console ;;
esac
case " $(cat /proc/cmdline) " in
    *" vmtui.nettraffic=1 "*)
        # A little steady traffic on eth0 (one all-nodes link-local ping per
        # second; stays on the host-side tap/slirp, never leaves the host).
        # Retried: eth0's link-local address needs a moment (DAD) first.
        ( while :; do ping6 -q -I eth0 ff02::1; sleep 1; done ) </dev/null >/dev/null 2>&1 &
        echo "vmtui-init: net traffic started" >/dev/console ;;
esac

case " $(cat /proc/cmdline) " in
    *" vmtui.vga=1 "*)
        # A shell on the VGA console too (the kernel's console=tty0), its
        # output there and nowhere else: what reaches the serial log from
        # it was typed as a command that writes there.
        ( while :; do
            setsid sh -c 'echo VMTUI-VGA-READY; PS1="vmtui-vga# " exec sh </dev/tty1' \
                >/dev/tty1 2>&1
            sleep 1
          done ) &
        echo "vmtui-init: VGA shell on tty1" >/dev/console
        # The virtio tablet's events (guest.sh --vga adds one), each the
        # kernel's struct input_event in hex on the serial console, for the
        # graphical console's mouse tests: the pointer as the guest gets it.
        for e in /sys/class/input/event*; do
            case "$(cat "$e/device/name" 2>/dev/null)" in
                *Tablet*) tablet=/dev/input/${e##*/} ;;
            esac
        done
        if [ -n "$tablet" ]; then
            hexdump -v -e '"VMTUI-EV " 24/1 "%02x" "\n"' "$tablet" >/dev/ttyS0 2>&1 &
            echo "vmtui-init: tablet events from $tablet" >/dev/console
        fi ;;
esac

case " $(cat /proc/cmdline) " in
    *" vmtui.acpi=1 "*)
        # The ACPI power button (guest.sh define --acpi) powers the guest
        # off, as a guest OS with acpid or logind does: libvirt's shutdown
        # and reboot requests are then done. Without it the button is
        # ignored, as the shutdown tests want.
        for e in /sys/class/input/event*; do
            case "$(cat "$e/device/name" 2>/dev/null)" in
                "Power Button") pwr=/dev/input/${e##*/} ;;
            esac
        done
        if [ -n "$pwr" ]; then
            ( head -c 24 "$pwr" >/dev/null
              echo "vmtui-init: power button: powering off" >/dev/console
              poweroff -f ) </dev/null >/dev/null 2>&1 &
            echo "vmtui-init: power button powers off ($pwr)" >/dev/console
        fi ;;
esac
# The guest agent on its virtio-serial port, if the guest has one.
for p in /sys/class/virtio-ports/vport*; do
    [ "$(cat "$p/name" 2>/dev/null)" = org.qemu.guest_agent.0 ] || continue
    ( while :; do qemu-ga -m virtio-serial -p "/dev/${p##*/}" -t /run >/dev/null 2>&1; sleep 1; done ) &
    echo "vmtui-init: guest agent on /dev/${p##*/}" >/dev/console
done
# root's SSH key from the command line (vmtui.sshkey=TYPE,BASE64), and
# dropbear on port 22 (host keys made as needed, in /etc/dropbear).
for w in $(cat /proc/cmdline); do
    case "$w" in
        vmtui.sshkey=*,*)
            k=${w#vmtui.sshkey=}
            echo "${k%%,*} ${k#*,} vmtui-test" >/root/.ssh/authorized_keys
            chmod 0600 /root/.ssh/authorized_keys ;;
    esac
done
dropbear -R -p 22 >/dev/null 2>&1 &

# Interactive shell with job control on the serial console, respawned.
while :; do
    if [ -c /dev/ttyS0 ]; then
        setsid sh -c 'exec sh -l </dev/ttyS0 >/dev/ttyS0 2>&1'
    else
        setsid cttyhack sh -l
    fi
    sleep 1
done
EOF
chmod 0755 "$INITRD/init"

# -------------------------------------------------------------- pack it up
(cd "$INITRD" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) \
    | gzip -9n >"$WORK/initrd.img" || die "building the initramfs failed"

# Install atomically: remove the stamp first, then files, then stamp.
rm -f "$OUT/fixture.env"
install -m 0644 "$VMLINUZ" "$OUT/vmlinuz.new" && mv -f "$OUT/vmlinuz.new" "$OUT/vmlinuz"
install -m 0644 "$WORK/initrd.img" "$OUT/initrd.img.new" && mv -f "$OUT/initrd.img.new" "$OUT/initrd.img"
cat >"$OUT/fixture.env.new" <<EOF
FIXTURE_VERSION=$FIXTURE_VERSION
KVER=$KVER
KPKG=$KPKG
BUSYBOX_VERSION=$BUSYBOX_VERSION
QGA_VERSION=$QGA_VERSION
DROPBEAR_VERSION=$DROPBEAR_VERSION
MODULES="${ORDER[*]}"
FIXTURE_FEATURES="$FIXTURE_FEATURES"
EOF
chmod 0644 "$OUT/fixture.env.new"
mv -f "$OUT/fixture.env.new" "$OUT/fixture.env"
log "fixture ready in $OUT: vmlinuz ($(stat -c %s "$OUT/vmlinuz") bytes), initrd.img ($(stat -c %s "$OUT/initrd.img") bytes)"
