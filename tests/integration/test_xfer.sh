#!/usr/bin/env bash
# test_xfer.sh — `vmtui vol upload` and `vmtui vol download` against the
# real daemon, into a dir pool of our own:
#   - an ISO made here (genisoimage) and a sparse qcow2 (metadata
#     preallocated, data written with qemu-io) uploaded, their formats read
#     back from the pool, downloaded again: the same bytes (cmp), and the
#     sparse file comes back sparse (du against ls) and goes up sparse (the
#     volume's allocation);
#   - refusals that change nothing: a missing file, an existing volume, a
#     bad name, a format the file is not, an existing target without
#     --force (and with it, replaced), a stopped pool;
#   - a failed upload (the pool's filesystem full, a small tmpfs) and an
#     upload cancelled with SIGINT mid-way leave no volume and no file;
#     a cancelled download leaves no file;
#   - the same upload and download over the SSH transport (-H, a throwaway
#     sshd on 127.0.0.1 from tests/ssh/sshd.sh, the key in an agent of
#     our own).
# Everything is named vmtuitest-xfer-* and removed at the end. Run it under
# flock /tmp/vmtui-stack.lock when others share the daemon.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

P=vmtuitest-xfer-
POOL=${P}pool
SMALL=${P}small
run_files xfer
PDIR=$D/pool
SDIR=$D/small
AGENT_PID=

v() { virsh -q -c "$T_URI" "$@"; }

xfer_cleanup() {
	local p
	for p in "$POOL" "$SMALL"; do
		v pool-destroy "$p" >/dev/null 2>&1
		v pool-undefine "$p" >/dev/null 2>&1
	done
	mountpoint -q "$SDIR" 2>/dev/null && umount "$SDIR"
	[[ -z $AGENT_PID ]] || kill "$AGENT_PID" 2>/dev/null
	[[ -n ${SSH_STARTED:-} ]] && "$TOP/tests/ssh/sshd.sh" stop >/dev/null 2>&1
	rm -rf "$D"
}
trap xfer_cleanup EXIT

# make_pool NAME DIR: a running dir pool over DIR.
make_pool() {
	mkdir -p "$2" && chmod 0755 "$2"
	v pool-define-as "$1" dir --target "$2" >/dev/null && v pool-start "$1" >/dev/null
}

# no_vol POOL NAME: the pool has no such volume (after a refresh).
no_vol() {
	v pool-refresh "$1" >/dev/null 2>&1
	! v vol-info --pool "$1" "$2" >/dev/null 2>&1 || { say "  $1 still has $2"; false; }
}
vol_format() { v vol-dumpxml --pool "$1" "$2" 2>/dev/null | sed -n "s/.*<format type='\([^']*\)'.*/\1/p" | head -n1; }
# allocated FILE: its blocks in KiB; apparent FILE: its size in bytes.
allocated() { du -k "$1" | cut -f1; }
apparent() { stat -c %s "$1"; }
# sparse FILE: allocated less than half its size.
sparse() {
	local a s
	a=$(allocated "$1")
	s=$(apparent "$1")
	((a * 1024 < s / 2)) || { say "  $1: $a KiB allocated of $s bytes"; false; }
}
# temp_growing DIR: a download's temporary file of more than 1 MiB is there.
temp_growing() { [[ -n $(find "$1" -maxdepth 1 -name '.*.vmtui-*' -size +1M) ]]; }
# format_is POOL VOL FORMAT
format_is() { eq "$(vol_format "$1" "$2")" "$3"; }
no_temp_files() {
	local left
	left=$(find "$1" -maxdepth 1 -name '.*.vmtui-*' | head -n1)
	[[ -z $left ]] || { say "  left behind: $left"; false; }
}

stack_base_up >/dev/null || { say "the daemon is not up"; exit 1; }
v pool-destroy "$POOL" >/dev/null 2>&1
v pool-undefine "$POOL" >/dev/null 2>&1
make_pool "$POOL" "$PDIR" || { say "cannot make pool $POOL"; exit 1; }

# ---- fixtures ----
mkdir -p "$D/iso/docs"
printf 'vmtui upload test\n' >"$D/iso/README.TXT"
head -c 300000 /dev/urandom >"$D/iso/docs/random.bin"
genisoimage -quiet -r -V VMTUIXFER -o "$D/test.iso" "$D/iso" || { say "genisoimage failed"; exit 1; }
qemu-img create -q -f qcow2 -o preallocation=metadata "$D/sparse.qcow2" 256M
qemu-io -f qcow2 -c 'write -P 0x5a 1M 3M' -c 'write -P 0xa5 200M 1M' "$D/sparse.qcow2" >/dev/null
mkdir -p "$D/dl"

