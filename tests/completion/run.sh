#!/usr/bin/env bash
# run.sh — the shell completion suites: bash (with and without
# bash-completion), zsh (a real interactive zsh in tmux), fish, and Tab
# on SSH hosts that would ask for a password or a host key (a throwaway
# sshd). No libvirt daemon: the names come from test:///default. Ends
# with "N passed, N failed" over the four.
set -uo pipefail
cd "$(dirname "$0")" || exit 1
p=0 f=0
for s in test_bash.sh test_zsh.sh test_fish.sh test_noprompt.sh; do
	out=$(./"$s")
	read -r sp _ sf _ <<<"$(tail -n1 <<<"$out")"
	p=$((p + ${sp:-0}))
	f=$((f + ${sf:-1}))
done
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
