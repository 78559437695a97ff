#!/usr/bin/env bash
# tests/screen/test_badinput.sh — VM definition files with errors opened in
# the TUI with o, as a new user would: a two-line file without a name,
# examples/config.yaml (picked with Tab in the prompt: vmtui's own
# configuration, no VM file), empty documents, wrong types, one bad
# VM among good ones, bad firmware/TPM/CPU keys and an os: libosinfo does
# not know (and os: win11's defaults in a plan). Each must show the job view with every error that
# `vmtui plan` prints for the same file, and vmtui must keep running: Esc
# goes back to the list, and a good file opened next is planned.
#
# It runs vmtui on test:///default, libvirt's in-process test driver: the
# files never get as far as the host, and the shared daemon is not
# touched.
#
# Env: BUILD (default build/). Ends with "N passed, N failed"; exit status
# 1 if any check failed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

T0=$SECONDS
T_URI=test:///default

scr_traps

scr_need "bad input screen" tmux
# vmtui makes its log's folder, not the folder above it under /tmp
mkdir -p "$SCR_TMP/state"

# bi_start: vmtui on test:///default, its guest listed.
bi_start() {
	vt_vmtui 120 40 && wait_screen '^test +running' 15 >/dev/null
}

# bi_open PATH: o, the path typed, Enter; the job view comes up. (tmux
# drops the prompt's trailing space until something is typed.)
bi_open() {
	vt_keys o
	wait_screen '^Open VM definitions:' 5 >/dev/null || return 1
	vt_type "$1"
	vt_keys Enter
	wait_screen "^Apply $(re "$1") on " 10 >/dev/null
}

# plan_errors FILE: the lines `vmtui plan` prints for FILE that name it
# (the errors), into $SCR_TMP/want.
plan_errors() {
	"$BUILD/vmtui" plan -c "$T_URI" "$1" 2>&1 >/dev/null </dev/null |
		grep -F -- "$1:" >"$SCR_TMP/want"
	[ -s "$SCR_TMP/want" ] || { say "    vmtui plan printed no error for $1"; return 1; }
}

# Every line of $SCR_TMP/want is a line of the screen.
shows_plan_errors() {
	local l
	while IFS= read -r l; do
		grep -qxF -- "$l" <<<"$SCREEN" || { WHY="missing: $l"; return 1; }
	done <"$SCR_TMP/want"
}

# The job view's summary: N errors, nothing changed, the job failed.
shows_failure() {
	local n
	n=$(wc -l <"$SCR_TMP/want")
	_matches "^$n errors?; nothing was changed\.$" || { WHY="no '$n error(s); nothing was changed.'"; return 1; }
	_matches '^Failed; nothing more was changed\. Esc goes back\.' || { WHY="no failed state line"; return 1; }
}

# bad_file TAG FILE: FILE opened with o shows its errors as vmtui plan
# prints them; vmtui still runs and Esc goes back to the list.
bad_file() {
	local tag=$1 f=$2
	plan_errors "$f" || { not_ok "$tag: vmtui plan lists the errors"; return; }
	if ! bi_open "$f"; then
		not_ok "$tag: o opens the job view"
		show_screen "after o"
		return
	fi
	check "$tag: every error vmtui plan prints is shown" \
		wait_for 10 "the errors of $f" shows_plan_errors
	check "$tag: the count of errors and the failed state" wait_for 3 "failure" shows_failure
	check "$tag: vmtui still runs" vt_alive
	vt_esc
	check "$tag: Esc goes back to the list" wait_screen '^test +running' 5
}

# ---- the files ----

F=$SCR_TMP/files
mkdir -p "$F"
printf 'vcpus: 1\nmemory: 256M\n' >"$F/noname.yaml"
: >"$F/empty.yaml"
printf -- '---\n---\n' >"$F/docs.yaml"
printf 'name: [a, b]\nvcpus: many\nmemory: {current: x}\ndisks: 7\nnets: [{mac: 1}]\n' >"$F/types.yaml"
printf -- '- name: bi-good1\n  networks: []\n- vcpus: 2\n- name: bi-good2\n  networks: []\n' >"$F/mixed.yaml"
printf 'name: bi-fine\nnetworks: []\n' >"$F/good.yaml"
cp "$TOP/examples/config.yaml" "$F/config.yaml"
printf 'name: bi-hw\nfirmware: uefi\ntpm: {model: x}\nrng: 2\nboot_menu: {}\ncpu: {mode: x}\n' \
	>"$F/hardware.yaml"
