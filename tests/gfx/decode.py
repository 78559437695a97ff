#!/usr/bin/env python3
"""decode.py — the graphics the renderer sends decode to the framebuffer.

Runs tests/gfx/gfxdump under a pty of a given size (cells and pixels),
reads everything it writes, and for each mode:
  sixel: each band (a DCS at its cell) is decoded by libsixel's sixel2png;
  kitty: each tile's payload (base64 of zlib'd 24-bit RGB) is decoded here;
  iterm: each tile's PNG is decoded here;
the decoded pieces are put at their cells on one picture, which is compared
with the framebuffer scaled to the picture's size: the mean error and the
share of pixels far off must stay small (sixel reduces colours to a
palette; scaling blends edges). Also: the same frame again writes nothing.
Symbols: gfxdump under tmux, the pane captured with its colours
(capture-pane -e), each half cell's colour against the framebuffer.

Usage: tests/gfx/decode.py [BUILD_DIR]   (default: build)
Prints "N passed, N failed"; exit status 1 when something failed.
"""
import base64
import fcntl
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import zlib

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(SRC, "build"))
DUMP = os.path.join(BUILD, "tests", "gfx", "gfxdump")

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print("ok  ", what)
    else:
        failed += 1
        print("FAIL", what)


def run_pty(mode, cols, rows, xpix, ypix, ppm):
    """gfxdump's standard output through a pty, and its standard error."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, xpix, ypix))
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST          # bytes as written: no \n -> \r\n
    attrs[3] &= ~(termios.ECHO | termios.ICANON)
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    p = subprocess.Popen([DUMP, mode, ppm], stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    out = bytearray()
    while True:
        try:
            b = os.read(master, 65536)
        except OSError:
            break
        if not b:
            break
        out += b
    err = p.stderr.read().decode()
    p.wait()
    os.close(master)
    return bytes(out), err, p.returncode


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():]


def read_png(path):
    """8-bit PNG (grey, RGB, palette, RGBA) -> (w, h, RGB bytes)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, plte = 8, b"", b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            plte = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    assert interlace == 0, "interlaced PNG"
    raw = zlib.decompress(idat)
    if ctype == 3 and depth < 8:
        return read_png_lowdepth(w, h, depth, raw, plte)
    assert depth == 8, "PNG depth %d" % depth
    bpp = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        ftype, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        unfilter(ftype, line, prev, bpp)
        rows.append(line)
        prev = line
    rgb = bytearray()
    for line in rows:
        for x in range(w):
            px = line[x * bpp:(x + 1) * bpp]
            if ctype == 3:
                rgb += plte[px[0] * 3:px[0] * 3 + 3]
            elif ctype in (0, 4):
                rgb += bytes((px[0],) * 3)
            else:
                rgb += px[:3]
    return w, h, bytes(rgb)


