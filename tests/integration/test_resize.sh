#!/usr/bin/env bash
# test_resize.sh — `vmtui resize` and the resize dialog (Z) against the real
# daemon, with guests of our own (tests/realstack/guest.sh), checked with
# virsh and from inside the guests over their serial consoles:
#   - live: vCPUs 1 -> 2 (the guest sees 2 CPUs online), memory 96M -> 80M
#     through the balloon (MemTotal drops), vda 32M -> 48M (98304 sectors);
#   - saved configuration only: maxima (and values above the running
#     maximum) wait for the next boot, and are there after destroy + start;
#   - a shut-off guest: its configuration, and its disk grown through the
#     storage pool holding it (and a clear refusal when no pool does);
#   - every refusal with its exact message: shrinking a disk, above the
#     running maximum, more vCPUs than the host has, not numbers, zero,
#     negative, --live on a shut-off guest, read-only;
#   - the dialog through tmux: open with Z, change memory, apply, the status
#     line and the dialog say what was done and what waits for a reboot.
# Every guest is named vmtuitest-rs-* and removed at the end, with the pool.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
# shellcheck source=../screen/screenlib.sh
. "$TOP/tests/screen/screenlib.sh"

P=vmtuitest-rs-
LIVE=${P}live    # running: live changes
BOOT=${P}boot    # running, 1 of 1 vCPU: changes that wait for the next boot
OFF=${P}off      # shut off, its folder a storage pool
NOPOOL=${P}nopool # shut off, its disk in no pool
SCR=${P}scr      # running, for the dialog
POOL=${P}pool
run_files resize

v() { virsh -q -c "$T_URI" "$@"; }

# Our pool and guests, left over or made here.
remove_ours() {
	v pool-destroy "$POOL" >/dev/null 2>&1
	v pool-undefine "$POOL" >/dev/null 2>&1
	[ -n "${KEEP_GUESTS:-}" ] || "$RS/guest.sh" cleanup "$P" >/dev/null 2>&1
}

resize_cleanup() {
	vt_stop_all
	remove_ours
	rm -rf "$D" "$SCR_TMP"
}

resize() { run resize -c "$T_URI" "$@"; }

# A refusal: exit 1, these lines on stderr, nothing on stdout.
refused() {
	local what=$1 want=$2
	check "$what: exit 1" eq "$RC" 1
	check "$what: the message" is "$ERR" "$want"
	check "$what: nothing on stdout" eq "$(cat "$OUT")" ""
}
in_guest() { VMTUI_URI=$T_URI "$RS/console-run.sh" -t 60 "$@"; }
# saved NAME XPATH: a value of the saved configuration.
saved() { v dumpxml --inactive "$1" | xmllint --xpath "$2" - 2>/dev/null; }
vcpus_of() { v vcpucount "$1" "${@:2}"; }
balloon() { v dommemstat "$1" | awk '/^actual/ { print $2 }'; }
mem_total() { in_guest "$1" 'grep MemTotal /proc/meminfo' | awk '{ print $2 }'; }

# until SECONDS CMD...: poll until CMD succeeds.
balloon_is() { [ "$(balloon "$1")" = "$2" ]; }

stack_base_up || { say "cannot set up the daemon"; echo "0 passed, 1 failed"; exit 1; }
trap resize_cleanup EXIT
trap 'exit 130' INT TERM HUP
KEEP_GUESTS='' remove_ours

"$RS/guest.sh" define "$LIVE" >&2 &&
	"$RS/guest.sh" define "$BOOT" --vcpus 1 --maxvcpus 1 >&2 &&
	"$RS/guest.sh" define "$OFF" >&2 &&
	"$RS/guest.sh" define "$NOPOOL" >&2 &&
	"$RS/guest.sh" define "$SCR" >&2 || { not_ok "define the guests"; summary; exit 1; }
for g in "$LIVE" "$BOOT" "$SCR"; do
	"$RS/guest.sh" start "$g" --wait 90 >&2 || not_ok "start $g"
