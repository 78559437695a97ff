#!/usr/bin/env bash
# tests/screen/test_migrate.sh — the migrate dialog (M) through tmux, with
# two hosts named in config.yaml: src (the shared daemon) and dst (a second
# daemon of this machine, tests/realstack/daemon2.sh, which cannot see our
# guest's folder: its disk must be copied). A running guest ${P}g whose
# folder is a pool on both:
#   - M with one host shown: refused, the status line says how to add one;
#   - M: the dialog names the guest and its host, the target dst;
#   - mode offline on the running guest: the plan fails on its state, the
#     fix under it; nothing moved (virsh on both);
#   - auto mode, disks copied: the plan's disk line, "Enter: migrate now",
#     then the progress line, the outcome; Esc lands on the guest's row
#     under dst, running; virsh agrees; the source has it no more.
# Env: BUILD (default build/), T_PREFIX (default vmtui-mig-s-).
# Ends with "N passed, N failed".
set -uo pipefail

: "${T_PREFIX:=vmtui-mig-s-}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

P=$T_PREFIX
G=${P}g
M=/var/tmp/${P%-}-test
export VMTUI_D2_DIR=$M/d2 VMTUI_D2_PRIVATE=$M/local
U2=

v() { virsh -q -c "$T_URI" "$@"; }
v2() { virsh -q -c "$U2" "$@"; }
state() { virsh -q -c "$1" domstate "$2" 2>/dev/null | head -n1; }

remove_ours() {
	local u
	for u in "${T_URI:-}" "$U2"; do
		[ -n "$u" ] || continue
		virsh -q -c "$u" destroy "$G" >/dev/null 2>&1
		virsh -q -c "$u" undefine "$G" >/dev/null 2>&1
		virsh -q -c "$u" pool-destroy "$G" >/dev/null 2>&1
		virsh -q -c "$u" pool-undefine "$G" >/dev/null 2>&1
	done
	"$TOP/tests/realstack/daemon2.sh" stop >/dev/null 2>&1
	rm -rf "$M"
}
scr_traps remove_ours
scr_need "migration" tmux

setup() {
	stack_base_up >/dev/null || return 1
	remove_ours
	mkdir -p "$M/local" && chmod 0755 "$M" "$M/local" || return 1
	"$TOP/tests/realstack/daemon2.sh" start >&2 || return 1
	U2=$("$TOP/tests/realstack/daemon2.sh" uri)
	VMTUI_GUESTS_DIR=$M/local "$RS/guest.sh" define "$G" --net user >&2 || return 1
	v pool-define-as "$G" dir --target "$M/local/$G" >/dev/null && v pool-start "$G" >/dev/null ||
		return 1
	mkdir -p "$M/d2/private/1/$G" && chmod 0755 "$M/d2/private/1/$G" &&
		v2 pool-define-as "$G" dir --target "$M/local/$G" >/dev/null &&
		v2 pool-start "$G" >/dev/null || return 1
	VMTUI_GUESTS_DIR=$M/local "$RS/guest.sh" start "$G" --wait 300 >&2 || return 1
	mkdir -p "$SCR_TMP/xdg/vmtui"
	cat >"$SCR_TMP/xdg/vmtui/config.yaml" <<EOF
hosts:
  - name: src
    uri: $T_URI
  - name: dst
    uri: $U2
EOF
}

if ! setup; then
	not_ok "setup: the second daemon, our guest and its pools"
	summary
	exit 1
fi

# vmtui on the hosts of ARGS, filtered to our guest, selected.
open_on() {
	vt_vmtui_bare 130 45 -d 1 "$@" || return 1
	wait_screen "$(re "$(shown "$G")")" 40 >/dev/null || return 1
	vt_keys /
	wait_screen '^Filter:' 5 >/dev/null || return 1
	vt_type "$G"
	vt_keys Enter
	wait_for 15 "row $G" g_row_is "" || return 1
	vt_keys Home
	# with several hosts Home selects the first host's heading: the guest
	# is the row below it
	wait_for 2 "$G selected" selected_is_g >/dev/null 2>&1 && return 0
	vt_keys Down
	wait_for 5 "$G selected" selected_is_g
}
# Rows are indented under their host's heading when there are several.
sel_name() { selected_line | sed -E 's/^\*? *([^ ]+) .*/\1/'; }
selected_is_g() { [ "$(sel_name)" = "$(shown "$G")" ] || { WHY="selected '$(sel_name)'"; false; }; }
# g_row_is STATE: our guest's row shows STATE (any, when empty); HOST is
# set to the heading it is under.
g_row_is() {
	HOST=$(awk -v g="$(shown "$G")" -v st="$1" '
		/^[^ *]/ && / VMs/ { h = $0 }
		{ s = $0; sub(/^\*/, "", s); sub(/^ +/, "", s); split(s, f, " ")
		  if (f[1] == g && (st == "" || f[2] == st)) { found = h; hit = 1 } }
		END { if (hit) print (found == "" ? "-" : found); else exit 1 }' <<<"$SCREEN") ||
		{ WHY="no row $G${1:+ $1}"; return 1; }
}

# One host: M says there is no other.
if open_on -c "$T_URI"; then
	vt_keys M
	check "M with one host: refused, how to add one" wait_screen "no other host\. Add the target" 10
else
	not_ok "vmtui on one host, $G selected"
fi

if ! open_on; then
	not_ok "vmtui on src and dst, $G selected"
	summary
	exit 1
fi
vt_keys M
check "M opens the dialog" wait_screen "^Migrate $(re "$G") from src" 10
check "the target is dst" wait_screen "^Target +< dst >" 5
check "it says the source must reach the target" wait_screen "the source must reach the target" 5

vt_keys Down Right Right Right
check "mode offline chosen" wait_screen "^Mode +< offline" 5
vt_keys Enter
check "the pre-flight fails on the state" wait_screen "FAIL +guest state: .*is running" 60
check "the fix is under it" wait_screen "fix: shut it down first" 5
check "it says nothing was changed" wait_screen "The pre-flight failed: nothing was changed" 5
vt_keys Enter
check "still running on the source" eq "$(state "$T_URI" "$G")" running
check "nothing on the target" eq "$(v2 list --all --name | grep -c "^$G$")" 0

vt_keys Left Left Left Down Space
check "auto mode again" wait_screen "^Mode +< auto" 5
check "disks copied" wait_screen "^Disks +\( \) shared storage +\(\*\) copy" 5
vt_keys Enter
check "the plan copies vda into the target's pool" \
	wait_screen "ok +disk: vda: copied into pool $(re "$G")" 60
check "the plan offers to migrate" wait_screen "Enter: migrate now" 5
vt_keys Enter
check "the progress line" wait_screen "^Migrating live: (starting|memory|disks|finishing)" 30
check "the outcome" wait_screen "Migrated $(re "$G") live to" 300
check "the guest runs on the target" eq "$(state "$U2" "$G")" running
check "the source has it no more" eq "$(v list --all --name | grep -c "^$G$")" 0
vt_esc
check "back in the list, on the guest" wait_for 20 "$G selected" selected_is_g
check "its row says running" wait_for 20 "$G running" g_row_is running
check "the row is under dst now" eval '[[ $HOST =~ (^|[^a-z])dst([^a-z]|$) ]] || { say "  heading: $HOST"; false; }'
summary
