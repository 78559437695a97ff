#!/usr/bin/env bash
# guest.sh - define/start/destroy/undefine tiny test guests for the vmtui
# real-stack tests, on the daemon of daemon.sh (URI from `daemon.sh uri`,
# or $VMTUI_URI).  Guests boot the fixture of build-guest.sh (built on demand)
# under TCG (<domain type='qemu'>), in a few seconds.
#
# Each guest NAME gets a directory $VMTUI_GUESTS_DIR/NAME (default
# ${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}/guests/NAME) holding
#   disk.qcow2    32 MiB qcow2, attached as virtio vda
#   console.log   everything the guest wrote on its serial console (virtlogd)
#   domain.xml    the XML that was defined
# --acpi: the guest powers off on the ACPI power button (libvirt's shutdown
# and reboot requests are done); without it the button is ignored.
# Domain shape: memory (max) 128 MiB, currentMemory 96 MiB, 1 vCPU of max 2,
# direct kernel boot ("console=ttyS0 quiet" [+ "vmtui.busy=1"]), serial
# console on a pty, virtio disk, virtio NIC, virtio memballoon with
# <stats period='1'/>.
#
# Networking (--net): default "ethernet" under qemu:///system = a tap device
# (vnetN) that libvirt creates and attaches to no bridge.  <interface
# type='user'> (slirp) works too with libvirt 9.0 in system mode and gives the
# guest DHCP (10.0.2.15), but it has no host-side device, so `virsh domstats`
# reports only net.count=1 and no net.0.* counters - useless for vmtui's
# network stats.  "user" stays available (and is the default for
# qemu:///session, where taps cannot be created); "none" = no NIC.
# "network:NAME" puts the NIC on libvirt network NAME (the guest asks it for
# an address with DHCP at boot); --mac gives the NIC that MAC address.
# --net-traffic makes the guest ping ff02::1 on eth0 once a second, so the
# net.0.rx/tx counters keep moving (the packets stay on the tap).
# --vga gives the guest a VGA card, the kernel console on it as well as on
# ttyS0 ("console=tty0 console=ttyS0": the serial one stays /dev/console), a
# shell on tty1, and a display (--graphics): vnc (the default: VNC on
# 127.0.0.1, port chosen by libvirt), vnc-password (the same with the
# password vmtuipw), socket (VNC on a UNIX socket libvirt
# makes in the guest's runtime directory), spice (SPICE on 127.0.0.1) or none (no
# <graphics>: only screenshots reach the screen). --vga also gives it a
# virtio tablet, whose events the guest writes on its serial console as
# "VMTUI-EV <24 bytes of struct input_event in hex>" lines. Without --vga the
# guest has no video at all, as before.
# --agent gives the guest a virtio-serial channel org.qemu.guest_agent.0,
# on which the fixture runs qemu-ga; --ssh-key FILE.pub makes that public
# key root's authorized key for the fixture's dropbear (port 22).
#
# Usage:
#   guest.sh define NAME [--busy] [--acpi] [--mem MiB] [--maxmem MiB] [--vcpus N]
#                [--maxvcpus M] [--net ethernet|user|none|network:NAME]
#                [--mac 52:54:00:xx:xx:xx] [--net-traffic]
#                [--vga [--graphics vnc|vnc-password|socket|spice|none]]
#                [--agent] [--ssh-key FILE.pub]
#   guest.sh start NAME [--wait [SECONDS]]  start; optionally wait for the
#                                           VMTUI-GUEST-READY console line
#   guest.sh wait-ready NAME [SECONDS]       wait for VMTUI-GUEST-READY (default 60)
#   guest.sh destroy NAME                    hard power-off (ok if not running)
#   guest.sh undefine NAME                   undefine + remove the guest dir
#   guest.sh cleanup PREFIX                  destroy+undefine every domain whose
#                                            name starts with PREFIX, remove dirs
#   guest.sh dir NAME                        print the guest's directory
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIX=${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}
GUESTS=${VMTUI_GUESTS_DIR:-$FIX/guests}

die() { echo "guest.sh: error: $*" >&2; exit 1; }
log() { echo "guest.sh: $*" >&2; }
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2; }

URI=${VMTUI_URI:-$("$HERE/daemon.sh" uri)}
virsh_() { virsh -q -c "$URI" "$@"; }

