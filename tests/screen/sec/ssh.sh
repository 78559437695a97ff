#!/usr/bin/env bash
# tests/screen/sec/ssh.sh — a host over SSH (in-process libssh): the unknown
# host key asked in a dialog and recorded, guests and actions over the
# tunnel, a changed key refused, a hung host that never blocks the keys,
# sshd killed and back.
#
# A section of the screen suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/screen/run.sh with the others. Env and helpers: ../seclib.sh.
# shellcheck source=../seclib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../seclib.sh"

hung_pid=""
ssh_cleanup() {
	[ -n "$hung_pid" ] && kill "$hung_pid" 2>/dev/null
	hung_pid=""
	"$TOP/tests/ssh/sshd.sh" stop >/dev/null 2>&1
}
# At exit, also when interrupted: no listener or sshd left behind.
sec_cleanup() { ssh_cleanup; }
# A TCP listener that accepts and never says a word (holds for 120 s).
hung_listener() {
	local port=$1
	perl -MIO::Socket::INET -e '
		my $l = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => $ARGV[0],
			Listen => 5, ReuseAddr => 1) or die;
		my @c; my $end = time + 120;
		while (time < $end) { my $c = $l->accept or next; push @c, $c; }' "$port" &
	hung_pid=$!
}
sec_ssh() {
	say "# 16. a host over ssh"
	fix_states
	"$TOP/tests/ssh/sshd.sh" start >/dev/null || { not_ok "ssh: sshd starts"; return; }
	eval "$("$TOP/tests/ssh/sshd.sh" env)"
	local kh=$SCR_TMP/known_hosts cfg=$SCR_TMP/xdg/vmtui/config.yaml
	rm -f "$kh"
	mkdir -p "${cfg%/*}"
	printf 'hosts:\n  - name: lab\n    ssh: root@127.0.0.1:%s\n    key: %s\n' \
		"$SSHD_PORT" "$SSHD_KEY" >"$cfg"
	vt_start 120 30 env LANG=C.UTF-8 XDG_CONFIG_HOME="$SCR_TMP/xdg" XDG_STATE_HOME="$SCR_TMP/state" \
		HOME="$SCR_TMP" "$BUILD/vmtui" --known-hosts "$kh" -d 1
	check "ssh: an unknown host key is asked about with its SHA256 fingerprint" \
		wait_screen 'lab: The authenticity of host \[127\.0\.0\.1\]:[0-9]+ can.t' 15
	check "ssh: ... the fingerprint in OpenSSH's form" wait_screen 'SHA256:[A-Za-z0-9+/]{20}' 5
	vt_keys y
	check "ssh: after yes, the guests come over the tunnel" \
		wait_screen "^$(re "$T_IDLE") +running" 30
	check "ssh: the header names the SSH target" wait_screen '^lab  qemu:///system via ssh root@127' 5
	check "ssh: the key was recorded in the known_hosts file given" \
		grep -q '^\[127\.0\.0\.1\]:' "$kh"
	filter_ours
	nav_to "$T_IDLE" Home Down >/dev/null
	vt_keys P
	check "ssh: an action over SSH works (P pauses, virsh agrees)" wait_domstate "$T_IDLE" paused 15
	vt_keys U
	wait_domstate "$T_IDLE" running 15 >/dev/null
	"$TOP/tests/ssh/sshd.sh" kill >/dev/null
	check "ssh: sshd killed: the host shows DISCONNECTED, rows kept" \
		wait_screen 'DISCONNECTED.*showing last data' 30
	"$TOP/tests/ssh/sshd.sh" start >/dev/null
	check "ssh: sshd back: reconnects by itself, no question (key known)" \
		wait_screen '^lab  qemu:///system via ssh' 60
	vt_stop

	# A hung host beside a good one: keys are still answered at once.
	local hport=$((SSHD_PORT + 7)) i lat best=99999 max=0
	hung_listener "$hport"
	vt_start 120 30 env LANG=C.UTF-8 XDG_CONFIG_HOME="$SCR_TMP/xdg" XDG_STATE_HOME="$SCR_TMP/state" \
		HOME="$SCR_TMP" "$BUILD/vmtui" --known-hosts "$kh" -d 1 -H "root@127.0.0.1:$hport" \
		-c "$T_URI"
	wait_screen "^  $(re "$T_IDLE") +running" 30 >/dev/null
	for i in 1 2 3 4 5; do
		lat=$(key_latency '?' '^KEY +COMMAND')
		((lat < best)) && best=$lat
		((lat > max)) && max=$lat
		vt_esc
		wait_screen '^NAME +STATE' 3 >/dev/null
	done
	# The figure is printed, not held to a number (bench/keylat measures
	# it): on a loaded machine the best of 5 was 244 ms. What is checked is
	# that the keys are answered at all while the host hangs, within a
	# second each, long before its connection could time out.
	say "    hung host: key answers best ${best} ms, slowest ${max} ms"
	check "ssh: with a host that never answers, every key is answered within 1 s (slowest ${max} ms)" \
		test "$max" -lt 1000
	check "ssh: the other host keeps refreshing meanwhile" \
		wait_screen "^  $(re "$T_BUSY") +running +1 +[0-9]" 10
	vt_stop
	kill "$hung_pid" 2>/dev/null
	hung_pid=""

	"$TOP/tests/ssh/sshd.sh" rekey >/dev/null
	vt_start 120 30 env LANG=C.UTF-8 XDG_CONFIG_HOME="$SCR_TMP/xdg" XDG_STATE_HOME="$SCR_TMP/state" \
		HOME="$SCR_TMP" "$BUILD/vmtui" --known-hosts "$kh" -d 1
	check "ssh: a changed host key is refused with a warning, nothing asked" \
		wait_screen 'DISCONNECTED.*(WARNING|changed|CHANGED)' 20
	check "ssh: ... and no dialog offers to go on" wait_no_screen 'y: yes, trust' 2
	vt_stop
	ssh_cleanup
}

section_main sec_ssh
