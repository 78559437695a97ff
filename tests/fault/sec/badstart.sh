#!/usr/bin/env bash
# tests/fault/sec/badstart.sh — bad start-up input on a terminal (--record
# into a missing folder, --replay of garbage, a missing -f config): status 1
# and the message, stty untouched; unreachable hosts (a bogus URI with ';',
# a 10 kB URI) shown DISCONNECTED, keys answered.
#
# A section of the fault suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/fault/run.sh with the others. Env and helpers: ../faultlib.sh.
# shellcheck source=../faultlib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../faultlib.sh"

f_badstart() {
	say "# 2b. bad start-up input on a terminal"
	shell_pane 120 30 || { not_ok "shell pane"; return; }
	vt_type "stty -g > $SCR_TMP/stty-before; clear"
	vt_keys Enter
	sleep 0.3
	printf 'garbage\n{"x":1}\n' >"$SCR_TMP/bad.rec"
	bad_start rec "vmtui: --record: cannot open /nonexistent/x: No such file or directory" \
		--record /nonexistent/x
	bad_start replay "vmtui: $SCR_TMP/bad.rec: no samples to replay" --replay "$SCR_TMP/bad.rec"
	bad_start cfg "vmtui: /nonexistent/c.yaml has errors; nothing was changed. Fix them or start with -f /dev/null." \
		-f /nonexistent/c.yaml
	# (in the shell: tmux does not always reap a pane's process that ends
	# right after a 10 kB line, bash does)
	local long
	long=bogus:///$(printf 'x%.0s' $(seq 10000))
	shell_run hosts "$(vmtui_cmd -c "'bogus:///a;b'" -c "$long" -d 0.5)"
	check "unreachable hosts: shown DISCONNECTED with libvirt's reason, the real one connected" \
		wait_for 15 "hosts" bad_hosts
	check "unreachable hosts: keys answered (? shows the help)" keys_answered
	vt_esc
	vt_keys q
	check "unreachable hosts: q quits with status 0" rc_is hosts 0
	check "unreachable hosts: stty -g as before" cmp -s "$SCR_TMP/stty-before" "$SCR_TMP/stty-hosts"
	vt_stop
}
rc_is() { wait_mark "$1" 15 && [ "$(shell_rc "$1")" = "$2" ]; }
bad_hosts() {
	_matches "^. bogus:///a;b +DISCONNECTED, retry in [0-9]+s: no connection driver available for bogus:///a;b" ||
		{ WHY="no DISCONNECTED bogus:///a;b with libvirt's reason"; return 1; }
	_matches "^. bogus:///xxxxxxxxxx" || { WHY="no heading of the 10 kB URI"; return 1; }
	_matches "$(re "$T_URI") .*VMs" || { WHY="$T_URI not connected"; return 1; }
}
# bad_start TAG MESSAGE ARGS...: vmtui ARGS in the shell pane ends with
# status 1 and MESSAGE, stty as before.
bad_start() {
	local tag=$1 msg=$2 a
	shift 2
	printf -v a '%q ' "$@"
	shell_run "$tag" "env -u NO_COLOR XDG_CONFIG_HOME=$SCR_TMP/xdg XDG_STATE_HOME=$SCR_TMP/state $BUILD/vmtui $a"
	if ! wait_mark "$tag" 10; then
		not_ok "bad start $tag: vmtui did not end"
		vt_keys q
		return
	fi
	check "bad start $tag: status 1, '$msg'" bad_said "$tag" "$msg"
	check "bad start $tag: stty -g as before" cmp -s "$SCR_TMP/stty-before" "$SCR_TMP/stty-$tag"
	check "bad start $tag: normal screen, cursor on" modes_normal
	vt_keys C-l
	wait_screen '^\$ *$' 5 >/dev/null
}
bad_said() {
	[ "$(shell_rc "$1")" = 1 ] || { say "    status '$(shell_rc "$1")'"; return 1; }
	tm capture-pane -p -J -t scr -S -200 | grep -B3 "^RC-$1=" | grep -qF -- "$2" || {
		say "    before RC-$1: $(tm capture-pane -p -J -t scr -S -200 | grep -B3 "^RC-$1=" | tr '\n' '|')"
		return 1
	}
}

fault_main f_badstart