# ---- the ISO ----
run vol upload -c "$T_URI" "$POOL" "$D/test.iso"
check "iso: upload exits 0" eq "$RC" 0
check "iso: it says what it did" has "$OUT" "Uploaded $D/test.iso (iso"
check "iso: ... and the virsh equivalent" has "$OUT" "vol-upload --sparse --pool $POOL test.iso"
check "iso: the volume is there, named after the file" v vol-key --pool "$POOL" test.iso >/dev/null
check "iso: the pool reads it as an ISO" format_is "$POOL" test.iso iso
run vol download -c "$T_URI" "$POOL" test.iso "$D/dl/test.iso"
check "iso: download exits 0" eq "$RC" 0
check "iso: the bytes come back the same (cmp)" cmp "$D/test.iso" "$D/dl/test.iso"
check "iso: no temporary file left beside it" no_temp_files "$D/dl"

# ---- the sparse qcow2 ----
check "qcow2: the fixture is sparse" sparse "$D/sparse.qcow2"
run vol upload -c "$T_URI" "$POOL" "$D/sparse.qcow2" --name ${P}disk.qcow2
check "qcow2: upload exits 0" eq "$RC" 0
check "qcow2: holes were not sent" has "$OUT" "of holes not sent"
check "qcow2: the volume went up sparse" sparse "$PDIR/${P}disk.qcow2"
check "qcow2: the pool reads it as qcow2" eventually 10 format_is "$POOL" ${P}disk.qcow2 qcow2
qemu-img info "$PDIR/${P}disk.qcow2" >"$D/info" 2>&1
check "qcow2: qemu-img agrees (256M virtual)" has "$D/info" "virtual size: 256 MiB"
run vol download -c "$T_URI" "$POOL" ${P}disk.qcow2 "$D/dl/"
check "qcow2: download into a directory exits 0" eq "$RC" 0
check "qcow2: ... as the volume's name" test -f "$D/dl/${P}disk.qcow2"
check "qcow2: the bytes come back the same (cmp)" cmp "$D/sparse.qcow2" "$D/dl/${P}disk.qcow2"
check "qcow2: the download is sparse (du against ls)" sparse "$D/dl/${P}disk.qcow2"
check "qcow2: qemu-img check passes on the download" qemu-img check -q "$D/dl/${P}disk.qcow2"

# ---- refusals ----
run vol upload -c "$T_URI" "$POOL" "$D/nope.iso"
check "missing file: exit 1" eq "$RC" 1
check "missing file: says so" is "$ERR" "vmtui vol upload: cannot read $D/nope.iso: No such file or directory."
run vol upload -c "$T_URI" "$POOL" "$D/test.iso"
check "existing volume: exit 1" eq "$RC" 1
check "existing volume: says so" is "$ERR" "vmtui vol upload: Storage pool \"$POOL\" already has a volume \"test.iso\"; choose another name or delete that volume first."
check "existing volume: left as it was" cmp "$D/test.iso" "$PDIR/test.iso"
run vol upload -c "$T_URI" "$POOL" "$D/test.iso" --name a/b
check "bad name: exit 1" eq "$RC" 1
check "bad name: says so, naming the option" has "$ERR" "--name: \"a/b\": a volume name cannot contain \"/\"."
run vol upload -c "$T_URI" "$POOL" "$D/test.iso" --name ${P}notq --format qcow2
check "wrong format: exit 1" eq "$RC" 1
check "wrong format: says so" has "$ERR" "is not a qcow2 image"
check "wrong format: no volume made" no_vol "$POOL" ${P}notq
run vol upload -c "$T_URI" "$POOL" "$D/test.iso" --format vmdk
check "unknown format: exit 1 and the choices" has "$ERR" "--format: \"vmdk\" is not a format; use raw, qcow2 or iso."
run vol upload -c "$T_URI" "$P"nopool "$D/test.iso"
check "no such pool: says so" has "$ERR" "There is no storage pool \"${P}nopool\""
run vol download -c "$T_URI" "$POOL" test.iso "$D/dl/test.iso"
check "existing target: exit 1" eq "$RC" 1
check "existing target: says to use --force" is "$ERR" "vmtui vol download: $D/dl/test.iso already exists; use --force to replace it."
printf 'old' >"$D/dl/old"
run vol download -c "$T_URI" "$POOL" test.iso "$D/dl/old" --force
check "--force: replaced" cmp "$D/test.iso" "$D/dl/old"
run vol download -c "$T_URI" "$POOL" nosuch "$D/dl/nosuch"
check "no such volume: says so" has "$ERR" "has no volume \"nosuch\""
check "no such volume: no file" test ! -e "$D/dl/nosuch"
check "no such volume: no temporary file" no_temp_files "$D/dl"
run vol upload -c "$T_URI" "$POOL" "$D/test.iso" --force
check "--force on upload: refused" has "$ERR" "--force applies to download only."
run vol upload -c "$T_URI" "$POOL"
check "missing argument: says what is expected" has "$ERR" "expected a pool and a file"

