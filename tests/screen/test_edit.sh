#!/usr/bin/env bash
# tests/screen/test_edit.sh — x (the domain XML in $EDITOR) and the
# lifecycle keys (B reset, z managed save, E remove the saved state, r
# rename, K Ctrl+Alt+Del, I NMI, W wake) driven through tmux against the
# real daemon, with guests of our own and a scripted editor (a shell script
# applying this round's sed edit, recording each round):
#   - x: the diff view after the editor, y defines (virsh agrees, the
#     action log has the virsh line); an invalid element: the editor opens
#     again with the error on top, the fix then defines; saved unchanged:
#     "No change"; an aborted editor keeps the edit, x offers it again
#     with its age, r resumes it, d discards it; a change made on the host
#     while the editor ran is warned about, with the host's diff;
#   - the lifecycle keys: refusals on a shut-off guest with their reasons,
#     r renames it (a bad name refused); on a running guest B asks (n
#     keeps it running), M saves it (the list says "saved"), E asks to
#     remove the saved state (n keeps it), S restores it; read-only refuses.
# Env: KEEP_GUESTS=1, BUILD (default build/). Ends with "N passed, N failed".
set -uo pipefail

: "${T_PREFIX:=vmtuiedit-s-}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

P=$T_PREFIX
ED=${P}xml
RUN=${P}run

v() { virsh -q -c "$T_URI" "$@"; }
remove_ours() { remove_guests "$P" "${P}nopool"; }
scr_traps remove_ours

STATUS_WAIT=20
domstate_is() { eq "$(v domstate --reason "$1" 2>/dev/null)" "$2"; }
rounds() { cat "$ROUNDS" 2>/dev/null || echo 0; }
cur_mem() { v dumpxml --inactive "$1" | sed -n "s|.*<currentMemory unit='KiB'>\([0-9]*\)<.*|\1|p"; }
row_state() { list_rows | awk -F'\t' -v n="$(shown "$1")" '$1 == n { print $2 }'; }
state_is() { [ "$(row_state "$1")" = "$2" ] || { WHY="state '$(row_state "$1")'"; false; }; }

# The scripted editor: vmtui's environment is fixed when it starts, so
# round N's sed script and exit status are read from files ($ROUNDS.sed.N,
# $ROUNDS.exit.N) that each x_key writes; each round's file is kept.
cat >"$SCR_TMP/editor" <<'EOF'
#!/bin/sh
n=$(($(cat "$ROUNDS" 2>/dev/null || echo 0) + 1))
echo "$n" >"$ROUNDS"
cp "$1" "$ROUNDS.$n"
[ ! -s "$ROUNDS.hook.$n" ] || sh "$ROUNDS.hook.$n"
[ ! -s "$ROUNDS.sed.$n" ] || sed -i -f "$ROUNDS.sed.$n" "$1"
exit "$(cat "$ROUNDS.exit.$n" 2>/dev/null || echo 0)"
EOF
chmod +x "$SCR_TMP/editor"
export EDITOR=$SCR_TMP/editor VISUAL= ROUNDS=$SCR_TMP/round

# open NAME [ARGS]: vmtui filtered to NAME, which is selected.
open() {
	local name=$1
	shift
	vt_vmtui 130 30 -d 1 "$@" && wait_for 30 "connected" vt_connected || return 1
	vt_keys /
	wait_screen '^Filter:' 5 >/dev/null || return 1
	vt_type "$name"
	vt_keys Enter
	wait_for 15 "row $name" has_row "$name" || return 1
	vt_keys Home
	wait_for 5 "$name selected" is_selected "$name"
}
# x_key [SED1 [SED2 [EXIT1]]]: x with the rounds counted afresh, the
# editor's sed scripts for rounds 1 and 2 and round 1's exit status.
x_key() {
	rm -f "$ROUNDS" "$ROUNDS".*
	printf '%s\n' "${1:-}" >"$ROUNDS.sed.1"
	printf '%s\n' "${2:-}" >"$ROUNDS.sed.2"
	echo "${3:-0}" >"$ROUNDS.exit.1"
	vt_keys x
}

