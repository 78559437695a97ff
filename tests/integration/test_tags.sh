#!/usr/bin/env bash
# test_tags.sh — tags and notes in the domain's metadata, against real
# libvirt daemons with guests of our own (named ${T_PREFIX}*, default
# vmtui-tags-):
#   - vmtui tag, untag, note on a running guest (live and saved definitions
#     written) and a shut-off one (saved only): virsh metadata and dumpxml
#     see them; a note from standard input keeps its lines; --clear, --all;
#   - refusals before anything is written: bad tags, a bad note, an unknown
#     guest, wrong arguments (exit 1, the message, the metadata unchanged);
#   - the TUI (tmux) shows tags set from the shell, and a change made with
#     virsh metadata while it runs (the metadata-change event);
#   - tags survive the guest's restart (destroy, start);
#   - export writes tags: and notes:, plan shows a change of them, apply
#     writes it, export again gives the same file (round trip);
#   - a daemon of our own (libvirtd as user nobody, its own socket, never
#     the shared daemon): tags survive its restart, and the TUI, connected
#     across the restart, reads them again when it reconnects.
# Env: BUILD, T_PREFIX. Ends with "N passed, N failed".
set -uo pipefail
# Before lib.sh, whose default prefix is every other suite's.
T_PREFIX=${T_PREFIX:-vmtui-tags-}
. "$(dirname "$0")/../lib.sh"
# shellcheck source=../screen/screenlib.sh
. "$(dirname "$0")/../screen/screenlib.sh"

RUN=${T_PREFIX}run
OFF=${T_PREFIX}off
NS=https://vmtui.org/xmlns/guest/1
run_files tags
OWN=$D/own  # our own daemon's folder

v() { virsh -q -c "$T_URI" "$@"; }
meta() { virsh -q -c "${2:-$T_URI}" metadata "$1" --uri "$NS" 2>/dev/null | tr -d ' \n'; }
meta_cfg() { v metadata "$1" --uri "$NS" --config 2>/dev/null | tr -d ' \n'; }
meta_live() { v metadata "$1" --uri "$NS" --live 2>/dev/null | tr -d ' \n'; }

own_uri() { echo "qemu+unix:///session?socket=$OWN/run/libvirt/libvirt-sock"; }
own_pid() { cat "$OWN/run/libvirt/libvirtd.pid" 2>/dev/null; }
own_start() {
	mkdir -p "$OWN/run" "$OWN/config" "$OWN/cache" && chown -R nobody "$OWN" && chmod 0755 "$OWN" "$D"
	(cd "$OWN" && exec runuser -u nobody -- env HOME="$OWN" XDG_RUNTIME_DIR="$OWN/run" \
		XDG_CONFIG_HOME="$OWN/config" XDG_CACHE_HOME="$OWN/cache" libvirtd >>"$OWN/log" 2>&1) &
	eventually 20 virsh -q -c "$(own_uri)" uri >/dev/null
}
own_stop() {
	local pid
	pid=$(own_pid)
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	eventually 20 bash -c "! kill -0 $pid 2>/dev/null"
}

tags_cleanup() {
	vt_stop_all
	own_stop
	remove_guests "$T_PREFIX" "${T_PREFIX}nopool"
	rm -rf "$D"
}

stack_base_up || { say "cannot set up the daemon"; echo "0 passed, 1 failed"; exit 1; }
T_URI=$("$RS/daemon.sh" uri)
trap tags_cleanup EXIT
trap 'exit 130' INT TERM HUP
KEEP_GUESTS='' remove_guests "$T_PREFIX" "${T_PREFIX}nopool"
"$RS/guest.sh" define "$OFF" --net none >&2 && "$RS/guest.sh" define "$RUN" --net none >&2 &&
	"$RS/guest.sh" start "$RUN" >&2 || { not_ok "set up the guests"; summary; exit 1; }

# ---- the shell: tag, untag, note ----
run tag -c "$T_URI" "$RUN" web prod
check "tag a running guest: exit 0" eq "$RC" 0
check "tag: says what it carries" has "$OUT" "$RUN: tags prod, web; no note."
check "tag: the virsh line" has "$OUT" "metadata $RUN --uri $NS --key vmtui --set '<guest><tag>prod</tag><tag>web</tag></guest>' --live --config"
check "virsh metadata --live sees them" eq "$(meta_live "$RUN")" "<guest><tag>prod</tag><tag>web</tag></guest>"
check "virsh metadata --config sees them" eq "$(meta_cfg "$RUN")" "<guest><tag>prod</tag><tag>web</tag></guest>"
check "the saved XML holds vmtui's namespace" bash -c \
	"virsh -q -c '$T_URI' dumpxml --inactive '$RUN' | grep -q 'xmlns:vmtui=\"$NS\"'"