done
v pool-define-as "$POOL" dir --target "$("$RS/guest.sh" dir "$OFF")" >/dev/null &&
	v pool-start "$POOL" >/dev/null || not_ok "pool $POOL over the folder of $OFF"
# The balloon driver loads during boot; until then the guest has all 128M.
for g in "$LIVE" "$BOOT" "$SCR"; do
	eventually 30 balloon_is "$g" 98304 || say "warning: $g has not ballooned to 96M"
done
HOST_CPUS=$(v nodeinfo | awk '/^CPU\(s\):/ { print $2 }')

# ---- showing ----

resize "$LIVE"
check "show: exit 0" eq "$RC" 0
check "show: the state" has "$OUT" "$LIVE: running"
check "show: vCPUs, live and at boot" grep -qE '^  vCPUs +1 +now and at next boot$' "$OUT"
check "show: the maximum waits" grep -qE '^  maximum vCPUs +2 +at next boot$' "$OUT"
check "show: memory" grep -qE '^  memory +96M +now and at next boot$' "$OUT"
check "show: maximum memory" grep -qE '^  maximum memory +128M +at next boot$' "$OUT"
check "show: the disk" grep -qE '^  disk vda +32M +now; disks only grow$' "$OUT"
check "show: the host" has "$OUT" "The host has $HOST_CPUS CPUs and "

# ---- refusals (nothing changes) ----

resize "$LIVE" --disk vda=16M
refused "shrink" "vmtui: vda is 32M; vmtui never shrinks a disk.
vmtui: nothing was changed on $LIVE."
resize "$LIVE" --disk vda=0
refused "shrink to zero" "vmtui: vda is 32M; vmtui never shrinks a disk.
vmtui: nothing was changed on $LIVE."
resize "$LIVE" --memory 256M
refused "memory above the running maximum" \
"vmtui: memory: 256M is above the maximum of 128M of the running guest; raise maximum memory to 256M first (that takes effect at next boot).
vmtui: nothing was changed on $LIVE."
resize "$BOOT" --vcpus 2
refused "vCPUs above the running maximum" \
"vmtui: vCPUs: 2 is above the maximum of 1 of the running guest; raise maximum vCPUs to 2 first (that takes effect at next boot).
vmtui: nothing was changed on $BOOT."
resize "$LIVE" --vcpus $((HOST_CPUS + 1))
refused "vCPUs above the host's CPUs" \
"vmtui: vCPUs: $((HOST_CPUS + 1)) is more than the host's $HOST_CPUS CPUs; vmtui does not overcommit CPUs.
vmtui: nothing was changed on $LIVE."
resize "$LIVE" --vcpus two --memory lots --disk vda=big
refused "not numbers (every one reported)" \
"vmtui: vCPUs: \"two\" is not a whole number from 1 to 4096.
vmtui: memory: \"lots\" is not a size (e.g. 512M, 2G; a bare number is MiB).
vmtui: vda: \"big\" is not a size (e.g. 20G, 512M; a bare number is GiB).
vmtui: nothing was changed on $LIVE."
resize "$LIVE" --vcpus 0
refused "zero vCPUs" "vmtui: vCPUs: 0 is too few; a guest needs at least 1.
vmtui: nothing was changed on $LIVE."
resize "$LIVE" --memory 0
refused "zero memory" "vmtui: memory: \"0\" is too little; give at least 1M.
vmtui: nothing was changed on $LIVE."
resize "$LIVE" --memory=-64M --vcpus=-1
refused "negative" "vmtui: vCPUs: \"-1\" is negative; give a whole number from 1 to 4096.
vmtui: memory: \"-64M\" is negative; give a size such as 512M.
vmtui: nothing was changed on $LIVE."
resize "$LIVE" --disk vdz=1G
refused "no such disk" "vmtui: $LIVE has no disk vdz; its disks: vda.
vmtui: nothing was changed on $LIVE."
resize "$OFF" --live --vcpus 2
refused "--live on a shut-off guest" \
"vmtui: $OFF is shut off; --live changes only a running guest. Drop --live to change its saved configuration.
vmtui: nothing was changed on $OFF."
resize "$LIVE" --live --max-memory 256M
refused "--live with a maximum" \
"vmtui: maximum memory: the maximum changes only in the saved configuration, at next boot; drop --live.
vmtui: nothing was changed on $LIVE."
resize "$LIVE" --config --disk vda=48M
refused "--config with a running guest's disk" \
"vmtui: vda: the disk of a running guest grows only live; drop --config, or shut $LIVE down first.
vmtui: nothing was changed on $LIVE."
resize "$LIVE" --live --config --vcpus 2
check "--live --config: usage error" eq "$RC" 1
check "--live --config: the message" has "$ERR" \
	"vmtui resize: --live and --config exclude each other; give one, or neither for both."
