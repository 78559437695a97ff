#!/usr/bin/env bash
# test_net.sh — `vmtui net` against the real daemon, checked with virsh:
#   - NAT, isolated and routed networks created (XML as asked: forward
#     mode, bridge, addresses, DHCP), started, stopped, autostart off and
#     on, deleted; list, info and --json; refusals (name taken, bad cidr,
#     no terminal, wrong name typed, read-only, options of another action);
#   - a real guest (tests/realstack/guest.sh, udhcpc at boot) on the NAT
#     network gets a DHCP lease that `vmtui net leases` shows against it;
#     deleting the network is refused while it runs (--force overrides);
#     its MAC pinned to another address (live and saved), the guest
#     destroyed and started: it gets the pinned address; unpinned;
#   - -H: create, list and delete through a throwaway sshd of our own
#     (tests/ssh/sshd.sh, an agent holding its key); an unknown host key
#     is refused without a terminal.
# Networks use 192.168.231-234.0/24 and bridges vmtnet-*; every network
# and guest is named vmtuitest-net-* and removed at the end.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

P=vmtuitest-net-
NAT=${P}nat
ISO=${P}iso
RT=${P}rt
G=${P}guest
MAC=52:54:00:7e:57:01
PIN=192.168.231.77
run_files net

v() { virsh -q -c "$T_URI" "$@"; }

remove_ours() {
	local n
	remove_guests "$P" "${P}nopool"
	for n in $(v net-list --all --name 2>/dev/null | grep "^$P"); do
		v net-destroy "$n" >/dev/null 2>&1
		v net-undefine "$n" >/dev/null 2>&1
	done
}
SSHD_ON=""
net_cleanup() {
	[ -z "$SSHD_ON" ] || "$TOP/tests/ssh/sshd.sh" stop >/dev/null 2>&1
	[ -z "${SSH_AGENT_PID:-}" ] || kill "$SSH_AGENT_PID" 2>/dev/null
	remove_ours
	ip link del vmtnet-hb 2>/dev/null
	rm -rf "$D"
}
refused() {
	local what=$1 want=$2
	check "$what: exit 1" eq "$RC" 1
	check "$what: the message" is "$ERR" "$want"
}
on_tty() {
	local text=$1 cmd
	shift
	printf -v cmd '%q ' "$VMTUI" "$@"
	printf '%s\n' "$text" | script -qec "$cmd" /dev/null >"$OUT" 2>&1
	RC=$?
}
net_state() { v net-info "$1" 2>/dev/null | awk '/^Active:/ { print $2 }'; }
net_auto() { v net-info "$1" 2>/dev/null | awk '/^Autostart:/ { print $2 }'; }
exists() { v net-info "$1" >/dev/null 2>&1 && echo yes; }
# leases_have TEXT: `vmtui net leases NAT` has TEXT on the guest's MAC's line.
leases_have() {
	"$VMTUI" net leases -c "$T_URI" "$NAT" >"$D/leases" 2>&1 &&
		grep "^$MAC " "$D/leases" | grep -qF -- "$1"
}

stack_base_up || { say "cannot set up the daemon"; echo "0 passed, 1 failed"; exit 1; }
trap net_cleanup EXIT
trap 'exit 130' INT TERM HUP
remove_ours

# ---- NAT ----

run net create -c "$T_URI" "$NAT" --forward nat --cidr 192.168.231.0/24 \
	--dhcp-start 192.168.231.100 --dhcp-end 192.168.231.200 --bridge vmtnet-nat
check "create nat: exit 0" eq "$RC" 0
check "create nat: what it did" is "$OUT" \
"Network $NAT created (nat, 192.168.231.0/24), started, starts at boot.
(virsh: virsh -c $T_URI net-define $NAT.xml; virsh -c $T_URI net-start $NAT; virsh -c $T_URI net-autostart $NAT)"
check "create nat: running" eq "$(net_state "$NAT")" yes
check "create nat: autostart" eq "$(net_auto "$NAT")" yes
v net-dumpxml "$NAT" >"$D/nat.xml"
check "create nat: forward nat" grep -q "<forward mode='nat'" "$D/nat.xml"
check "create nat: the bridge" grep -q "<bridge name='vmtnet-nat'" "$D/nat.xml"
check "create nat: the DHCP range" grep -q "<range start='192.168.231.100' end='192.168.231.200'" "$D/nat.xml"
check "create nat: the bridge device is there" eq "$(ip -br link show vmtnet-nat | cut -d" " -f1)" vmtnet-nat