if ! stack_base_up; then
	not_ok "the daemon and fixture"
	summary
	exit 1
fi
KEEP_GUESTS='' remove_ours
"$RS/guest.sh" define "$ED" >&2 && "$RS/guest.sh" define "$RUN" >&2 ||
	{ not_ok "define the guests"; summary; exit 1; }

# ---- x ----
open "$ED" || not_ok "open $ED"
x_key "s|98304<|90112<|"
check "x: the diff view" wait_screen "^Edit the XML of $(re "$ED") on "
check "x: its keys" wait_screen "^y: define   e: edit again   d: discard the edit   Esc: keep it for later"
check "x: the removed line" wait_screen "^-  <currentMemory unit='KiB'>98304</currentMemory>"
check "x: the added line" wait_screen "^\+  <currentMemory unit='KiB'>90112</currentMemory>"
check "x: one editor round" eq "$(rounds)" 1
check "x: nothing defined yet" eq "$(cur_mem "$ED")" 98304
vt_keys y
check "y: defined, said in the view" wait_screen "^Defined the edited XML of $(re "$ED"): it takes effect when it starts"
check "y: virsh agrees" eq "$(cur_mem "$ED")" 90112
vt_esc
vt_keys L
check "the action log has the define and its virsh line" wait_screen \
	"^ +\\$ virsh -c $(re "$T_URI") define .*/vmtui/edits/.*$(re "$ED")\.xml"
vt_esc

say "# x: an invalid element, then fixed"
x_key "s|<vcpu |<vcpux |;s|</vcpu>|</vcpux>|;s|90112<|81920<|" \
	"/^<!-- vmtui:/,/-->\$/d;s|<vcpux |<vcpu |;s|</vcpux>|</vcpu>|"
check "bad: the diff shows the invalid element" wait_screen "^\+  <vcpux placement"
vt_keys y
check "bad: after the error the editor ran again, then the diff" wait_screen "^\+  <currentMemory unit='KiB'>81920</currentMemory>"
check "bad: two rounds" eq "$(rounds)" 2
check "bad: round 2 had the error on top" eq "$(head -c 12 "$ROUNDS.2")" "<!-- vmtui: "
check "bad: and the user's text" has "$ROUNDS.2" "<vcpux placement"
check "bad: the fixed diff has no vcpux" wait_no_screen "vcpux"
vt_keys y
check "bad: the fix defined" wait_screen "^Defined the edited XML of $(re "$ED")"
check "bad: virsh agrees" eq "$(cur_mem "$ED")" 81920
vt_esc

say "# x: unchanged; an aborted editor; resume; discard"
x_key
check "unchanged: said" wait_status "^No change: $(re "$ED") was not defined\."
x_key "s|81920<|73728<|" "" 1
check "aborted: said in the view, the edit kept" wait_screen \
	"exited with status 1: not defined\. The edit is kept in"
check "aborted: the kept file" has "$(ls "$SCR_TMP"/state/vmtui/edits/*-"$ED".xml)" "73728<"
vt_esc
x_key
check "x again: the kept edit offered with its age" wait_screen "^An edit of $(re "$ED") from [0-9]+ seconds? ago is kept in"
check "x again: r, f, Esc" wait_screen "^r: resume it   f: start afresh"
vt_keys r
check "resumed: the kept change in the diff" wait_screen "^\+  <currentMemory unit='KiB'>73728</currentMemory>"
vt_keys d
check "d: discarded, said" wait_status "^Discarded the edit of $(re "$ED"); nothing was defined\."
check "d: virsh unchanged" eq "$(cur_mem "$ED")" 81920
x_key
check "after d: no kept edit, unchanged" wait_status "^No change: $(re "$ED") was not defined\."