resize ${P}nope --vcpus 2
check "unknown guest: exit 1" eq "$RC" 1
check "unknown guest: the message" is "$ERR" \
	"vmtui: There is no guest \"${P}nope\" on this host; check the name with virsh list --all."
run resize -c "$T_URI" -r "$LIVE" --vcpus 2 --disk vda=48M
check "read-only: exit 1" eq "$RC" 1
check "read-only: the message" is "$ERR" \
	"vmtui: cannot resize $LIVE: vmtui runs read-only (-r); nothing was changed. Drop -r to change it."
check "read-only: what it would do" is "$OUT" "$LIVE: would change vCPUs 1 -> 2 (now and at next boot)
$LIVE: would change vda 32M -> 48M (now)"
check "refusals changed nothing: vCPUs" eq "$(vcpus_of "$LIVE" --current --live)" 1
check "refusals changed nothing: memory" eq "$(balloon "$LIVE")" 98304
check "refusals changed nothing: vda" eq "$(in_guest "$LIVE" 'cat /sys/block/vda/size')" 65536

# ---- live: vCPUs, memory, disk ----

resize "$LIVE" --vcpus 2
check "vCPUs 1 -> 2: exit 0" eq "$RC" 0
check "vCPUs 1 -> 2: what was done" is "$OUT" "$LIVE: vCPUs 1 -> 2: done (now and at next boot)"
check "vCPUs 1 -> 2: live" eq "$(vcpus_of "$LIVE" --current --live)" 2
check "vCPUs 1 -> 2: saved" eq "$(vcpus_of "$LIVE" --current --config)" 2
# The hot-plugged CPU arrives offline in the tiny guest (no udev rule to
# online it): bring it online the way udev would.
CPU1=$(in_guest "$LIVE" 'cat /sys/devices/system/cpu/cpu1/online 2>/dev/null || echo none')
say "  guest: cpu1/online after the hot-plug: $CPU1"
[ "$CPU1" = 0 ] && in_guest "$LIVE" 'echo 1 > /sys/devices/system/cpu/cpu1/online' >/dev/null
check "vCPUs 1 -> 2: the guest sees 2 CPUs online" eq \
	"$(in_guest "$LIVE" 'cat /sys/devices/system/cpu/online')" "0-1"

BEFORE=$(mem_total "$LIVE")
resize "$LIVE" --memory 80M
check "memory 96M -> 80M: exit 0" eq "$RC" 0
check "memory 96M -> 80M: what was done" is "$OUT" \
	"$LIVE: memory 96M -> 80M: done (now and at next boot)"
check "memory 96M -> 80M: the balloon" eventually 30 balloon_is "$LIVE" 81920
check "memory 96M -> 80M: saved" eq "$(saved "$LIVE" 'string(/domain/currentMemory)')" 81920
AFTER=$(mem_total "$LIVE")
say "  guest: MemTotal $BEFORE kB -> $AFTER kB"
check "memory 96M -> 80M: MemTotal in the guest drops by about 16M" \
	test $((BEFORE - AFTER)) -ge 15000 -a $((BEFORE - AFTER)) -le 17500

resize "$LIVE" --disk vda=48M
check "vda 32M -> 48M: exit 0" eq "$RC" 0
check "vda 32M -> 48M: what was done" is "$OUT" "$LIVE: vda 32M -> 48M: done (now)"
check "vda 32M -> 48M: the guest sees 98304 sectors" eq \
	"$(in_guest "$LIVE" 'cat /sys/block/vda/size')" 98304