run net create -c "$T_URI" "$NAT" --cidr 192.168.234.0/24
refused "create, name taken" "vmtui: There is a network $NAT already; pick another name."
run net create -c "$T_URI" "${P}bad" --cidr 192.168.300.0/24
refused "create, bad cidr" \
	"vmtui: Cannot create network ${P}bad: cidr must be an IPv4 network like 192.168.100.0/24."
run net create -c "$T_URI" -r "${P}ro" --cidr 192.168.234.0/24
refused "create, read-only" \
	"vmtui: cannot create network ${P}ro: vmtui runs read-only (-r); nothing was changed. Drop -r to change it."
check "refusals made nothing" eq "$(exists "${P}bad")$(exists "${P}ro")" ""

# ---- isolated and routed ----

run net create -c "$T_URI" "$ISO" --forward isolated --cidr 192.168.232.0/24 --no-dhcp \
	--bridge vmtnet-iso --no-autostart
check "create isolated: exit 0" eq "$RC" 0
v net-dumpxml "$ISO" >"$D/iso.xml"
check "create isolated: no forward" eq "$(grep -c '<forward' "$D/iso.xml")" 0
check "create isolated: no DHCP" eq "$(grep -c '<dhcp' "$D/iso.xml")" 0
check "create isolated: autostart off" eq "$(net_auto "$ISO")" no

run net create -c "$T_URI" "$RT" --forward route --cidr 192.168.233.0/24 --bridge vmtnet-rt \
	--no-start
check "create route: exit 0" eq "$RC" 0
check "create route: not started" eq "$(net_state "$RT")" no
check "create route: forward route" grep -q "<forward mode='route'" <(v net-dumpxml "$RT")
run net start -c "$T_URI" "$RT"
check "start: exit 0" eq "$RC" 0
check "start: what it did" is "$OUT" "Network $RT started.
(virsh: virsh -c $T_URI net-start $RT)"
check "start: running" eq "$(net_state "$RT")" yes
run net start -c "$T_URI" "$RT"
refused "start, running already" "vmtui: Network $RT is running already."

run net list -c "$T_URI"
check "list: exit 0" eq "$RC" 0
check "list: nat row" grep -qE "^$NAT +active +yes +yes +nat +vmtnet-nat +192\.168\.231\.1/24 +192\.168\.231\.100-192\.168\.231\.200 +0 +-\$" "$OUT"
check "list: isolated row" grep -qE "^$ISO +active +no +yes +isolated +vmtnet-iso +192\.168\.232\.1/24 +- +0 +-\$" "$OUT"
check "list: route row" grep -qE "^$RT +active +yes +yes +route +vmtnet-rt " "$OUT"
run net list -c "$T_URI" --json
check "list --json: valid JSON with our three" eq "$(python3 -c 'import json,sys
l=json.load(open(sys.argv[1])); print(" ".join(sorted(n["forward"] for n in l if n["name"].startswith(sys.argv[2]))))' "$OUT" "$P")" "isolated nat route"
run net info -c "$T_URI" "$ISO"
check "info: forward and DHCP" grep -qzE "Forward: +isolated.*DHCP: +-" "$OUT"

run net stop -c "$T_URI" "$RT"
check "stop, no guests: exit 0 without a question" eq "$RC" 0
check "stop: stopped" eq "$(net_state "$RT")" no
run net autostart -c "$T_URI" "$RT" --disable
check "autostart --disable: exit 0" eq "$RC" 0
check "autostart --disable: off" eq "$(net_auto "$RT")" no
check "autostart --disable: virsh" has "$OUT" "(virsh: virsh -c $T_URI net-autostart $RT --disable)"
run net autostart -c "$T_URI" "$RT"
check "autostart: on" eq "$(net_auto "$RT")" yes