printf 'name: bi-os\nos: debian12\n' >"$F/osname.yaml"
printf 'name: bi-win\nos: win11\nnetworks: []\n' >"$F/win.yaml"

say "# bad VM definition files opened with o"
if ! bi_start; then
	not_ok "vmtui starts on $T_URI"
	show_screen "start"
	summary
	exit
fi
bad_file "no name" "$F/noname.yaml"
bad_file "empty file" "$F/empty.yaml"
bad_file "empty documents" "$F/docs.yaml"
bad_file "wrong types" "$F/types.yaml"
bad_file "one bad VM among good ones" "$F/mixed.yaml"
bad_file "firmware, TPM, RNG, boot menu and CPU keys" "$F/hardware.yaml"
# Looked up in libosinfo's database on the host's worker; the line is
# wider than the screen: its start.
if bi_open "$F/osname.yaml"; then
	check "an os: libosinfo does not know: its file:line:col and name" wait_screen \
		"^$(re "$F/osname.yaml"):2:5: os: \"debian12\" is not in libosinfo's database" 10
	check "an os: libosinfo does not know: nothing was changed" \
		wait_screen '^1 error; nothing was changed\.$' 3
	vt_esc
	wait_screen '^test +running' 5 >/dev/null
else
	not_ok "an os: libosinfo does not know: o opens the job view"
fi
if bi_open "$F/win.yaml"; then
	check "os: win11: the plan says what came from it" wait_screen \
		'^  = from os win11: memory 4096M, 2 vCPUs, a disk of 64G, disk bus sata, firmware efi, Secure Boot, TPM 2\.0$' 10
	vt_esc
	wait_screen '^test +running' 5 >/dev/null
else
	not_ok "os: win11: o opens the job view"
fi

# examples/config.yaml as the prompt's Tab offers it.
say "# config.yaml picked with Tab"
plan_errors "$F/config.yaml" || not_ok "config.yaml: vmtui plan lists the errors"
vt_keys o
wait_screen '^Open VM definitions:' 5 >/dev/null
vt_type "$F/c"
vt_keys Tab
check "config.yaml: Tab completes the name" \
	wait_screen "^Open VM definitions: $(re "$F/config.yaml")" 5
vt_keys Enter
check "config.yaml: the job view comes up" wait_screen "^Apply $(re "$F/config.yaml") on " 10
check "config.yaml: every error vmtui plan prints is shown" \
	wait_for 10 "the errors of config.yaml" shows_plan_errors
check "config.yaml: the count of errors and the failed state" wait_for 3 "failure" shows_failure
check "config.yaml: vmtui still runs" vt_alive
vt_esc
check "config.yaml: Esc goes back to the list" wait_screen '^test +running' 5

# After all that, a good file is planned as usual.
say "# a good file after the bad ones"
if bi_open "$F/good.yaml"; then
	check "good file: planned (bi-fine: create)" wait_screen '^bi-fine: create$' 10
	check "good file: y would apply it" wait_screen '^Press y to apply this plan, Esc to cancel\.' 5
	vt_esc
	check "good file: Esc back to the list" wait_screen '^test +running' 5
else
	not_ok "good file: o opens the job view"
fi
vt_keys q
check "q quits" wait_for 10 "exit" vt_dead
check "vmtui's log is there, without a sanitizer report" \
	bash -c "[ -f '$SCR_TMP/state/vmtui/vmtui.log' ] &&
		! grep -qE 'Sanitizer|runtime error:' '$SCR_TMP/state/vmtui/vmtui.log'"
vt_stop

say "# done in $((SECONDS - T0)) s"
summary
