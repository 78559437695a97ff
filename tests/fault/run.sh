#!/usr/bin/env bash
# tests/fault/run.sh — the fault suite: vmtui under faults, against the real
# stack; each case checks that vmtui survives (or exits cleanly) AND that
# the terminal is as it was. One file per section in sec/, each of which
# also runs alone, e.g. `tests/fault/sec/storm.sh` (see faultlib.sh for the
# private daemon and the env); this runs them one after the other, adds up
# their results, and looks for sanitizer reports in all their vmtui logs
# (one check).
#
#   killed    a guest's qemu killed with SIGKILL from outside
#   signals   SIGTERM, SIGHUP and SIGINT in every state, from a shell
#   badstart  bad start-up input on a terminal; unreachable hosts
#   storm     200 resizes in a few seconds with the detail view open
#   concut    the console stream cut by a killed qemu (C and V)
#   readonly  with -r every mutating key and subcommand refused
#   daemon    the private daemon killed and restarted at random moments
#   hung      the private daemon stopped (SIGSTOP): keepalive finds it
#   upload    apply --yes with the private daemon killed in each step
# (in this order; sections added to sec/ run after these)
#
# Usage: tests/fault/run.sh [SECTION...]  (a name such as storm or f_storm,
# or a section file's path; none: all of them)
# Env: FAULT_ONLY="f_killed f_storm" (the same as naming them), BUILD
# (default build/), KEEP_GUESTS=1. Ends with "N passed, N failed" over all
# sections; exit status 1 if any check failed. Takes about 6 minutes.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=faultlib.sh
. "$HERE/faultlib.sh"

FAULT_LOG_DIR=$(mktemp -d /tmp/vmtui-fault-logs.XXXXXX)
export FAULT_LOG_DIR
trap 'rm -rf "$SCR_TMP" "$FAULT_LOG_DIR"' EXIT
# shellcheck disable=SC2086 # FAULT_ONLY is a list of names
section_files "$HERE/sec" killed signals badstart storm concut readonly daemon hung upload ... \
	-- ${FAULT_ONLY:-} "$@" || { echo "0 passed, 1 failed"; exit 1; }
run_sections "${SECTION_FILES[@]}"
check "no sanitizer report in vmtui's stderr logs" no_sanitizer_report "$FAULT_LOG_DIR"/*
if [ -z "${KEEP_GUESTS:-}" ]; then
	T_URI=$("$RS/daemon.sh" uri)
	if grep -q -e --private-daemon "${SECTION_FILES[@]}"; then priv_env; fi
	fault_teardown
fi
[ -z "$SECTIONS_FAILED" ] || say "sections with failures:$SECTIONS_FAILED"
say "fault tests took $((SECONDS - T0)) s"
summary