run net delete -c "$T_URI" "$RT"
refused "delete without a terminal" \
	"vmtui: not deleting network $RT: confirm with --yes-i-typed followed by its exact name, or run this on a terminal to type it."
on_tty "${RT}x" net delete -c "$T_URI" "$RT"
check "delete, wrong name typed: exit 1" eq "$RC" 1
check "delete, wrong name typed: asks" has "$OUT" "Type the name of the network to delete it: "
check "delete, wrong name typed: still there" eq "$(exists "$RT")" yes
on_tty "$RT" net delete -c "$T_URI" "$RT"
check "delete, name typed: exit 0" eq "$RC" 0
check "delete: gone" eq "$(exists "$RT")" ""
run net delete -c "$T_URI" "$ISO" --yes-i-typed "$ISO"
check "delete running isolated: exit 0" eq "$RC" 0
check "delete running isolated: virsh" has "$OUT" \
	"(virsh: virsh -c $T_URI net-destroy $ISO; virsh -c $T_URI net-undefine $ISO)"
check "delete running isolated: gone" eq "$(exists "$ISO")" ""

# ---- a host bridge ----

if ip link add vmtnet-hb type bridge 2>/dev/null; then
	run net create -c "$T_URI" "${P}hb" --forward bridge --bridge vmtnet-hb
	check "create bridge: exit 0" eq "$RC" 0
	check "create bridge: forward bridge on the host's bridge" grep -qzE \
		"<forward mode='bridge'/>.*<bridge name='vmtnet-hb'/>" <(v net-dumpxml "${P}hb")
	run net info -c "$T_URI" "${P}hb"
	check "info bridge: forward and bridge" grep -qzE "Forward: +bridge.*Bridge: +vmtnet-hb" "$OUT"
	run net delete -c "$T_URI" "${P}hb" --yes-i-typed "${P}hb"
	check "delete bridge: gone" eq "$(exists "${P}hb")" ""
	ip link del vmtnet-hb
else
	say "not tested: a network on a host bridge (cannot add bridge vmtnet-hb here)"
fi

# ---- a guest's lease, pinned ----

"$RS/guest.sh" define "$G" --net "network:$NAT" --mac "$MAC" >&2 &&
	"$RS/guest.sh" start "$G" --wait 90 >&2 || not_ok "start $G on $NAT"
check "the guest gets a lease that names it" eventually 60 leases_have " $G "
LEASED=$(awk -v m="$MAC" '$1 == m { sub(/\/.*/, "", $2); print $2 }' "$D/leases")
check "the lease is in the DHCP range" grep -qE '^192\.168\.231\.(1[0-9][0-9]|200)$' <<<"$LEASED"
check "not pinned yet" leases_have "$G  -"
run net list -c "$T_URI"
check "list: the guest uses the network, one lease" grep -qE "^$NAT .* 1 +$G\$" "$OUT"

run net delete -c "$T_URI" "$NAT" --yes-i-typed "$NAT"
refused "delete while a running guest uses it" \
	"vmtui: not deleting network $NAT: running guest $G uses it (its NIC would lose it). Stop it first, or give --force to delete it anyway."
check "delete refused: still there" eq "$(net_state "$NAT")" yes
run net stop -c "$T_URI" "$NAT"
refused "stop while a running guest uses it, no terminal" \
	"vmtui: Not stopped: running guests use it; give --yes to stop it without a terminal."

run net pin -c "$T_URI" "$NAT" "$MAC" 192.168.99.5
refused "pin outside the network" \
	"vmtui: 192.168.99.5 is outside network $NAT (192.168.231.1/24); pick an address inside it."
run net pin -c "$T_URI" "$NAT" "${MAC^^}" "$PIN" --name "$G"
check "pin: exit 0" eq "$RC" 0
check "pin: what it did" is "$OUT" \
"$MAC is pinned to $PIN on network $NAT (running and saved).
(virsh: virsh -c $T_URI net-update $NAT add-last ip-dhcp-host '<host mac=\"$MAC\" name=\"$G\" ip=\"$PIN\"/>' --live --config)"
check "pin: in the running network" grep -q "<host mac='$MAC' name='$G' ip='$PIN'/>" <(v net-dumpxml "$NAT")
check "pin: in the saved definition" grep -q "<host mac='$MAC' name='$G' ip='$PIN'/>" \
	<(v net-dumpxml --inactive "$NAT")
