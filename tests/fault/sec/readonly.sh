#!/usr/bin/env bash
# tests/fault/sec/readonly.sh — with -r every mutating key (S H R F P U A Z,
# T then c r x, Y D N o C) is refused with a message and virsh shows nothing
# changed; the CLI subcommands that take -r refuse too.
#
# A section of the fault suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/fault/run.sh with the others. Env and helpers: ../faultlib.sh.
# shellcheck source=../faultlib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../faultlib.sh"

ro_state() { # what virsh says of our guests: state, autostart, snapshots; and the domain list
	local g
	for g in "$G_IDLE" "$G_KILL" "$G_OFF"; do
		printf '%s %s %s snaps=%s\n' "$g" "$(domstate "$g" | tr ' ' _)" \
			"$(vsh dominfo "$g" | awk '/^Autostart:/ { print $2 }')" \
			"$(vsh snapshot-list --name "$g" 2>/dev/null | tr '\n' ,)"
	done
	vsh list --all --name | grep "^$T_PREFIX" | sort | tr '\n' ' '
	echo
}
f_readonly() {
	say "# 5. read-only: every mutating action refused"
	guests_up || { not_ok "guests up"; return; }
	vsh snapshot-create-as "$G_OFF" ro-keep >/dev/null 2>&1
	local before after k
	before=$(ro_state)
	fault_vmtui 120 30 "$T_PREFIX" -r -d 1 || return
	check "read-only: header says READ-ONLY" wait_screen '^vmtui .*READ-ONLY' 5
	# a running guest: S H R F P U A
	check "read-only: $G_IDLE selected" select_guest "$G_IDLE"
	for k in "H:shutdown" "R:reboot" "F:force off" "P:pause" "U:resume" "A:change autostart of" "S:start"; do
		vt_keys "${k%%:*}"
		check "read-only: ${k%%:*} is refused ('Cannot ${k#*:} $G_IDLE: vmtui runs read-only (-r)')" \
			wait_screen "^Cannot ${k#*:} $(re "$G_IDLE"): vmtui runs read-only \(-r\)" 5
		_no_match 'Force off .*\?' || not_ok "read-only: ${k%%:*} opened a dialog"
	done
	vt_keys o
	check "read-only: o (open definitions) is refused, no prompt" \
		wait_screen '^Cannot create guests: vmtui runs read-only \(-r\); restart without -r to change guests\.' 5
	_no_match '^Open VM definitions' || not_ok "read-only: o opened the prompt"
	vt_keys Z
	check "read-only: Z (resize) is refused" \
		wait_screen "^Cannot resize $(re "$G_IDLE"): vmtui runs read-only \(-r\)" 5
	vt_keys Y
	check "read-only: Y (clone) is refused" \
		wait_screen "^Cannot clone $(re "$G_IDLE"): vmtui runs read-only \(-r\)" 5
	vt_keys D
	check "read-only: D (delete) is refused" \
		wait_screen "^Cannot delete $(re "$G_IDLE"): vmtui runs read-only \(-r\)" 5
	vt_keys N
	check "read-only: N (new VM) is refused" \
		wait_screen '^Cannot create guests: vmtui runs read-only \(-r\); restart without -r to change guests\.' 5
	vt_keys C
	check "read-only: C (console) is refused" \
		wait_screen "^Cannot open the console of $(re "$G_IDLE"): vmtui runs read-only" 5
	# the shut-off guest with a snapshot: T lists, c r x are refused
	select_guest "$G_OFF" || not_ok "read-only: $G_OFF selected ($WHY)"
	vt_keys S
	check "read-only: S on the shut-off guest is refused" \
		wait_screen "^Cannot start $(re "$G_OFF"): vmtui runs read-only \(-r\)" 5
	vt_keys T
	check "read-only: T shows the snapshots (ro-keep listed)" wait_screen 'ro-keep' 10
	for k in "c:create a snapshot" "r:revert to a snapshot" "x:delete a snapshot"; do
		vt_keys "${k%%:*}"
		check "read-only: T then ${k%%:*} is refused ('Cannot ${k#*:}: vmtui runs read-only')" \
			wait_screen "^Cannot ${k#*:}: vmtui runs read-only \(-r\)" 5
	done
	vt_esc
	sleep 2 # a refresh or two: anything sent would have acted by now
	after=$(ro_state)
	check "read-only: virsh shows nothing changed (states, autostart, snapshots, domain list)" \
		test "$before" = "$after"
	[ "$before" = "$after" ] || say "    before: $before"$'\n'"    after:  $after"
	vt_keys q
	vt_stop

	# the subcommands that take -r
	ro_cli "resize -r: refused, showing what would change" \
		"vmtui: cannot resize $G_OFF: vmtui runs read-only (-r); nothing was changed. Drop -r to change it." \
		resize -r -c "$T_URI" "$G_OFF" --vcpus 2
	check "read-only cli: ... and says what it would change" grep -q "^$G_OFF: would change vCPUs" "$SCR_TMP/out"
	ro_cli "snapshot create -r: refused" \
		"vmtui: cannot create a snapshot of $G_OFF: vmtui runs read-only (-r); nothing was changed." \
		snapshot create -r -c "$T_URI" "$G_OFF" ro-new
	ro_cli "snapshot revert -r: refused" \
		"vmtui: cannot revert a snapshot of $G_OFF: vmtui runs read-only (-r); nothing was changed." \
		snapshot revert -r -y -c "$T_URI" "$G_OFF" ro-keep
	ro_cli "snapshot delete -r: refused" \
		"vmtui: cannot delete a snapshot of $G_OFF: vmtui runs read-only (-r); nothing was changed." \
		snapshot delete -r -y -c "$T_URI" "$G_OFF" ro-keep
	ro_cli "clone -r: refused" \
		"vmtui: cannot clone $G_OFF: vmtui runs read-only (-r); nothing was changed." \
		clone -r -c "$T_URI" "$G_OFF" "${T_PREFIX}ro-clone"
	ro_cli "delete -r: refused" \
		"vmtui: cannot delete $G_OFF: vmtui runs read-only (-r); nothing was changed." \
		delete -r -c "$T_URI" "$G_OFF" --yes-i-typed "$G_OFF"
	"$BUILD/vmtui" snapshot list -r -c "$T_URI" "$G_OFF" >"$SCR_TMP/out" 2>&1 </dev/null
	check "read-only cli: snapshot list -r works (ro-keep listed)" grep -q ' ro-keep ' "$SCR_TMP/out"
	after=$(ro_state)
	check "read-only cli: virsh shows nothing changed" test "$before" = "$after"
	vsh snapshot-delete "$G_OFF" ro-keep >/dev/null 2>&1
}

# ro_cli DESC MESSAGE ARGS...: vmtui ARGS exits 1 with MESSAGE on stderr.
ro_cli() {
	local desc=$1 msg=$2 rc
	shift 2
	"$BUILD/vmtui" "$@" >"$SCR_TMP/out" 2>"$SCR_TMP/err" </dev/null
	rc=$?
	if [ "$rc" = 1 ] && grep -qF -- "$msg" "$SCR_TMP/err"; then
		ok "read-only cli: $desc (status 1)"
	else
		not_ok "read-only cli: $desc (status $rc, want 1; stderr: $(head -c 300 "$SCR_TMP/err"))"
	fi
}

fault_main f_readonly
