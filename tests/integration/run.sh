#!/usr/bin/env bash
# run.sh — model integration tests against the real daemon and tiny guests.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

stack_up
trap stack_down EXIT
VMTUI_TEST_URI=$T_URI VMTUI_TEST_BUSY=$T_BUSY VMTUI_TEST_IDLE=$T_IDLE \
VMTUI_TEST_OFF=$T_OFF VMTUI_DAEMON=$RS/daemon.sh \
	"$BUILD/tests/integration/test_host"