check "vda 32M -> 48M: virsh domblkinfo" eq \
	"$(v domblkinfo "$LIVE" vda | awk '/^Capacity:/ { print $2 }')" 50331648
resize "$LIVE" --disk vda=48M --vcpus 2
check "same values: nothing to change" is "$OUT" "$LIVE: nothing to change."

# ---- saved configuration: waits for the next boot ----

resize "$BOOT" --max-vcpus 2 --vcpus 2 --max-memory 192M --memory 160M
check "next boot: exit 0" eq "$RC" 0
check "next boot: what was done, and the reboot note" is "$OUT" \
"$BOOT: maximum vCPUs 1 -> 2: done (at next boot)
$BOOT: vCPUs 1 -> 2 (above the running maximum of 1): done (at next boot)
$BOOT: maximum memory 128M -> 192M: done (at next boot)
$BOOT: memory 96M -> 160M (above the running maximum of 128M): done (at next boot)
Waits for the next boot of $BOOT (shut it down and start it again; a reboot from inside is not enough): maximum vCPUs 1 -> 2; vCPUs 1 -> 2 (above the running maximum of 1); maximum memory 128M -> 192M; memory 96M -> 160M (above the running maximum of 128M)."
check "next boot: maximum vCPUs saved" eq "$(vcpus_of "$BOOT" --maximum --config)" 2
check "next boot: maximum vCPUs not live yet" eq "$(vcpus_of "$BOOT" --maximum --live)" 1
check "next boot: vCPUs not live yet" eq "$(vcpus_of "$BOOT" --current --live)" 1
check "next boot: maximum memory saved" eq "$(saved "$BOOT" 'string(/domain/memory)')" 196608
check "next boot: maximum memory not live yet" eq \
	"$(v dominfo "$BOOT" | awk '/^Max memory:/ { print $3 }')" 131072
resize "$BOOT"
check "next boot: show says what waits" grep -qE '^  maximum memory +128M \(192M at next boot\) +at next boot$' "$OUT"
"$RS/guest.sh" destroy "$BOOT" >&2
"$RS/guest.sh" start "$BOOT" --wait 90 >&2
check "after restart: maximum vCPUs live" eq "$(vcpus_of "$BOOT" --maximum --live)" 2
check "after restart: vCPUs live" eq "$(vcpus_of "$BOOT" --current --live)" 2
check "after restart: maximum memory live" eq \
	"$(v dominfo "$BOOT" | awk '/^Max memory:/ { print $3 }')" 196608
check "after restart: memory ballooned to 160M" eventually 30 balloon_is "$BOOT" 163840
check "after restart: the guest sees 2 CPUs online" eq \
	"$(in_guest "$BOOT" 'cat /sys/devices/system/cpu/online')" "0-1"

# ---- a shut-off guest ----

G=$("$RS/guest.sh" dir "$NOPOOL")
resize "$NOPOOL" --vcpus 2 --disk vda=40M
refused "shut off, disk in no pool" \
"vmtui: Cannot grow vda: its file $G/disk.qcow2 is in no storage pool, so libvirt cannot grow it while the guest is shut off. Start the guest and grow it then, or make the file's folder a storage pool. Nothing was changed."
check "shut off, disk in no pool: vCPUs unchanged" eq "$(vcpus_of "$NOPOOL" --current --config)" 1

resize "$OFF" --vcpus 2 --memory 80M --disk vda=40M
check "shut off: exit 0" eq "$RC" 0
check "shut off: what was done, no reboot note" is "$OUT" \
"$OFF: vCPUs 1 -> 2: done (when it starts)
$OFF: memory 96M -> 80M: done (when it starts)
$OFF: vda 32M -> 40M: done (when it starts)"
check "shut off: vCPUs saved" eq "$(vcpus_of "$OFF" --current --config)" 2
check "shut off: memory saved" eq "$(saved "$OFF" 'string(/domain/currentMemory)')" 81920
check "shut off: the volume grew" eq \
	"$(v vol-info --bytes "$("$RS/guest.sh" dir "$OFF")/disk.qcow2" | awk '/^Capacity:/ { print $2 }')" 41943040
