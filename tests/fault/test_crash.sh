#!/usr/bin/env bash
# tests/fault/test_crash.sh — a crash of vmtui, on any of its threads,
# leaves the terminal as it was: vmtui started from a shell in a tmux
# pane is sent a fatal signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT)
# on one thread with tgkill(2) — the host's worker, the libvirt event loop
# thread, or the UI thread — and then
#   - the shell gets vmtui's status: killed by that signal (128+N), or in
#     an ASan build, for the signals ASan handles (SEGV, BUS, FPE), ASan's
#     status 1 with its report in vmtui's log;
#   - stty -g is as before, stty -a shows icanon and echo (cooked mode);
#   - the normal screen is back, the cursor on, keypad and mouse off;
#   - what is typed into the shell afterwards echoes, and runs.
# The worker threads start with every other signal blocked; before the
# fatal ones were left unblocked, a fault on them killed vmtui at once
# without restoring anything, and a signal sent to them never arrived.
#
# It runs vmtui on test:///default, libvirt's in-process test driver; the
# shared daemon is not touched. Needs tmux and a C compiler (for a
# five-line tgkill helper).
#
# Env: BUILD (default build/), and BUILD_ASAN: every case again with that
# build too when set (e.g. the build-asan/ of scripts/check). Ends with
# "N passed, N failed"; exit status 1 if any check failed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=../screen/screenlib.sh
. "$HERE/../screen/screenlib.sh"

T0=$SECONDS
T_URI=test:///default

scr_traps

scr_need "crash" tmux cc
# vmtui makes its log's folder, not the folder above it under /tmp
mkdir -p "$SCR_TMP/state"

# tgkill PID TID SIG: a signal to one thread of a process.
TGKILL=$SCR_TMP/tgkill
cat >"$TGKILL.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	if (argc != 4 || syscall(SYS_tgkill, atoi(argv[1]), atoi(argv[2]), atoi(argv[3])) < 0) {
		perror("tgkill PID TID SIG");
		return 1;
	}
	return 0;
}
C
cc -o "$TGKILL" "$TGKILL.c" || { say "cannot build the tgkill helper"; echo "0 passed, 1 failed"; exit 1; }

# An ASan build hands SEGV, BUS and FPE on to ASan's handler.
ASAN=0
# (grep on the file itself: grep -q ending a pipe early fails it, pipefail)
is_asan() { grep -aq __asan_init "$1/vmtui"; }

# ---- a shell in the pane ----

shell_pane() {
	vt_start 120 30 env PS1='$ ' LANG=C.UTF-8 TERM=screen bash --norc --noprofile -i &&
		wait_screen '^\$' 10 >/dev/null
}
# shell_run TAG CMD: run CMD, then print RC-TAG=status and save stty -g and -a.
shell_run() {
	vt_type "$2; echo \"RC-\$?-$1\"; stty -g > $SCR_TMP/stty-$1; stty -a > $SCR_TMP/sttya-$1; echo MARK-AFTER-$1"
	vt_keys Enter
}
history() { tm capture-pane -p -J -t scr -S -300 2>/dev/null; }
shell_rc() { history | grep -o "^RC-[0-9]*-$1\$" | tail -n1 | cut -d- -f2; }
wait_mark() {
	local deadline=$((SECONDS + ${2:-10}))
	until history | grep -q "^MARK-AFTER-$1"; do
		((SECONDS < deadline)) || return 1
		sleep 0.1
	done
}
vmtui_pid() { pgrep -P "$(vt_pid)" -x vmtui; }

term_modes() { vt_fmt '#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{keypad_flag} #{mouse_any_flag} #{mouse_button_flag} #{mouse_standard_flag} #{mouse_all_flag}'; }
modes_normal() {
	local f
	f=$(term_modes)
	[ "$f" = "0 1 0 0 0 0 0 0" ] || { say "    alternate cursor keypad_cursor keypad mouse(4) = $f (want 0 1 0 0 0 0 0 0)"; return 1; }
}
# cooked TAG: stty -a after the crash has icanon and echo, not -icanon, -echo.
cooked() {
	local f=$SCR_TMP/sttya-$1
	grep -qw -- icanon "$f" && grep -qw -- echo "$f" && ! grep -qw -- -icanon "$f" &&
		! grep -qw -- -echo "$f" || { say "    stty -a:"; sed 's/^/    | /' "$f" >&2; return 1; }
}
# echoes TAG: typed text shows as it is typed, and runs on Enter.
echoes() {
	vt_type "echo typed-$1"
	wait_screen "^\\\$ echo typed-$1\$" 5 >/dev/null || return 1
	vt_keys Enter
	wait_screen "^typed-$1\$" 5 >/dev/null
}