run tag -c "$T_URI" "$RUN" web
check "tag again: nothing to change" has "$OUT" "Nothing to change: $RUN: tags prod, web; no note."
run tag -c "$T_URI" "$OFF" lab
check "tag a shut-off guest: saved definition only" has "$OUT" "--set '<guest><tag>lab</tag></guest>' --config"
check "... virsh sees it" eq "$(meta_cfg "$OFF")" "<guest><tag>lab</tag></guest>"
# --tag picks the guests by their tags (read as the TUI reads them)
run autostart -c "$T_URI" --tag lab
check "autostart --tag lab: exit 0" eq "$RC" 0
check "... the lab guest only" eq "$(virsh -q -c "$T_URI" dominfo "$OFF" | awk '/^Autostart:/ { print $2 }')/$(virsh -q -c "$T_URI" dominfo "$RUN" | awk '/^Autostart:/ { print $2 }')" "enable/disable"
run autostart -c "$T_URI" --tag lab --disable
check "autostart --tag lab --disable" eq "$(virsh -q -c "$T_URI" dominfo "$OFF" | awk '/^Autostart:/ { print $2 }')" disable
printf 'Owned by ops.\nAsk before rebooting.\n' >"$D/note"
"$BUILD/vmtui" note -c "$T_URI" "$RUN" - <"$D/note" >"$OUT" 2>"$ERR"
check "note from standard input: exit 0" eq "$?" 0
run note -c "$T_URI" "$RUN"
check "note: shown with its lines" is "$OUT" "$RUN
tags: prod web
note: Owned by ops.
Ask before rebooting."
run note -c "$T_URI" "$OFF" a short note
check "note TEXT...: the words joined" bash -c "virsh -q -c '$T_URI' metadata '$OFF' --uri '$NS' | grep -q '<note>a short note</note>'"
run note -c "$T_URI" --clear "$OFF"
check "note --clear" eq "$(meta_cfg "$OFF")" "<guest><tag>lab</tag></guest>"
run untag -c "$T_URI" "$OFF" lab absent
check "untag the last tag: the element goes" eq "$(meta_cfg "$OFF")" ""
check "... and says so" has "$OUT" "$OFF: no tags; no note."

# ---- refusals ----
before=$(meta "$RUN")
run tag -c "$T_URI" "$RUN" ok Bad
check "bad tag: exit 1" eq "$RC" 1
check "bad tag: the message" is "$ERR" "vmtui tag: Tag \"Bad\": tags are lower case (a-z, 0-9, '.', '_', '-')."
check "bad tag: nothing written" eq "$(meta "$RUN")" "$before"
run tag -c "$T_URI" "$RUN" -- -x
check "tag starting with -: refused" has "$ERR" 'Tag "-x" must start with a letter or a digit.'
run note -c "$T_URI" "$RUN" "$(printf 'bell\a')"
check "bad note: refused" has "$ERR" "control character"
check "bad note: nothing written" eq "$(meta "$RUN")" "$before"
run tag -c "$T_URI" "${T_PREFIX}nosuch" web
check "unknown guest: exit 1" eq "$RC" 1
check "unknown guest: said" has "$ERR" "${T_PREFIX}nosuch"
run untag -c "$T_URI" "$RUN"
check "untag without tags: usage error" has "$ERR" "expected the tags to remove after the VM (or --all)"

# ---- the TUI sees them, and changes made by others ----
# Only our guests: the shared daemon may hold more than the screen.
only_ours() { vt_keys /; vt_type "$T_PREFIX"; vt_keys Enter; }
vt_vmtui 150 30 -d 1
wait_screen '^NAME ' 30 >/dev/null
only_ours
check "TUI: the guest's tags in the list" wait_screen "^ *$RUN .*prod,web *\$" 30
v metadata "$RUN" --uri "$NS" --key vmtui --set '<guest><tag>db</tag></guest>' --live --config
check "TUI: a change made with virsh shows (metadata event)" wait_screen "^ *$RUN .* db *\$" 60
"$BUILD/vmtui" tag -c "$T_URI" "$RUN" web >/dev/null 2>&1
check "TUI: a tag added from the shell shows" wait_screen "^ *$RUN .*db,web *\$" 60