run net pin -c "$T_URI" "$NAT" 52:54:00:7e:57:02 "$PIN"
refused "pin an address another MAC holds" \
	"vmtui: $PIN is pinned to $MAC ($G) already; unpin that first or pick another address."

"$RS/guest.sh" destroy "$G" >&2
"$RS/guest.sh" start "$G" --wait 90 >&2 || not_ok "start $G again"
check "restarted: the guest gets the pinned address" eventually 60 leases_have "$PIN/24"
check "restarted: shown pinned, against the guest" leases_have " $G  $PIN"
run net leases -c "$T_URI" "$NAT" --json
check "leases --json: the guest's lease" eq "$(python3 -c 'import json,sys
for r in json.load(open(sys.argv[1])):
    if r["mac"] == sys.argv[2] and r["leased"] and r["ip"] == sys.argv[3]: print(r["guest"], r["pinned"])' \
	"$OUT" "$MAC" "$PIN")" "$G $PIN"

run net unpin -c "$T_URI" "$NAT" "$MAC"
check "unpin: exit 0" eq "$RC" 0
check "unpin: gone from the running network" eq "$(v net-dumpxml "$NAT" | grep -c "<host ")" 0
check "unpin: gone from the saved definition" eq "$(v net-dumpxml --inactive "$NAT" | grep -c "<host ")" 0
run net unpin -c "$T_URI" "$NAT" "$MAC"
refused "unpin, not pinned" "vmtui: $MAC is not pinned on network $NAT."

run net delete -c "$T_URI" "$NAT" --force --yes-i-typed "$NAT"
check "delete --force while the guest runs: exit 0" eq "$RC" 0
check "delete --force: gone" eq "$(exists "$NAT")" ""

# ---- -H: over vmtui's SSH transport (a throwaway sshd of our own) ----

export VMTUI_SSHD_DIR=$D/sshd
if "$TOP/tests/ssh/sshd.sh" start >/dev/null 2>&1; then
	SSHD_ON=1
	eval "$("$TOP/tests/ssh/sshd.sh" env)"
	eval "$(ssh-agent -s -a "$D/agent.sock")" >/dev/null
	SSH_AUTH_SOCK=$D/agent.sock ssh-add -q "$SSHD_KEY" 2>/dev/null
	echo "[127.0.0.1]:$SSHD_PORT $(cut -d' ' -f1,2 "$SSHD_DIR/host_ed25519.pub")" >"$D/known_hosts"
	: >"$D/none_known"
	H=root@127.0.0.1:$SSHD_PORT
	run net create -H "$H" --known-hosts "$D/known_hosts" "${P}ssh" --forward isolated \
		--cidr 192.168.234.0/24 --no-dhcp --no-autostart
	check "-H create: exit 0" eq "$RC" 0
	check "-H create: the virsh command names the SSH host" has "$OUT" \
		"(virsh: virsh -c qemu+ssh://$H/system net-define ${P}ssh.xml;"
	check "-H create: made on the host" eq "$(net_state "${P}ssh")" yes
	run net list -H "$H" --known-hosts "$D/known_hosts"
	check "-H list: the network" grep -qE "^${P}ssh +active +no +yes +isolated " "$OUT"
	run net list -H "$H" --known-hosts "$D/none_known"
	check "-H, unknown host key, no terminal: refused" eq "$RC" 1
	check "-H, unknown host key: says so" grep -qi "host key" "$ERR"
	run net delete -H "$H" --known-hosts "$D/known_hosts" "${P}ssh" --yes-i-typed "${P}ssh"
	check "-H delete: gone" eq "$(exists "${P}ssh")" ""
	kill "$SSH_AGENT_PID" 2>/dev/null
	unset SSH_AUTH_SOCK SSH_AGENT_PID
else
	say "not tested: -H (no throwaway sshd here: tests/ssh/sshd.sh start failed)"
fi
summary
