#!/usr/bin/env bash
# tests/screen/run.sh — the screen suite: vmtui driven through tmux as a
# person would (start it in a terminal of a given size, press keys, read
# the screen, text and colours through sgr.pl) and checked against virsh,
# on the real stack of tests/lib.sh (system libvirtd, guests $T_BUSY,
# $T_IDLE, $T_OFF). One file per section in sec/, each of which also runs
# alone, e.g. `tests/screen/sec/nav.sh` (see seclib.sh); this runs them one
# after the other and adds up their results.
#
# Sections (in this order; sections added to sec/ run after ssh; daemon
# last, as it disturbs everyone on the daemon):
#   list80 sort filter nav detail help responsive ticks events actions
#   readonly resize restore create hosts ssh daemon
#
# Usage: tests/screen/run.sh [SECTION...]  (a name such as nav or sec_nav,
# or a section file's path; none: all of them)
# Env: SCREEN_ONLY="sec_help sec_sort" (the same as naming them),
# T_PREFIX (guest names, default vmtuitest-), KEEP_GUESTS=1 (leave the
# guests defined), BUILD (default build/).
# Needs tmux and perl. Ends with "N passed, N failed" over all sections;
# exit status 1 if any check failed. Takes about 6 minutes.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"

T0=$SECONDS
# shellcheck disable=SC2086 # SCREEN_ONLY is a list of names
section_files "$HERE/sec" list80 sort filter nav detail help responsive ticks events actions \
	readonly resize restore create hosts ssh ... daemon -- ${SCREEN_ONLY:-} "$@" ||
	{ echo "0 passed, 1 failed"; exit 1; }
run_sections "${SECTION_FILES[@]}"
[ -n "${KEEP_GUESTS:-}" ] || stack_down
[ -z "$SECTIONS_FAILED" ] || say "sections with failures:$SECTIONS_FAILED"
say "screen tests took $((SECONDS - T0)) s"
summary