check_name() {
    [[ ${1:-} =~ ^[A-Za-z0-9][A-Za-z0-9_.+-]*$ ]] || die "bad or missing domain name '${1:-}' (use [A-Za-z0-9_.+-])"
}
is_defined() { virsh_ dominfo "$1" >/dev/null 2>&1; }
is_running() { [[ $(virsh_ domstate "$1" 2>/dev/null) == running ]]; }
posint() { [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 needs a positive integer, got '$2'"; }

# Every directory from / down to $1 must be searchable by the qemu user.
check_traversable() {
    local p=$1
    while [[ $p != / && -n $p ]]; do
        if [[ -d $p ]] && (( ($(stat -c %a "$p" | sed 's/^.*\(.\)$/\1/') & 1) == 0 )); then
            die "$p is not world-searchable; qemu (user libvirt-qemu) cannot reach $1. Use a VMTUI_FIXTURES under /var/tmp"
        fi
        p=$(dirname "$p")
    done
}

cmd_define() {
    local name=${1:-}; check_name "$name"; shift
    local busy=0 acpi=0 mem=96 maxmem=128 vcpus=1 maxvcpus=2 traffic=0 net=ethernet mac="" vga=0 graphics=vnc
    local agent="" sshkey=""
    [[ $URI == qemu:///system ]] || net=user   # unprivileged: no tap devices
    while (($#)); do
        case "$1" in
            --busy) busy=1 ;;
            --acpi) acpi=1 ;;
            --net-traffic) traffic=1 ;;
            --vga) vga=1 ;;
            --agent) agent="<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>" ;;
            --ssh-key)
                [[ -r ${2:-} ]] || die "--ssh-key needs a readable public key file"
                read -r ktype kdata _ <"$2" || true
                [[ $ktype =~ ^[a-z0-9@.-]+$ && $kdata =~ ^[A-Za-z0-9+/=]+$ ]] || die "--ssh-key: $2 is not an OpenSSH public key"
                sshkey=" vmtui.sshkey=$ktype,$kdata"; shift ;;
            --graphics)
                [[ ${2:-} =~ ^(vnc|vnc-password|socket|spice|none)$ ]] || die "--graphics takes vnc|vnc-password|socket|spice|none"
                graphics=$2; shift ;;
            --net)
                [[ ${2:-} =~ ^(ethernet|user|none|network:[A-Za-z0-9][A-Za-z0-9_.+-]*)$ ]] ||
                    die "--net takes ethernet|user|none|network:NAME"
                net=$2; shift ;;
            --mac)
                [[ ${2:-} =~ ^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$ ]] || die "--mac takes aa:bb:cc:dd:ee:ff"
                mac="<mac address='$2'/>"; shift ;;
            --mem) posint --mem "${2:-}"; mem=$2; shift ;;
            --maxmem) posint --maxmem "${2:-}"; maxmem=$2; shift ;;
            --vcpus) posint --vcpus "${2:-}"; vcpus=$2; shift ;;
            --maxvcpus) posint --maxvcpus "${2:-}"; maxvcpus=$2; shift ;;
            *) die "define: unknown option '$1'" ;;
        esac
        shift
    done
    ((maxmem >= mem)) || maxmem=$mem
    ((maxvcpus >= vcpus)) || maxvcpus=$vcpus
    is_defined "$name" && die "domain '$name' is already defined on $URI"

    "$HERE/build-guest.sh" >&2 || die "building the guest fixture failed"
    command -v qemu-img >/dev/null || die "qemu-img not found (apt-get install qemu-utils; daemon.sh start does it)"
    local emulator; emulator=$(command -v qemu-system-x86_64) || die "qemu-system-x86_64 not found"

    local dir=$GUESTS/$name
    mkdir -p "$dir"
    chmod 0755 "$GUESTS" "$dir"
    check_traversable "$dir"
    rm -f "$dir/disk.qcow2" "$dir/console.log"
    qemu-img create -q -f qcow2 "$dir/disk.qcow2" 32M || die "qemu-img create failed"
    chmod 0644 "$dir/disk.qcow2"

    # no_timer_check: under TCG on a loaded host the kernel may find the
    # IO-APIC timer too slow and panic at boot; the check is pointless here.
    local cmdline="console=ttyS0 quiet no_timer_check"
    local video="<video><model type='none'/></video>"
    if ((vga)); then
        cmdline="console=tty0 console=ttyS0 quiet no_timer_check vmtui.vga=1"
        # A virtio tablet too: the pointer the graphical console's mouse
        # drives, its events logged on the serial console (build-guest.sh).
        video="<video><model type='vga'/></video><input type='tablet' bus='virtio'/>"
        case $graphics in
            vnc) video+="<graphics type='vnc' autoport='yes' listen='127.0.0.1'><listen type='address' address='127.0.0.1'/></graphics>" ;;
            vnc-password) video+="<graphics type='vnc' autoport='yes' listen='127.0.0.1' passwd='vmtuipw'><listen type='address' address='127.0.0.1'/></graphics>" ;;
            socket) video+="<graphics type='vnc'><listen type='socket'/></graphics>" ;;
            spice) video+="<graphics type='spice' autoport='yes' listen='127.0.0.1'><listen type='address' address='127.0.0.1'/></graphics>" ;;
        esac
    fi
    ((busy)) && cmdline+=" vmtui.busy=1"
    ((traffic)) && cmdline+=" vmtui.nettraffic=1"
    cmdline+=$sshkey
    ((acpi)) && cmdline+=" vmtui.acpi=1"
    local nic=""
    case $net in
        ethernet) nic="<interface type='ethernet'>$mac<model type='virtio'/></interface>" ;;
        user) nic="<interface type='user'>$mac<model type='virtio'/></interface>" ;;
        network:*) nic="<interface type='network'>$mac<source network='${net#network:}'/><model type='virtio'/></interface>" ;;
    esac
    cat >"$dir/domain.xml" <<EOF