# thread_of WHICH: a thread id of vmtui: main (the UI), events (the event
# loop, started first), worker (the host's worker, started last).
thread_of() {
	local pid=$1 tids
	tids=$(ls "/proc/$pid/task" | sort -n)
	case $2 in
	main) echo "$pid" ;;
	events) grep -vx "$pid" <<<"$tids" | head -n1 ;;
	worker) grep -vx "$pid" <<<"$tids" | tail -n1 ;;
	esac
}

# The status the shell should see after signal SIG: ASan's 1 for the
# signals it handles, else 128+SIG.
want_status() {
	if ((ASAN)) && [[ $1 == SEGV || $1 == BUS || $1 == FPE ]]; then
		echo 1
	else
		echo $((128 + $(kill -l "$1")))
	fi
}

# crash TAG WHICH SIG: vmtui from the shell, SIG sent to thread WHICH.
crash() {
	local tag=$1 which=$2 sig=$3 pid tid rc want
	rm -f "$SCR_TMP/state/vmtui/vmtui.log"
	vt_type "stty -g > $SCR_TMP/stty-before; clear"
	vt_keys Enter
	shell_run "$tag" "env -u NO_COLOR XDG_CONFIG_HOME=$SCR_TMP/xdg XDG_STATE_HOME=$SCR_TMP/state $BUILD/vmtui -c $T_URI"
	if ! wait_screen '^test +running' 15 >/dev/null || ! pid=$(vmtui_pid); then
		not_ok "$tag: vmtui started in the shell"
		vt_keys q
		wait_mark "$tag" 5
		return
	fi
	sleep 0.3 # the worker and the event loop are up with the list
	tid=$(thread_of "$pid" "$which")
	say "    vmtui $pid, threads $(ls "/proc/$pid/task" | sort -n | tr '\n' ' ')-> SIG$sig to $tid ($which)"
	if [ -z "$tid" ] || ! "$TGKILL" "$pid" "$tid" "$(kill -l "$sig")"; then
		not_ok "$tag: SIG$sig sent to the $which thread"
		kill -KILL "$pid" 2>/dev/null
		wait_mark "$tag" 5
		return
	fi
	if ! wait_mark "$tag" 10; then
		not_ok "$tag: vmtui did not end within 10 s of SIG$sig on its $which thread"
		show_screen "after SIG$sig"
		kill -KILL "$pid" 2>/dev/null
		wait_mark "$tag" 5
		return
	fi
	rc=$(shell_rc "$tag")
	want=$(want_status "$sig")
	check "$tag: the shell sees status $want" eq "$rc" "$want"
	if [ "$want" = 1 ]; then
		check "$tag: ASan's report is in vmtui's log" \
			grep -q "ERROR: AddressSanitizer: $sig" "$SCR_TMP/state/vmtui/vmtui.log"
	fi
	check "$tag: stty -g as before" cmp -s "$SCR_TMP/stty-before" "$SCR_TMP/stty-$tag"
	check "$tag: stty -a shows icanon and echo" cooked "$tag"
	check "$tag: normal screen, cursor on, keypad and mouse off" modes_normal
	check "$tag: what is typed into the shell echoes and runs" echoes "$tag"
}

# every case with the build in $BUILD; TAG marks the build's cases
cases() {
	local b=$1
	ASAN=0
	is_asan "$BUILD" && ASAN=1
	say "# fatal signals on vmtui's threads (build: $BUILD, ASan: $ASAN)"
	if ! shell_pane; then
		not_ok "$b: a shell in tmux"
		return
	fi
	crash "$b-worker-segv" worker SEGV
	crash "$b-worker-bus" worker BUS
	crash "$b-worker-abrt" worker ABRT
	crash "$b-events-fpe" events FPE
	crash "$b-events-ill" events ILL
	crash "$b-main-segv" main SEGV
	vt_stop
}

cases plain
if [ -n "${BUILD_ASAN:-}" ]; then
	if [ -x "$BUILD_ASAN/vmtui" ]; then
		BUILD=$BUILD_ASAN
		# libvirt keeps a few bytes at a death by signal: no leak report
		export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
		cases asan
	else
		not_ok "BUILD_ASAN=$BUILD_ASAN has no vmtui"
	fi
fi

say "# done in $((SECONDS - T0)) s"
summary
