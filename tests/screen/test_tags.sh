#!/usr/bin/env bash
# tests/screen/test_tags.sh — tags and notes in the TUI, through tmux on
# libvirt's test driver (three guests: web-1 tagged web and prod with a
# two-line note, db-1 tagged db and prod, lab untagged):
#   - the TAGS column shows each guest's tags, and is the first column to
#     go on a narrow terminal;
#   - the /tag:prod filter (and tag:we*);
#   - = groups the list by tag (a guest under each of its tags, untagged
#     last) and = again by host;
#   - the detail view shows the tags and the note;
#   - # opens the dialog: a bad tag is refused in it (nothing written), a
#     good change is written (the column, the detail view and the action
#     log's virsh line show it; the test driver keeps it per connection,
#     so the real-daemon suite checks it from outside), Esc
#     leaves the guest as it was.
# Env: BUILD (default build/). Ends with "N passed, N failed".
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

scr_traps
scr_need "tags" tmux

NS=https://vmtui.org/xmlns/guest/1
NODE=$SCR_TMP/node.xml
dom() { # NAME UUID-TAIL METADATA
	cat <<EOF2
<domain type='test'><name>$1</name><uuid>5ca1ab1e-0000-4000-8000-0000000000$2</uuid>$3
<memory unit='MiB'>256</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>
EOF2
}
{
	echo "<node>"
	dom web-1 11 "<metadata><vmtui:guest xmlns:vmtui='$NS'><vmtui:tag>web</vmtui:tag><vmtui:tag>prod</vmtui:tag><vmtui:note>Owned by ops.
Ask before rebooting.</vmtui:note></vmtui:guest></metadata>"
	dom db-1 12 "<metadata><vmtui:guest xmlns:vmtui='$NS'><vmtui:tag>db</vmtui:tag><vmtui:tag>prod</vmtui:tag></vmtui:guest></metadata>"
	dom lab 13 ""
	echo "</node>"
} >"$NODE"
T_URI=test://$NODE

# row NAME: the guest's line of the list (first match).
row() { vt_grab; grep -E "^ *$1 " <<<"$SCREEN" | head -1; }
row_has() { row "$1" | grep -qE -- "$2" || { say "  row $1: $(row "$1")"; false; }; }
no_row() { vt_grab; ! grep -qE "^ *$1 " <<<"$SCREEN" || { say "  $1 still listed"; false; }; }
run_done() { vt_grab; grep -qE '^bulk tag .* 3 done +0 failed .*finished' <<<"$SCREEN" || { say "  $(grep '^bulk' <<<"$SCREEN")"; false; }; }
lines_in_order() { # PATTERN... appear in this order, each on a line of its own
	local prev=0 n p
	vt_grab
	for p in "$@"; do
		n=$(grep -nE -- "$p" <<<"$SCREEN" | awk -F: -v after="$prev" '$1 > after { print $1; exit }')
		[ -n "$n" ] || { say "  /$p/ not after line $prev"; sed 's/^/  | /' <<<"$SCREEN" >&2; return 1; }
		prev=$n
	done
}

vt_vmtui 130 30 -d 1 && wait_screen '^ *lab +running' 15 >/dev/null

# ---- the column ----
check "TAGS column title" wait_screen 'UPTIME +TAGS' 5
check "web-1's tags in its row" eventually 5 row_has web-1 'prod,web *$'
check "db-1's tags in its row" row_has db-1 'db,prod *$'
check "lab has none" row_has lab 'running .*[0-9s-] *$'

# ---- the filter ----
vt_keys /
vt_type "tag:prod"
vt_keys Enter
check "/tag:prod: web-1 shown" eventually 5 row_has web-1 'prod'
check "/tag:prod: db-1 shown" row_has db-1 'prod'
check "/tag:prod: lab hidden" no_row lab
vt_keys Escape
check "Esc clears the filter" eventually 5 row_has lab running
vt_keys /
vt_type "tag:we*"
vt_keys Enter
check "/tag:we*: only web-1" eventually 5 no_row db-1
check "/tag:we*: web-1 shown" row_has web-1 web
vt_keys Escape
wait_screen '^ *lab ' 5 >/dev/null

