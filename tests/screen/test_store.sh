#!/usr/bin/env bash
# tests/screen/test_store.sh — the storage views through tmux, on a
# test:/// node file (libvirt's in-process test driver) holding a dir pool
# "images" with two volumes, one of which two guests use:
#   - p in the host view opens the pools view: type, state, usage bar,
#     path and the guests using the pool; p again closes it;
#   - Enter opens the volumes view: format, sizes, users, the shared
#     volume marked (!) and in the warning colour;
#   - the create form makes a volume that shows in the list; the grow form
#     refuses a shrink with the present size (and libvirt's own refusal
#     shows under the list: the test driver cannot resize); the typed confirmation
#     refuses a wrong name and the job refuses to delete the volume two
#     guests use, naming them; a right name deletes a free one;
#   - the pool form makes a pool; X with its name typed deletes it with
#     its contents; x asks first;
#   - the action log keeps each operation with its virsh command;
#   - read-only: the footer offers no change and the keys are refused.
# The shared daemon is not touched.
#
# Env: BUILD (default build/). Ends with "N passed, N failed".
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

T0=$SECONDS
scr_traps
scr_need "storage" tmux

NODE=$SCR_TMP/node.xml
# guest NAME N RUNSTATE: a test guest with /img/shared.img as vda.
guest() {
	echo "<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"
	echo "<name>$1</name><uuid>5ca1ab1e-0000-4000-8000-00000000000$2</uuid>"
	echo "<memory unit='MiB'>256</memory><vcpu>1</vcpu><os><type>hvm</type></os>"
	echo "<devices><disk type='file' device='disk'><source file='/img/shared.img'/>"
	echo "<target dev='vda'/></disk></devices><test:runstate>$3</test:runstate></domain>"
}
{
	echo "<node>"
	guest web 1 1
	guest db 2 5
	cat <<'EOF'
<pool type='dir'><name>images</name><uuid>5ca1ab1e-0000-4000-8000-0000000000a1</uuid>
<capacity unit='GiB'>100</capacity><allocation unit='GiB'>20</allocation>
<available unit='GiB'>80</available><source/><target><path>/img</path></target>
<volume type='file'><name>shared.img</name><capacity unit='GiB'>10</capacity>
<allocation unit='GiB'>2</allocation><target><path>/img/shared.img</path>
<format type='raw'/></target></volume>
<volume type='file'><name>free.qcow2</name><capacity unit='GiB'>5</capacity>
<allocation unit='MiB'>1</allocation><target><path>/img/free.qcow2</path>
<format type='qcow2'/></target></volume>
</pool>
</node>
EOF
} >"$NODE"
T_URI=test://$NODE

footer() { sed -n "$(($(wc -l <<<"$SCREEN")))p" <<<"$SCREEN"; }
footer_has() { vt_grab; footer | grep -qE -- "$1" || { say "  footer: $(footer)"; false; }; }
footer_lacks() { vt_grab; ! footer | grep -qE -- "$1" || { say "  footer: $(footer)"; false; }; }
# attr_of TEXT: the SGR sequence in force where TEXT starts on the screen.
line_sgr() { vt_grab_e | grep -F -- "$1" | head -n1; }

start() {
	vt_vmtui "$@" -d 1 && wait_screen '^web +running' 15 >/dev/null
}
pools() {
	vt_keys h
	wait_screen 'Host CPU' 5 >/dev/null
	vt_keys p
	wait_screen '^images ' 5 >/dev/null
}

# ---------------------------------------------------------------- pools

start 140 30
vt_keys h
wait_screen 'Host CPU' 5 >/dev/null
check "host view: the footer offers p Pools" footer_has 'pPools'
vt_keys p
check "pools view: its title" wait_screen '^Storage pools of .* 1 pool$' 5
check "pools view: type, state, usage bar, sizes, path, users" \
	wait_screen '^images +dir +running +no +\[ +\] +100G +2\.00G +98\.0G +/img +db, web$' 5
check "pools view: the footer offers the pool keys" footer_has 'EnterVolumes.*cCreate.*sStart.*tStop'
vt_keys p
check "pools view: p again goes back to the host view" wait_screen 'Host CPU' 5
vt_keys p
wait_screen '^images ' 5 >/dev/null

# ---------------------------------------------------------------- volumes

vt_keys Enter
check "volumes view: its title" wait_screen '^Volumes of pool images \(dir, /img\)  2 volumes' 5
check "volumes view: a free volume" wait_screen '^  free\.qcow2 +qcow2 +5\.00G +1\.00M +- +-$' 5
check "volumes view: the shared volume marked, with both guests" \
	wait_screen '^! shared\.img +raw +10\.0G +2\.00G +- +db, web$' 5
