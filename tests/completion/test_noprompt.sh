#!/usr/bin/env bash
# test_noprompt.sh — Tab never asks anything and never hangs: an
# interactive bash (its real readline, bash-completion loaded) in a tmux
# pane completes guests of SSH hosts that would ask on the terminal: a
# throwaway sshd (tests/ssh/sshd.sh) whose host key is unknown, and its
# password-only port with the key known, through -H (vmtui's libssh) and
# through -c qemu+ssh:// (libvirt's ssh). After each Tab the shell must
# take the next key at once (no password or yes/no question holding the
# terminal) and nothing may have asked. Ends with "N passed, N failed".
set -uo pipefail
# shellcheck source=complib.sh
. "$(dirname "$0")/complib.sh"

for t in tmux /usr/sbin/sshd ssh; do
	command -v "$t" >/dev/null || { not_ok "$t is not installed: scripts/deps installs it"; summary; exit 1; }
done
export VMTUI_SSHD_DIR=$CT/sshd
SOCK=vmtui-comp-noprompt$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; "$TOP/tests/ssh/sshd.sh" stop >/dev/null 2>&1; rm -rf "$CT"' EXIT
"$TOP/tests/ssh/sshd.sh" start >"$CT/sshd.log" 2>&1 || { not_ok "the throwaway sshd did not start"; cat "$CT/sshd.log" >&2; summary; exit 1; }
eval "$("$TOP/tests/ssh/sshd.sh" env)"
# the host key, known only to the second known_hosts file
ssh-keyscan -p "$SSHD_PWPORT" 127.0.0.1 2>/dev/null >"$CT/known_hosts"
: >"$HOME/.ssh/known_hosts"
export VMTUI_COMPLETE_TIMEOUT=3

cat >"$CT/bashrc" <<RC
PS1='bash\$ '
. /usr/share/bash-completion/bash_completion
. $TOP/completion/vmtui.bash
RC
tm new-session -d -x 200 -y 40 -s np "env PATH=$PATH HOME=$HOME bash --noprofile --rcfile $CT/bashrc -i" ||
	{ not_ok "tmux could not start bash"; summary; exit 1; }
pane() { tm capture-pane -p -t np 2>/dev/null; }
until=$((SECONDS + 10))
until pane | grep -q 'bash\$' || [ "$SECONDS" -ge "$until" ]; do sleep 0.2; done

# tab LINE: type LINE, Tab, then the marker; the marker must follow the
# line (the shell took it: nothing asked on the terminal) within 30 s, and
# no question may show.
tab() {
	local line=$1 marker=ZZMARK$RANDOM screen until=$((SECONDS + 30))
	tm send-keys -t np C-c
	tm send-keys -t np C-l
	tm send-keys -t np -l -- "$line"
	tm send-keys -t np Tab
	tm send-keys -t np -l -- "$marker"
	while :; do
		screen=$(pane)
		grep -qF -- "$marker" <<<"$screen" && break
		[ "$SECONDS" -ge "$until" ] && break
		sleep 0.2
	done
	if ! grep -qF -- "$marker" <<<"$screen"; then
		not_ok "$line<Tab>: the shell did not take the next key (something holds the terminal)"
	elif grep -Eiq 'password|passphrase|yes/no|fingerprint|authenticity' <<<"$screen"; then
		not_ok "$line<Tab>: a question showed"
	else
		ok "$line<Tab>: nothing asked, the shell goes on"
		return
	fi
	sed 's/^/  | /' <<<"$screen" >&2
}

tab "vmtui console -H $SSHD_USER@127.0.0.1:$SSHD_PWPORT "
tab "vmtui console --known-hosts $CT/known_hosts -H $SSHD_USER@127.0.0.1:$SSHD_PWPORT "
tab "vmtui console -c qemu+ssh://$SSHD_USER@127.0.0.1:$SSHD_PWPORT/system "
tab "vmtui console -c qemu+ssh://$SSHD_USER@127.0.0.1:$SSHD_PWPORT/system?known_hosts=$CT/known_hosts "
# the same names asked directly: nothing on stdout, a failure said on stderr
got=$(timeout 60 vmtui complete guests -H "$SSHD_USER@127.0.0.1:$SSHD_PWPORT" 2>"$CT/err")
rc=$?
if [ "$rc" = 1 ] && [ -z "$got" ] && grep -q 'could not be asked\|no answer within' "$CT/err"; then
	ok "vmtui complete guests -H (unknown host key): no names, exit status 1, why on stderr"
else
	not_ok "vmtui complete guests -H (unknown host key): status $rc, out '$got', err '$(cat "$CT/err")'"
fi
summary
