#!/usr/bin/env bash
# test_gfx.sh — the guest's graphical screen (model/guest/gfx.h) and
# `vmtui screenshot` against the real daemon and real guests with a VGA
# console (tests/realstack/guest.sh define --vga: a shell on tty1):
#   - `vmtui screenshot` matches `virsh screenshot` taken just after (the
#     text cursor blinks: at most 1% of the pixels may differ), and shows
#     the guest's VGA shell (the known banner's rows are not black);
#   - over VNC: a frame arrives, matches virsh's screenshot the same way;
#     `echo VMTUI-GFX-OK vnc > /dev/ttyS0` typed as VNC key events into the
#     VGA shell shows on the guest's serial console log (input end to end);
#   - the screenshot fallback (--shot): the same with virDomainSendKey;
#   - a guest with VGA but no <graphics>: screenshots, keyboard only, and
#     typing works; a guest without any video: a clear sentence;
#   - over SSH (a throwaway sshd): VNC through a channel, typing, and
#     `vmtui screenshot -H`; a VNC password: VNC through libvirt's socket
#     locally (it skips the password), screenshots over SSH, saying why;
#   - a resolution change (640x480 placeholder to 720x400 text) followed;
#   - the guest destroyed while watched: the session ends with "The guest
#     shut down." (VNC and fallback); screenshot of a shut-off guest fails
#     with its message.
# Guests: vmtuitest-gfx-vnc, -none, -novideo, -pw (T_PREFIX-able), removed at
# exit. Hold /tmp/vmtui-stack.lock around it (scripts/check does).
# Env: BUILD (default build/), KEEP_GUESTS=1 keeps the guests.
set -uo pipefail
export T_PREFIX=${T_PREFIX:-vmtuitest-gfx-}
. "$(dirname "$0")/../lib.sh"

run_files gfx
DRIVE=$BUILD/tests/integration/gfx_drive
G_VNC=${T_PREFIX}vnc
G_NONE=${T_PREFIX}none
G_NOVIDEO=${T_PREFIX}novideo
G_PW=${T_PREFIX}pw

gfx_cleanup() {
	if [ -z "${KEEP_GUESTS:-}" ]; then
		"$RS/guest.sh" cleanup "$T_PREFIX" >/dev/null 2>&1
	fi
	rm -rf "$D"
}

[ -x "$DRIVE" ] || { say "build $DRIVE first (make -C build check or make tests/integration/gfx_drive)"; echo "0 passed, 1 failed"; exit 1; }
stack_base_up || { say "cannot set up the daemon"; echo "0 passed, 1 failed"; exit 1; }
trap gfx_cleanup EXIT
trap 'exit 130' INT TERM HUP
"$RS/guest.sh" cleanup "$T_PREFIX" >/dev/null 2>&1
"$RS/guest.sh" define "$G_VNC" --vga --net none >&2 &&
	"$RS/guest.sh" define "$G_NONE" --vga --graphics none --net none >&2 &&
	"$RS/guest.sh" define "$G_NOVIDEO" --net none >&2 &&
	"$RS/guest.sh" define "$G_PW" --vga --graphics vnc-password --net none >&2 &&
	"$RS/guest.sh" start "$G_PW" >&2 &&
	"$RS/guest.sh" start "$G_VNC" >&2 && "$RS/guest.sh" start "$G_NONE" >&2 &&
	"$RS/guest.sh" start "$G_NOVIDEO" --wait 90 >&2 &&
	"$RS/guest.sh" wait-ready "$G_VNC" 90 && "$RS/guest.sh" wait-ready "$G_NONE" 90 ||
	{ say "cannot start the guests"; echo "0 passed, 1 failed"; exit 1; }
LOG_VNC=$("$RS/guest.sh" dir "$G_VNC")/console.log
LOG_NONE=$("$RS/guest.sh" dir "$G_NONE")/console.log
LOG_PW=$("$RS/guest.sh" dir "$G_PW")/console.log

# The VGA shell's prompt on the screen: the guest printed VMTUI-VGA-READY
# on tty1 first; give the prompt a moment to be drawn.
vga_ready() { grep -qa "vmtui-init: VGA shell on tty1" "$1"; }
check "the VNC guest started its VGA shell" eventually 30 vga_ready "$LOG_VNC"
check "the display-less guest started its VGA shell" eventually 30 vga_ready "$LOG_NONE"
sleep 2

# pngcmp A.png B.png: same size, at most 1% of the pixels differ (the
# blinking cursor), and the first text rows are not all black.
pngcmp() {
	python3 - "$1" "$2" <<'EOF'
import struct, sys, zlib

def read_png(path):
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', path + ': not a PNG'
    pos, idat, w = 8, b'', 0
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b'IHDR':
            w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, path + ': unexpected PNG kind'
            bpp = 3 if ctype == 2 else 4
        elif kind == b'IDAT':
            idat += body
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pr) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)])
        prev = line
    return w, h, rows