say "# x: the guest changed on the host while the editor ran"
rm -f "$ROUNDS" "$ROUNDS".*
echo "virsh -q -c '$T_URI' desc '$ED' --config 'changed behind' >/dev/null" >"$ROUNDS.hook.1"
echo "s|81920<|65536<|" >"$ROUNDS.sed.1"
vt_keys x
check "host change: warned in the diff view" wait_screen \
	"^Warning: $(re "$ED") was changed on the host since this edit started"
check "host change: the host's diff below the edit's" wait_screen "^Changed on the host since the edit started:"
check "host change: the host's line" wait_screen "^\+  <description>changed behind</description>"
vt_keys d
check "host change: d discards" wait_status "^Discarded the edit of $(re "$ED")"
check "host change: the host's change stays" eq "$(v desc "$ED")" "changed behind"

# ---- lifecycle keys on the shut-off guest ----
say "# lifecycle: refusals, rename"
vt_keys B
check "B on a shut-off guest: refused" wait_status "^Cannot reset $(re "$ED"): it is not running\."
vt_keys z
check "z on a shut-off guest: refused" wait_status "^Cannot save $(re "$ED"): it is not running"
vt_keys E
check "E without a saved state: refused" wait_status "^Cannot remove the saved state of $(re "$ED"): it has no saved state\."
vt_keys K
check "K on a shut-off guest: refused" wait_status "^Cannot send Ctrl\+Alt\+Del to $(re "$ED"): it is not running\."
vt_keys I
check "I on a shut-off guest: refused" wait_status "^Cannot inject an NMI into $(re "$ED"): it is not running\."
vt_keys W
check "W on a shut-off guest: refused" wait_status "^Cannot wake up $(re "$ED"): it is not running\."
vt_keys r
check "r: the prompt with the name" wait_screen "^New name: $(re "$ED")"
vt_keys C-u
vt_type "bad/name"
vt_keys Enter
check "r: a bad name refused" wait_status "^Cannot rename $(re "$ED"):"
vt_keys r
wait_screen "^New name: " 5 >/dev/null
vt_keys C-u
vt_type "${P}renamed"
vt_keys Enter
check "r: renamed (virsh)" eventually 20 domstate_is "${P}renamed" "shut off (unknown)"
v domrename "${P}renamed" "$ED" >/dev/null

# ---- on a running guest ----
say "# lifecycle: a running guest"
"$RS/guest.sh" start "$RUN" --wait 90 >&2 || not_ok "start $RUN"
open "$RUN" || not_ok "open $RUN"
vt_keys B
check "B asks first" wait_screen "Reset $(re "$RUN")\? Unsaved guest data is lost"
vt_keys n
check "n: still running" eq "$(v domstate "$RUN")" running
vt_keys r
check "r on a running guest: refused" wait_status "^Cannot rename $(re "$RUN"): it is running; libvirt renames only shut-off guests\."
vt_keys W
check "W on a running guest: refused with the reason" wait_status "^Cannot wake up $(re "$RUN"): it is not suspended by its own OS"
vt_keys z
check "z: saved (virsh)" eventually 60 domstate_is "$RUN" "shut off (saved)"
check "z: the list says saved" wait_screen "^$(re "$(shown "$RUN")") +saved "
vt_keys E
check "E asks first" wait_screen "Remove the saved state of $(re "$RUN")\?"
vt_keys n
check "n: the image stays" eq "$(v dominfo "$RUN" | awk '/Managed save/ { print $3 }')" yes
vt_keys S
check "S restores it" eventually 60 domstate_is "$RUN" "running (restored)"
check "S: the list says running" wait_for 20 "state running" state_is "$RUN" running

# ---- read-only ----
open "$ED" -r || not_ok "open $ED -r"
vt_keys x
check "x read-only: refused" wait_status "^Cannot edit the XML of $(re "$ED"): vmtui runs read-only"
vt_keys B
check "B read-only: refused" wait_status "^Cannot reset $(re "$ED"): vmtui runs read-only"

summary
