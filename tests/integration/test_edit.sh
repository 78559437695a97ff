#!/usr/bin/env bash
# test_edit.sh — `vmtui edit` and the lifecycle commands (reset, save,
# restore, rename, ctrl-alt-del, nmi, wake) against the real daemon, with
# guests of our own (tests/realstack/guest.sh), checked with virsh and from
# inside the guests over their serial consoles:
#   - edit, with a scripted $EDITOR (a shell script that applies this
#     round's sed edit and records each round's file): a good edit defines
#     (virsh dumpxml shows it); an invalid element and malformed XML reopen
#     the editor with libvirt's error at the top and the user's text intact
#     below it, and a fix then defines; an unchanged save and an aborted
#     editor change nothing; the aborted edit is kept (0600) and offered
#     again (--resume goes on with it, --fresh drops it); a change made on
#     the host meanwhile is warned about; another <uuid> is refused;
#   - reset (the guest boots again, same domain ID), managed save and
#     restore (a file in the guest's tmpfs written before the save is read
#     after the restore: its memory came back), rename there and back
#     (refused while running, to a name taken, to a bad name), NMI (the
#     guest's kernel logs it on the console), Ctrl+Alt+Del (the guest set
#     to reboot on it boots again), wake refused with its reason.
# Every guest is named ${T_PREFIX}edit-* and removed at the end.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

P=${T_PREFIX:-vmtuitest-}edit-
ED=${P}xml    # shut off: edits, rename
RUN=${P}run   # running: the lifecycle
run_files edit
export XDG_STATE_HOME=$D/state
EDITS=$XDG_STATE_HOME/vmtui/edits

v() { virsh -q -c "$T_URI" "$@"; }
remove_ours() { remove_guests "$P" "${P}nopool"; }
edit_cleanup() {
	remove_ours
	rm -rf "$D"
}
in_guest() { VMTUI_URI=$T_URI "$RS/console-run.sh" -t 60 "$@"; }
ready_count() { grep -ac VMTUI-GUEST-READY "$("$RS/guest.sh" dir "$1")/console.log"; }
# booted_again NAME N: the guest's console has more than N ready lines.
booted_again() { [ "$(ready_count "$1")" -gt "$2" ]; }

# The scripted editor: round N applies $ED_SED_N (sed script) to the file
# after running $ED_HOOK_N, keeps a copy of what it was given as
# $D/round.N and exits with $ED_EXIT_N (default 0).
cat >"$D/editor" <<'EOF'
#!/bin/sh
n=$(($(cat "$ROUNDS" 2>/dev/null || echo 0) + 1))
echo "$n" >"$ROUNDS"
cp "$1" "$ROUNDS.$n"
eval "hook=\${ED_HOOK_$n:-} s=\${ED_SED_$n:-} rc=\${ED_EXIT_$n:-0}"
[ -z "$hook" ] || sh -c "$hook"
[ -z "$s" ] || sed -i -e "$s" "$1"
exit "$rc"
EOF
chmod +x "$D/editor"
export EDITOR=$D/editor VISUAL=
export ROUNDS=$D/round
# edit ARGS...: vmtui edit with the rounds counted afresh.
edit() {
	rm -f "$ROUNDS" "$ROUNDS".*
	run edit -c "$T_URI" "$@"
}
rounds() { cat "$ROUNDS" 2>/dev/null || echo 0; }
unset_eds() { unset ED_SED_1 ED_SED_2 ED_SED_3 ED_EXIT_1 ED_EXIT_2 ED_HOOK_1; }

stack_base_up || { say "cannot set up the daemon"; echo "0 passed, 1 failed"; exit 1; }
trap edit_cleanup EXIT
trap 'exit 130' INT TERM HUP
KEEP_GUESTS='' remove_ours
"$RS/guest.sh" define "$ED" >&2 && "$RS/guest.sh" define "$RUN" >&2 ||
	{ not_ok "define the guests"; summary; exit 1; }
"$RS/guest.sh" start "$RUN" --wait 90 >&2 || not_ok "start $RUN"
HOSTN=$(virsh -c "$T_URI" hostname)
KEPT=$EDITS/$HOSTN-$ED.xml

# ---- edit ----
say "# edit: a good edit"
export ED_SED_1="s|<currentMemory unit='KiB'>98304<|<currentMemory unit='KiB'>90112<|"
edit --yes "$ED"
check "good edit: exit 0" eq "$RC" 0
check "good edit: the diff shown" has "$OUT" "+  <currentMemory unit='KiB'>90112</currentMemory>"
check "good edit: the virsh line" has "$OUT" "virsh -c $T_URI define $KEPT"
check "good edit: virsh dumpxml shows it" eq "$(v dumpxml --inactive "$ED" | grep -c "currentMemory unit='KiB'>90112<")" 1
check "good edit: one editor round" eq "$(rounds)" 1
check "good edit: nothing kept after the define" eq "$(ls "$EDITS" 2>/dev/null | wc -l)" 0
unset_eds

