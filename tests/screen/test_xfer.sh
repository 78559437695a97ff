#!/usr/bin/env bash
# tests/screen/test_xfer.sh — uploads and downloads from the volumes view
# through tmux, against the real daemon and a dir pool of our own
# (vmtuitest-xfer-s-pool), with $VMTUI_BWLIMIT slowing transfers so they
# can be watched:
#   - u: the path prompt, the volume name prompt (the file's name
#     offered), then the progress view: title, bar, bytes of the total and
#     share, rate and time left, c and Esc in the footer;
#   - c asks before cancelling; n lets it run on (the bytes still grow);
#     Esc asks too, y cancels: "Cancelled." and no volume left (virsh);
#   - u during a read of the list (^L just pressed) still asks for the file;
#   - a whole upload: "Done.", the outcome, the new volume in the list
#     when the view goes, the virsh equivalent in the action log;
#   - w: a download to a path typed, the bytes compared; w again to the
#     same path asks before replacing it;
#   - vmtui vol upload on a terminal: its progress line, ^C cancels (no
#     volume; its exit status 130 is checked in tests/integration/test_xfer.sh);
#   - an upload to a host over SSH (a throwaway sshd from tests/ssh/sshd.sh):
#     the transfer's own connection goes through the host's tunnel.
# Env: BUILD (default build/), T_PREFIX (default vmtuitest-xfer-s-).
# Ends with "N passed, N failed".
set -uo pipefail

: "${T_PREFIX:=vmtuitest-xfer-s-}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

P=$T_PREFIX
POOL=${P}pool
v() { virsh -q -c "$T_URI" "$@"; }

SSH_STARTED=
remove_ours() {
	[ -z "$SSH_STARTED" ] || "$TOP/tests/ssh/sshd.sh" stop >/dev/null 2>&1
	v pool-destroy "$POOL" >/dev/null 2>&1
	v pool-undefine "$POOL" >/dev/null 2>&1
}
scr_traps remove_ours
scr_need "transfers" tmux genisoimage

if ! stack_base_up >/dev/null; then
	not_ok "the daemon and fixture"
	summary
	exit 1
fi
PDIR=$SCR_TMP/pool
v pool-destroy "$POOL" >/dev/null 2>&1
v pool-undefine "$POOL" >/dev/null 2>&1
mkdir -p "$PDIR" "$SCR_TMP/iso"
v pool-define-as "$POOL" dir --target "$PDIR" >/dev/null && v pool-start "$POOL" >/dev/null ||
	{ not_ok "pool $POOL"; summary; exit 1; }
{ yes 'vmtui screen transfer test' || true; } | head -c 320M >"$SCR_TMP/big.raw"
printf 'hello\n' >"$SCR_TMP/iso/HELLO.TXT"
genisoimage -quiet -r -o "$SCR_TMP/small.iso" "$SCR_TMP/iso"

footer() { sed -n "$(($(wc -l <<<"$SCREEN")))p" <<<"$SCREEN"; }
footer_has() { vt_grab; footer | grep -qE -- "$1" || { say "  footer: $(footer)"; false; }; }
no_vol() { ! v vol-info --pool "$POOL" "$1" >/dev/null 2>&1; }
# The figure before " of 320M" on the screen, in bytes.
done_bytes() { vt_grab; to_bytes "$(grep -oE '^[0-9.]+[BKMG] of 320M' <<<"$SCREEN" | cut -d' ' -f1)"; }
grows() {
	local a b
	a=$(done_bytes)
	sleep 0.6
	b=$(done_bytes)
	((b > a)) || { say "  $a then $b bytes"; false; }
}
# select_pool: the pools view's selection on our pool.
select_pool() {
	local i
	vt_keys Home
	for i in $(seq 40); do
		sleep 0.15
		selected_line | grep -q "^$POOL " && return 0
		vt_keys j
	done
	say "  selected: $(selected_line)"
	false
}

export VMTUI_BWLIMIT=32M
vt_vmtui 130 30 -d 1 && wait_for 30 "connected" vt_connected || not_ok "vmtui starts"
vt_keys h
wait_screen 'Host CPU' 5 >/dev/null
vt_keys p
wait_screen '^Storage pools of ' 10 >/dev/null
check "pools view: our pool selected" select_pool
vt_keys Enter
check "volumes view: our empty pool" wait_screen "^Volumes of pool $(re "$POOL") " 5
check "volumes view: the footer offers u Upload and w Download" footer_has 'uUpload.*wDownload'

# ---- an upload, watched, then cancelled ----
vt_keys u
check "u: asks for the file" wait_screen '^Upload file:' 5
vt_type "$SCR_TMP/big.raw"
vt_keys Enter
check "u: then for the volume's name, the file's offered" wait_screen "^New volume's name: big\.raw" 5
vt_keys C-u
vt_type "${P}big"
vt_keys Enter
check "progress view: what goes where" \
	wait_screen "^Upload $(re "$SCR_TMP/big.raw") to $(re "$POOL/${P}big") on " 10
check "progress view: a bar" wait_screen '^\[#+ +\]' 10
check "progress view: bytes of the total and the share" wait_screen '^[0-9.]+[KMG]? of 320M \([0-9]+%\)' 5
check "progress view: the rate and the time left" \
	wait_screen '^Rate [0-9.]+[KM]/s +Time left [0-9]+s' 10