# ---- the guest restarted ----
v destroy "$RUN" >/dev/null
v start "$RUN" >/dev/null
run tag -c "$T_URI" "$RUN"
check "tags survive the guest's restart" has "$OUT" "tags: db web"
check "TUI: still shown after the restart" wait_screen "^ *$RUN .*db,web *\$" 60
vt_stop

# ---- export, plan, apply ----
"$BUILD/vmtui" tag -c "$T_URI" "$OFF" lab >/dev/null 2>&1
"$BUILD/vmtui" note -c "$T_URI" "$OFF" 'first "line"' >/dev/null 2>&1
run export -c "$T_URI" "$OFF"
check "export: tags:" has "$OUT" "tags: [lab]"
check "export: notes:" has "$OUT" 'notes: "first \"line\""'
sed -e 's/^tags: \[lab\]$/tags: [lab, db-2]/' -e 's/^notes: .*$/notes: |\n  two\n  lines/' "$OUT" >"$D/off.yaml"
run plan -c "$T_URI" "$D/off.yaml"
check "plan: the tags' change" has "$OUT" "~ tags: lab -> db-2, lab"
check "plan: the note's change" has "$OUT" '~ notes: first "line" -> two\nlines'
run apply -y -c "$T_URI" "$D/off.yaml"
check "apply: exit 0" eq "$RC" 0
check "apply: virsh sees the new tags" eq "$(meta_cfg "$OFF")" \
	"<guest><tag>db-2</tag><tag>lab</tag><note>twolines</note></guest>"
check "apply: the note keeps its two lines" bash -c \
	"virsh -q -c '$T_URI' metadata '$OFF' --uri '$NS' --config | grep -qx '  <note>two'"
run plan -c "$T_URI" "$D/off.yaml"
check "plan after apply: unchanged" has "$OUT" "0 to create, 0 to update, 1 unchanged."
run export -c "$T_URI" "$OFF"
cp "$OUT" "$D/again.yaml"
run apply -y -c "$T_URI" "$D/again.yaml"
run export -c "$T_URI" "$OFF"
check "export, apply, export: the same file" bash -c "diff -u '$D/again.yaml' '$OUT' >&2"

# ---- a daemon of our own, restarted ----
if ! command -v runuser >/dev/null || ! own_start; then
	not_ok "our own daemon (libvirtd as nobody) starts"
else
	OURI=$(own_uri)
	cat >"$D/own.xml" <<EOF2
<domain type='qemu'><name>${T_PREFIX}own</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
<os><type arch='x86_64'>hvm</type></os></domain>
EOF2
	virsh -q -c "$OURI" define "$D/own.xml" >/dev/null
	"$BUILD/vmtui" tag -c "$OURI" "${T_PREFIX}own" keep me >/dev/null 2>&1
	check "own daemon: tagged" eq "$(meta "${T_PREFIX}own" "$OURI")" "<guest><tag>keep</tag><tag>me</tag></guest>"
	vt_vmtui_bare 150 30 -c "$OURI" -d 1
	wait_screen '^NAME ' 30 >/dev/null
	only_ours
	check "own daemon: the TUI shows the tags" wait_screen "^ *${T_PREFIX}own .*keep,me *\$" 30
	own_stop
	check "own daemon stopped: the TUI says so" wait_screen 'down|retry|reconnect|cannot|not connected' 20
	own_start || not_ok "own daemon starts again"
	# Changed while the TUI was away (before it reconnects, or at once after).
	virsh -q -c "$OURI" metadata "${T_PREFIX}own" --uri "$NS" --key vmtui \
		--set '<guest><tag>keep</tag><tag>after</tag></guest>' --config >/dev/null
	run tag -c "$OURI" "${T_PREFIX}own"
	check "own daemon restarted: the tags are still there" has "$OUT" "tags: after keep"
	check "own daemon restarted: the TUI reconnects and reads them again" \
		wait_screen "^ *${T_PREFIX}own .*after,keep *\$" 40
	vt_stop
	virsh -q -c "$OURI" undefine "${T_PREFIX}own" >/dev/null 2>&1
fi

summary