say "# edit: an invalid element, then fixed"
export ED_SED_1="s|<vcpu |<vcpux |;s|</vcpu>|</vcpux>|;s|90112<|81920<|"
export ED_SED_2="/^<!-- vmtui:/,/-->\$/d;s|<vcpux |<vcpu |;s|</vcpux>|</vcpu>|"
edit --yes "$ED"
check "invalid element: exit 0 after the fix" eq "$RC" 0
check "invalid element: two editor rounds" eq "$(rounds)" 2
check "invalid element: the error at the top of round 2" eq "$(head -c 12 "$ROUNDS.2")" "<!-- vmtui: "
check "invalid element: libvirt's reason in it" has "$ROUNDS.2" "vcpux"
check "invalid element: the user's text intact below" \
	eq "$(sed '1,/-->$/d' "$ROUNDS.2" | grep -c "<vcpux placement.*</vcpux>\|81920<")" 2
check "invalid element: said on stderr" has "$ERR" "the editor opens again with the error at the top"
check "invalid element: the fix defined" eq "$(v dumpxml --inactive "$ED" | grep -c "81920<")" 1
check "invalid element: no comment defined" eq "$(v dumpxml --inactive "$ED" | grep -c vmtui:)" 0
unset_eds

say "# edit: malformed XML, then fixed (the comment left in: taken off)"
export ED_SED_1="s|<name>$ED</name>|<name>$ED</nam>|;s|81920<|73728<|"
export ED_SED_2="s|</nam>|</name>|"
edit --yes "$ED"
check "malformed: exit 0 after the fix" eq "$RC" 0
check "malformed: two rounds" eq "$(rounds)" 2
check "malformed: the error on top" eq "$(head -c 12 "$ROUNDS.2")" "<!-- vmtui: "
check "malformed: the text intact" has "$ROUNDS.2" "<name>$ED</nam>"
check "malformed: defined" eq "$(v dumpxml --inactive "$ED" | grep -c "73728<")" 1
unset_eds

say "# edit: saved unchanged, and an error left unfixed"
before=$(v dumpxml --inactive "$ED")
edit --yes "$ED"
check "unchanged: exit 0" eq "$RC" 0
check "unchanged: said" is "$OUT" "No change: $ED was not defined."
check "unchanged: nothing kept" eq "$(ls "$EDITS" | wc -l)" 0
export ED_SED_1="s|<vcpu |<vcpux |;s|</vcpu>|</vcpux>|"
edit --yes "$ED"
check "unfixed error: exit 1" eq "$RC" 1
check "unfixed error: gave up after the second round" eq "$(rounds)" 2
check "unfixed error: said" has "$ERR" "saved unchanged after the error: not defined"
check "unfixed error: the XML unchanged" eq "$(v dumpxml --inactive "$ED")" "$before"
check "unfixed error: kept" has "$KEPT" "<vcpux"
unset_eds
edit --fresh --yes "$ED"
check "--fresh: unchanged now" is "$OUT" "No change: $ED was not defined."

say "# edit: an aborted editor keeps the edit; offered again"
export ED_SED_1="s|73728<|65536<|" ED_EXIT_1=1
edit --yes "$ED"
check "aborted: exit 1" eq "$RC" 1
check "aborted: said, with the file" has "$ERR" "exited with status 1; not defined. The edit is kept in $KEPT"
check "aborted: the XML unchanged" eq "$(v dumpxml --inactive "$ED")" "$before"
check "aborted: kept 0600" eq "$(stat -c %a "$KEPT")" 600
check "aborted: the change kept" has "$KEPT" "65536<"
unset_eds
edit --yes "$ED"
check "offered again: exit 1 without a terminal" eq "$RC" 1
check "offered again: the question, its age" has "$ERR" "an edit of $ED from "
check "offered again: --resume or --fresh" has "$ERR" "give --resume to go on with it or --fresh"
check "offered again: no editor" eq "$(rounds)" 0
edit --resume --yes "$ED"
check "resumed: exit 0" eq "$RC" 0
check "resumed: the editor had the kept change" has "$ROUNDS.1" "65536<"
check "resumed: defined" eq "$(v dumpxml --inactive "$ED" | grep -c "65536<")" 1
edit --resume --yes "$ED"
check "--resume without a kept edit: a fresh one" is "$OUT" "No change: $ED was not defined."

say "# edit: changed on the host meanwhile; another UUID"
export ED_HOOK_1="virsh -q -c $T_URI desc $ED --config 'changed behind'"
export ED_SED_1="s|65536<|57344<|"
edit --yes "$ED"
check "host change: warned" has "$ERR" "was changed on the host since this edit started"
check "host change: the host's diff shown" has "$ERR" "+  <description>changed behind</description>"
check "host change: still defined (--yes)" eq "$(v dumpxml --inactive "$ED" | grep -c "57344<")" 1
unset_eds
export ED_SED_1="s|<uuid>.*</uuid>|<uuid>00000000-1111-2222-3333-444444444444</uuid>|"
edit --yes "$ED"
check "other uuid: refused, not defined" eq "$RC" 1
check "other uuid: the reason on top of round 2" has "$ROUNDS.2" "that would define another guest"
check "other uuid: no second guest" eq "$(v list --all --name | grep -c "^$ED\$")" 1
unset_eds
edit --fresh --yes "$ED" >/dev/null

