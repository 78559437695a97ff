#!/usr/bin/env bash
# tests/screen/test_demo.sh — scripts/demo, the README's first command, run
# in a terminal as a newcomer runs it (tmux gives it a controlling
# terminal, where virsh would start polkit's text agent):
#   - it ends in vmtui, on the shared daemon, with demo-web and demo-db
#     running and demo-spare shut off;
#   - nothing it printed before vmtui says "Authorization not available"
#     (the agent's complaint on a host without a polkit daemon);
#   - run again, it reuses the guests; `scripts/demo --clean` removes them.
# What the demo made that was not there before (the default pool and
# network, its guests) is removed at the end.
#
# Env: BUILD is not used (the demo builds in build/ itself). Ends with
# "N passed, N failed"; exit status 1 if any check failed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

T0=$SECONDS
scr_need "demo screen test" tmux virsh
"$RS/daemon.sh" start >&2 || { not_ok "the daemon"; summary; exit 1; }
T_URI=$("$RS/daemon.sh" uri)
v() { virsh -q -c "$T_URI" "$@"; }
HAD_POOL=0 HAD_NET=0
v pool-info default >/dev/null 2>&1 && HAD_POOL=1
v net-info default >/dev/null 2>&1 && HAD_NET=1
demo_gone() {
	"$RS/guest.sh" cleanup demo- >/dev/null 2>&1
	if ((!HAD_POOL)); then v pool-destroy default >/dev/null 2>&1; v pool-undefine default >/dev/null 2>&1; fi
	if ((!HAD_NET)); then v net-destroy default >/dev/null 2>&1; v net-undefine default >/dev/null 2>&1; fi
}
scr_traps demo_gone
demo_gone

# The demo's whole output: tmux's history of the pane, vmtui's screen last.
history_has() { tm capture-pane -p -J -t scr -S -2000 2>/dev/null | grep -qF -- "$1"; }
no_polkit_noise() {
	! history_has "Authorization not available" || { WHY="the agent's complaint was printed"; return 1; }
}
demo_list() {
	_matches '^demo-web +running ' && _matches '^demo-db +running ' && _matches '^demo-spare +shut off '
}

run_demo() {
	vt_start 130 30 env -u LIBVIRT_DEFAULT_URI LANG=C.UTF-8 TERM=xterm-256color \
		XDG_CONFIG_HOME="$SCR_TMP/xdg" XDG_STATE_HOME="$SCR_TMP/state" \
		bash -c 'scripts/demo; echo "DEMO-RC=$?"; read -r _' || return 1
}

cd "$TOP" || exit 1
run_demo
check "scripts/demo ends in vmtui with the three demo guests" wait_for 240 "demo guests" demo_list
check "... and printed no 'Authorization not available'" no_polkit_noise
vt_keys q
check "q leaves vmtui, the demo's status 0" wait_for 10 "DEMO-RC=0" history_has "DEMO-RC=0"
vt_stop
check "virsh: demo-web running" eq "$(v domstate demo-web 2>/dev/null)" running
pool_there() { v pool-info default >/dev/null; }
check "virsh: the default pool exists" pool_there

run_demo
check "run again: the same guests, reused" wait_for 60 "demo guests" demo_list
check "... and no 'Authorization not available'" no_polkit_noise
vt_keys q
vt_stop
vt_start 130 10 bash -c 'scripts/demo --clean; echo "DEMO-RC=$?"; read -r _'
check "scripts/demo --clean: status 0" wait_for 120 "DEMO-RC=0" history_has "DEMO-RC=0"
check "... the demo guests are gone" eq "$(v list --all --name | grep -c '^demo-')" 0
vt_stop
say "demo test took $((SECONDS - T0)) s"
summary