<domain type='qemu'>
  <name>$name</name>
  <description>vmtui real-stack test guest (tests/realstack/guest.sh)</description>
  <memory unit='MiB'>$maxmem</memory>
  <currentMemory unit='MiB'>$mem</currentMemory>
  <vcpu placement='static' current='$vcpus'>$maxvcpus</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$FIX/vmlinuz</kernel>
    <initrd>$FIX/initrd.img</initrd>
    <cmdline>$cmdline</cmdline>
  </os>
  <features><acpi/></features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>$emulator</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$dir/disk.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    $nic
    <serial type='pty'>
      <log file='$dir/console.log' append='off'/>
      <target port='0'/>
    </serial>
    <console type='pty'>
      <target type='serial' port='0'/>
    </console>
    <controller type='usb' model='none'/>
    $agent
    $video
    <memballoon model='virtio'>
      <stats period='1'/>
    </memballoon>
  </devices>
</domain>
EOF
    virsh_ define "$dir/domain.xml" >/dev/null || die "virsh define of $dir/domain.xml failed"
    log "defined $name ($mem/$maxmem MiB, $vcpus/$maxvcpus vCPU, net $net$( ((busy)) && echo ', busy'))"
}

cmd_wait_ready() {
    local name=${1:-}; check_name "$name"
    local secs=${2:-60}; posint wait-ready "$secs"
    local logf=$GUESTS/$name/console.log deadline=$((SECONDS + secs))
    while ! grep -qa VMTUI-GUEST-READY "$logf" 2>/dev/null; do
        is_running "$name" || die "$name is not running (state: $(virsh_ domstate "$name" 2>&1))"
        ((SECONDS < deadline)) || die "$name: no VMTUI-GUEST-READY on the console within ${secs}s (log: $logf)"
        sleep 0.2
    done
}

cmd_start() {
    local name=${1:-}; check_name "$name"; shift
    local wait=""
    if [[ ${1:-} == --wait ]]; then
        wait=60; [[ -n ${2:-} ]] && wait=$2
    elif [[ -n ${1:-} ]]; then
        die "start: unknown option '$1'"
    fi
    is_defined "$name" || die "domain '$name' is not defined on $URI"
    if is_running "$name"; then
        log "$name is already running"
    else
        virsh_ start "$name" >/dev/null || die "virsh start $name failed"
    fi
    if [[ -n $wait ]]; then
        local t0=$SECONDS
        cmd_wait_ready "$name" "$wait"
        log "$name ready after ~$((SECONDS - t0))s"
    fi
}

cmd_destroy() {
    local name=${1:-}; check_name "$name"
    is_defined "$name" || die "domain '$name' is not defined on $URI"
    if [[ $(virsh_ domstate "$name" 2>/dev/null) != "shut off" ]]; then
        virsh_ destroy "$name" >/dev/null || die "virsh destroy $name failed"
    fi
}

cmd_undefine() {
    local name=${1:-}; check_name "$name"
    if is_defined "$name"; then
        [[ $(virsh_ domstate "$name" 2>/dev/null) == "shut off" ]] || virsh_ destroy "$name" >/dev/null 2>&1 || true
        # With its snapshots' and checkpoints' metadata, managed save and
        # NVRAM: a plain undefine refuses a guest that has any of them
        # (the files go with the guest's folder below).
        virsh_ undefine "$name" --snapshots-metadata --checkpoints-metadata --managed-save \
            --nvram >/dev/null || die "virsh undefine $name failed"
    fi
    rm -rf "${GUESTS:?}/$name"
}

cmd_cleanup() {
    local prefix=${1:-}
    [[ -n $prefix ]] || die "cleanup needs a non-empty PREFIX (e.g. vmtuitest-)"
    [[ $prefix =~ ^[A-Za-z0-9_.+-]+$ ]] || die "bad PREFIX '$prefix'"
    local n count=0
    while read -r n; do
        [[ -n $n && $n == "$prefix"* ]] || continue
        cmd_undefine "$n"
        count=$((count + 1))
    done < <(virsh_ list --all --name 2>/dev/null || true)
    # Leftover directories of guests whose domain is already gone.
    local d
    for d in "$GUESTS/$prefix"*; do
        [[ -d $d ]] && rm -rf "$d"
    done
    log "cleanup '$prefix': removed $count domain(s)"
}

case "${1:-}" in
    define) shift; cmd_define "$@" ;;
    start) shift; cmd_start "$@" ;;
    wait-ready) shift; cmd_wait_ready "$@" ;;
    destroy) shift; cmd_destroy "$@" ;;
    undefine) shift; cmd_undefine "$@" ;;
    cleanup) shift; cmd_cleanup "$@" ;;
    dir) shift; check_name "${1:-}"; echo "$GUESTS/$1" ;;
    *) usage ;;
esac