# ---- a failed upload: the pool's filesystem is full ----
mkdir -p "$SDIR"
if mount -t tmpfs -o size=8m tmpfs "$SDIR" 2>/dev/null && make_pool "$SMALL" "$SDIR"; then
	head -c 32M /dev/urandom >"$D/big.raw"
	run vol upload -c "$T_URI" "$SMALL" "$D/big.raw" --name ${P}full
	check "pool full: exit 1" eq "$RC" 1
	check "pool full: says it failed and the volume was deleted" \
		has "$ERR" "the new volume ${P}full was deleted"
	check "pool full: no volume left" no_vol "$SMALL" ${P}full
	check "pool full: no file left in the pool" test ! -e "$SDIR/${P}full"
else
	say "note: no tmpfs mount here; the pool-full case is skipped"
fi

# ---- cancelled ----
yes vmtui-xfer-test | head -c 3G >"$D/dense.raw"
"$VMTUI" vol upload -c "$T_URI" "$POOL" "$D/dense.raw" --name ${P}cancel >"$OUT" 2>"$ERR" </dev/null &
pid=$!
check "cancel: the upload is under way" eventually 20 test -s "$PDIR/${P}cancel"
sleep 0.3
kill -INT "$pid"
wait "$pid"
RC=$?
check "cancel: exit 130 after SIGINT" eq "$RC" 130
check "cancel: says so" has "$ERR" "cancelled; the new volume ${P}cancel was deleted."
check "cancel: no volume left" no_vol "$POOL" ${P}cancel
check "cancel: no file left in the pool" test ! -e "$PDIR/${P}cancel"
run vol upload -c "$T_URI" "$POOL" "$D/dense.raw" --name ${P}dense
check "dense: a whole upload" eq "$RC" 0
"$VMTUI" vol download -c "$T_URI" "$POOL" ${P}dense "$D/dl/dense" >"$OUT" 2>"$ERR" </dev/null &
pid=$!
check "cancel download: under way" eventually 20 temp_growing "$D/dl"
kill -INT "$pid"
wait "$pid"
RC=$?
check "cancel download: exit 130" eq "$RC" 130
check "cancel download: no file" test ! -e "$D/dl/dense"
check "cancel download: no temporary file" no_temp_files "$D/dl"
v vol-delete --pool "$POOL" ${P}dense >/dev/null
rm -f "$D/dense.raw"

# ---- over SSH ----
if "$TOP/tests/ssh/sshd.sh" start >/dev/null 2>&1; then
	SSH_STARTED=1
	eval "$("$TOP/tests/ssh/sshd.sh" env)"
	KH=$D/known_hosts
	echo "[127.0.0.1]:$SSHD_PORT $(cut -d' ' -f1,2 "$SSHD_DIR/host_ed25519.pub")" >"$KH"
	eval "$(ssh-agent -s -a "$D/agent.sock")" >/dev/null
	AGENT_PID=$SSH_AGENT_PID
	ssh-add -q "$SSHD_KEY" 2>/dev/null
	H=(-H "root@127.0.0.1:$SSHD_PORT" --known-hosts "$KH" -c "$T_URI")
	run vol upload "${H[@]}" "$POOL" "$D/sparse.qcow2" --name ${P}ssh.qcow2
	check "ssh: upload exits 0" eq "$RC" 0
	check "ssh: the virsh line goes through qemu+ssh" \
		has "$OUT" "virsh -c qemu+ssh://root@127.0.0.1:$SSHD_PORT/system vol-upload"
	check "ssh: the volume is the file's bytes" cmp "$D/sparse.qcow2" "$PDIR/${P}ssh.qcow2"
	check "ssh: ... and went up sparse" sparse "$PDIR/${P}ssh.qcow2"
	run vol download "${H[@]}" "$POOL" test.iso "$D/dl/ssh.iso"
	check "ssh: download exits 0" eq "$RC" 0
	check "ssh: the bytes come back the same (cmp)" cmp "$D/test.iso" "$D/dl/ssh.iso"
	run vol download "${H[@]}" "$POOL" ${P}ssh.qcow2 "$D/dl/ssh.qcow2"
	check "ssh: a sparse download comes back sparse" sparse "$D/dl/ssh.qcow2"
	check "ssh: ... with the same bytes" cmp "$D/sparse.qcow2" "$D/dl/ssh.qcow2"
	run vol upload -H "root@127.0.0.1:$SSHD_PORT" --known-hosts "$D/empty_kh" "$POOL" "$D/test.iso" --name ${P}nokey
	check "ssh: an unknown host key without a terminal is refused" eq "$RC" 1
	check "ssh: ... and nothing uploaded" no_vol "$POOL" ${P}nokey
else
	not_ok "ssh: the throwaway sshd starts (tests/ssh/sshd.sh)"
fi

summary