say "# edit: bad input"
run edit -c "$T_URI" "$P"nosuch
check "no such guest: exit 1" eq "$RC" 1
check "no such guest: said" has "$ERR" "$P"nosuch
run edit -c "$T_URI" --resume --fresh "$ED"
check "--resume --fresh: refused" has "$ERR" "exclude each other"

# ---- rename ----
say "# rename"
run rename -c "$T_URI" "$ED" "${P}renamed"
check "rename: exit 0" eq "$RC" 0
check "rename: virsh sees it" eq "$(v domstate "${P}renamed" 2>/dev/null)" "shut off"
check "rename: the virsh line" has "$OUT" "domrename $ED ${P}renamed"
run rename -c "$T_URI" "${P}renamed" "$ED"
check "rename back: exit 0" eq "$RC" 0
check "rename back: virsh sees it" eq "$(v domstate "$ED" 2>/dev/null)" "shut off"
run rename -c "$T_URI" "$RUN" "${P}x"
check "rename running: refused" has "$ERR" "it is running; shut it off first"
run rename -c "$T_URI" "$ED" "$RUN"
check "rename to a taken name: refused" has "$ERR" "a guest called \"$RUN\" exists already"
run rename -c "$T_URI" "$ED" "bad/name"
check "rename to a bad name: exit 1" eq "$RC" 1

# ---- lifecycle on the running guest ----
say "# nmi"
run nmi -c "$T_URI" "$RUN"
check "nmi: exit 0" eq "$RC" 0
check "nmi: the virsh line" has "$OUT" "inject-nmi $RUN"
check "nmi: the guest's kernel saw it" eventually 20 \
	grep -qa "NMI received" "$("$RS/guest.sh" dir "$RUN")/console.log"

say "# managed save and restore"
in_guest "$RUN" 'echo mem-kept-4711 >/tmp/mark' >/dev/null
id1=$(v domid "$RUN")
run save -c "$T_URI" "$RUN"
check "save: exit 0" eq "$RC" 0
check "save: shut off, saved" eq "$(v domstate --reason "$RUN")" "shut off (saved)"
check "save: a managed save image" eq "$(v dominfo "$RUN" | awk '/Managed save/ { print $3 }')" yes
run save -c "$T_URI" "$RUN"
check "save again: refused" has "$ERR" "it is not running"
run restore -c "$T_URI" "$RUN"
check "restore: exit 0" eq "$RC" 0
check "restore: running" eq "$(v domstate "$RUN")" running
check "restore: the guest's memory came back (tmpfs file)" \
	eq "$(in_guest "$RUN" 'cat /tmp/mark')" "mem-kept-4711"
run restore -c "$T_URI" "$RUN"
check "restore a running guest: refused" has "$ERR" "cannot restore $RUN: it is already running"
v managedsave "$RUN" >/dev/null
run save --discard -c "$T_URI" "$RUN"
check "discard without a terminal: refused" has "$ERR" "give --yes"
run save --discard --yes -c "$T_URI" "$RUN"
check "discard: exit 0" eq "$RC" 0
check "discard: no image" eq "$(v dominfo "$RUN" | awk '/Managed save/ { print $3 }')" no
run save --discard --yes -c "$T_URI" "$RUN"
check "discard again: refused" has "$ERR" "it has no saved state"
run restore -c "$T_URI" "$RUN"
check "restore without an image: refused" has "$ERR" "it has no saved state"
"$RS/guest.sh" start "$RUN" --wait 90 >&2

say "# reset"
n0=$(ready_count "$RUN")
id1=$(v domid "$RUN")
run reset -c "$T_URI" "$RUN"
check "reset without a terminal: refused" has "$ERR" "give --yes"
run reset --yes -c "$T_URI" "$RUN"
check "reset: exit 0" eq "$RC" 0
check "reset: the guest boots again" eventually 60 booted_again "$RUN" "$n0"
check "reset: the same domain (ID)" eq "$(v domid "$RUN")" "$id1"

say "# ctrl-alt-del"
in_guest "$RUN" 'echo 1 >/proc/sys/kernel/ctrl-alt-del' >/dev/null
n0=$(ready_count "$RUN")
run ctrl-alt-del -c "$T_URI" "$RUN"
check "ctrl-alt-del: exit 0" eq "$RC" 0
check "ctrl-alt-del: the virsh line" has "$OUT" "send-key $RUN KEY_LEFTCTRL KEY_LEFTALT KEY_DELETE"
check "ctrl-alt-del: the guest (set to reboot on it) boots again" eventually 60 \
	booted_again "$RUN" "$n0"

say "# wake"
run wake -c "$T_URI" "$RUN"
check "wake a running guest: refused with the reason" has "$ERR" "not suspended by its own OS"
run wake -c "$T_URI" "$ED"
check "wake a shut-off guest: refused" has "$ERR" "it is not running"
run nmi -c "$T_URI" "$ED"
check "nmi to a shut-off guest: refused" has "$ERR" "it is not running"

summary