wa, ha, a = read_png(sys.argv[1])
wb, hb, b = read_png(sys.argv[2])
if (wa, ha) != (wb, hb):
    print('size %dx%d vs %dx%d' % (wa, ha, wb, hb)); sys.exit(1)
diff = sum(1 for y in range(ha) for x in range(wa) if a[y][x] != b[y][x])
lit = sum(1 for y in range(min(ha, 64)) for x in range(wa) if a[y][x] != (0, 0, 0))
print('%dx%d, %d pixels differ (%.3f%%), %d lit in the top rows' % (wa, ha, diff, 100.0 * diff / (wa * ha), lit))
sys.exit(0 if diff <= wa * ha // 100 and lit > 500 else 1)
EOF
}

# ---- vmtui screenshot against virsh screenshot ----

run screenshot -c "$T_URI" "$G_VNC" "$D/vmtui.png"
vsh screenshot "$G_VNC" --file "$D/virsh.png" >/dev/null 2>&1
check "screenshot: exit 0" eq "$RC" 0
check "screenshot: prints the file and the size" has "$OUT" "$D/vmtui.png: 720x400"
check "screenshot: the same picture as virsh screenshot" pngcmp "$D/vmtui.png" "$D/virsh.png"
vsh destroy "$G_NOVIDEO" >/dev/null 2>&1
run screenshot -c "$T_URI" "$G_NOVIDEO" "$D/off.png"
check "screenshot of a shut-off guest: exit 1" eq "$RC" 1
check "screenshot of a shut-off guest: says so" has "$ERR" "vmtui screenshot: $G_NOVIDEO is not running"
vsh start "$G_NOVIDEO" >/dev/null 2>&1

# ---- over VNC ----

# drive OUTFILE ARGS...: gfx_drive on our host, its lines in OUTFILE.
drive() {
	local out=$1
	shift
	timeout 120 "$DRIVE" -c "$T_URI" "$@" >"$out" 2>"$out.err"
}
seen() { grep -qa -- "$2" "$1"; }

drive "$D/vnc0" --dump "$D/vnc.png" "$G_VNC"
check "vnc: gfx_drive exit 0" eq "$?" 0
vsh screenshot "$G_VNC" --file "$D/vnc-virsh.png" >/dev/null 2>&1
check "vnc: connected over VNC" has "$D/vnc0" "mode vnc"
check "vnc: a 720x400 frame" has "$D/vnc0" "frame 720x400"
check "vnc: the frame is virsh's screenshot" pngcmp "$D/vnc.png" "$D/vnc-virsh.png"
drive "$D/vnc" --type $'echo VMTUI-GFX-OK vnc > /dev/ttyS0\n' --hold 2 "$G_VNC"
check "vnc, typing: gfx_drive exit 0" eq "$?" 0
check "vnc: the typed command ran in the VGA shell (serial log)" \
	eventually 20 seen "$LOG_VNC" "VMTUI-GFX-OK vnc"

# ---- the screenshot fallback, asked for ----

drive "$D/shot" --shot --type $'echo VMTUI-GFX-OK shot > /dev/ttyS0\n' --hold 2 "$G_VNC"
check "shot: gfx_drive exit 0" eq "$?" 0
check "shot: screenshots, keyboard only" has "$D/shot" "keyboard only"
check "shot: the typed command ran in the VGA shell (serial log)" \
	eventually 30 seen "$LOG_VNC" "VMTUI-GFX-OK shot"

# ---- a VGA guest without <graphics>: screenshots by itself ----

drive "$D/none" --type $'echo VMTUI-GFX-OK none > /dev/ttyS0\n' --hold 2 "$G_NONE"
check "no display: gfx_drive exit 0" eq "$?" 0
check "no display: falls back to screenshots" has "$D/none" "mode shot"
check "no display: says why and keyboard only" has "$D/none" "no VNC display defined): keyboard only"
check "no display: the typed command ran (serial log)" \
	eventually 30 seen "$LOG_NONE" "VMTUI-GFX-OK none"

# ---- a VNC password: libvirt's own socket skips it here ----

drive "$D/pw" "$G_PW"
check "password, local: gfx_drive exit 0" eq "$?" 0
check "password, local: VNC through libvirt all the same" has "$D/pw" "text VNC through libvirt"

# ---- a guest without video ----

drive "$D/novideo" "$G_NOVIDEO"
check "no video: gfx_drive exit 1" eq "$?" 1
check "no video: a clear sentence" has "$D/novideo" \
	"ended $G_NOVIDEO has no graphical display (no video device and no <graphics> in its definition)."

# ---- over SSH: a channel of vmtui's own session to the VNC address ----

