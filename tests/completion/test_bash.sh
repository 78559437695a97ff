#!/usr/bin/env bash
# test_bash.sh — completion/vmtui.bash driven as bash drives it: COMP_WORDS,
# COMP_CWORD, COMP_LINE and COMP_POINT set for a line, _vmtui called, the
# candidates in COMPREPLY compared. With bash-completion loaded (as on a
# Debian system) and, once more, without it. Ends with "N passed, N failed".
set -uo pipefail
# shellcheck source=complib.sh
. "$(dirname "$0")/complib.sh"

BC=/usr/share/bash-completion/bash_completion

# comp LINE: the candidates for LINE (the cursor at its end), one a line,
# sorted.
comp() {
	local line=$1
	COMP_LINE=$line
	COMP_POINT=${#line}
	# as readline splits: at blanks and at the characters of COMP_WORDBREAKS
	# (= and : among them)
	local -a w=()
	local rest=$line tok
	while [[ $rest =~ ^[[:space:]]*([^[:space:]=:]+|[=:]+)(.*)$ ]]; do
		tok=${BASH_REMATCH[1]}
		rest=${BASH_REMATCH[2]}
		w+=("$tok")
	done
	# the word under the cursor is empty after a blank; after = or : it
	# is a word of its own
	if [[ -z $line || $line == *[[:space:]] ]]; then w+=(""); fi
	if [[ ${w[-1]} =~ ^[=:]+$ ]]; then w+=(""); fi
	COMP_WORDS=("${w[@]}")
	COMP_CWORD=$((${#w[@]} - 1))
	COMPREPLY=()
	_vmtui vmtui "${w[-1]}" "${w[-2]:-}"
	printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort -u | sed '/^$/d'
}

cases() {
	local how=$1 got
	got=$(comp "vmtui ")
	same "$how: vmtui <Tab> offers every command (not complete)" "$got" "$COMMANDS"
	within "$how: ... snapshot, validate, version among them" "$got" snapshot validate version
	same "$how: vmtui sn<Tab>" "$(comp "vmtui sn")" "$(sorted snapshot)"
	same "$how: vmtui snapshot <Tab>: its verbs" "$(comp "vmtui snapshot ")" \
		"$(sorted list create revert delete)"
	same "$how: vmtui snapshot revert -c test:///default <Tab>: the guests" \
		"$(comp "vmtui snapshot revert -c test:///default ")" "$(sorted test)"
	same "$how: vmtui console --connect=test:///default <Tab>" \
		"$(comp "vmtui console --connect=test:///default ")" "$(sorted test)"
	# no -c: the host the command would reach, $LIBVIRT_DEFAULT_URI's
	same "$how: vmtui console <Tab>: the guests of \$LIBVIRT_DEFAULT_URI" \
		"$(LIBVIRT_DEFAULT_URI=test:///default comp "vmtui console ")" "$(sorted test)"
	got=$(comp "vmtui -c ")
	within "$how: vmtui -c <Tab>: config.yaml's URIs and the local ones" "$got" \
		test:///default qemu+ssh://admin@far.example:2222/system qemu:///system qemu:///session
	# readline puts the candidate after the last : (or =) of the word
	same "$how: vmtui -c test:<Tab> (a : in the word)" "$(comp "vmtui -c test:")" \
		"$(sorted ///default)"
	same "$how: vmtui console --connect=te<Tab> (an = in the word)" \
		"$(comp "vmtui console --connect=te")" "$(sorted test:///default)"
	got=$(comp "vmtui -H ")
	same "$how: vmtui -H <Tab>: config.yaml's and ~/.ssh/config's hosts" "$got" \
		"$(sorted admin@far.example:2222 lab jump included)"
	got=$(comp "vmtui --theme ")
	within "$how: vmtui --theme <Tab>: the themes" "$got" dark light mono high-contrast
	same "$how: vmtui --gr<Tab>: long options" "$(comp "vmtui --gr")" \
		"$(sorted --graphs --graphics-protocol)"
	same "$how: vmtui --graphics-protocol <Tab>" "$(comp "vmtui --graphics-protocol ")" \
		"$(sorted kitty sixel iterm symbols)"
	same "$how: vmtui -g <Tab>" "$(comp "vmtui -g ")" "$(sorted braille block ascii)"
	same "$how: vmtui validate <Tab>: files" \
		"$(cd "$CT/defs" && comp "vmtui validate ")" "$(sorted db.yaml sub web.yaml)"
	same "$how: vmtui apply -y web.yaml w<Tab>: files again" \
		"$(cd "$CT/defs" && comp "vmtui apply -y web.yaml w")" "$(sorted web.yaml)"
	same "$how: vmtui pool start -c test:///default <Tab>: pools" \
		"$(comp "vmtui pool start -c test:///default ")" "$(sorted default-pool)"
	same "$how: vmtui net info -c test:///default <Tab>: networks" \
		"$(comp "vmtui net info -c test:///default ")" "$(sorted default)"
	same "$how: vmtui nic link test 52:54:00:00:00:01 <Tab>" \
		"$(comp "vmtui nic link test 52:54:00:00:00:01 ")" "$(sorted up down)"
	same "$how: vmtui firmware test <Tab>" "$(comp "vmtui firmware test ")" "$(sorted bios efi)"
	same "$how: vmtui help <Tab>: the commands" "$(comp "vmtui help ")" "$COMMANDS"
	same "$how: vmtui nosuch <Tab>: nothing" "$(comp "vmtui nosuch ")" ""
	same "$how: vmtui resize --memory <Tab>: nothing to offer for a size" \
		"$(comp "vmtui resize --memory ")" ""
	got=$(comp "vmtui resize test ")
	within "$how: vmtui resize test <Tab>: the options" "$got" --vcpus --memory --disk --live
	# the guest agent's and ssh's commands (tui/cli_agent.c); ssh-proxy is
	# plumbing, never offered
	same "$how: vmtui ss<Tab>: ssh, not ssh-proxy" "$(comp "vmtui ss")" "$(sorted ssh)"
	same "$how: vmtui ssh -c test:///default <Tab>: the guests" \
		"$(comp "vmtui ssh -c test:///default ")" "$(sorted test)"
	same "$how: vmtui info -c test:///default <Tab>: the guests" \
		"$(comp "vmtui info -c test:///default ")" "$(sorted test)"
	same "$how: vmtui password -c test:///default <Tab>: the guests" \
		"$(comp "vmtui password -c test:///default ")" "$(sorted test)"
	same "$how: vmtui info --j<Tab>" "$(comp "vmtui info --j")" "$(sorted --json)"
	same "$how: vmtui ssh --d<Tab>" "$(comp "vmtui ssh --d")" "$(sorted --direct)"
	same "$how: vmtui password --p<Tab>" "$(comp "vmtui password --p")" "$(sorted --password-stdin)"
	# an unroutable host (TEST-NET-1): given up after the timeout, no guests
	got=$(VMTUI_COMPLETE_TIMEOUT=1 timeout 30 bash -c \
		"$(declare -f comp _vmtui); $(declare -p COMP_WORDBREAKS 2>/dev/null); comp 'vmtui console -c qemu+ssh://192.0.2.1/system '")
	same "$how: a host that does not answer: no candidates, no hang" "$got" ""
}

# every row of the table at run time: vmtui CMD --<Tab> offers the long
# options of its help (as vmtui complete options reads them), and those
# with an option list have --help
every_command() {
	local c want bad=()
	for c in $COMMANDS; do
		want=$(vmtui complete options "$c" | grep -o -- '--[a-z0-9-]*' | LC_ALL=C sort -u)
		[ "$(comp "vmtui $c --")" = "$want" ] || bad+=("$c")
		vmtui help "$c" | grep -q '^  -' && ! grep -qxF -- --help <<<"$want" && bad+=("$c:--help")
	done
	if [ ${#bad[@]} -eq 0 ]; then ok "every command ($(wc -w <<<"$COMMANDS")) offers its long options"
	else not_ok "commands whose options are not offered: ${bad[*]}"; fi
}

# shellcheck source=../../completion/vmtui.bash
. "$TOP/completion/vmtui.bash"
cases "plain bash"
if [ -r "$BC" ]; then
	# shellcheck disable=SC1090
	. "$BC"
	# shellcheck source=../../completion/vmtui.bash
	. "$TOP/completion/vmtui.bash"
	cases "bash-completion"
	every_command
else
	not_ok "bash-completion is not installed ($BC): scripts/deps installs it"
fi
summary
