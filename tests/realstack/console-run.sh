#!/usr/bin/env bash
# console-run.sh - run one shell command in a vmtui test guest through its
# serial console and print the command's output (exit status = the command's).
#
# It talks straight to the guest's console pty (`virsh ttyconsole NAME`, a
# local /dev/pts/N opened by qemu) with plain bash: no tmux/expect needed.
#   1. sync: repeatedly send Ctrl-U + `echo <SYNC marker>` until the marker
#      comes back (qemu only notices a pty reader after up to ~1 s, and the
#      guest may still be booting);
#   2. send `echo <BEGIN>; COMMAND; echo <END> $?` and print what appears
#      between the BEGIN and END lines.
# Markers are typed as VMTUI_BE''GIN so the terminal's echo of the typed line
# never matches the marker itself.  Escape sequences (busybox ash sends
# ESC[6n at each prompt) and CRs are stripped.
# Runs under a hard deadline: never hangs (default 30 s, exit 124 on timeout).
#
# Caveats: COMMAND must be a single line and must not read the console's stdin.
# While another reader holds the same pty (e.g. a `virsh console` session or
# vmtui's console view) output may be split between readers; don't overlap.
# Concurrent console-run.sh calls on one guest are serialised with flock.
#
# Usage: tests/realstack/console-run.sh [-t SECONDS] NAME 'command'
#   e.g. tests/realstack/console-run.sh vmtuitest-a 'cat /sys/block/vda/size'
# Env: VMTUI_URI (default: `daemon.sh uri`).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TIMEOUT=30
if [[ ${1:-} == -t ]]; then
    [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "console-run.sh: -t needs seconds" >&2; exit 2; }
    TIMEOUT=$2; shift 2
fi
if (($# != 2)); then
    echo "usage: $0 [-t SECONDS] NAME 'command'" >&2; exit 2
fi
NAME=$1 CMD=$2
[[ $CMD != *$'\n'* ]] || { echo "console-run.sh: command must be a single line" >&2; exit 2; }
URI=${VMTUI_URI:-$("$HERE/daemon.sh" uri)}

die() { echo "console-run.sh: error: $*" >&2; exit "${2:-1}"; }

PTY=$(virsh -q -c "$URI" ttyconsole "$NAME" 2>&1) || die "virsh ttyconsole $NAME failed: $PTY"
[[ $PTY == /dev/* && -c $PTY ]] || die "console of $NAME is not a local pty: '$PTY'"
[[ -r $PTY && -w $PTY ]] || die "no read/write access to $PTY (run as the daemon's user / root)"

DEADLINE=$((SECONDS + TIMEOUT))
exec 3<>"$PTY" || die "cannot open $PTY"
stty -F "$PTY" raw -echo 2>/dev/null || true
flock -w "$TIMEOUT" 3 || die "timed out waiting for another console-run.sh on $NAME" 124

TAG=$$_$RANDOM
SYNC=VMTUI_SYNC_$TAG BEGIN=VMTUI_BEGIN_$TAG END=VMTUI_END_$TAG

PARTIAL=""
# readline_: next complete console line (CR/escapes stripped) into LINE;
# returns 1 if none arrived within $1 seconds.
readline_() {
    local chunk rc
    while :; do
        if IFS= read -r -t "$1" -u 3 chunk; then
            LINE=$PARTIAL$chunk
            PARTIAL=""
            LINE=${LINE//$'\r'/}
            LINE=$(printf '%s' "$LINE" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g')
            return 0
        else
            rc=$?
            PARTIAL+=$chunk
            ((rc > 128)) && return 1
            die "console $PTY closed (guest gone?)"
        fi
    done
}

# 1. sync with the guest shell
synced=0
while ((SECONDS < DEADLINE)); do
    printf '\025echo VMTUI_SY""NC_%s\r' "$TAG" >&3
    t_end=$((SECONDS + 2))
    while ((SECONDS < t_end)) && readline_ 0.5; do
        if [[ $LINE == *"$SYNC"* && $LINE != *echo* ]]; then synced=1; break; fi
    done
    ((synced)) && break
    # if read timed out, loop on to re-send
done
((synced)) || die "guest $NAME: shell on $PTY did not answer within ${TIMEOUT}s" 124
# Drain what is left of the sync exchange (prompt etc.).
while readline_ 0.3; do :; done

# 2. run the command
# One input line (typed-ahead lines would be echoed into the output);
# eval keeps $? right whatever COMMAND looks like (;, &&, trailing &).
SQ="'\\''"; QCMD="'${CMD//\'/$SQ}'"
printf 'echo VMTUI_BE""GIN_%s; eval %s; echo VMTUI_EN""D_%s $?\r' "$TAG" "$QCMD" "$TAG" >&3
inside=0
while :; do
    ((SECONDS < DEADLINE)) || die "guest $NAME: command did not finish within ${TIMEOUT}s" 124
    readline_ 0.5 || continue
    if ((!inside)); then
        [[ $LINE == "$BEGIN" || ($LINE == *"$BEGIN" && $LINE != *echo*) ]] && inside=1
        continue
    fi
    if [[ $LINE =~ $END\ ([0-9]+)$ && $LINE != *echo* ]]; then
        exit "${BASH_REMATCH[1]}"
    fi
    printf '%s\n' "$LINE"
done