def read_png_lowdepth(w, h, depth, raw, plte):
    stride = (w * depth + 7) // 8
    rgb, prev, i = bytearray(), bytearray(stride), 0
    for _ in range(h):
        ftype, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        unfilter(ftype, line, prev, 1)
        prev = line
        for x in range(w):
            bit = x * depth
            v = (line[bit // 8] >> (8 - depth - bit % 8)) & ((1 << depth) - 1)
            rgb += plte[v * 3:v * 3 + 3]
    return w, h, bytes(rgb)


def unfilter(ftype, line, prev, bpp):
    for x in range(len(line)):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if ftype == 1:
            line[x] = (line[x] + a) & 0xff
        elif ftype == 2:
            line[x] = (line[x] + b) & 0xff
        elif ftype == 3:
            line[x] = (line[x] + (a + b) // 2) & 0xff
        elif ftype == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[x] = (line[x] + pr) & 0xff


class Picture:
    """The terminal's pixels for the picture's cells."""

    def __init__(self, fit):
        self.x, self.y, self.cw, self.ch, self.cell_w, self.cell_h = fit
        self.w, self.h = self.cw * self.cell_w, self.ch * self.cell_h
        self.px = bytearray(self.w * self.h * 3)
        self.set = bytearray(self.w * self.h)

    def put(self, row, col, w, h, rgb, dw=None, dh=None):
        """An image w x h at cell (row, col), stretched to dw x dh pixels."""
        dw, dh = dw or w, dh or h
        ox, oy = (col - self.x) * self.cell_w, (row - self.y) * self.cell_h
        for y in range(dh):
            py = oy + y
            if not 0 <= py < self.h:
                continue
            sy = y * h // dh
            for x in range(dw):
                pxx = ox + x
                if not 0 <= pxx < self.w:
                    continue
                sx = x * w // dw
                s = (sy * w + sx) * 3
                d = (py * self.w + pxx) * 3
                self.px[d:d + 3] = rgb[s:s + 3]
                self.set[py * self.w + pxx] = 1

    def compare(self, fw, fh, fb):
        """Mean error per channel, share of pixels off by more than 64 in
        some channel, share of the picture drawn."""
        err, far, n = 0, 0, 0
        for y in range(self.h):
            sy = (2 * y + 1) * fh // (2 * self.h)
            for x in range(self.w):
                sx = (2 * x + 1) * fw // (2 * self.w)
                s = (sy * fw + sx) * 3
                d = (y * self.w + x) * 3
                e = [abs(self.px[d + k] - fb[s + k]) for k in range(3)]
                err += sum(e)
                far += max(e) > 64
                n += 1
        return err / (3 * n), far / n, sum(self.set) / n


def cup_before(out, pos):
    """The cell (row, col), 0-based, of the last cursor move before pos."""
    m = None
    for m in re.finditer(rb"\x1b\[(\d+);(\d+)H", out[:pos]):
        pass
    return int(m.group(1)) - 1, int(m.group(2)) - 1


def decode_sixel(out, pic, tmp):
    bands = 0
    for m in re.finditer(rb"\x1bP[0-9;]*q.*?\x1b\\", out, re.S):
        row, col = cup_before(out, m.start())
        six = os.path.join(tmp, "band%d.six" % bands)
        png = six + ".png"
        with open(six, "wb") as f:
            f.write(m.group(0))
        subprocess.run(["sixel2png", "-i", six, "-o", png], check=True)
        w, h, rgb = read_png(png)
        pic.put(row, col, w, h, rgb)
        bands += 1
    return bands


def decode_kitty(out, pic):
    tiles = 0
    for m in re.finditer(rb"\x1b_G([^;]*);(.*?)\x1b\\((?:\x1b_Gm=[01];.*?\x1b\\)*)", out, re.S):
        keys = dict(kv.split(b"=", 1) for kv in m.group(1).split(b","))
        if keys.get(b"a") != b"T":
            continue
        payload = m.group(2) + b"".join(re.findall(rb"\x1b_Gm=[01];(.*?)\x1b\\", m.group(3), re.S))
        data = base64.b64decode(payload)
        if keys.get(b"o") == b"z":
            data = zlib.decompress(data)
        w, h = int(keys[b"s"]), int(keys[b"v"])
        assert keys[b"f"] == b"24" and len(data) == w * h * 3, "kitty tile size"
        row, col = cup_before(out, m.start())
        if b"c" in keys:   # stretched over c x r cells; else pixel for pixel
            pic.put(row, col, w, h, data, int(keys[b"c"]) * pic.cell_w,
                    int(keys[b"r"]) * pic.cell_h)
        else:
            pic.put(row, col, w, h, data)
        tiles += 1
    return tiles


def decode_iterm(out, pic, tmp):
    tiles = 0
    for m in re.finditer(rb"\x1b\]1337;File=([^:]*):([^\x07]*)\x07", out):
        args = dict(kv.split(b"=", 1) for kv in m.group(1).split(b";"))
        data = base64.b64decode(m.group(2))
        check_size = int(args[b"size"]) == len(data)
        png = os.path.join(tmp, "tile%d.png" % tiles)
        with open(png, "wb") as f:
            f.write(data)
        w, h, rgb = read_png(png)
        row, col = cup_before(out, m.start())
        c, r = int(args[b"width"]), int(args[b"height"])
        assert check_size and args[b"preserveAspectRatio"] == b"0", "iTerm2 image arguments"
        pic.put(row, col, w, h, rgb, c * pic.cell_w, r * pic.cell_h)
        tiles += 1
    return tiles


def sgr(params, st):
    """Applies an SGR's parameters to st = [fg, bg] (None: default)."""
    p = [int(x) if x else 0 for x in params.split(";")] if params else [0]
    i = 0
    while i < len(p):
        v = p[i]
        if v == 0:
            st[0] = st[1] = None
        elif v in (38, 48) and i + 4 < len(p) + 0 and p[i + 1] == 2:
            st[0 if v == 38 else 1] = tuple(p[i + 2:i + 5])
            i += 4
        elif v in (38, 48) and p[i + 1] == 5:
            i += 2
        elif v == 39:
            st[0] = None
        elif v == 49:
            st[1] = None
        i += 1


def box(fb, fw, fh, cx, nx, cy, ny):
    """The mean colour of the framebuffer's pixels under part (cx, cy) of a
    grid of nx x ny parts."""
    x0, x1 = cx * fw // nx, max(cx * fw // nx + 1, -(-(cx + 1) * fw // nx))
    y0, y1 = cy * fh // ny, max(cy * fh // ny + 1, -(-(cy + 1) * fh // ny))
    acc, n = [0, 0, 0], 0
    for y in range(y0, min(y1, fh)):
        for x in range(x0, min(x1, fw)):
            for k in range(3):
                acc[k] += fb[(y * fw + x) * 3 + k]
            n += 1
    return [a // n for a in acc]


def symbols_under_tmux(tmp):
    """The half-block picture as tmux shows it (capture-pane -e): each
    cell's upper and lower colour against the framebuffer under them."""
    if not shutil.which("tmux"):
        print("skip symbols under tmux: no tmux")
        return
    sock = "vmtui-gfxdecode-%d" % os.getpid()
    ppm, err = os.path.join(tmp, "fb.ppm"), os.path.join(tmp, "sym.err")
    cols, rows = 60, 20
    try:
        subprocess.run(["tmux", "-L", sock, "-f", "/dev/null", "new-session", "-d", "-x", str(cols),
                        "-y", str(rows), "env TERM=xterm-256color COLORTERM=truecolor %s symbols %s 2>%s; "
                        "sleep 30" % (DUMP, ppm, err)], check=True)
        for _ in range(50):
            if os.path.exists(err) and "still" in open(err).read():
                break
            subprocess.run(["sleep", "0.1"])
        cap = subprocess.run(["tmux", "-L", sock, "capture-pane", "-p", "-e", "-N", "-t", "0"],
                             capture_output=True, check=True).stdout.decode()
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], stderr=subprocess.DEVNULL)
    text = open(err).read()
    x0, y0, cw, ch = (int(v) for v in re.search(r"fit (.*)", text).group(1).split()[:4])
    fw, fh, fb = read_ppm(ppm)
    far = total = 0
    for row, line in enumerate(cap.split("\n")[:rows]):
        st, col = [None, None], 0
        for m in re.finditer(r"\x1b\[([0-9;]*)m|(.)", line):
            if m.group(1) is not None or m.group(0).startswith("\x1b"):
                sgr(m.group(1), st)
                continue
            c = m.group(2)
            if y0 <= row < y0 + ch and x0 <= col < x0 + cw:
                top = st[0] if c == "\u2580" else st[1]
                for half, got in ((0, top), (1, st[1])):
                    want = box(fb, fw, fh, col - x0, cw, 2 * (row - y0) + half, 2 * ch)
                    total += 1
                    if got is None or max(abs(got[k] - want[k]) for k in range(3)) > 24:
                        far += 1
            col += 1
    print("     %d half cells of %dx%d at %d,%d, %.1f%% far off" % (total, cw, ch, x0, y0, 100.0 * far / max(total, 1)))
    check(total == 2 * cw * ch, "symbols under tmux: every cell of the picture captured")
    check(far < 0.01 * total, "symbols under tmux: the cells' colours are the framebuffer's")
    check("still 0" in text, "symbols under tmux: the same frame again: 0 bytes")


def main():
    if not os.access(DUMP, os.X_OK):
        print("decode.py: %s is not built (make -C %s tests/gfx/gfxdump)" % (DUMP, BUILD))
        return 2
    if not shutil.which("sixel2png"):
        print("decode.py: sixel2png is missing (Debian libsixel-bin; scripts/deps)")
        return 2
    sizes = [(80, 24, 640, 384), (200, 60, 2000, 1200), (97, 31, 0, 0)]
    with tempfile.TemporaryDirectory() as tmp:
        ppm = os.path.join(tmp, "fb.ppm")
        for mode in ("sixel", "kitty", "iterm"):
            for cols, rows, xp, yp in sizes:
                what = "%s %dx%d cells (%s)" % (mode, cols, rows,
                                               "%dx%d px" % (xp, yp) if xp else "no pixel size")
                out, err, rc = run_pty(mode, cols, rows, xp, yp, ppm)
                check(rc == 0, what + ": gfxdump ran")
                fit = tuple(int(v) for v in re.search(r"fit (.*)", err).group(1).split())
                if xp:
                    check(fit[4] == xp // cols and fit[5] == yp // rows,
                          what + ": the cell size from the pty: %dx%d" % fit[4:6])
                pic = Picture(fit)
                n = {"sixel": lambda: decode_sixel(out, pic, tmp),
                     "kitty": lambda: decode_kitty(out, pic),
                     "iterm": lambda: decode_iterm(out, pic, tmp)}[mode]()
                fw, fh, fb = read_ppm(ppm)
                mean, far, drawn = pic.compare(fw, fh, fb)
                print("     %d pieces, %d bytes, mean error %.1f, %.1f%% far off, %.1f%% drawn"
                      % (n, len(out), mean, far * 100, drawn * 100))
                check(n > 0 and drawn > 0.97, what + ": the picture's cells are drawn")
                check(mean < 10 and far < 0.03, what + ": decodes to the framebuffer")
                check(re.search(r"still 0\b", err) is not None, what + ": the same frame again: 0 bytes")
        symbols_under_tmux(tmp)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
