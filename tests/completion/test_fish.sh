#!/usr/bin/env bash
# test_fish.sh — completion/vmtui.fish through fish's own engine
# (complete -C LINE prints what Tab would offer). Ends with "N passed,
# N failed"; without fish installed, one failure saying so.
set -uo pipefail
# shellcheck source=complib.sh
. "$(dirname "$0")/complib.sh"

command -v fish >/dev/null || { not_ok "fish is not installed: scripts/deps installs it"; summary; exit 1; }

# comp LINE: the candidates fish offers (without their descriptions), sorted.
comp() {
	fish --no-config -c "source '$TOP/completion/vmtui.fish'; complete -C '$1'" 2>&1 |
		cut -f1 | LC_ALL=C sort -u | sed '/^$/d'
}

same "vmtui <Tab>: every command" "$(comp "vmtui ")" "$COMMANDS"
same "vmtui snapshot <Tab>: its verbs" "$(comp "vmtui snapshot ")" \
	"$(sorted list create revert delete)"
same "vmtui snapshot revert -c test:///default <Tab>: the guests" \
	"$(comp "vmtui snapshot revert -c test:///default ")" "$(sorted test)"
same "vmtui console --connect=te<Tab>" "$(comp "vmtui console --connect=te")" \
	"$(sorted --connect=test:///default)"
same "vmtui -H <Tab>: config.yaml's and ~/.ssh/config's hosts" "$(comp "vmtui -H ")" \
	"$(sorted admin@far.example:2222 lab jump included)"
within "vmtui --theme <Tab>: the themes" "$(comp "vmtui --theme ")" dark light mono high-contrast
same "vmtui net start -c test:///default <Tab>" "$(comp "vmtui net start -c test:///default ")" \
	"$(sorted default)"
same "vmtui validate <Tab>: files" "$(cd "$CT/defs" && comp "vmtui validate ")" \
	"$(sorted db.yaml sub/ web.yaml)"
same "vmtui --graphics-protocol s<Tab>" "$(comp "vmtui --graphics-protocol s")" \
	"$(sorted sixel symbols)"
summary