# ---- grouping ----
vt_keys =
check "= groups by tag, untagged last" eventually 5 lines_in_order '^. tag db +1 guest$' '^  db-1 ' \
	'^. tag prod +2 guests$' '^  db-1 ' '^  web-1 ' '^. tag web +1 guest$' '^  web-1 ' \
	'^. \(no tag\) +1 guest$' '^  lab '
check "= says so" wait_screen 'Grouped by tag' 5
# Moving down through a guest listed twice goes on to the next row: the
# fifth line is web-1 under prod (db-1 came twice before it).
vt_keys Home j j j j Enter
check "selection moves past a guest listed twice" wait_screen 'web-1' 5
check "... to the detail of web-1" wait_screen '^Tags: prod web$' 5
vt_keys Escape
vt_keys Home Enter
check "Enter on a tag's heading folds nothing" eventually 3 lines_in_order '^. tag db +1 guest$' '^  db-1 '
vt_keys =
check "= again: back by host (no tag headings)" wait_no_screen '^. tag prod' 5

# ---- the detail view ----
vt_keys Home
wait_screen '^ *db-1' 5 >/dev/null
vt_keys End
vt_keys Enter
check "detail: the tags" wait_screen '^Tags: prod web$' 5
check "detail: the note, line by line" lines_in_order '^Note:$' '^  Owned by ops\.$' '^  Ask before rebooting\.$'
vt_keys Escape

# ---- the dialog ----
vt_keys Home
wait_screen '^ *db-1' 5 >/dev/null
vt_keys '#'
check "# opens the dialog" wait_screen '^Tags and note of db-1' 5
check "the tags field holds the tags" wait_screen '^Tags: +db prod' 3
vt_keys C-u
vt_type "db Prod"
vt_keys Enter
check "a bad tag is refused in the dialog" wait_screen 'Tag "Prod": tags are lower case' 5
vt_keys C-u
vt_type "db staging"
vt_keys Tab
vt_type 'line one\nline two'
vt_keys Enter
check "the dialog closes on a good change" wait_no_screen '^Tags and note of db-1' 5
check "the column shows the new tags" eventually 10 row_has db-1 'db,staging *$'
vt_keys Enter
check "the detail view sees the new tags" wait_screen '^Tags: db staging$' 5
check "... and the note's two lines" lines_in_order '^Note:$' '^  line one$' '^  line two$'
vt_keys Escape
vt_keys L
check "the action log: the change and its virsh line" \
	wait_screen "tag db-1 \\(db, staging; note set\\): done" 5
check "... virsh metadata --set" wait_screen "\\$ virsh -c test://.*node\\.xml metadata db-1 --uri $NS" 5
vt_keys L
vt_keys '#'
wait_screen '^Tags and note of db-1' 5 >/dev/null
check "the note shows with \\n" wait_screen '^Note: +line one\\nline two' 3
vt_type " extra #2 = x"
check "# and = type in the form" wait_screen '^Tags: +db staging extra #2 = x' 3
vt_keys Escape
check "Esc: left as it was" wait_screen 'left as they were' 5
check "Esc wrote nothing" row_has db-1 'db,staging *$'

# ---- # on the marked guests: +add -remove on each ----
vt_keys '\;'
wait_screen '^Marks: ' 5 >/dev/null
vt_keys g
wait_screen '^Mark by name glob:' 5 >/dev/null
vt_type '*'
vt_keys Enter
check "marks: every guest marked by the glob *" wait_screen '^vmtui .*3 marked' 5
vt_keys '#'
check "# with guests marked asks +add -remove" wait_screen '^Tags \+add -remove:' 5
vt_type '+team -prod'
vt_keys Enter
check "... one confirmation for the 3" wait_screen 'tag \+team -prod on 3 guests\?' 5
vt_keys y
check "... each one done" eventually 15 run_done
# (each run's thread has a connection of its own: on the test driver that
# is a driver of its own, so the rows here keep their tags; test_marks.sh
# checks the tags written on real guests)
vt_keys Escape
vt_keys '\;'
wait_screen '^Marks: ' 5 >/dev/null
vt_keys c
wait_no_screen '^vmtui .* marked' 5 >/dev/null

# ---- a narrow terminal ----
vt_vmtui 80 24 -d 1 && wait_screen '^ *lab +running' 15 >/dev/null
check "80 columns: TAGS is the first column dropped" wait_no_screen 'TAGS' 3
check "80 columns: UPTIME still shown" wait_screen 'UPTIME' 3

summary
