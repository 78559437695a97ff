#!/usr/bin/env bash
# daemon2.sh - a second libvirt daemon on this machine that libvirt takes
# for another host: the target of the migration tests.
#
# How: a second monolithic libvirtd (+ its own virtlogd), as root, in a
# mount namespace of its own (unshare -m, private propagation) where
# directories of $D2 are bind-mounted over /etc/libvirt, /run/libvirt,
# /var/lib/libvirt, /var/cache/libvirt and /var/log/libvirt.  Its
# /etc/libvirt/libvirtd.conf sets host_uuid (libvirt refuses a migration
# between two daemons of the same host UUID), its qemu.conf a migration
# port range apart from the shared daemon's.  Its socket lies in
# $D2/run, reached from outside the namespace by
#     qemu:///system?socket=$D2/run/libvirt-sock
# Its pid files are in $D2/run too, never /run/libvirtd.pid: the shared
# daemon of daemon.sh is neither read nor touched.
#
# Each directory of $VMTUI_D2_PRIVATE (absolute paths, separated by
# spaces) is hidden from the second daemon behind an empty one of its own
# ($D2/private/...): the other host's local disks.  Everything else (the
# fixture's kernel, /var/tmp) is seen by both, as on shared storage.
#
# Why not the session daemon of another user (what the fault suite uses):
# it is a different driver mode from the source's (qemu as that user, no
# tap devices or system networks, other security labels), so a system ->
# session migration is not what two real hosts do; and its host UUID is
# the machine's unless its own libvirtd.conf sets one. A second system
# daemon is the same setup as a real second host.
#
# Usage: tests/realstack/daemon2.sh start|stop|status|uri|dir
# Env: VMTUI_D2_DIR (default /var/tmp/vmtui-d2), VMTUI_D2_UUID,
#      VMTUI_D2_PRIVATE, VMTUI_DAEMON_TIMEOUT (seconds, default 60).
set -euo pipefail

D2=${VMTUI_D2_DIR:-/var/tmp/vmtui-d2}
UUID=${VMTUI_D2_UUID:-6d2f0b1e-5c1a-4f4e-9d0b-7a6e2c1f0d02}
TIMEOUT=${VMTUI_DAEMON_TIMEOUT:-60}
SOCK=$D2/run/libvirt-sock
URI="qemu:///system?socket=$SOCK"
die() { echo "daemon2.sh: error: $*" >&2; exit 1; }
log() { echo "daemon2.sh: $*" >&2; }

[[ $(id -u) == 0 ]] || die "the second daemon needs root (a mount namespace, the system driver)"

pid_of() {  # pid_of FILE NAME: the pid in FILE if that process is NAME
    local p
    p=$(cat "$1" 2>/dev/null || true)
    [[ -n $p && $(cat "/proc/$p/comm" 2>/dev/null) == "$2" ]] && echo "$p"
}
answers() { timeout "${1:-10}" virsh -c "$URI" version >/dev/null 2>&1; }

# The folders and the configuration of the second host.
prepare() {
    mkdir -p "$D2"/{etc/qemu/networks/autostart,etc/storage/autostart,etc/nwfilter,etc/secrets} \
        "$D2"/{run,lib/qemu,cache/qemu,log/qemu,private}
    chmod 0755 "$D2" "$D2/lib" "$D2/lib/qemu"
    cat >"$D2/etc/libvirtd.conf" <<EOF
# the second host of vmtui's migration tests (tests/realstack/daemon2.sh)
host_uuid = "$UUID"
unix_sock_group = "root"
EOF
    cat >"$D2/etc/qemu.conf" <<EOF
migration_port_min = 49400
migration_port_max = 49463
remote_display_port_min = 5990
remote_display_port_max = 6090
EOF
    : >"$D2/etc/libvirt.conf"
}

# The commands run inside the new namespace.
inner() {
    local d p i=0
    mount --make-rprivate / 2>/dev/null || true
    for d in etc:/etc/libvirt run:/run/libvirt lib:/var/lib/libvirt cache:/var/cache/libvirt log:/var/log/libvirt; do
        mkdir -p "${d#*:}"
        mount --bind "$D2/${d%%:*}" "${d#*:}"
    done
    for p in ${VMTUI_D2_PRIVATE:-}; do
        [[ $p == /* && -d $p ]] || { echo "VMTUI_D2_PRIVATE: $p is not an absolute directory" >&2; exit 1; }
        i=$((i + 1))
        mkdir -p "$D2/private/$i"
        chmod 0755 "$D2/private/$i"
        mount --bind "$D2/private/$i" "$p"
        echo "$p" >"$D2/private/$i.path"
    done
    virtlogd -d -p /run/libvirt/virtlogd.pid
    LIBVIRT_LOG_OUTPUTS="3:file:/var/log/libvirt/libvirtd.log" \
        libvirtd -d -p /run/libvirt/libvirtd.pid
}

start() {
    if answers 5; then log "already running ($URI)"; return 0; fi
    prepare
    rm -f "$SOCK" "$D2"/run/*.pid
    # no descriptor above 2 goes with the daemons (a caller's flock)
    (
        for ((fd = 3; fd < 256; fd++)); do eval "exec $fd>&-"; done
        D2=$D2 VMTUI_D2_PRIVATE=${VMTUI_D2_PRIVATE:-} \
            unshare -m --propagation private bash -c "$(declare -f inner); inner"
    ) || die "could not start the daemons in their namespace"
    local deadline=$((SECONDS + TIMEOUT))
    until answers $((deadline - SECONDS > 1 ? deadline - SECONDS : 1)); do
        if ((SECONDS >= deadline)); then
            tail -n 20 "$D2/log/libvirtd.log" >&2 2>/dev/null || true
            die "the second libvirtd did not answer on $URI within ${TIMEOUT}s"
        fi
        sleep 0.5
    done
    log "second libvirtd ready (pid $(pid_of "$D2/run/libvirtd.pid" libvirtd), $URI)"
}

stop() {
    local name p
    # its guests go first: qemu left running would keep the namespace
    if answers 5; then
        for name in $(virsh -q -c "$URI" list --name 2>/dev/null); do
            virsh -q -c "$URI" destroy "$name" >/dev/null 2>&1 || true
        done
    fi
    for name in libvirtd virtlogd; do
        p=$(pid_of "$D2/run/$name.pid" "$name" || true)
        [[ -n $p ]] || continue
        kill -TERM "$p"
        local deadline=$((SECONDS + TIMEOUT))
        while kill -0 "$p" 2>/dev/null; do
            ((SECONDS < deadline)) || die "$name (pid $p) did not exit within ${TIMEOUT}s"
            sleep 0.2
        done
        log "$name (pid $p) stopped"
    done
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) if answers; then echo running; else echo "not running"; exit 1; fi ;;
    uri) echo "$URI" ;;
    dir) echo "$D2" ;;
    *) echo "usage: $0 start|stop|status|uri|dir" >&2; exit 2 ;;
esac
