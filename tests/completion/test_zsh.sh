#!/usr/bin/env bash
# test_zsh.sh — completion/_vmtui in a real interactive zsh (compinit, the
# completion system as a user has it) in a tmux pane: a line is typed,
# Tab pressed, and the pane must show the candidates (a list, or the one
# candidate put on the line). Ends with "N passed, N failed"; without zsh
# or tmux installed, one failure saying so.
set -uo pipefail
# shellcheck source=complib.sh
. "$(dirname "$0")/complib.sh"

for t in zsh tmux; do
	command -v "$t" >/dev/null || { not_ok "$t is not installed: scripts/deps installs it"; summary; exit 1; }
done
SOCK=vmtui-comp-zsh$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$CT"' EXIT
mkdir -p "$CT/zdot"
cat >"$CT/zdot/.zshrc" <<ZRC
fpath=($TOP/completion \$fpath)
autoload -Uz compinit && compinit -u -d $CT/zcompdump
PS1='zsh%# '
unsetopt beep
ZRC
tm new-session -d -x 200 -y 40 -s comp -c "$CT/defs" "env ZDOTDIR=$CT/zdot PATH=$PATH zsh -i" ||
	{ not_ok "tmux could not start zsh"; summary; exit 1; }

pane() { tm capture-pane -p -t comp 2>/dev/null; }

# tab LINE PATTERN...: type LINE on a fresh prompt, press Tab; every
# PATTERN (grep -E) must show on the pane within 10 s.
tab() {
	local line=$1 p until=$((SECONDS + 10)) screen miss
	shift
	tm send-keys -t comp C-c
	tm send-keys -t comp C-l
	tm send-keys -t comp -l -- "$line"
	tm send-keys -t comp Tab
	while :; do
		screen=$(pane)
		miss=""
		for p in "$@"; do grep -Eq -- "$p" <<<"$screen" || { miss=$p; break; }; done
		[ -z "$miss" ] && { ok "zsh: $line<Tab>"; return; }
		[ "$SECONDS" -ge "$until" ] && break
		sleep 0.2
	done
	not_ok "zsh: $line<Tab>: /$miss/ not on the pane"
	sed 's/^/  | /' <<<"$screen" >&2
}

# the prompt first
until=$((SECONDS + 10))
until pane | grep -q 'zsh#' || [ "$SECONDS" -ge "$until" ]; do sleep 0.2; done

tab "vmtui snapshot " 'create +delete +list +revert'
tab "vmtui snapshot revert -c test:///default " 'revert -c test:///default test *$'
tab "vmtui -H " 'admin@far\.example:2222' '(^| )lab( |$)' '(^| )jump( |$)' '(^| )included( |$)'
tab "vmtui console --connect=te" 'console --connect=test:///default *$'
tab "vmtui validate " 'db\.yaml' 'web\.yaml' 'sub/'
tab "vmtui --graphics-protocol si" 'protocol sixel *$'
tab "vmtui net start -c test:///default " 'start -c test:///default default *$'
tab "vmtui --th" 'vmtui --theme *$'
tab "vmtui --theme " '(^| )dark( |$)' 'high-contrast' '(^| )mono( |$)'
summary