vt_keys j
check "volumes view: the shared volume in the warning colour when not selected" \
	eval "vt_keys k; sleep 0.3; line_sgr 'shared.img' | grep -q $'\e\\['"
vt_keys End
check "volumes view: the footer offers the volume keys" footer_has 'cCreate.*eGrow.*CClone.*WWipe.*xDelete'

# create
vt_keys c
check "create form: opens" wait_screen '^New volume in pool images' 5
check "create form: no global key in its footer" footer_lacks 'Help|Quit'
vt_type new.qcow2
vt_keys Tab C-u
vt_type 2G
vt_keys Enter
check "create form: the new volume in the list" wait_screen '^  new\.qcow2 +qcow2 +2\.00G ' 5
check "create form: the outcome under the list" \
	wait_screen '^Volume new\.qcow2 created in storage pool images: 2 GiB qcow2\.' 5

vt_keys L
check "action log: the create with its virsh command" \
	wait_screen 'virsh -c test://.*node\.xml vol-create-as images new\.qcow2 2147483648b --format qcow2' 5
vt_keys L
wait_screen '^Volumes of pool images' 5 >/dev/null

# grow: a shrink refused
vt_keys e
check "grow form: says the present size" wait_screen '^new\.qcow2 is 2 GiB now; it only grows' 5
vt_keys C-u
vt_type 1G
vt_keys Enter
check "grow form: a shrink refused with the present size" \
	wait_screen '^Volume new\.qcow2 is 2 GiB; it cannot shrink to 1 GiB' 5
vt_keys C-u
vt_type 3G
vt_keys Enter
# the test driver cannot resize: libvirt's refusal comes back under the list
check "grow form: libvirt's answer under the list" \
	wait_screen '^Cannot grow volume new\.qcow2 of storage pool images: this function is not supported' 5
check "grow form: the list keeps the size" wait_screen '^  new\.qcow2 +qcow2 +2\.00G ' 5

# delete: typed confirmation
vt_keys x
check "delete: asks for the name typed" wait_screen 'Type new\.qcow2 to confirm\.' 5
vt_type new
vt_keys Enter
check "delete: a wrong name refused" \
	wait_screen '^Not done: type the exact name new\.qcow2 to confirm \(typed: "new"\)\.' 5
vt_type .qcow2
vt_keys Enter
check "delete: the right name deletes" wait_screen '^Volume new\.qcow2 of storage pool images deleted\.' 5
check "delete: gone from the list" wait_no_screen '^  new\.qcow2 ' 5

# the shared volume: refused by the job, naming the guests
vt_keys Home
sleep 0.3
vt_keys j
vt_keys x
wait_screen 'Type shared\.img to confirm\.' 5 >/dev/null
vt_type shared.img
vt_keys Enter
check "delete in use: refused, naming the guests" \
	wait_screen '^Cannot delete volume shared\.img: guests db, web use it; remove the disk from' 5
check "delete in use: the volume stays" wait_screen '^! shared\.img ' 5

vt_esc
check "Esc: back to the pools" wait_screen '^Storage pools of ' 5

# ---------------------------------------------------------------- pool forms

vt_keys c
check "pool form: opens" wait_screen '^New storage pool on ' 5
vt_type scratch
vt_keys Tab Tab
vt_type /scratch
vt_keys Enter
check "pool form: the new pool in the list" wait_screen '^scratch +dir +running +yes ' 5
check "pool form: the outcome" \
	wait_screen '^Storage pool scratch \(dir\) created, built, started, starts at host boot\.' 5
vt_keys End
vt_keys a
check "a: autostart off" wait_screen '^scratch +dir +running +no ' 5
vt_keys t
check "t: stopped" wait_screen '^scratch +dir +inactive ' 5
vt_keys s
check "s: started" wait_screen '^scratch +dir +running ' 5
vt_keys X
check "X: asks for the pool's name" wait_screen 'Type scratch to confirm\.' 5
vt_type scratch
vt_keys Enter
check "X: deleted with its contents" \
	wait_screen '^Storage pool scratch deleted with its contents\.' 5
check "X: gone from the list" wait_no_screen '^scratch ' 5
vt_keys Home
sleep 0.2
vt_keys x
check "x: asks first" wait_screen 'Delete storage pool images\? It is stopped and undefined' 5
vt_keys n
vt_stop

# ---------------------------------------------------------------- read-only

start 140 30 -r
pools
check "read-only: the footer offers no pool change" footer_lacks 'Create|Build|Start|Stop|Delete'
check "read-only: ... but volumes and back" footer_has 'EscBack.*EnterVolumes'
vt_keys c
check "read-only: c refused in the one wording" \
	wait_screen '^Cannot create a storage pool: vmtui runs read-only \(-r\); restart without -r' 5
vt_stop

say "storage screen tests took $((SECONDS - T0)) s"
summary
