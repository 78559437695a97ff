#!/usr/bin/env bash
# run.sh — the SSH transport (model/host/sshlink.c) against a throwaway sshd
# (tests/ssh/sshd.sh) on 127.0.0.1 and the real libvirt daemon of
# tests/lib.sh, reached through virt-ssh-helper, nc and stream-local
# forwarding on the same machine. Needs root (sshd checks passwords).
# Env: BUILD (default build/), KEEP_SSHD=1 leaves the sshd running,
#      VMTUI_TEST_FILTER runs only matching tests.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

SSHD_SH=$TOP/tests/ssh/sshd.sh
AGENT_PID=

cleanup() {
	[[ -z $AGENT_PID ]] || kill "$AGENT_PID" 2>/dev/null || true
	[[ -n ${KEEP_SSHD:-} ]] || "$SSHD_SH" stop || true
	[[ -z ${AGENT_DIR:-} ]] || rm -rf "$AGENT_DIR"
}

stack_base_up
"$SSHD_SH" start
trap cleanup EXIT
eval "$("$SSHD_SH" env)"
export SSHD_DIR SSHD_PORT SSHD_PWPORT SSHD_KIPORT SSHD_USER SSHD_PASSWORD \
	SSHD_KEY SSHD_KEY_PP SSHD_PASSPHRASE
[[ -n $SSHD_KIPORT ]] || say "note: no PAM for sshd here; the keyboard-interactive test is skipped"

# An agent of our own holding the throwaway key (the user's agent is unused).
AGENT_DIR=$(mktemp -d /tmp/vmtui-agent-XXXXXX)
eval "$(ssh-agent -s -a "$AGENT_DIR/agent.sock")" >/dev/null
AGENT_PID=$SSH_AGENT_PID
SSH_AUTH_SOCK=$AGENT_DIR/agent.sock ssh-add -q "$SSHD_KEY" 2>/dev/null
unset SSH_AUTH_SOCK SSH_AGENT_PID

VMTUI_TEST_URI=$T_URI VMTUI_SSHD=$SSHD_SH VMTUI_AGENT_SOCK=$AGENT_DIR/agent.sock \
VMTUI_HOSTKEY_FP=$(ssh-keygen -l -E sha256 -f "$SSHD_DIR/host_ed25519.pub" | awk '{ print $2 }') \
	${SSHLINK_WRAP:-} "$BUILD/tests/ssh/test_sshlink_live"
