#!/usr/bin/env bash
# tests/screen/test_termout.sh — vmtui sends its frames itself (tui/termout.c)
# rather than through curses' doupdate; the screen must come out the same.
#
# Two vmtui run side by side in two tmux servers of the same size on the
# same test:/// node file: one with VMTUI_CURSES_OUTPUT=1 (curses draws every
# frame, and the list is erased and drawn whole each time), one as users
# run it (termout, and the list giving curses only the stretches of its
# lines that changed). The same keys go to both, and after each
# step the two screens, read with their colours and attributes (tmux
# capture-pane -e), must be equal: list, selection moves, sorting, help,
# detail graphs, theme switches (every colour changes), the filter prompt
# with its cursor, a confirm box, the action log, the host view, ^L, and
# resizes. Guest names with wide (CJK) characters, a combining accent and
# an accented letter exercise cells of more than one byte and column.
# Guest figures come from the test driver and do not move, so the screens
# settle; a step is retried for a few seconds before it counts as failed.
# Each says in its action log which way its frames went out.
#
# Env: BUILD (default build/). Ends with "N passed, N failed"; exit status
# 1 if any check failed. No daemon and no guest needed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"

command -v tmux >/dev/null || { say "test_termout: tmux is missing"; exit 1; }
[ -x "$BUILD/vmtui" ] || { say "test_termout: $BUILD/vmtui is missing (build first)"; exit 1; }
T0=$SECONDS
TMP=$(mktemp -d /tmp/vmtui-termout.XXXXXX)
SOCKS=(vmtuito-a$$ vmtuito-b$$)

cleanup() {
	local s
	for s in "${SOCKS[@]}"; do tmux -L "$s" kill-server 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# The node file: 30 guests, some with names of wide characters.
{
	echo "<node>"
	n=0
	for name in web-01 '数据库-01' 'café' 'cafe'$'\xcc\x81''-2' '日本語テスト' db-02; do
		n=$((n + 1))
		echo "<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"
		echo "<name>$name</name><uuid>$(printf '5ca1ab1e-0000-4000-8000-%012d' $n)</uuid>"
		echo "<memory unit='MiB'>$((256 * n))</memory>"
		echo "<vcpu>$n</vcpu><os><type>hvm</type></os>"
		echo "<test:runstate>$((n % 3 == 0 ? 3 : 1))</test:runstate></domain>"
	done
	for i in $(seq -w 1 24); do
		echo "<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"
		echo "<name>node-$i</name><uuid>$(printf '5ca1ab1e-0000-4000-8000-1%011d' $((10#$i)))</uuid>"
		echo "<memory unit='MiB'>1024</memory><vcpu>2</vcpu>"
		echo "<os><type>hvm</type></os><test:runstate>$((10#$i % 4 == 0 ? 5 : 1))</test:runstate></domain>"
	done
	echo "</node>"
} >"$TMP/node.xml"

# start SOCK ENV...: vmtui in a 100x30 pane of its own tmux server.
start() {
	local sock=$1
	shift
	mkdir -p "$TMP/$sock"
	tmux -L "$sock" -f "$HERE/tmux.conf" new-session -d -s t -x 100 -y 30 \
		env LC_ALL=C.UTF-8 XDG_CONFIG_HOME="$TMP/$sock" XDG_STATE_HOME="$TMP/$sock" \
		"$@" "$BUILD/vmtui" -c "test://$TMP/node.xml" -d 0.25
}
start "${SOCKS[0]}" VMTUI_CURSES_OUTPUT=1
start "${SOCKS[1]}"

# The screen as cells with their colours and attributes (cells.pl).
grab() { tmux -L "$1" capture-pane -p -e -t t | perl "$HERE/cells.pl"; }
keys() { local s; for s in "${SOCKS[@]}"; do tmux -L "$s" send-keys -t t "$@"; done; }
resize() { local s; for s in "${SOCKS[@]}"; do tmux -L "$s" resize-window -t t -x "$1" -y "$2"; done; }

# same WHAT [SKIP]: both screens equal (retried for up to 5 s), and not
# blank; lines matching the regex SKIP left out of the comparison.
same() {
	local what=$1 skip=${2:-^\$^} a b i
	for i in $(seq 1 25); do
		sleep 0.2
		a=$(grab "${SOCKS[0]}" | grep -Ev -- "$skip")
		b=$(grab "${SOCKS[1]}" | grep -Ev -- "$skip")
		if [ "$a" = "$b" ] && grep -q '[^[:space:]]' <<<"$a"; then
			ok "$what"
			return
		fi
	done
	not_ok "$what"
	diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | head -20 | sed 's/^/  | /' >&2
}

# wait_log SOCK PATTERN: the pane shows PATTERN within 5 s.
wait_log() {
	local i
	for i in $(seq 1 25); do
		tmux -L "$1" capture-pane -p -t t | grep -Eq -- "$2" && return 0
		sleep 0.2
	done
	tmux -L "$1" capture-pane -p -t t | sed 's/^/  | /' >&2
	return 1
}

# Both up, with the list drawn.
for i in $(seq 1 50); do
	grab "${SOCKS[1]}" | grep -q 'node-01' && grab "${SOCKS[0]}" | grep -q 'node-01' && break
	sleep 0.2
done
same "first frame"
keys j j j;            same "selection moved down three rows"
keys End;              same "end of the list (scrolled)"
check "wide names drawn" grep -q '数据库-01' <<<"$(grab "${SOCKS[1]}")"
keys g;                same "back to the top"
keys NPage;            same "page down"
keys g n;              same "sorted by name, reversed"
keys m;                same "sorted by memory"
keys j;                same "selection on a wide name"
keys '?';              same "help screen"
keys Escape;           same "back from help"
keys Enter;            same "detail view"
keys Escape;           same "back from detail"
keys '*';              same "next theme (light): every colour changed"
keys '*';              same "next theme again"
keys j k;              same "selection moved in the new theme's colours"
keys /;                same "filter prompt with its cursor"
keys -l 'caf';         same "filter typed, list narrowed"
keys Escape;           same "filter left"
keys F;                same "confirm box over the list"
keys n;                same "confirm box gone"
# (the first lines say which way the frames go: see the end)
keys L;                same "action log" 'Screen: |frame to curses|ACTION LOG +[0-9]+ entr|Nothing yet: |^\{fg=d bg=d\}$|^$' 
keys Escape;           same "back from the action log"
keys h;                same "host view"
keys Escape;           same "back from the host view"
resize 80 24;          same "resized to 80x24"
keys j j;              same "moves at 80x24"
resize 132 43;         same "resized to 132x43"
keys C-l;              same "^L repaint"
keys End k;            same "last rows at 132x43"

# Which way each one drew, as it says in its action log.
keys L
check "the second one sent its frames itself: its log has no 'Screen:' note (the default is no news)" \
	bash -c "! tmux -L '${SOCKS[1]}' capture-pane -p -t t | grep -q 'Screen:'"
check "the first one left them to curses" \
	wait_log "${SOCKS[0]}" 'Screen: curses draws every frame \(VMTUI_CURSES_OUTPUT is set\)'
check "the second one never fell back to curses" \
	bash -c "! tmux -L '${SOCKS[1]}' capture-pane -p -t t | grep -q 'from now on'"

say "termout tests took $((SECONDS - T0)) s"
summary