# The host's memory as vmtui takes it: node memory stats (virsh nodememstats).
HOST_GIB=$(($(v nodememstats | awk '/^total *:/ { print $3 }') / 1048576 + 2))
resize "$OFF" --max-memory ${HOST_GIB}G
check "overcommitted memory: allowed" eq "$RC" 0
check "overcommitted memory: warned" grep -qE \
	"^vmtui: warning: maximum memory: ${HOST_GIB}G is more than the host's [0-9.]+G; the guest may not start or may make the host swap\.\$" "$ERR"
resize "$OFF" --max-memory 128M
check "overcommitted memory: put back" eq "$RC" 0
"$RS/guest.sh" start "$OFF" --wait 90 >&2
check "shut off, started: the guest sees the grown disk" eq \
	"$(in_guest "$OFF" 'cat /sys/block/vda/size')" 81920
check "shut off, started: 2 CPUs online" eq "$(in_guest "$OFF" 'cat /sys/devices/system/cpu/online')" "0-1"

# ---- the dialog ----

# The status line of a 30-line screen (the footer's first line).
STATUS_WAIT=15

# open_dialog [ARGS]: vmtui on the screen guest alone, Z pressed.
open_dialog() {
	vt_vmtui 100 30 "$@"
	wait_screen "$SCR" 20 || return 1
	vt_keys /
	vt_type "$SCR"
	vt_keys Enter
	sleep 0.3
	vt_keys Z
}

open_dialog
check "dialog: opens on Z" wait_screen "^Resize $SCR \(running\)"
check "dialog: memory now, and when it changes" wait_screen "^Memory +96M +96M +now and at next boot"
check "dialog: maximum at next boot" wait_screen "^Maximum memory +128M +128M +at next boot"
check "dialog: the disk" wait_screen "^Disk vda +32M +32M +now; disks only grow"
vt_keys Tab Tab C-u
vt_type 80M
check "dialog: shows what F2 will do" wait_screen "^  memory 96M -> 80M: now and at next boot"
vt_keys Tab C-u
vt_type 256M
check "dialog: the maximum waits for the next boot" wait_screen \
	"^  maximum memory 128M -> 256M: at next boot"
check "dialog: the reboot note before applying" wait_screen "^Waits for the next boot of $SCR"
vt_keys F2
check "dialog: the outcome is said in the dialog" wait_screen \
	"^$SCR resized: maximum memory 128M -> 256M \(at next boot\); memory 96M -> 80M"
check "dialog: the new values" wait_screen "^Memory +80M +80M"
check "dialog: the pending maximum" wait_screen "^Maximum memory +128M \(256M at next boot\)"
check "dialog: says what waits for a reboot" wait_screen "Waits for the next boot of $SCR \(shut"
check "dialog: the balloon went to 80M" eventually 30 balloon_is "$SCR" 81920
check "dialog: maximum memory saved" eq "$(saved "$SCR" 'string(/domain/memory)')" 262144
vt_keys Tab C-u # from maximum memory to the disk
vt_type 16M
check "dialog: shrinking is refused as it is typed" wait_screen \
	"^vda is 32M; vmtui never shrinks a disk\.$"
vt_keys F2
check "dialog: F2 refuses in the status line" wait_status \
	"^Cannot resize $SCR: vda is 32M; vmtui never shrinks a disk\."
vt_esc
check "dialog: Esc goes back to the list" wait_no_screen "^Resize $SCR"
check "dialog: vda unchanged" eq "$(v domblkinfo "$SCR" vda | awk '/^Capacity:/ { print $2 }')" 33554432

open_dialog -r
check "dialog, read-only: refused with a reason" wait_status \
	"^Cannot resize $SCR: vmtui runs read-only \(-r\); restart without -r to change guests\."
check "dialog, read-only: does not open" wait_no_screen "^Resize $SCR"
vt_stop

summary
