#!/usr/bin/env bash
# tests/fault/sec/upload.sh — `vmtui apply --yes` with a cloud-init seed,
# the private daemon killed in each step (volume, seed volume, 10% into the
# seed's upload, start): exit status 1 with a message naming the step, and
# after the daemon is back nothing is left but what the message lists to
# remove by hand.
#
# A section of the fault suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/fault/run.sh with the others. Env and helpers: ../faultlib.sh.
# shellcheck source=../faultlib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../faultlib.sh"

f_upload() {
	say "# 7. apply --yes with a cloud-init seed, the daemon killed mid-way"
	if ((!PRIV)); then
		say "    skipped: no private daemon (needs root and runuser, or VMTUI_FAULT_DAEMON=1)"
		return
	fi
	local d=$SCR_TMP/apply step n=0
	mkdir -p "$d"
	p_remove "${T_PREFIX}up"
	# 12 MiB of user data: the seed takes a while to upload
	{ echo '#cloud-config'; echo 'write_files:'; echo '  - path: /tmp/blob'; echo '    content: |'
	  head -c 9000000 /dev/urandom | base64 -w 76 | sed 's/^/      /'; } >"$d/user-data"
	[ -n "$P_RUN" ] && chown -R "$FAULT_USER:" "$d" && chmod 0755 "$SCR_TMP" "$d"
	for step in "volume ${T_PREFIX}up1-vda" "upload the cloud-init seed" ": 10% (" "start VM"; do
		n=$((n + 1))
		upload_case "$n" "$step" "$d"
	done
}
# upload_case N STEP DIR: apply VM ${T_PREFIX}upN; kill the daemon when
# stderr shows STEP; check the message and what is left.
upload_case() {
	local n=$1 step=$2 d=$3 vm=${T_PREFIX}up$1 rc left listed bad=""
	step=${step//up1/up$n}
	cat >"$d/$vm.yaml" <<EOF
name: $vm
type: qemu
memory: 64M
disks:
  - {size: 32M, pool: $P_POOL}
networks: []
boot:
  kernel: $FIX/vmlinuz
  initrd: $FIX/initrd.img
  cmdline: console=ttyS0 quiet
cloud_init:
  user_data_file: user-data
start: true
EOF
	[ -n "$P_RUN" ] && chown "$FAULT_USER:" "$d/$vm.yaml"
	# stderr line by line: SIGSTOP the daemon on the step (at once: its pid
	# is known), then SIGKILL it
	local dpid
	dpid=$(p_daemon_pid) || { not_ok "upload $n: no daemon pid"; return; }
	(cd "$d" && as_user "$BUILD/vmtui" apply -c "$P_URI" --yes "$vm.yaml" 2>&1 >"$d/out-$n" </dev/null
	 echo "RC=$?") | while IFS= read -r line; do
		if [[ $line == *"$step"* ]] && [ ! -e "$d/killed-$n" ]; then
			kill -STOP "$dpid"
			: >"$d/killed-$n"
			kill -KILL "$dpid"
		fi
		printf '%s\n' "$line" >>"$d/err-$n"
	done
	rc=$(sed -n 's/^RC=//p' "$d/err-$n")
	sed -i '/^RC=/d' "$d/err-$n"
	if [ ! -e "$d/killed-$n" ]; then
		not_ok "upload $n: the step '$step' never showed; stderr: $(tail -n 3 "$d/err-$n" | tr '\n' '|')"
		p_start
		return
	fi
	check "upload $n (daemon killed at '$step'): apply exits with status 1" test "$rc" = 1
	check "upload $n: the message names the VM and the step that failed" \
		grep -q "^vmtui: $vm: .*failed: " "$d/err-$n"
	p_start
	left=$({ pvsh list --all --name | grep -x "$vm"; pvsh vol-list "$P_POOL" | awk '{ print $1 }' | grep "^$vm"; } | sort)
	listed=$(grep -o 'by hand (virsh [^)]*)' "$d/err-$n")
	local x
	for x in $left; do
		grep -qF -- " $x)" <<<"$listed" || bad+="$x "
	done
	say "    rc=$rc; progress: $(grep -o '[0-9]*% (' "$d/err-$n" | tr -d '( ' | tr '\n' ' ')"
	say "    left after the daemon came back: $(echo ${left:-nothing}); $(grep '^vmtui:' "$d/err-$n" | cut -c1-600)"
	check "upload $n: after the daemon is back, nothing is left but what the message says to remove by hand" \
		test -z "$bad"
	# what the message says to run does remove it
	local cmd
	while IFS= read -r cmd; do
		[ -n "$cmd" ] || continue
		as_user bash -c "$cmd -c '$P_URI'" >/dev/null 2>&1 ||
			as_user bash -c "${cmd/virsh /virsh -c $P_URI }" >/dev/null 2>&1
	done < <(grep -o 'by hand (virsh [^)]*)' "$d/err-$n" | sed 's/^by hand (//; s/)$//')
	left=$({ pvsh list --all --name | grep -x "$vm"; pvsh vol-list "$P_POOL" | awk '{ print $1 }' | grep "^$vm"; } | sort)
	check "upload $n: the virsh commands of the message remove the leftovers" test -z "$left"
}

fault_main --private-daemon f_upload
