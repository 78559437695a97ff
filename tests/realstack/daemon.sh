#!/usr/bin/env bash
# daemon.sh - run the libvirt daemon that the vmtui real-stack tests talk to.
#
# Approach (the simplest that is robust on a CI box with no systemd):
#   * as root: the *system* daemon, monolithic libvirtd (+ virtlogd), started
#     directly with `-d` (no systemd units, no socket activation).  Missing
#     bits that the Debian packaging would normally create are made here:
#     the libvirt-qemu user/group (qemu runs as that user; it is libvirt's
#     built-in default, and /etc/libvirt/qemu.conf is not edited), the kvm
#     group, /var/log/libvirt, /run/libvirt, /var/lib/libvirt/qemu, ...
#     URI: qemu:///system.  Daemon logs: /var/log/libvirt/libvirtd.log.
#   * as a non-root user: qemu:///session; the client auto-spawns the
#     per-user libvirtd, this script only pokes it and waits until it answers.
# /dev/kvm is set to root:kvm 0660 when it is not (what udev does on a normal
# Debian host); see prepare_system for why that matters even for TCG guests.
# Guests reach the fixture files through their 0644/0755 modes and libvirt's
# default dynamic_ownership (it chowns disk images to libvirt-qemu while the
# guest runs) - see guest.sh.  No file under /etc is modified.
#
# Usage: tests/realstack/daemon.sh start|stop|kill|restart|status|uri
#   start    start virtlogd+libvirtd if not running; wait until ready (60 s)
#   stop     SIGTERM libvirtd and wait for it to exit (guests keep running)
#   kill     SIGKILL libvirtd (simulated crash; qemu guests keep running)
#   restart  start again (after kill/stop) and wait until ready
#   status   exit 0 and print "running" if the daemon answers, else exit 1
#   uri      print the libvirt URI to use (qemu:///system or qemu:///session)
# Env: VMTUI_DAEMON_TIMEOUT (seconds to wait for readiness, default 60).
set -euo pipefail

TIMEOUT=${VMTUI_DAEMON_TIMEOUT:-60}
die() { echo "daemon.sh: error: $*" >&2; exit 1; }
log() { echo "daemon.sh: $*" >&2; }

# no_fds CMD...: run CMD with no descriptor above 2. A daemon keeps what it
# inherits for as long as it runs: the fd of `flock /tmp/vmtui-stack.lock`
# around a suite (every other suite then waits for the lock until the
# daemon stops) or a sanitizer's report file.
no_fds() (
    local fd
    for ((fd = 3; fd < 256; fd++)); do
        eval "exec $fd>&-"
    done
    "$@"
)

if [[ $(id -u) == 0 ]]; then
    MODE=system
    URI=qemu:///system
    PIDFILE=/run/libvirtd.pid
else
    MODE=session
    URI=qemu:///session
    PIDFILE=${XDG_RUNTIME_DIR:-/run/user/$(id -u)}/libvirt/libvirtd.pid
fi

libvirtd_pid() {
    local pid=""
    if [[ -r $PIDFILE ]]; then
        pid=$(cat "$PIDFILE" 2>/dev/null || true)
        if [[ -n $pid ]] && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == libvirtd ]]; then
            echo "$pid"; return 0
        fi
    fi
    # Fallback: exact process name, owned by us.
    pid=$(pgrep -u "$(id -u)" -x libvirtd | head -n1 || true)
    [[ -n $pid ]] && echo "$pid"
}

answers() {  # answers [seconds]
    timeout "${1:-10}" virsh -c "$URI" version >/dev/null 2>&1
}

wait_ready() {
    # The first connection can take several seconds (the daemon probes qemu's
    # capabilities at startup), so give each attempt all the time that is left.
    local deadline=$((SECONDS + TIMEOUT))
    until answers $((deadline - SECONDS > 1 ? deadline - SECONDS : 1)); do
        if ((SECONDS >= deadline)); then
            [[ $MODE == system ]] && tail -n 20 /var/log/libvirt/libvirtd.log >&2 2>/dev/null || true
            die "libvirtd did not answer on $URI within ${TIMEOUT}s"
        fi
        sleep 0.5
    done
}