check "progress view: the footer offers c Cancel" footer_has 'cCancel'
check "progress view: the bytes grow" grows
vt_keys c
check "c: asks before cancelling" wait_screen "Cancel the upload\? The new volume $(re "${P}big") is deleted" 5
vt_keys n
check "n: the upload goes on" grows
vt_keys Escape
check "Esc: asks too" wait_screen 'Cancel the upload\?' 5
vt_keys y
check "y: cancelled" wait_screen '^Cancelled\. Esc goes back\.' 15
check "y: ... saying the volume was deleted" wait_screen "the new volume $(re "${P}big") was" 5
check "y: no volume left (virsh)" no_vol "${P}big"
check "y: no file left in the pool" test ! -e "$PDIR/${P}big"
vt_keys Escape
check "Esc after the end: back to the volumes" wait_screen "^Volumes of pool $(re "$POOL") " 5

# ---- u while the list is being read: ^L queues a read, and u comes in
# the same write, before it can end ----
vt_keys C-l u
check "u during a read of the list: asks for the file all the same" wait_screen '^Upload file:' 5
vt_esc
wait_screen "^Volumes of pool $(re "$POOL") " 5 >/dev/null

# ---- a whole upload ----
vt_keys u
wait_screen '^Upload file:' 5 >/dev/null
vt_type "$SCR_TMP/small.iso"
vt_keys Enter
wait_screen "^New volume's name: small\.iso" 5 >/dev/null
vt_keys Enter
check "upload: done" wait_screen '^Done\. Esc goes back\.' 20
check "upload: the outcome" wait_screen "^Uploaded $(re "$SCR_TMP/small.iso") \(iso, " 5
check "upload: the volume is there (virsh)" eval "v vol-key --pool $POOL small.iso >/dev/null"
vt_keys Escape
check "upload: the new volume in the list" wait_screen '^ +small\.iso +iso ' 10
vt_keys L
check "action log: the virsh equivalent" wait_screen 'vol-upload --sparse --pool' 5
vt_keys Escape
wait_screen "^Volumes of pool $(re "$POOL") " 5 >/dev/null

# ---- a download ----
vt_keys Home
vt_keys w
check "w: asks where to" wait_screen '^Download to:' 5
vt_type "$SCR_TMP/back.iso"
vt_keys Enter
check "download: done" wait_screen '^Done\. Esc goes back\.' 20
check "download: the same bytes (cmp)" cmp "$SCR_TMP/small.iso" "$SCR_TMP/back.iso"
vt_keys Escape
wait_screen "^Volumes of pool $(re "$POOL") " 5 >/dev/null
printf 'old' >"$SCR_TMP/back.iso"
vt_keys w
wait_screen '^Download to:' 5 >/dev/null
vt_type "$SCR_TMP/back.iso"
vt_keys Enter
check "download: an existing file, asked before replacing" wait_screen 'back\.iso exists\. Replace it\?' 5
vt_keys y
check "download: replaced" wait_screen '^Done\. Esc goes back\.' 20
check "download: ... with the volume's bytes" cmp "$SCR_TMP/small.iso" "$SCR_TMP/back.iso"
vt_stop

# ---- the command line on a terminal: a progress line, then ^C ----
vt_start 220 10 "$BUILD/vmtui" vol upload -c "$T_URI" --bwlimit 32M "$POOL" "$SCR_TMP/big.raw" \
	--name "${P}cli"
check "cli: a progress line on the terminal (bytes, share, rate, time left)" \
	wait_screen '[0-9.]+[BKMG] of 320M +[0-9.]+% +[0-9.]+[KM]/s +[0-9]+s left' 10
vt_keys C-c
check "cli: ^C cancels, saying the volume was deleted" \
	wait_screen "cancelled; the new volume $(re "${P}cli") was deleted\." 15
check "cli: no volume left" no_vol "${P}cli"
vt_stop

# ---- a host over SSH: the transfer's own connection goes through the tunnel ----
if "$TOP/tests/ssh/sshd.sh" start >/dev/null 2>&1; then
	SSH_STARTED=1
	eval "$("$TOP/tests/ssh/sshd.sh" env)"
	KH=$SCR_TMP/known_hosts
	echo "[127.0.0.1]:$SSHD_PORT $(cut -d' ' -f1,2 "$SSHD_DIR/host_ed25519.pub")" >"$KH"
	mkdir -p "$SCR_TMP/xdg/vmtui"
	printf 'hosts:\n  - name: lab\n    ssh: root@127.0.0.1:%s\n    key: %s\n' \
		"$SSHD_PORT" "$SSHD_KEY" >"$SCR_TMP/xdg/vmtui/config.yaml"
	vt_vmtui_bare 130 30 --known-hosts "$KH" -d 1
	wait_screen '^lab  qemu:///system via ssh' 30 >/dev/null || not_ok "ssh: vmtui reaches lab"
	vt_keys h
	wait_screen 'Host CPU' 10 >/dev/null
	vt_keys p
	wait_screen '^Storage pools of ' 10 >/dev/null
	select_pool >/dev/null 2>&1
	vt_keys Enter
	wait_screen "^Volumes of pool $(re "$POOL") " 5 >/dev/null
	vt_keys u
	wait_screen '^Upload file:' 5 >/dev/null
	vt_type "$SCR_TMP/small.iso"
	vt_keys Enter
	wait_screen "^New volume's name:" 5 >/dev/null
	vt_keys C-u
	vt_type "${P}ssh.iso"
	vt_keys Enter
	check "ssh: an upload to a host over SSH names it" wait_screen "^Upload .* on lab$" 10
	check "ssh: ... and is done" wait_screen '^Done\. Esc goes back\.' 30
	check "ssh: the volume holds the file's bytes" cmp "$SCR_TMP/small.iso" "$PDIR/${P}ssh.iso"
	vt_stop
else
	not_ok "ssh: the throwaway sshd starts (tests/ssh/sshd.sh)"
fi

summary