SSHD_SH=$TOP/tests/ssh/sshd.sh
if [ "$(id -u)" = 0 ] && [ -x /usr/sbin/sshd ] && [ "$T_URI" = qemu:///system ]; then
	export VMTUI_SSHD_DIR=/tmp/vmtui-sshd-gfx
	if "$SSHD_SH" start >&2; then
		eval "$("$SSHD_SH" env)"
		SSH_HOST=root@127.0.0.1:$SSHD_PORT
		echo "[127.0.0.1]:$SSHD_PORT $(cut -d' ' -f1,2 "$SSHD_DIR/host_ed25519.pub")" >"$D/known_hosts"
		timeout 120 "$DRIVE" -H "$SSH_HOST" -i "$SSHD_KEY" -k "$D/known_hosts" \
			--type $'echo VMTUI-GFX-OK ssh > /dev/ttyS0\n' --hold 2 "$G_VNC" >"$D/ssh" 2>"$D/ssh.err"
		check "ssh: gfx_drive exit 0" eq "$?" 0
		check "ssh: VNC over SSH to the guest's address" has "$D/ssh" "text VNC over SSH to 127.0.0.1:59"
		check "ssh: the typed command ran (serial log)" eventually 20 seen "$LOG_VNC" "VMTUI-GFX-OK ssh"
		# vmtui screenshot takes no key file: an agent of our own holds it.
		eval "$(ssh-agent -s -a "$D/agent.sock")" >/dev/null
		SSH_AUTH_SOCK=$D/agent.sock ssh-add -q "$SSHD_KEY" 2>/dev/null
		SSH_AUTH_SOCK=$D/agent.sock run screenshot -H "$SSH_HOST" --known-hosts "$D/known_hosts" \
			"$G_VNC" "$D/ssh.png"
		kill "$SSH_AGENT_PID" 2>/dev/null
		unset SSH_AUTH_SOCK SSH_AGENT_PID
		check "ssh: vmtui screenshot -H exit 0" eq "$RC" 0
		vsh screenshot "$G_VNC" --file "$D/ssh-virsh.png" >/dev/null 2>&1
		check "ssh: vmtui screenshot -H is virsh's screenshot" pngcmp "$D/ssh.png" "$D/ssh-virsh.png"
		# Over SSH there is no libvirt socket to skip the password: VNC
		# refuses, and the session falls back to screenshots, saying why.
		check "ssh, password: the VGA shell is up" eventually 30 vga_ready "$LOG_PW"
		timeout 120 "$DRIVE" -H "$SSH_HOST" -i "$SSHD_KEY" -k "$D/known_hosts" \
			--type $'echo VMTUI-GFX-OK pw > /dev/ttyS0\n' --hold 2 "$G_PW" >"$D/sshpw" 2>"$D/sshpw.err"
		check "ssh, password: gfx_drive exit 0" eq "$?" 0
		check "ssh, password: screenshots, saying why" has "$D/sshpw" \
			"(VNC refused: the VNC server asks for a password): keyboard only"
		check "ssh, password: the typed command ran (serial log)" \
			eventually 30 seen "$LOG_PW" "VMTUI-GFX-OK pw"
		"$SSHD_SH" stop >&2
	else
		not_ok "ssh: cannot start the throwaway sshd"
	fi
else
	say "note: not root, no sshd or not qemu:///system: the SSH cases are skipped"
fi

# ---- a resolution change while watched ----

# Started paused, QEMU shows its 640x480 placeholder; resumed, the BIOS
# sets the 720x400 text mode: the session follows (DesktopSize).
vsh destroy "$G_VNC" >/dev/null 2>&1
vsh start --paused "$G_VNC" >/dev/null 2>&1
drive "$D/resize" --sizes 15 "$G_VNC" &
P0=$!
eventually 30 seen "$D/resize" "size 640x480" >/dev/null
vsh resume "$G_VNC" >/dev/null 2>&1
wait "$P0"
check "resize: gfx_drive exit 0" eq "$?" 0
check "resize: first the 640x480 placeholder" has "$D/resize" "size 640x480"
check "resize: then the 720x400 text mode" has "$D/resize" "size 720x400"
check "resize: still connected over VNC" has "$D/resize" "sizes-done vnc"

# ---- the guest goes away while watched ----

drive "$D/end-vnc" --until-end 60 "$G_VNC" &
P1=$!
drive "$D/end-shot" --shot --until-end 60 "$G_NONE" &
P2=$!
eventually 30 seen "$D/end-vnc" "frame " && eventually 30 seen "$D/end-shot" "frame "
vsh destroy "$G_VNC" >/dev/null 2>&1
vsh destroy "$G_NONE" >/dev/null 2>&1
wait "$P1"
check "end, vnc: gfx_drive exit 0" eq "$?" 0
check "end, vnc: the guest shut down" has "$D/end-vnc" "ended The guest shut down."
wait "$P2"
check "end, shot: gfx_drive exit 0" eq "$?" 0
check "end, shot: the guest shut down" has "$D/end-shot" "ended The guest shut down."

summary