ensure_tools() {
    local missing=()
    command -v virsh >/dev/null || missing+=(libvirt-clients)
    command -v libvirtd >/dev/null || missing+=(libvirt-daemon)
    [[ -e /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so ]] \
        || ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_qemu.so >/dev/null 2>&1 \
        || missing+=(libvirt-daemon-driver-qemu)
    command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
    command -v qemu-img >/dev/null || missing+=(qemu-utils)
    ((${#missing[@]})) || return 0
    [[ $MODE == system ]] || die "missing packages: ${missing[*]} (install them as root)"
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
}

prepare_system() {
    getent group kvm >/dev/null || groupadd --system kvm
    getent group libvirt-qemu >/dev/null || groupadd --system libvirt-qemu
    getent group libvirt >/dev/null || groupadd --system libvirt
    if ! getent passwd libvirt-qemu >/dev/null; then
        useradd --system --gid libvirt-qemu --groups kvm --home-dir /var/lib/libvirt \
            --no-create-home --shell /usr/sbin/nologin libvirt-qemu \
            || die "cannot create user libvirt-qemu"
    fi
    mkdir -p /var/log/libvirt/qemu /run/libvirt /var/lib/libvirt/qemu /var/cache/libvirt/qemu \
        /etc/libvirt/qemu
    chmod 0755 /var/lib/libvirt /var/lib/libvirt/qemu
    # /dev/kvm: give it the mode Debian's udev rule gives it (root:kvm 0660).
    # Without udev it is root:root 0600 here; libvirt then decides "KVM not
    # usable" for libvirt-qemu while its capability probe still reports KVM,
    # so it throws its qemu capabilities cache away on *every* lookup and
    # re-probes qemu (~4 s each): `virsh version`/`start` take seconds and a
    # daemon restart takes 20-30 s.  Guests still use TCG (type='qemu').
    if [[ -c /dev/kvm ]] && [[ $(stat -c '%G %a' /dev/kvm) != "kvm 660" ]]; then
        chgrp kvm /dev/kvm && chmod 0660 /dev/kvm || log "warning: could not chmod /dev/kvm"
    fi
}

start() {
    ensure_tools
    if [[ $MODE == session ]]; then
        # The client auto-spawns the session daemon (libvirtd --timeout=120;
        # it does not exit while guests run).
        wait_ready
        log "session daemon ready ($URI)"
        return 0
    fi
    prepare_system
    if ! pgrep -u 0 -x virtlogd >/dev/null; then
        no_fds virtlogd -d || die "virtlogd failed to start"
    fi
    if [[ -z $(libvirtd_pid) ]]; then
        # Log via the environment instead of editing /etc/libvirt/libvirtd.conf.
        LIBVIRT_LOG_OUTPUTS="3:file:/var/log/libvirt/libvirtd.log" \
            no_fds libvirtd -d || die "libvirtd -d failed (see /var/log/libvirt/libvirtd.log)"
    fi
    wait_ready
    log "libvirtd ready (pid $(libvirtd_pid), $URI)"
}

stop() {
    local pid; pid=$(libvirtd_pid || true)
    if [[ -z $pid ]]; then log "libvirtd not running"; return 0; fi
    kill -TERM "$pid"
    local deadline=$((SECONDS + TIMEOUT))
    while kill -0 "$pid" 2>/dev/null; do
        ((SECONDS < deadline)) || die "libvirtd (pid $pid) did not exit within ${TIMEOUT}s after SIGTERM"
        sleep 0.2
    done
    log "libvirtd (pid $pid) stopped"
}

kill9() {
    local pid; pid=$(libvirtd_pid || true)
    [[ -n $pid ]] || die "libvirtd is not running, nothing to kill"
    kill -KILL "$pid"
    local deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null; do
        ((SECONDS < deadline)) || die "libvirtd (pid $pid) survived SIGKILL?"
        sleep 0.1
    done
    log "libvirtd (pid $pid) killed with SIGKILL"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    kill) kill9 ;;
    restart) start ;;
    status)
        if answers; then echo running; else echo "not running"; exit 1; fi ;;
    uri) echo "$URI" ;;
    *) echo "usage: $0 start|stop|kill|restart|status|uri" >&2; exit 2 ;;
esac
