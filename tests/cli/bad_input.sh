#!/usr/bin/env bash
# tests/cli/bad_input.sh — every subcommand and option of vmtui given wrong
# types, huge values, empty strings, non-UTF-8 bytes, 10 kB names and names
# full of shell and XML specials; VM definition files with the same through
# `vmtui validate`.  Each case must end with the exit status it should have
# (1 with a clear one-line error on the first line of stderr, or 0 when the
# input is fine), never a crash (status >= 128, a sanitizer report) and
# never run a shell (/tmp/pwned must not appear).
#
# Runs each case with every build of $BUILDS (default: $BUILD, default
# build/, and $BUILD_ASAN when it is set, e.g. a configure
# --enable-sanitizers build).  No daemon is needed: commands that connect
# use test:///default (libvirt's in-process test driver), so nothing they
# change outlives the process.
# Ends with "N passed, N failed"; exit status 1 if any case failed.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${BUILD:=$TOP/build}"
BUILDS=${BUILDS:-$BUILD${BUILD_ASAN:+ $BUILD_ASAN}}
D=$(mktemp -d /tmp/vmtui-badinput.XXXXXX)
trap 'rm -rf "$D"' EXIT
PASSED=0
FAILED=0
say() { printf '%s\n' "$*" >&2; }
ok() { PASSED=$((PASSED + 1)); }
not_ok() { FAILED=$((FAILED + 1)); say "FAIL - $*"; }

T=test:///default
LONG=$(printf 'a%.0s' $(seq 10240))       # a 10 kB name
BIG=99999999999999999999                  # > 2^64
NONUTF=$'\xff\xfe\xc3\x28'                # invalid UTF-8
SPECIALS=("a'b" 'a"b' '<x>' 'a&b' '$(touch /tmp/pwned)' ';rm -rf' '`touch /tmp/pwned`')

mkdir -p "$D/xdg" "$D/state" "$D/home"
export XDG_CONFIG_HOME=$D/xdg XDG_STATE_HOME=$D/state HOME=$D/home
export LIBVIRT_DEFAULT_URI=$T
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
rm -f /tmp/pwned
[ ! -e /tmp/pwned ] || { say "/tmp/pwned exists and cannot be removed"; exit 1; }

CASES=0
# t WANT PHRASE ARGS...: run vmtui ARGS (stdin /dev/null) with every build.
# WANT: 1 (must fail; PHRASE on the first line of stderr), 0 (must work;
# PHRASE in stdout+stderr), "0|1" (either; PHRASE in stdout+stderr).
t() {
	local want=$1 phrase=$2 b rc first desc
	shift 2
	CASES=$((CASES + 1))
	desc=$(printf '%q ' "$@" | cut -c1-100)
	for b in $BUILDS; do
		timeout 60 "$b/vmtui" "$@" >"$D/out" 2>"$D/err" </dev/null
		rc=$?
		first=$(head -n1 "$D/err")
		if ((rc >= 124)); then
			not_ok "[$b] vmtui $desc: exit status $rc (crash or timeout)"
			sed 's/^/    | /' "$D/err" | head -n 30 >&2
		elif grep -qE 'Sanitizer|runtime error:' "$D/err"; then
			not_ok "[$b] vmtui $desc: sanitizer report"
			sed 's/^/    | /' "$D/err" | head -n 40 >&2
		elif [ -e /tmp/pwned ]; then
			not_ok "[$b] vmtui $desc: /tmp/pwned was created: a shell ran"
			rm -f /tmp/pwned
		elif [ "$want" = 1 ] && [ "$rc" != 1 ]; then
			not_ok "[$b] vmtui $desc: exit status $rc, want 1"
		elif [ "$want" = 0 ] && [ "$rc" != 0 ]; then
			not_ok "[$b] vmtui $desc: exit status $rc, want 0; stderr: $first"
		elif [ "$want" = 1 ] && ! grep -qF -- "$phrase" <<<"$first"; then
			not_ok "[$b] vmtui $desc: first line of stderr '$(cut -c1-200 <<<"$first")' lacks '$(cut -c1-100 <<<"$phrase")'"
		elif [ "$want" != 1 ] && ! grep -qF -- "$phrase" "$D/out" "$D/err"; then
			not_ok "[$b] vmtui $desc: output lacks '$(cut -c1-100 <<<"$phrase")'"
			head -n 5 "$D/out" "$D/err" | sed 's/^/    | /' >&2
		else
			ok
		fi
	done
}

# t2 LINE ARGS...: vmtui ARGS exits with 1 and LINE is its stderr's second
# line, whole (what follows the error, e.g. whose option it is).
t2() {
	local line=$1 b rc second
	shift
	CASES=$((CASES + 1))
	for b in $BUILDS; do
		timeout 60 "$b/vmtui" "$@" >"$D/out" 2>"$D/err" </dev/null
		rc=$?
		second=$(sed -n 2p "$D/err")
		if [ "$rc" != 1 ]; then
			not_ok "[$b] vmtui $*: exit status $rc, want 1"
		elif [ "$second" != "$line" ]; then
			not_ok "[$b] vmtui $*: second line of stderr '$second', want '$line'"
		else
			ok
		fi
	done
}

# v FILE WANT PHRASE: `vmtui validate FILE`; with WANT 1 every line of
# stderr must be FILE:LINE:COL: message and one must hold PHRASE.
v() {
	local file=$1 want=$2 phrase=$3 b rc bad
	CASES=$((CASES + 1))
	for b in $BUILDS; do
		(cd "$D" && timeout 20 "$b/vmtui" validate "$file" >"$D/out" 2>"$D/err" </dev/null)
		rc=$?
		bad=$(grep -vE "^$(sed 's/[][\.*^$+?(){}|/]/\\&/g' <<<"$file"):[0-9]+:[0-9]+: " "$D/err" | head -n1)
		if ((rc >= 124)); then
			not_ok "[$b] validate $file: exit status $rc (crash or timeout)"
			head -n 30 "$D/err" | sed 's/^/    | /' >&2
		elif grep -qE 'Sanitizer|runtime error:' "$D/err"; then
			not_ok "[$b] validate $file: sanitizer report"
			head -n 40 "$D/err" | sed 's/^/    | /' >&2
		elif [ "$rc" != "$want" ]; then
			not_ok "[$b] validate $file: exit status $rc, want $want; $(head -c 300 "$D/err")"
		elif [ "$want" = 1 ] && [ -n "$bad" ]; then
			not_ok "[$b] validate $file: a line of stderr is not file:line:col: '$(cut -c1-200 <<<"$bad")'"
		elif ! grep -qF -- "$phrase" "$D/out" "$D/err"; then
			not_ok "[$b] validate $file: no '$(cut -c1-100 <<<"$phrase")' in: $(head -c 200 "$D/err")"
		else
			ok
		fi
	done
}

for b in $BUILDS; do
	[ -x "$b/vmtui" ] || { say "no $b/vmtui: build it first"; echo "0 passed, 1 failed"; exit 1; }
done

# ---------------------------------------------------------------- options

NOTTY="needs a terminal on standard input and output"
for d in 1e308 -1 nan inf -inf 0 0.1 3601 '' ' ' 1x 0x '1 ' "$BIG" "$NONUTF" "$LONG"; do
	t 1 "vmtui: -d: \"$d\" is not a number of seconds between 0.25 and 3600" -d "$d"
done
t 1 "$NOTTY" -d 0.25
t 1 "$NOTTY" -d 3600
t 1 "$NOTTY" --delay=2.5
for h in 0 9 86401 -1 -10 "$BIG" '' 1e3 12x "$NONUTF"; do
	t 1 "vmtui: --history: \"$h\" is not a count between 10 and 86400" --history "$h"
done
t 1 "$NOTTY" --history 10
for g in '' x BRAILLE "$NONUTF" "$LONG" 'a;b'; do
	t 1 "vmtui: -g: \"$g\" is not braille, block or ascii" -g "$g"
done
for s in 0 nan -1 2000 '' "$BIG" "$NONUTF"; do
	t 1 "vmtui: --speed: \"$s\" is not a factor between 0.0625 and 1024" --replay /dev/null --speed "$s"
done
t 1 "vmtui: --speed is for --replay FILE" --speed 2
for e in '' x '^' '^]]' '^1' '^~' "$NONUTF" "$LONG"; do
	t 1 "vmtui: --escape: \"$e\" is not a control key such as ^] or ^X" --escape "$e"
done
t 1 "vmtui: --theme: expected a theme name or file" --theme ''
t 1 'vmtui: unknown option "--bogus"; see vmtui help.' --bogus
t 1 'vmtui: unknown option "--bogus"; see vmtui help.' --bogus=x
t 1 'vmtui: unknown option "-Z"; see vmtui help.' -Z
t 1 'vmtui: unknown option "-Z"; see vmtui help.' -rZ
t 1 'vmtui: option "-d" needs a value; see vmtui help.' -d
t 1 'vmtui: option "--delay" needs a value; see vmtui help.' --delay
t 1 "vmtui: unexpected argument \"x\"" -r x
t 1 'vmtui: unknown command "foo"; vmtui help lists the commands.' foo
t 1 "vmtui: unknown command \"$NONUTF\"; vmtui help lists the commands." "$NONUTF"
t 1 "vmtui: unknown command \"$LONG\"" "$LONG"
t 1 "vmtui: --replay shows a recording: it takes no -c or -H" --replay /dev/null -c "$T"
t 1 "vmtui: --replay shows a recording: it takes no --record" --replay /dev/null --record "$D/x"
# a config file that is missing, a folder, or not UTF-8
t 1 "/nonexistent/config.yaml" -f /nonexistent/config.yaml
t 1 "$D" -f "$D"
printf 'interval: 2\xff\n' >"$D/bad-config.yaml"
t 1 "bad-config.yaml:1:1: invalid leading UTF-8 octet" -f "$D/bad-config.yaml"
printf 'interval: %s\n' "$BIG" >"$D/big-config.yaml"
t 1 "big-config.yaml:1:11: interval: \"$BIG\" is not a number of seconds between 0.25 and 3600" -f "$D/big-config.yaml"
t 0 "vmtui " -V
t 0 "Usage: vmtui [OPTION]..." --help

# The shared options before the command's name, as virsh and git take them
t 0 "test             running" -c "$T" top --batch -n 1
t 0 "test             running" -c "$T" -r top -b -n 1
t 0 "test             running" --connect="$T" top --batch -n 1
t 0 "vCPUs 2 -> 1: done" -c "$T" resize test --vcpus 1
t 1 'vmtui validate: option -c does not apply here' -c "$T" validate "$D/x.yaml"
t 1 'vmtui: unexpected argument "nosuchcommand"' -c "$T" nosuchcommand
# An option of another command says whose it is; batch-only options of top
t 1 'vmtui: unknown option "--batch"; see vmtui help.' --batch
t 1 "vmtui top: -n needs --batch (vmtui top --batch -n ...)" top -n 1
t 1 "vmtui top: -n needs --batch" top -n1
t 1 "vmtui top: --json needs --batch" top --json
t 1 "vmtui top: --iterations needs --batch" top --iter=2
# t2 PHRASE ARGS...: like t 1, and stderr's second line holds PHRASE
t2() {
	local phrase=$1 b second
	shift
	CASES=$((CASES + 1))
	for b in $BUILDS; do
		timeout 60 "$b/vmtui" "$@" >"$D/out" 2>"$D/err" </dev/null
		second=$(sed -n 2p "$D/err")
		if grep -qF -- "$phrase" <<<"$second"; then
			ok
		else
			not_ok "[$b] vmtui $*: second line of stderr '$second' lacks '$phrase'"
		fi
	done
}
t2 "--batch is an option of vmtui top." --batch
t2 "--csv is an option of vmtui top." --csv
t2 "--batch is an option of vmtui top." resize test --batch

# ---------------------------------------------------------------- validate, plan, apply, export

t 1 "vmtui validate: expected one or more files" validate
t 1 "cannot read: No such file or directory" validate /nonexistent.yaml
t 1 "cannot read: File name too long" validate "$D/$LONG.yaml"
t 1 "cannot read: No such file or directory" validate "$D/$NONUTF.yaml"
t 1 "cannot read: Is a directory" validate "$D"
t 1 "/dev/null:1:1: cannot read: not a regular file (a FIFO or device); give a YAML file" validate /dev/null
mkfifo "$D/fifo.yaml"
t 1 "fifo.yaml:1:1: cannot read: not a regular file (a FIFO or device); give a YAML file" validate "$D/fifo.yaml"
: >"$D/empty.yaml"
t 1 "empty.yaml:1:1: no VM defined" validate "$D/empty.yaml"
t 1 "vmtui validate: option -c does not apply here" validate -c "$T" /dev/null
t 1 "option -y does not apply here" validate -y /dev/null
t 1 "vmtui validate: option --force does not apply here" validate --force /dev/null
t 1 "vmtui plan: expected one or more files" plan -c "$T"
t 1 "vmtui plan: option -y does not apply here" plan -y /dev/null
printf 'name: vmtuifault-ok\nmemory: 64M\nnetworks: []\n' >"$D/ok.yaml"
t 0 "valid: 1 VM: vmtuifault-ok" validate "$D/ok.yaml"
t 1 "vmtui: cannot connect to bogus:///x:" plan -c bogus:///x "$D/ok.yaml"
t 1 "vmtui: cannot connect to $LONG" plan -c "$LONG" "$D/ok.yaml"
t 1 "vmtui: cannot connect to " plan -c "$NONUTF" "$D/ok.yaml"
t 1 "empty.yaml:1:1: no VM defined" plan -c "$T" "$D/empty.yaml"
t 1 "standard input is not a terminal" apply -c "$T" "$D/ok.yaml"
t 1 "vmtui apply: expected one or more files" apply -c "$T" --yes
# apply and export have no -r (plan and export connect read-only anyway)
t 1 'vmtui apply: unknown option "-r"; see vmtui help apply.' apply -r -c "$T" "$D/ok.yaml"
t 1 "vmtui export: expected a VM, network or pool name" export -c "$T"
t 1 "vmtui export: expected only a VM, network or pool name" export -c "$T" a b
t 1 "vmtui export: --pool and --network cannot be combined" export -c "$T" --pool --network a
t 1 "vmtui validate: option --pool does not apply here" validate --pool /dev/null
t 1 "vmtui plan: option --network does not apply here" plan --network /dev/null
t 1 "vmtui: there is no storage pool named \"default\" (virsh pool-list --all shows them)" export -c "$T" --pool default
t 1 "vmtui: there is no network named \"default-pool\" (virsh net-list --all shows them)" export -c "$T" --network default-pool
t 0 "forward: nat" export -c "$T" default
t 0 "pooltype: dir" export -c "$T" default-pool
t 1 "vmtui: VM \"test\" cannot be written as a definition: disk vda: bus virtio, format none" export -c "$T" test
t 1 "vmtui: there is no VM, network or storage pool named \"\"" export -c "$T" ''
t 1 "vmtui: there is no VM, network or storage pool named \"$LONG\"" export -c "$T" "$LONG"
t 1 "vmtui: there is no VM, network or storage pool named \"$NONUTF\"" export -c "$T" "$NONUTF"
for s in "${SPECIALS[@]}"; do
	t 1 "vmtui: there is no VM, network or storage pool named \"$s\"" export -c "$T" "$s"
done

# ---------------------------------------------------------------- console

t 1 "vmtui console: expected a VM name" console -c "$T"
t 1 "vmtui console: expected one VM name" console -c "$T" a b
t 1 "vmtui console: --escape: \"x\" is not a control key such as ^] or ^X" console --escape x "$T"
t 1 "vmtui console: --escape: \"$NONUTF\" is not a control key" console --escape "$NONUTF" test
for s in '' "$LONG" "${SPECIALS[@]}"; do
	t 1 "vmtui console: standard input is not a terminal; the console needs one to pass keys through." console -c "$T" "$s"
done

# ---------------------------------------------------------------- screen

t 1 "vmtui screen: expected a VM name" screen -c "$T"
t 1 "vmtui screen: expected one VM name" screen -c "$T" a b
t 1 "vmtui screen: --escape: \"x\" is not a control key such as ^] or ^X" screen --escape x test
t 1 'vmtui screen: --graphics-protocol: "png" is not one of kitty, sixel, iterm, symbols' \
	screen --graphics-protocol png -c "$T" test
t 1 "vmtui screen: --graphics-protocol: \"$NONUTF\" is not one of" screen --graphics-protocol "$NONUTF" test
t 1 "vmtui screen: one host only: -c URI or -H HOST, once" screen -c "$T" -c "$T" test
t 1 "vmtui screen: one host only: -c URI or -H HOST, once" screen -c "$T" -H example.org test
t 1 'vmtui screen: option "-c" needs a value' screen -c
t 1 'vmtui screen: unknown option "-y"; see vmtui help screen.' screen -y test
for s in '' "$LONG" "${SPECIALS[@]}"; do
	t 1 "vmtui screen: standard input and output must be a terminal to show the screen and pass keys through." \
		screen -c "$T" "$s"
done
t 1 'vmtui: --graphics-protocol: "x" is not one of kitty, sixel, iterm, symbols' --graphics-protocol x

# ---------------------------------------------------------------- screenshot

t 1 "vmtui screenshot: expected a VM and a FILE.png to write" screenshot -c "$T"
t 1 "vmtui screenshot: expected a VM and a FILE.png to write" screenshot -c "$T" test
t 1 "vmtui screenshot: too many arguments: expected a VM and a FILE.png" screenshot -c "$T" test a.png b.png
t 1 'vmtui screenshot: FILE must end in .png (got "shot.jpg")' screenshot -c "$T" test shot.jpg
t 1 'vmtui screenshot: FILE must end in .png (got "")' screenshot -c "$T" test ''
t 1 "vmtui screenshot: one host only: -c URI or -H HOST, once" screenshot -c "$T" -c "$T" test a.png
t 1 'vmtui screenshot: option "-c" needs a value' screenshot -c
t 1 'vmtui screenshot: unknown option "-r"; see vmtui help screenshot.' screenshot -r -c "$T" test a.png
t 1 "vmtui screenshot: cannot write $D/none/x.png: No such file or directory" screenshot -c "$T" test "$D/none/x.png"
t 1 "vmtui screenshot: cannot connect to bogus:///x: no connection driver" screenshot -c bogus:///x test "$D/x.png"
for s in '' "$LONG" "$NONUTF" "${SPECIALS[@]}"; do
	t 1 "vmtui screenshot: there is no guest \"$s\" on this host" screenshot -c "$T" "$s" "$D/x.png"
done
t 0 "$D/shot.png: " screenshot -c "$T" test "$D/shot.png"

# ---------------------------------------------------------------- resize

for n in "$BIG" abc 1.5 "$NONUTF" "$LONG" 4097 1e3; do
	t 1 "vmtui: vCPUs: \"$n\" is not a whole number from 1 to 4096" resize -c "$T" test --vcpus "$n"
	t 1 "vmtui: maximum vCPUs: \"$n\" is not a whole number from 1 to 4096" resize -c "$T" test --max-vcpus "$n"
done
t 1 'vmtui: vCPUs: "-1" is negative; give a whole number from 1 to 4096.' resize -c "$T" test --vcpus -1
t 1 "vmtui: vCPUs: 0 is too few; a guest needs at least 1." resize -c "$T" test --vcpus 0
t 1 "vmtui: maximum vCPUs: 1 is below the 2 vCPUs test has; lower vCPUs too." resize -c "$T" test --max-vcpus ' 1'
for o in vcpus max-vcpus; do
	for n in '' ' '; do
		t 1 "vmtui resize: --$o needs a value, as in --$o 2." resize -c "$T" test --$o "$n"
	done
done
for o in memory max-memory; do
	for n in '' '	'; do
		t 1 "vmtui resize: --$o needs a value, as in --$o 2G." resize -c "$T" test --$o "$n"
	done
done
for m in "${BIG}G" -5M abc 0 "$NONUTF" "$LONG" 18446744073709551615; do
	t 1 "vmtui: memory: \"$m\"" resize -c "$T" test --memory "$m"
	t 1 "vmtui: maximum memory: \"$m\"" resize -c "$T" test --max-memory "$m"
done
t 1 'vmtui: memory: unknown unit "e308" in "1e308" (use K, M, G or T' resize -c "$T" test --memory 1e308
t 1 'vmtui: maximum memory: unknown unit "E" in "16E" (use K, M, G or T' resize -c "$T" test --max-memory 16E
t 1 "vmtui resize: --disk \"=5G\" needs a disk and a size, as in --disk vda=20G." resize -c "$T" test --disk =5G
t 1 "vmtui resize: --disk \"vda\" needs a disk and a size, as in --disk vda=20G." resize -c "$T" test --disk vda
t 1 "vmtui resize: --disk \"\" needs a disk and a size" resize -c "$T" test --disk ''
t 1 "vmtui resize: --disk \"vda=\" needs a disk and a size, as in --disk vda=20G." resize -c "$T" test --disk vda=
for s in -1 "$BIG" 1e308 x "$NONUTF"; do
	t 1 "\"$s\"" resize -c "$T" test --disk "vda=$s"
done
t 1 "vmtui: test has no disk $LONG; its disks: vda." resize -c "$T" test --disk "$LONG=1G"
t 1 "vmtui resize: --live and --config exclude each other" resize -c "$T" test --live --config --vcpus 1
t 1 "vmtui resize: expected one VM name" resize -c "$T"
t 1 "vmtui resize: expected one VM name" resize -c "$T" a b --vcpus 1
t 1 'vmtui resize: unknown option "--cpus"; see vmtui help resize.' resize -c "$T" test --cpus 1
t 1 'vmtui resize: option "--vcpus" needs a value; see vmtui help resize.' resize -c "$T" test --vcpus
t 0 "test: running" resize -c "$T" test
for s in '' "$LONG" "$NONUTF" "${SPECIALS[@]}"; do
	t 1 "vmtui: There is no guest \"$s\" on this host; check the name with virsh list --all." resize -c "$T" "$s" --vcpus 1
done

# ---------------------------------------------------------------- snapshot

t 1 "vmtui snapshot: no action given; use list, create, revert or delete." snapshot
t 1 "vmtui snapshot: unknown action \"bogus\"; use list, create, revert or delete." snapshot bogus test
t 1 "vmtui snapshot: unknown action \"$NONUTF\"" snapshot "$NONUTF"
t 1 "vmtui snapshot list: expected a VM name" snapshot list -c "$T"
t 1 "vmtui snapshot create: expected a VM name and, optionally, a snapshot name" snapshot create -c "$T" a b c
t 1 "vmtui snapshot revert: expected a VM name and a snapshot name" snapshot revert -c "$T" test
t 1 "vmtui snapshot list: --description applies to create only." snapshot list -c "$T" -d x test
t 1 "vmtui snapshot: option --linked does not apply here" snapshot list --linked test
t 0 "test has no snapshots." snapshot list -c "$T" test
t 1 "vmtui: There is no guest \"$LONG\" on this host" snapshot list -c "$T" "$LONG"
for s in "${SPECIALS[@]}" "$NONUTF"; do
	t 1 "vmtui: There is no guest \"$s\" on this host; check the name with virsh list --all." snapshot list -c "$T" "$s"
done
# libvirt takes any snapshot name but "/"; the test driver forgets them at exit
for s in "a'b" 'a"b' '<x>' 'a&b' ';rm -rf' '`touch pwned`'; do
	t 0 "Snapshot \"$s\" of test created" snapshot create -c "$T" test "$s"
done
t 1 'vmtui: "$(touch /tmp/pwned)": a snapshot name cannot contain "/".' snapshot create -c "$T" test '$(touch /tmp/pwned)'
t 1 "vmtui: The name is 10240 bytes long; keep it to 128." snapshot create -c "$T" test "$LONG"
t 1 "vmtui: A snapshot needs a name." snapshot create -c "$T" test ''
t 1 "vmtui: cannot create a snapshot of test: vmtui runs read-only (-r)" snapshot create -r -c "$T" test
# a revert is checked before it is asked about: a missing snapshot is said
# first (test_manage.sh has the question refused without a terminal)
t 1 'vmtui: test has no snapshot "s1" (any more).' snapshot revert -c "$T" test s1
t 1 "Not deleted: give --yes to delete without a terminal." snapshot delete -c "$T" test s1
t 1 "vmtui: " snapshot revert -y -c "$T" test nosuchsnap
# a description with every special works and comes back as it was given
t 0 "created" snapshot create -c "$T" test s1 --description "a'b \"c\" <x> & \$(touch /tmp/pwned) ;rm -rf"
t 1 "UTF-8" snapshot create -c "$T" test s1 --description "$NONUTF"
t 0 "created" snapshot create -c "$T" test s2 --description "$LONG"

# ---------------------------------------------------------------- clone

t 1 "vmtui clone: expected the VM to clone and the new name" clone -c "$T" test
t 1 "vmtui clone: option -y does not apply here" clone -c "$T" -y test new
for s in "${SPECIALS[@]}" "$NONUTF"; do
	t 1 "vmtui: \"$s\"" clone -c "$T" test "$s"
done
t 1 "vmtui: The clone needs a name." clone -c "$T" test ''
t 1 "vmtui: \"$LONG\" is longer than 64 characters." clone -c "$T" test "$LONG"
t 1 "vmtui: cannot clone test: vmtui runs read-only (-r)" clone -r -c "$T" test vmtuifault-new
t 1 "vmtui: There is no guest \"$LONG\" on this host" clone -c "$T" "$LONG" vmtuifault-new
for s in "${SPECIALS[@]}"; do
	t 1 "vmtui: There is no guest \"$s\" on this host; check the name with virsh list --all." clone -c "$T" "$s" vmtuifault-new
done

# ---------------------------------------------------------------- net
# test:///default has one network, "default" (NAT 192.168.122.0/24)
t 1 "vmtui net: no action given; use list, info, create, start, stop, autostart, delete, leases, pin or unpin." net
t 1 "vmtui net: unknown action \"bogus\"" net bogus
t 1 "vmtui net: unknown action \"$NONUTF\"" net "$NONUTF"
t 1 "vmtui net list: expected no argument" net list x
t 1 "vmtui net info: expected a network name" net info
t 1 "vmtui net pin: expected a network name, a MAC address and an IP address" net pin default 52:54:00:00:00:01
t 1 "vmtui net unpin: expected a network name and a MAC address" net unpin default
t 1 'vmtui net list: option "--force" is for vmtui net delete only.' net list --force
t 1 'vmtui net start: option "--cidr" is for vmtui net create only.' net start default --cidr 10.0.0.0/24
t 1 'vmtui net delete: option "--name" is for vmtui net pin only.' net delete default --name x
t 1 'vmtui net pin: option "-y" is for vmtui net stop only.' net pin -y default 52:54:00:00:00:01 192.168.122.9
t 1 "vmtui net start: --json is for list, info and leases." net start --json default
t 1 "vmtui net create: --no-dhcp and --dhcp-start/--dhcp-end exclude each other." net create x --cidr 10.0.0.0/24 --no-dhcp --dhcp-start 10.0.0.5
t 1 'vmtui net: option "--cidr" needs a value' net create x --cidr
t 1 "vmtui net: with -H, -c names the URI on that host" net list -H localhost -c qemu+ssh://x/system
t 0 "192.168.122.1/24" net list -c "$T"
t 0 '"name": "default"' net list -c "$T" --json
t 0 "Forward:     nat" net info -c "$T" default
t 1 "vmtui: There is no network $LONG on this host" net info -c "$T" "$LONG"
for s in "${SPECIALS[@]}"; do
	t 1 "vmtui: There is no network $s on this host (vmtui net list lists them)." net info -c "$T" "$s"
done
t 1 "vmtui: Cannot create network x: the network needs cidr" net create -c "$T" x
t 1 "vmtui: Cannot create network x: cidr must be an IPv4 network like 192.168.100.0/24." net create -c "$T" x --cidr 10.0.0.300/24
t 1 "vmtui: Cannot create network x: the forward mode is not one of nat, route, open, isolated, bridge." net create -c "$T" x --forward bogus --cidr 10.0.0.0/24
t 1 "vmtui: Cannot " net create -c "$T" "$NONUTF" --cidr 10.0.0.0/24
t "0|1" "" net create -c "$T" "$LONG" --cidr 10.0.0.0/24
t 1 "vmtui: Cannot create network x: the dhcp range must be IPv4 addresses" net create -c "$T" x --cidr 10.0.0.0/24 --dhcp-start "$BIG" --dhcp-end 10.0.0.9
t 1 "vmtui: There is a network default already; pick another name." net create -c "$T" default --cidr 10.0.0.0/24
for s in "${SPECIALS[@]}"; do
	t "0|1" "" net create -c "$T" "$s" --cidr 10.0.0.0/24 --domain "$s" --bridge "$s"
done
t 0 "Network x created (nat, 10.9.0.0/24), started, starts at boot." net create -c "$T" x --cidr 10.9.0.0/24
t 1 "vmtui: cannot create network x: vmtui runs read-only (-r)" net create -r -c "$T" x --cidr 10.9.0.0/24
t 1 "vmtui: Network default is running already." net start -c "$T" default
t 1 "vmtui: Not stopped: running guests use it; give --yes to stop it without a terminal." net stop -c "$T" default
t 0 "Network default stopped." net stop -y -c "$T" default
t 0 "Network default starts at host boot." net autostart -c "$T" default
t 1 "vmtui: not deleting network default: confirm with --yes-i-typed" net delete -c "$T" default
t 1 "vmtui: not deleting network default: running guest test uses it" net delete -c "$T" default --yes-i-typed default
t 1 "the name given with --yes-i-typed is not its exact name." net delete -c "$T" default --force --yes-i-typed Default
t 0 "Network default deleted." net delete -c "$T" default --force --yes-i-typed default
t 1 "vmtui: \"zz\" is not a MAC address (write it as 52:54:00:12:34:56)." net pin -c "$T" default zz 192.168.122.9
t 1 "vmtui: \"$NONUTF\" is not a MAC address" net pin -c "$T" default "$NONUTF" 192.168.122.9
t 1 "vmtui: \"$BIG\" is not an IPv4 address (write it as 192.168.100.10)." net pin -c "$T" default 52:54:00:00:00:01 "$BIG"
t 1 "vmtui: \"$LONG\" is not an IPv4 address" net pin -c "$T" default 52:54:00:00:00:01 "$LONG"
t 1 "vmtui: \"zz\" is not a MAC address" net unpin -c "$T" default zz
t 1 "vmtui: There is no network nosuch on this host" net pin -c "$T" nosuch 52:54:00:00:00:01 10.0.0.5
t 1 "vmtui: cannot pin network default: vmtui runs read-only (-r)" net pin -r -c "$T" default 52:54:00:00:00:01 192.168.122.9
t "0|1" "DHCP leases" net leases -c "$T" default

# ---------------------------------------------------------------- delete

t 1 "vmtui delete: expected one VM name" delete -c "$T"
t 1 "vmtui delete: --storage and --all-storage exclude each other." delete -c "$T" test --storage vda --all-storage
t 1 "vmtui delete: option --start does not apply here" delete -c "$T" test --start
t 1 "vmtui: not deleting test: confirm with --yes-i-typed" delete -c "$T" test
t 1 "vmtui: cannot delete test: vmtui runs read-only (-r)" delete -r -c "$T" test --yes-i-typed test
t 1 "the name given with --yes-i-typed is not its exact name" delete -c "$T" test --yes-i-typed Test
t 1 "the name given with --yes-i-typed is not its exact name" delete -c "$T" test --yes-i-typed ''
t 1 "vmtui: " delete -c "$T" test --storage "$LONG" --yes-i-typed test
for s in "${SPECIALS[@]}" "$NONUTF" "$LONG"; do
	t 1 "vmtui: There is no guest \"$s\" on this host; check the name with virsh list --all." delete -c "$T" "$s" --yes-i-typed "$s"
done

# ---------------------------------------------------------------- pool, vol

t 1 "vmtui pool: no action given; use list, info, create, build, start, stop, refresh, autostart or delete." pool
t 1 "vmtui pool: unknown action \"bogus\"" pool bogus
t 1 "vmtui pool: unknown action \"$NONUTF\"" pool "$NONUTF"
t 1 "vmtui vol: no action given; use list, info, create, resize, clone, wipe, delete, upload or download." vol
t 1 "vmtui vol: unknown action \"bogus\"" vol bogus
t 1 "vmtui pool list: expected no argument" pool list -c "$T" x
t 1 "vmtui pool start: expected a pool name" pool start -c "$T"
t 1 "vmtui vol list: expected a pool name" vol list -c "$T"
t 1 "vmtui vol resize: expected a pool name, a volume name and the new size" vol resize -c "$T" default-pool a
t 1 "vmtui vol clone: expected a pool name, a volume name and the clone's name" vol clone -c "$T" default-pool a
t 1 "vmtui pool start: option --json does not apply here" pool start -c "$T" --json default-pool
t 1 "vmtui pool list: option --size does not apply here" pool list -c "$T" --size 1G
t 1 "vmtui vol list: option --yes does not apply here" vol list -c "$T" -y default-pool
t 1 'vmtui pool: unknown option "--bogus"; see vmtui help pool.' pool list --bogus
t 1 'vmtui vol: option "--size" needs a value; see vmtui help vol.' vol create default-pool a --size
t 1 "vmtui pool: give -c URI or -H HOST, not both" pool list -c "$T" -H localhost
t 1 "vmtui pool create: --build and --no-build exclude each other" pool create -c "$T" p --build --no-build
t 1 "vmtui pool create: " pool create -c "$T" p --type bogus
t 1 "vmtui pool create: " pool create -c "$T" p --type netfs --path /mnt/x
t 1 "vmtui vol create: --size is needed (e.g. --size 20G; a bare number is GiB)." vol create -c "$T" default-pool a
t 1 "vmtui vol create: --size: \"2X\": unknown unit (use K, M, G or T; a bare number is GiB)." vol create -c "$T" default-pool a --size 2X
t 1 "vmtui vol create: --size: \"-1\": a size cannot be negative." vol create -c "$T" default-pool a --size=-1
t 1 "vmtui vol create: --size: \"$BIG\" is too large." vol create -c "$T" default-pool a --size "$BIG"
t 1 "vmtui vol create: --size: \"0\": a size must be above 0." vol create -c "$T" default-pool a --size 0
t 1 "vmtui vol create: --format: \"vmdk\" is not a format vmtui creates (use qcow2 or raw)." vol create -c "$T" default-pool a --size 1G --format vmdk
t 1 "vmtui vol resize: \"abc\" is not a size (use e.g. 20G or 512M; a bare number is GiB)." vol resize -c "$T" default-pool a abc
t 1 "vmtui vol create: A volume needs a name." vol create -c "$T" default-pool '' --size 1G
t 1 "vmtui vol create: The name is 10240 bytes long; keep it to 255." vol create -c "$T" default-pool "$LONG" --size 1G
t 1 'vmtui vol create: "$(touch /tmp/pwned)": a volume name cannot contain "/".' vol create -c "$T" default-pool '$(touch /tmp/pwned)' --size 1G
t 1 'vmtui vol clone: ".." cannot name a volume.' vol clone -c "$T" default-pool a ..
t 1 "vmtui: cannot create storage pool p: vmtui runs read-only (-r)" pool create -r -c "$T" p --path /p
t 1 "vmtui: cannot delete volume default-pool: vmtui runs read-only (-r)" vol delete -r -c "$T" default-pool a
t 1 "vmtui: not done: pool delete default-pool asks for the name typed on a terminal; give --yes to do it without one." pool delete -c "$T" default-pool
t 1 "vmtui: not done: vol wipe default-pool asks for the name typed on a terminal; give --yes to do it without one." vol wipe -c "$T" default-pool a
t 0 "default-pool" pool list -c "$T"
t 0 '"name": "default-pool"' pool list -c "$T" --json
t 0 "Storage pool default-pool has no volumes" vol list -c "$T" default-pool
for s in '' "$LONG" "$NONUTF" "${SPECIALS[@]}"; do
	t 1 "vmtui: There is no storage pool \"$s\" (vmtui pool list shows them)." pool info -c "$T" "$s"
done
# the test driver forgets them at exit: names full of specials work
for s in "a'b" 'a"b' '<x>' 'a&b' ';rm -rf' '`touch pwned`'; do
	t 0 "Volume $s created in storage pool default-pool: 1 GiB qcow2." vol create -c "$T" default-pool "$s" --size 1G
	t 0 "Storage pool $s (dir) created, built, started, starts at host boot." pool create -c "$T" "$s" --path "/x/$s"
done

# ---------------------------------------------------------------- top --batch

for n in 0 -1 "$BIG" '' x 1.5 "$NONUTF"; do
	t 1 "vmtui top: -n: \"$n\" is not a count of samples (1 or more)" top --batch -n "$n"
done
for d in nan 1e308 -1 0 '' "$LONG"; do
	t 1 "vmtui top: -d: \"$d\" is not a number of seconds between 0.25 and 3600" top --batch -d "$d"
done
t 1 "vmtui top: --csv and --json exclude each other" top --batch --csv --json
t 1 "vmtui top: unexpected argument \"x\"" top --batch x
t 1 "vmtui top: cannot connect to bogus:///x" top --batch -n 1 -d 0.25 -c bogus:///x
t 1 "vmtui top: cannot connect to $LONG" top --batch -n 1 -d 0.25 -c "$LONG"
t 0 "test" top --batch -n 1 -d 0.25 -c "$T"
t 0 '"name":"test"' top --batch -n 1 -d 0.25 --json -c "$T"

# ---------------------------------------------------------------- help

# h NAME: `vmtui help NAME` and `vmtui NAME --help` (and -h) exit 0 with the
# same text on stdout, starting "Usage: vmtui NAME", and nothing on stderr.
h() {
	local name=$1 b
	CASES=$((CASES + 1))
	for b in $BUILDS; do
		"$b/vmtui" help "$name" >"$D/h1" 2>"$D/h1err" </dev/null || { not_ok "[$b] help $name: exit status $?"; continue; }
		"$b/vmtui" "$name" --help >"$D/h2" 2>"$D/h2err" </dev/null || { not_ok "[$b] $name --help: exit status $?"; continue; }
		"$b/vmtui" "$name" -h >"$D/h3" 2>>"$D/h2err" </dev/null || { not_ok "[$b] $name -h: exit status $?"; continue; }
		if ! head -n1 "$D/h1" | grep -q "^Usage: vmtui $name\b"; then
			not_ok "[$b] help $name: first line '$(head -n1 "$D/h1")' is no usage of $name"
		elif ! cmp -s "$D/h1" "$D/h2" || ! cmp -s "$D/h1" "$D/h3"; then
			not_ok "[$b] help $name, $name --help and $name -h differ"
			diff "$D/h1" "$D/h2" | head -n 10 | sed 's/^/    | /' >&2
		elif [ -s "$D/h1err" ] || [ -s "$D/h2err" ]; then
			not_ok "[$b] help $name: something on stderr: $(head -c 200 "$D/h1err" "$D/h2err")"
		else
			ok
		fi
	done
}
# Every command that `vmtui help` lists; at least the ones of vmtui(1).
B1=${BUILDS%% *}
LISTED=$("$B1/vmtui" help | sed -n '/^Commands/,/^$/s/^  \([a-z]*\) .*/\1/p')
# ---------------------------------------------------------------- vol upload, download

printf 'hello\n' >"$D/hello.txt"
t 1 "vmtui vol upload: expected a pool and a file" vol upload
t 1 "vmtui vol upload: expected a pool and a file" vol upload -c "$T" default-pool
t 1 "vmtui vol download: expected a pool, a volume and a file" vol download -c "$T" default-pool a
t 1 "vmtui vol upload: cannot read $D/nope: No such file or directory." vol upload -c "$T" default-pool "$D/nope"
t 1 "vmtui vol upload: --format: \"vmdk\" is not a format; use raw, qcow2 or iso." vol upload -c "$T" default-pool "$D/hello.txt" --format vmdk
t 1 'vmtui vol: option "--format" needs a value; see vmtui help vol.' vol upload default-pool "$D/hello.txt" --format
t 1 "vmtui vol upload: --force applies to download only." vol upload -c "$T" default-pool "$D/hello.txt" --force
t 1 "vmtui vol download: --name applies to upload only." vol download -c "$T" default-pool a "$D/x" --name b
t 1 "vmtui vol download: --format applies to upload only." vol download -c "$T" default-pool a "$D/x" --format raw
t 1 "vmtui vol upload: cannot upload with -r (read-only); nothing was changed." vol upload -r -c "$T" default-pool "$D/hello.txt"
t 1 "vmtui vol upload: --bwlimit: \"5X\" is not a rate; use bytes a second, e.g. 500K, 20M." vol upload -c "$T" default-pool "$D/hello.txt" --bwlimit 5X
t 1 "vmtui vol upload: --bwlimit: \"$BIG\" is not a rate" vol upload -c "$T" default-pool "$D/hello.txt" --bwlimit "$BIG"
t 1 "vmtui vol upload: $D/hello.txt is not a qcow2 image" vol upload -c "$T" default-pool "$D/hello.txt" --format qcow2
t 1 "vmtui vol upload: $D/hello.txt is not an ISO 9660 image" vol upload -c "$T" default-pool "$D/hello.txt" --format iso
t 1 "vmtui vol upload: --name: A volume needs a name." vol upload -c "$T" default-pool "$D/hello.txt" --name ''
t 1 "vmtui vol upload: --name: The name is 10240 bytes long; keep it to 255." vol upload -c "$T" default-pool "$D/hello.txt" --name "$LONG"
t 1 "vmtui vol upload: There is no storage pool \"nopool\" on this host." vol upload -c "$T" nopool "$D/hello.txt"
t 1 "vmtui vol download: Storage pool \"default-pool\" has no volume \"nosuch\"." vol download -c "$T" default-pool nosuch "$D/x"
t 1 "vmtui vol download: $D/hello.txt already exists; use --force to replace it." vol download -c "$T" default-pool a "$D/hello.txt"
# The test driver has no streams: the upload fails, and its volume goes.
t 1 "vmtui vol upload: --name: A volume name must be UTF-8 text." vol upload -c "$T" default-pool "$D/hello.txt" --name "$NONUTF"
for s in "${SPECIALS[@]}"; do
	case $s in
	*/*) t 1 "a volume name cannot contain \"/\"" vol upload -c "$T" default-pool "$D/hello.txt" --name "$s" ;;
	*) t 1 "the new volume $s was deleted." vol upload -c "$T" default-pool "$D/hello.txt" --name "$s" ;;
	esac
done
[ ! -e /tmp/pwned ] || not_ok "a volume name ran a command"

for c in validate plan apply export resize console snapshot clone delete top help version pool vol net screen screenshot; do
	grep -qx "$c" <<<"$LISTED" || not_ok "vmtui help does not list $c"
done
for c in $LISTED; do
	h "$c"
done
# without a command: the screen's options and the list, the same three ways
CASES=$((CASES + 1))
for b in $BUILDS; do
	"$b/vmtui" help >"$D/h1" && "$b/vmtui" --help >"$D/h2" && "$b/vmtui" -h >"$D/h3" &&
		cmp -s "$D/h1" "$D/h2" && cmp -s "$D/h1" "$D/h3" && grep -q "^  apply  " "$D/h1" &&
		ok || not_ok "[$b] vmtui help, --help and -h differ, fail or list no commands"
done
t 0 "Usage: vmtui version" help version
t 0 "vmtui " version
t 1 'vmtui help: unknown command "bogus"; vmtui help lists the commands.' help bogus
t 1 "vmtui help: unknown command \"$NONUTF\"" help "$NONUTF"
t 1 "vmtui help: expected at most one command name" help apply plan
t 1 'vmtui version: unexpected argument "x"' version x
t 1 'vmtui delete: ambiguous option "--s"; see vmtui help delete.' delete -c "$T" test --s
t 1 'vmtui console: unknown option "-y"; see vmtui help console.' console -y test
t 1 'vmtui snapshot: unknown option "--bogus"; see vmtui help snapshot.' snapshot list --bogus test
t 1 'vmtui top: unknown option "-Z"; see vmtui help top.' top --batch -Z
t 1 "vmtui export: unknown option \"--${LONG:0:38}...\"" export "--$LONG"

# ---------------------------------------------------------------- definition files

cd "$D" || exit 1
y() { printf '%b' "$2" >"$D/$1"; } # y FILE CONTENT (with \n escapes)
y t-list-vcpus.yaml 'name: a\nvcpus: [1, 2]\n'
v t-list-vcpus.yaml 1 't-list-vcpus.yaml:2:8: vcpus: expected a whole number, not a list'
y t-map-name.yaml 'name: {a: b}\n'
v t-map-name.yaml 1 't-map-name.yaml:1:7: name: expected a VM name, not a mapping'
y t-list-name.yaml 'name: [x]\n'
v t-list-name.yaml 1 't-list-name.yaml:1:7: name: expected a VM name, not a list'
y t-str-disks.yaml 'name: a\ndisks: str\n'
v t-str-disks.yaml 1 't-str-disks.yaml:2:8: disks: expected a list of disks, not a single value'
y t-int-nets.yaml 'name: a\nnetworks: 5\n'
v t-int-nets.yaml 1 't-int-nets.yaml:2:11: networks: expected a list of network interfaces, not a single value'
y t-bool-mem.yaml 'name: a\nmemory: true\n'
v t-bool-mem.yaml 1 't-bool-mem.yaml:2:9: memory: '
y t-top-list.yaml '- 1\n- 2\n'
v t-top-list.yaml 1 't-top-list.yaml:1:3: expected a VM (a mapping with a name), not a single value'
# storage pools and networks (vmtui.yaml(5) STORAGE POOLS AND NETWORKS)
y r-kcli.yaml 'p: {type: pool, path: /srv/p}\nn: {type: network, cidr: 10.1.0.0/24, nat: false}\n'
v r-kcli.yaml 0 'valid: 0 VMs:; 1 pool: p; 1 network: n'
y r-cidr.yaml "n: {type: network, cidr: 10.1.0.0/$BIG}\n"
v r-cidr.yaml 1 'r-cidr.yaml:1:26: network "n": cidr must be an IPv4 network like 192.168.100.0/24'
y r-pool.yaml "p: {type: pool, pooltype: netfs, path: /mnt/$LONG}\n"
v r-pool.yaml 1 'r-pool.yaml:1:1: pool "p": a netfs pool needs source_host'
y r-hosts.yaml 'n:\n  type: network\n  cidr: 10.1.0.0/24\n  hosts:\n    - {mac: "52:54:00:00:00:01", ip: 10.2.0.1}\n'
v r-hosts.yaml 1 "r-hosts.yaml:5:7: network \"n\": a fixed host's ip is outside the network's cidr"
y r-dhcp.yaml 'n: {type: network, cidr: 10.1.0.0/24, dhcp: {start: 10.1.0.9, end: 10.1.0.300}}\n'
v r-dhcp.yaml 1 'r-dhcp.yaml:1:45: network "n": the dhcp range must be IPv4 addresses like 192.168.100.10'
y r-ctl.yaml 'p: {type: pool, path: "/srv/a\\u0001b"}\n'
v r-ctl.yaml 1 'r-ctl.yaml:1:23: pool "p": a pool'"'"'s path must be an absolute path without control characters'
y h-vcpus.yaml "name: a\nvcpus: $BIG\n"
v h-vcpus.yaml 1 "h-vcpus.yaml:2:8: vcpus: \"$BIG\" is not a whole number from 1 to 4096"
y h-mem.yaml "name: a\nmemory: ${BIG}G\n"
v h-mem.yaml 1 "h-mem.yaml:2:9: memory: \"${BIG}G\" is too large"
y h-mem64.yaml 'name: a\nmemory: 18446744073709551615\n'
v h-mem64.yaml 1 'h-mem64.yaml:2:9: memory: "18446744073709551615" is too large'
y h-disk.yaml 'name: a\ndisks:\n  - size: 1e308\n'
v h-disk.yaml 1 'h-disk.yaml:3:11: size: unknown unit "e308" in "1e308"'
y h-neg.yaml 'name: a\nvcpus: -1\n'
v h-neg.yaml 1 'h-neg.yaml:2:8: vcpus: "-1" is not a whole number from 1 to 4096'
y u-value.yaml 'name: a\xff\xfe\n'
v u-value.yaml 1 'u-value.yaml:1:8: invalid leading UTF-8 octet (0xFF)'
y u-key.yaml 'name: a\nmem\xc3\x28ory: 2G\n'
v u-key.yaml 1 'u-key.yaml:2:5: invalid trailing UTF-8 octet (0x28)'
y l-name.yaml "name: $LONG\n"
v l-name.yaml 1 'l-name.yaml:1:7: name: longer than 64 characters'
y l-key.yaml "name: a\n$LONG: 1\n"
v l-key.yaml 1 "l-key.yaml:2:10241: could not find expected ':' while scanning a simple key"
y l-key1k.yaml "name: a\n${LONG:0:1000}: 1\n"
v l-key1k.yaml 1 "l-key1k.yaml:2:1: unknown key \"${LONG:0:1000}\""
y e-empty.yaml ''
v e-empty.yaml 1 'e-empty.yaml:1:1: no VM defined'
y e-name.yaml 'name: ""\n'
v e-name.yaml 1 'e-name.yaml:1:7: name: '
i=0
for s in "${SPECIALS[@]}"; do
	i=$((i + 1))
	q=${s//"'"/"''"}
	y "s-$i.yaml" "name: '$q'\n"
	v "s-$i.yaml" 1 "s-$i.yaml:1:7: name: \"$s\" may only hold letters, digits and - _ . +"
done
y b-aliases.yaml 'x: &a [x,x,x,x,x,x,x,x,x]\nx2: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nx3: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nx4: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nx5: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nvm:\n  disks: *e\n  networks: *e\n'
v b-aliases.yaml 1 'b-aliases.yaml:1:4: expected a mapping describing VM "x", not a list'
y r-alias.yaml 'name: a\ndisks: &x\n  - *x\n'
v r-alias.yaml 1 'r-alias.yaml:2:8: disks: expected a size or a mapping describing a disk, not a list'
printf 'name: a\nx: %s%s\n' "$(printf '[%.0s' $(seq 60))" "$(printf ']%.0s' $(seq 60))" >"$D/n-deep.yaml"
v n-deep.yaml 1 'n-deep.yaml:2:1: unknown key "x" for a VM'
# libyaml's scanner takes the square of the depth: 100 000 brackets are
# refused before it reads them (timeout 20 s in v)
printf 'name: a\nx: %s%s\n' "$(head -c 100000 /dev/zero | tr '\0' '[')" "$(head -c 100000 /dev/zero | tr '\0' ']')" >"$D/n-100k.yaml"
v n-100k.yaml 1 'n-100k.yaml:2:68: nested deeper than 64 levels of [ and {'
printf 'name: a\nx: %s1%s\n' "$(printf '{a: %.0s' $(seq 100))" "$(printf '}%.0s' $(seq 100))" >"$D/n-maps.yaml"
v n-maps.yaml 1 'nested deeper than 64 levels of [ and {'
y c-devzero.yaml 'name: a\ncloud_init:\n  user_data_file: /dev/zero\n'
v c-devzero.yaml 1 'c-devzero.yaml:3:19: user_data_file: "/dev/zero" is not a regular file'
y c-long.yaml "name: a\ncloud_init:\n  user_data_file: $LONG\n"
v c-long.yaml 1 'c-long.yaml:3:19: user_data_file: cannot read'
y c-special.yaml "name: a\ncloud_init:\n  user_data: |\n    \$(touch /tmp/pwned)\n    <x> & a'b\nnetworks: []\n"
v c-special.yaml 0 'valid: 1 VM: a'
[ ! -e /tmp/pwned ] || { not_ok "a definition created /tmp/pwned"; rm -f /tmp/pwned; }

# ------------------------------------- boot, cpu, firmware, tpm, hostdev
# The test driver's guest "test" runs; changes are saved for its next boot.
for c in boot cpu firmware tpm hostdev; do
	t 0 "Usage: vmtui $c" "$c" --help
	t 1 "vmtui $c: option \"-c\" needs a value" "$c" -c
	t 1 "vmtui $c: unknown option \"--bogus\"" "$c" --bogus
done
t 1 "vmtui boot: expected one VM." boot -c "$T"
t 1 "vmtui boot: expected one VM." boot -c "$T" test extra
t 1 'vmtui boot: --menu takes on or off, not "maybe".' boot -c "$T" test --menu maybe
t 1 '"floppy" is not a boot device: use hd, cdrom, network or fd' boot -c "$T" test --order hd,floppy
t 1 "hd is twice in the boot order." boot -c "$T" test --order hd,cdrom,hd
t 1 "The boot order is empty" boot -c "$T" test --order ,
t 1 "is not a boot device" boot -c "$T" test --order "$NONUTF"
t 1 "is not a boot device" boot -c "$T" test --order "$LONG"
t 1 'vmtui boot: option "--model" is not one of this command'"'"'s' boot -c "$T" test --model x
t 1 'No guest "nosuch" on this host.' boot -c "$T" nosuch --menu on
t 0 "test boots from: hd (menu off)" boot -c "$T" test
t 0 "Dry run: nothing was changed." boot -c "$T" test --order cdrom,hd --menu on --dry-run
t 0 "virsh -c test:///default define test.xml" boot -c "$T" test --order network --dry-run
t 1 "vmtui: not changing test: vmtui runs read-only (-r)" boot -c "$T" -r test --menu on
t 1 '"fast" is not a CPU mode' cpu -c "$T" test --mode fast
t 1 "A CPU model goes with the custom mode, not host-model." cpu -c "$T" test --mode host-model --model Nehalem
t 1 "2 x 2 x 1 (sockets x cores x threads) = 4 vCPUs, but test has 2 at most" cpu -c "$T" test --topology 2,2,1
t 1 "is not a CPU topology" cpu -c "$T" test --topology 1,2
t 1 "is not a CPU topology" cpu -c "$T" test --topology "$BIG,1,1"
t 1 "is not a CPU topology" cpu -c "$T" test --topology 0,2,1
t 1 "is not a CPU topology" cpu -c "$T" test --topology "1,2,1;touch /tmp/pwned"
t 0 "Not checked against the host" cpu -c "$T" test --mode host-model --topology 1,2,1 --dry-run
t 1 "vmtui firmware: expected a VM, then bios or efi" firmware -c "$T"
t 1 'vmtui firmware: "uefi2" is not a firmware: use bios or efi.' firmware -c "$T" test uefi2
t 1 "Secure Boot needs UEFI firmware" firmware -c "$T" test bios --secure-boot on
t 1 'vmtui firmware: --secure-boot takes on or off, not "".' firmware -c "$T" test efi --secure-boot ''
t 0 "test firmware: BIOS; TPM: none" firmware -c "$T" test
t 0 "test: firmware BIOS -> UEFI, Secure Boot off" firmware -c "$T" test efi --dry-run
t 1 "vmtui tpm: no action given; use add or remove." tpm
t 1 'vmtui tpm: unknown action "grow"; use add or remove.' tpm grow test
t 1 "vmtui tpm add: expected one VM." tpm add -c "$T"
t 1 "vmtui tpm remove: --model is for tpm add." tpm remove -c "$T" test --model tpm-tis
t 1 '"tpm-spi" is not a TPM model' tpm add -c "$T" test --model tpm-spi
t 1 "test has no TPM to remove." tpm remove -c "$T" test
t 0 "test: TPM none -> tpm-crb" tpm add -c "$T" test --dry-run
t 1 "vmtui hostdev: no action given; use list, attach or detach." hostdev
t 1 'vmtui hostdev: unknown action "pass"' hostdev pass test x
t 1 "vmtui hostdev list: expected no argument." hostdev list -c "$T" x
t 1 "vmtui hostdev attach: expected a VM and a device" hostdev attach -c "$T" test
t 1 "vmtui hostdev attach: --json is for list." hostdev attach -c "$T" --json test x
t 1 "vmtui hostdev list: --dry-run is for attach and detach." hostdev list -c "$T" --dry-run
t 1 'No PCI or USB device "00:1f.2" on this host' hostdev attach -c "$T" test 00:1f.2
for s in "${SPECIALS[@]}" "$NONUTF" "$LONG"; do
	t 1 "on this host" hostdev detach -c "$T" test "$s"
	t 1 "vmtui: " boot -c "$T" "$s" --menu on
done
t 0 "No PCI or USB devices on this host." hostdev list -c "$T"
t 0 "[]" hostdev list -c "$T" --json
# ---------------------------------------------------------------- hw, disk, media, nic
# test:///default: "test" runs with disk vda (/guest/diskimage1, in no
# pool) and NIC aa:bb:cc:dd:ee:ff on network "default"; pool default-pool.
t 1 "vmtui hw: expected a VM name" hw
t 1 "vmtui hw: expected a VM name" hw a b
t 1 'vmtui: There is no guest "nope" on this host' hw -c "$T" nope
t 1 'vmtui: There is no guest' hw -c "$T" "$LONG"
t 1 'vmtui: There is no guest' hw -c "$T" "$NONUTF"
t 1 'vmtui hw: option "--cache" does not apply here' hw -c "$T" test --cache x
t 1 "vmtui hw: with -H, -c names the URI on that host" hw -H localhost -c qemu+ssh://x/system test
t 0 '"name": "vda"' hw -c "$T" --json test
t 0 "disk             vda" hw -c "$T" test
t 1 "vmtui disk: no action given; use add, remove or set." disk
t 1 'vmtui disk: unknown action "bogus"; use add, remove or set.' disk bogus
t 1 'vmtui disk: unknown action' disk "$NONUTF"
t 1 "vmtui disk add: expected a VM name" disk add
t 1 "vmtui disk add: say what the disk is" disk add -c "$T" test
t 1 "vmtui disk add: --pool makes a new volume: give its --size too" disk add -c "$T" test --pool default-pool
t 1 "vmtui disk add: a new volume (--size) needs --pool." disk add -c "$T" test --size 1G
t 1 'vmtui disk add: --size: "1X": unknown unit' disk add -c "$T" test --size 1X --pool default-pool
t 1 "vmtui disk add: --size:" disk add -c "$T" test --size "$BIG" --pool default-pool
t 1 "vmtui disk: give one of --file and --block." disk add -c "$T" test --file /a --block /b
t 1 'vmtui disk add: --volume is POOL/VOLUME, not "nopool".' disk add -c "$T" test --volume nopool
t 1 "vmtui: nothing was changed: The host has no storage pool nopool." disk add -c "$T" test --volume nopool/x
t 1 "vmtui: nothing was changed: Pool default-pool has no volume" disk add -c "$T" test --volume "default-pool/$LONG"
t 1 'vmtui: nothing was changed: bus "floppy": a disk' disk add -c "$T" test --file /a --bus floppy --dry-run
t 1 'vmtui: nothing was changed: "rel" is not an absolute path.' disk add -c "$T" test --file rel --dry-run
t 1 'vmtui: nothing was changed: "vd1" is not a disk target name' disk add -c "$T" test --file /a --target vd1 --dry-run
t 1 'vmtui: nothing was changed: "'"$LONG"'" is not a disk target name' disk add -c "$T" test --file /a --target "$LONG" --dry-run
t 1 'vmtui: nothing was changed: cache "fast"' disk add -c "$T" test --file /a --cache fast --dry-run
t 1 'vmtui: nothing was changed: discard "on"' disk add -c "$T" test --file /a --discard on --dry-run
t 1 'vmtui: nothing was changed: format "zip"' disk add -c "$T" test --file /a --format zip --dry-run
t 1 "vmtui: nothing was changed: The disk's source has a control character." disk add -c "$T" test --file $'/a\x01' --dry-run
t 1 "vmtui: nothing was changed: test already has a disk vda" disk add -c "$T" test --file /a --target vda --dry-run
t 1 'vmtui: nothing was changed: A CD-ROM drive takes an ISO, not a new volume.' disk add -c "$T" test --cdrom --pool default-pool --size 1G
t 1 'vmtui: nothing was changed: "'"$LONG"'/x" is not a volume name' disk add -c "$T" test --pool default-pool --size 1G --name "$LONG/x" --dry-run
t 0 "Add disk vdb (new 1 GiB qcow2 volume test-vdb.qcow2 in pool default-pool, virtio) to test: now and at the next boot." disk add -c "$T" test --pool default-pool --size 1G --dry-run
t 0 "Nothing was changed (--dry-run)." disk add -c "$T" test --file "/srv/a'b \$(touch /tmp/pwned).img" --dry-run
t 0 "Add an empty CD-ROM drive sda (sata) to test (SATA drives cannot be hot-plugged)" disk add -c "$T" test --cdrom --dry-run
t 1 "vmtui disk remove: expected a VM name and a disk target (like vdb)" disk remove -c "$T" test
t 1 "vmtui: nothing was changed: test has no disk vdz." disk remove -c "$T" test vdz
t 1 "vmtui: nothing was changed: test has no disk" disk remove -c "$T" test "$LONG"
t 1 "vmtui: not deleting the volume of vda: confirm with -y, or run this on a terminal." disk remove -c "$T" test vda --delete-volume
t 1 "vmtui: nothing was changed: vda of test is /guest/diskimage1, in no storage pool" disk remove -c "$T" test vda --delete-volume -y
t 1 'vmtui disk set: option "--delete-volume" is for vmtui disk remove only.' disk set -c "$T" test vda --delete-volume
t 1 "vmtui disk set: say what to change: --cache MODE, --discard MODE." disk set -c "$T" test vda
t 1 'vmtui: nothing was changed: The cache mode and discard of a disk change at the next boot only' disk set -c "$T" test vda --live --cache none
t 1 "vmtui: cannot change the hardware of test: vmtui runs read-only (-r)" disk remove -c "$T" -r test vda
t 0 "Set disk vda of test to cache none, discard default: at the next boot." disk set -c "$T" test vda --cache none --dry-run
t 1 "vmtui media: no action given; use insert or eject." media
t 1 'vmtui media: unknown action "add"; use insert or eject.' media add
t 1 "vmtui media insert: expected a VM name, the drive's target and an ISO's path (or --volume)" media insert -c "$T" test
t 1 "vmtui media insert: give the ISO's path or --volume, not both." media insert -c "$T" test hdc /a.iso --volume p/v
t 1 "vmtui: nothing was changed: test has no CD-ROM drive vda." media eject -c "$T" test vda
t 1 "vmtui: nothing was changed: test has no CD-ROM drive" media insert -c "$T" test "$NONUTF" /a.iso
t 1 'vmtui media eject: option "--pool" is for vmtui disk add only.' media eject -c "$T" test hdc --pool x
t 1 "vmtui nic: no action given; use add, remove, link or move." nic
t 1 "vmtui nic: give one of --network and --bridge." nic add -c "$T" test --network a --bridge b
t 1 'vmtui nic: option "--network" needs a value' nic add -c "$T" test --network
t 1 'vmtui: nothing was changed: "01:00:5e:00:00:01" is not a unicast MAC address' nic add -c "$T" test --mac 01:00:5e:00:00:01 --dry-run
t 1 'vmtui: nothing was changed: "'"$NONUTF"'" is not a unicast MAC address' nic add -c "$T" test --mac "$NONUTF" --dry-run
t 1 'vmtui: nothing was changed: model "tulip"' nic add -c "$T" test --model tulip --dry-run
t 1 "vmtui: nothing was changed: test already has a NIC with MAC AA:BB:CC:DD:EE:FF." nic add -c "$T" test --mac AA:BB:CC:DD:EE:FF --dry-run
t 1 "vmtui: nothing was changed: The host has no network nonet (vmtui net list shows them)." nic add -c "$T" test --network nonet
t 1 'vmtui nic link: the link is up or down, not "sideways".' nic link -c "$T" test aa:bb:cc:dd:ee:ff sideways
t 1 "vmtui nic link: expected a VM name, the NIC's MAC address and up or down" nic link -c "$T" test aa:bb:cc:dd:ee:ff
t 1 "vmtui nic move: say where to: --network NET or --bridge BRIDGE." nic move -c "$T" test aa:bb:cc:dd:ee:ff
t 1 "vmtui: nothing was changed: test has no NIC 00:00:00:00:00:01." nic remove -c "$T" test 00:00:00:00:00:01
t 1 "vmtui: nothing was changed: NIC aa:bb:cc:dd:ee:ff of test is on network default already." nic move -c "$T" test aa:bb:cc:dd:ee:ff --network default
t 1 'vmtui nic remove: option "--model" is for vmtui nic add only.' nic remove -c "$T" test aa:bb:cc:dd:ee:ff --model e1000
t 0 "Set the link of NIC aa:bb:cc:dd:ee:ff of test down: now and at the next boot." nic link -c "$T" test aa:bb:cc:dd:ee:ff down --dry-run
t 0 "virsh -c test:///default detach-interface test network --mac aa:bb:cc:dd:ee:ff --live --config" nic remove -c "$T" test aa:bb:cc:dd:ee:ff --dry-run
[ ! -e /tmp/pwned ] || { not_ok "a hardware command created /tmp/pwned"; rm -f /tmp/pwned; }
# ---------------------------------------------------------------- edit, lifecycle
t 1 "vmtui edit: expected one VM name" edit
t 1 "vmtui edit: expected one VM name" edit -c "$T" test other
t 1 "vmtui edit: --resume and --fresh exclude each other." edit -c "$T" --resume --fresh test
t 1 'vmtui edit: unknown option "--bogus"; see vmtui help edit.' edit -c "$T" --bogus test
t 1 "vmtui: There is no guest \"$LONG\" on this host" edit -c "$T" "$LONG"
for s in "${SPECIALS[@]}" "$NONUTF"; do
	t 1 "vmtui: There is no guest \"$s\" on this host; check the name with virsh list --all." edit -c "$T" "$s"
done
EDITOR=true t 0 "No change: test was not defined." edit -c "$T" test
EDITOR=false t 1 "vmtui: the editor \"false\" exited with status 1; not defined. The edit is kept in" edit -c "$T" --fresh test
t 1 "vmtui: an edit of test from " edit -c "$T" test
EDITOR=true t 0 "No change: test was not defined." edit -c "$T" --fresh test
for c in reset save restore ctrl-alt-del nmi wake; do
	t 1 "vmtui $c: expected one VM name" "$c" -c "$T"
	t 1 "vmtui $c: expected one VM name" "$c" -c "$T" test other
	t 1 "vmtui $c: unknown option \"--bogus\"; see vmtui help $c." "$c" -c "$T" --bogus test
	t 1 "vmtui: There is no guest \"$LONG\" on this host" "$c" -c "$T" "$LONG"
	for s in "${SPECIALS[@]}"; do
		t 1 "vmtui: There is no guest \"$s\" on this host; check the name with virsh list --all." "$c" -c "$T" "$s"
	done
done
t 1 "vmtui nmi: option -y does not apply here" nmi -c "$T" -y test
t 1 "vmtui reset: option --discard does not apply here" reset -c "$T" --discard test
t 1 "vmtui: nothing was done: give --yes to do it without a terminal." reset -c "$T" test
t 0 "test: reset done." reset -c "$T" -y test
t 0 "test: inject an NMI done." nmi -c "$T" test
t 0 "send-key test KEY_LEFTCTRL KEY_LEFTALT KEY_DELETE" ctrl-alt-del -c "$T" test
t 1 "vmtui: cannot wake up test: it is not suspended by its own OS (pmsuspended): nothing to wake." wake -c "$T" test
t 1 "vmtui: cannot restore test: it is already running." restore -c "$T" test
t 1 "vmtui: cannot remove the saved state of test: it is running" save -c "$T" --discard -y test
t 0 "test: save done." save -c "$T" test
t 1 "vmtui rename: expected the VM and its new name" rename -c "$T" test
t 1 "vmtui rename: expected the VM and its new name" rename -c "$T" test a b
t 1 "vmtui: \"$LONG\" is longer than 64 characters." rename -c "$T" test "$LONG"
for s in "${SPECIALS[@]}"; do
	t 1 "vmtui: \"$s\"" rename -c "$T" test "$s"
done
t 1 "vmtui: cannot rename test: it is running; shut it off first" rename -c "$T" test new
t 1 "vmtui rename: unknown option \"--bogus\"; see vmtui help rename." rename -c "$T" --bogus test new

# vmtui migrate (cli_migrate.c): usage, options, targets, guests; the
# pre-flight refusals exit 2 (checked by their words: "0|1" takes any
# status below a crash's).
: >"$D/empty.yaml"
t 1 "vmtui migrate: expected one or more VMs and the target" migrate
t 1 "vmtui migrate: expected one or more VMs and the target" migrate -c "$T" test
t 1 "vmtui migrate: unknown option \"--bogus\"; see vmtui help migrate." migrate --bogus test "$T"
t 1 "vmtui migrate: --live, --paused and --offline exclude each other." migrate --live --offline test "$T"
t 1 "vmtui migrate: --bandwidth: \"x\" is not a number of MiB/s" migrate --bandwidth x test "$T"
t 1 "vmtui migrate: --bandwidth: \"$BIG\" is not a number of MiB/s" migrate --bandwidth "$BIG" test "$T"
t 1 "vmtui migrate: --transient needs a running guest" migrate --transient --offline test "$T"
t 1 "vmtui migrate: the target \"nosuch\" is neither a libvirt URI nor a host" \
	migrate --config "$D/empty.yaml" -c "$T" test nosuch
t 1 "vmtui migrate: the target \"$NONUTF\" is neither a libvirt URI nor a host" \
	migrate --config "$D/empty.yaml" -c "$T" test "$NONUTF"
t 1 "none.yaml:1:1: cannot open" migrate --config "$D/none.yaml" -c "$T" test nosuch
t 1 "vmtui migrate: no guest matches \"zz*\"; nothing was done." migrate -c "$T" 'zz*' "$T"
t "0|1" "There is no guest \"$LONG\" on this host" migrate -c "$T" "$LONG" "$T"
for s in "${SPECIALS[@]}"; do
	t "0|1" "There is no guest" migrate -c "$T" "$s" "$T"
done
t "0|1" "FAIL  name free: test already runs on the target" migrate -c "$T" test "$T"
t "0|1" "the pre-flight of test failed; nothing was changed." migrate -c "$T" --check test "$T"
t 0 "Usage: vmtui migrate" migrate --help
# vmtui tag, untag, note (issue 22): bad tags and notes refused before connecting.
for c in tag untag note; do
	t 1 "vmtui $c: expected a VM name" "$c" -c "$T"
	t 1 "vmtui $c: unknown option \"--bogus\"; see vmtui help $c." "$c" -c "$T" --bogus test
	t 1 "vmtui: There is no guest \"$LONG\" on this host" "$c" -c "$T" "$LONG" web
	for s in "${SPECIALS[@]}"; do
		t 1 "vmtui: There is no guest \"$s\" on this host" "$c" -c "$T" "$s" web
	done
done
t 1 "vmtui tag: Tag \"Web\": tags are lower case" tag -c "$T" test Web
t 1 "vmtui tag: Tag \"-x\" must start with a letter or a digit." tag -c "$T" test -- -x
t 1 "vmtui tag: A tag cannot be empty." tag -c "$T" test ""
t 1 "vmtui tag: Tag \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\" is longer than 32 characters." \
	tag -c "$T" test "$LONG"
t 1 "vmtui tag: Tag \"$NONUTF\": use only a-z" tag -c "$T" test "$NONUTF"
for s in "${SPECIALS[@]}"; do
	t 1 "vmtui tag: Tag \"$s\"" tag -c "$T" test "$s"
	t 1 "vmtui untag: Tag \"$s\"" untag -c "$T" test "$s"
done
# shellcheck disable=SC2046
t 1 "vmtui: test would carry 65 tags; at most 64 fit." tag -c "$T" test $(seq -f 't%g' 65)
t 1 "vmtui tag: option --all does not apply here" tag -c "$T" --all test
t 1 "vmtui untag: expected the tags to remove after the VM (or --all)" untag -c "$T" test
t 1 "vmtui untag: --all takes only the VM name" untag -c "$T" --all test web
t 1 "vmtui note: --clear takes only the VM name" note -c "$T" --clear test words
t 1 "vmtui note: option --all does not apply here" note -c "$T" --all test
t 1 "vmtui note: The note is not valid UTF-8" note -c "$T" test "$NONUTF"
t 1 "vmtui note: The note has a control character" note -c "$T" test "$(printf 'a\001b')"
t 1 "vmtui note: The note is 10240 bytes long; at most 4000 fit." note -c "$T" test "$LONG"
t 0 "test: tags prod, web; no note." tag -c "$T" test web prod
t 0 "test: no tags; a note." note -c "$T" test "a <b> & 'c' \$(touch /tmp/pwned)"
t 0 "Nothing to change: test: no tags; no note." untag -c "$T" --all test
t 0 "tags: (none)" tag -c "$T" test
# ---------------------------------------------------------------- complete
t 1 "vmtui complete: expected what to list (words, options, commands" complete
t 1 'vmtui complete: "bogus" is not words, options, commands, uris' complete bogus
t 1 'vmtui complete: unknown option "--bogus"; see vmtui help complete.' complete --bogus themes
t 1 'vmtui complete: option "--timeout" needs a value; see vmtui help complete.' complete guests --timeout
for x in x 0 0.05 61 nan inf -1 '' "$BIG" "$NONUTF" "$LONG"; do
	t 1 "vmtui complete: --timeout: \"$x\" is not a number of seconds between 0.1 and 60" \
		complete --timeout "$x" guests
done
t 1 'vmtui complete options: unknown command "nosuch"' complete options nosuch
t 1 "vmtui complete options: expected at most one command" complete options snapshot vol
t 1 "vmtui complete guests: expected no argument" complete guests extra
t 1 "vmtui complete vols: expected one pool" complete vols -c "$T"
t 1 "vmtui complete words: expected the words of the line" complete words
t 1 "vmtui complete words: expected the words of the line" complete words --
t 1 "vmtui complete guests: the host could not be asked" complete guests -c bogus:///nowhere
t 1 "vmtui complete vols: the host could not be asked" complete vols --timeout 30 -c "$T" nosuchpool
t 0 "test" complete guests --timeout 30 -c "$T"
t 0 "default-pool" complete pools --timeout 30 -c "$T"
t 0 "default" complete nets --timeout 30 -c "$T"
t 0 "dark" complete themes
t 0 "qemu:///system" complete uris -f /nonexistent/config.yaml
t 0 "qemu:///session" complete uris -f "$LONG"
t 0 "qemu:///session" complete uris -f "$NONUTF"
t 0 "--connect URI" complete options
t 0 "-c --connect URI" complete options snapshot
t 0 "snapshot" complete words -- vmtui ""
t 0 "qemu:///system" complete words -- vmtui -c ""
t 0 "-" complete words -- vmtui "$LONG" ""
for s in "${SPECIALS[@]}" "$NONUTF" "$LONG"; do
	t 0 "-" complete words -- vmtui snapshot revert -c "$s" ""
	t 0 "-" complete words -- vmtui snapshot revert -H "$s" ""
	t 0 "-" complete words -- vmtui "$s" "$s" "$s"
done
VMTUI_COMPLETE_TIMEOUT=x t 0 "test" complete guests --timeout 30 -c "$T"
# ------------------------------------------------- many guests (cli_bulk.c)
for c in start shutdown reboot off pause resume autostart; do
	t 1 "vmtui $c: no guests given: name them (globs like 'web-*' too), or give --tag TAG or --all" "$c" -c "$T"
	t 1 "vmtui $c: --all takes every guest; give it without names or --tag" "$c" -c "$T" --all test
	t 1 "vmtui $c: unknown option \"--bogus\"; see vmtui help $c." "$c" -c "$T" --bogus test
	t 1 "vmtui $c: --limit: \"0\" is not a number of operations at once per host (1 to 64)" "$c" -c "$T" --limit 0 test
	t 1 "vmtui $c: --limit: \"$BIG\" is not a number" "$c" -c "$T" --limit "$BIG" test
	t 1 "vmtui $c: --limit: \"-3\" is not a number" "$c" -c "$T" --limit -3 test
	t 1 "vmtui $c: no guest is called \"nosuch\" on $T; nothing was done" "$c" -c "$T" nosuch
	t 1 "vmtui $c: no guest is called \"$LONG\" on $T; nothing was done" "$c" -c "$T" "$LONG"
	t 1 "vmtui $c: no guest is called \"$NONUTF\"" "$c" -c "$T" "$NONUTF"
	for s in "${SPECIALS[@]}"; do
		t 1 "vmtui $c: no guest is called \"$s\" on $T; nothing was done" "$c" -c "$T" "$s"
	done
	t 1 "vmtui $c: the pattern \"zz*\" matches no guest on $T; nothing was done" "$c" -c "$T" 'zz*'
	t 1 "vmtui $c: the pattern \"[\" matches no guest" "$c" -c "$T" '['
	t 1 "vmtui $c: no guest has the tag \"web\" on $T; nothing was done" "$c" -c "$T" --tag web
	t 1 "vmtui $c: no guest has the tag \"$LONG\"" "$c" -c "$T" --tag "$LONG"
	t 1 "vmtui $c: vmtui runs read-only (-r); nothing was changed." "$c" -r -c "$T" test
	t 1 "vmtui $c: cannot connect to qemu+tcp://127.0.0.1:1/system: " "$c" -c qemu+tcp://127.0.0.1:1/system test
	t 1 "nosuch.yaml:1:1: cannot open: No such file or directory" "$c" -f "$D/nosuch.yaml" test
done
for c in start pause resume off autostart; do
	t 1 "vmtui $c: option --timeout does not apply here" "$c" -c "$T" --timeout 5 test
	t 1 "vmtui $c: option --no-wait does not apply here" "$c" -c "$T" --no-wait test
done
for c in shutdown reboot; do
	t 1 "vmtui $c: --timeout: \"abc\" is not a number of seconds (1 to 86400)" "$c" -c "$T" --timeout abc test
	t 1 "vmtui $c: --timeout: \"0\" is not a number of seconds" "$c" -c "$T" --timeout 0 test
	t 1 "vmtui $c: --timeout: \"$BIG\" is not a number of seconds" "$c" -c "$T" --timeout "$BIG" test
	t 1 "vmtui $c: --no-wait and --timeout exclude each other" "$c" -c "$T" --no-wait --timeout 3 test
done
t 1 "vmtui pause: option --disable does not apply here" pause -c "$T" --disable test
t 1 "vmtui start: option -y does not apply here" start -c "$T" -y test
t 1 "Force off this guest (what it has not written is lost):" off -c "$T" test
t 0 "done      test  $T: Forced test off." off -c "$T" -y test
t 0 "skipped   test  $T: test was left alone: it is already running." start -c "$T" test
t 0 "skipped   test  $T: test was left alone: it is already running." start -c "$T" -c "$T" 'te*'
t 0 "done      test  $T: Paused test." pause -c "$T" test
t 0 "test was left alone: it is not paused." resume -c "$T" --all
t 0 "test was left alone: autostart is already off." autostart --disable -c "$T" test
t 0 "done      test  $T: Autostart of test turned on." autostart -c "$T" test
t 0 "test shut off (after " shutdown -c "$T" test
t 0 "Shutdown of test requested." shutdown -c "$T" --no-wait test
t 0 '"status":"skipped"' start -c "$T" --json test
t 0 '"done":1,"failed":0,"skipped":0,"cancelled":0}' pause -c "$T" --json test
t 1 "vmtui list: no guest is called \"nosuch\" on $T; nothing was done" list -c "$T" nosuch
t 1 "vmtui list: option --limit does not apply here" list -c "$T" --limit 3
t 1 "vmtui list: option -y does not apply here" list -c "$T" -y
t 0 "test  $T  running      -" list -c "$T"
t 0 '[{"name":"test","uuid":"6695eb01-f6a4-8304-79aa-97f2502e193f","host":"test:///default","state":"running","autostart":false,"persistent":true,"tags":[]}]' list -c "$T" --json
t 0 '"name":"test"' list -c "$T" --json 't*'
t 1 "vmtui list: cannot connect to qemu+tcp://127.0.0.1:1/system: " list -c qemu+tcp://127.0.0.1:1/system
t 1 "vmtui snapshot delete: give the snapshot's name with --name NAME" snapshot delete -c "$T" --all
t 1 'vmtui snapshot: unknown option "--name"; see vmtui help snapshot.' snapshot list -c "$T" --name x --tag y
t 1 "vmtui snapshot delete: --description applies to create only." snapshot delete -c "$T" --name s -d x --all
t 1 'vmtui: "a/b": a snapshot name cannot contain "/".' snapshot create -c "$T" --name a/b --all
t 1 "vmtui: The name is 10240 bytes long; keep it to 128." snapshot create -c "$T" --name "$LONG" 't*'
t 1 "vmtui snapshot: the pattern \"zz*\" matches no guest" snapshot create -c "$T" 'zz*'
t 0 "done      test  $T: Snapshot \"s1\" of test created" snapshot create -c "$T" --name s1 --all
t 0 "test was left alone: it has no snapshot \"s1\"." snapshot delete -c "$T" -y --name s1 --all
t 1 "Delete snapshot \"s1\" of these 1 guests:" snapshot delete -c "$T" --name s1 --all
t 1 "vmtui delete: not deleting: confirm with --yes-i-typed 'delete N'" delete -c "$T" --all
t 1 "Delete these 1 guests" delete -c "$T" --all --yes-i-typed 'delete 2'
t 1 "vmtui delete: the pattern \"zz*\" matches no guest" delete -c "$T" 'zz*' --yes-i-typed 'delete 1'
t 0 "done      test  $T: " delete -c "$T" 't*' --yes-i-typed 'delete 1'
t 1 "vmtui: not deleting test: confirm with --yes-i-typed followed by its exact name" delete -c "$T" test
# The guest agent and ssh (tui/cli_agent.c).
for c in info ssh; do
	t 1 "vmtui $c: expected a VM name" "$c" -c "$T"
	t 1 "vmtui $c: unknown option \"--bogus\"; see vmtui help $c." "$c" -c "$T" --bogus test
done
t 1 "vmtui: There is no guest \"nosuch\" on this host" info -c "$T" nosuch
t 1 "vmtui info: expected one VM name" info -c "$T" test other
t 1 "vmtui info: option -l does not apply here" info -c "$T" -l root test
t 1 "vmtui ssh: option --json does not apply here" ssh -c "$T" --json test
t 1 "vmtui ssh: option --password-stdin does not apply here" ssh -c "$T" --password-stdin test
t 0 "Agent:       no agent (no guest agent channel)" info -c "$T" test
t 0 '"agent":{"status":"no-channel"' info -c "$T" --json test
t 1 "vmtui password: expected the VM and the user's name" password -c "$T" test
t 1 "vmtui password: option --json does not apply here" password -c "$T" --json test root
t2 "--crypted is an option of vmtui password." ssh -c "$T" --crypted test
t2 "--discard is an option of vmtui disk and vmtui save." reset -c "$T" --discard test
t2 "-l is an option of vmtui ssh." info -c "$T" -l root test
t 1 "vmtui password: standard input is not a terminal; give the password on it with --password-stdin" \
	password -c "$T" test root
t 1 "vmtui password: no password on standard input" password -c "$T" --password-stdin test root
t 1 "vmtui: There is no guest \"nosuch\" on this host" password -c "$T" nosuch root
t 1 "vmtui ssh-proxy: expected the relay's socket" ssh-proxy
t 1 "vmtui ssh-proxy: expected the relay's socket" ssh-proxy a b
t 1 "vmtui ssh-proxy: cannot reach vmtui's relay at /nonexistent/x" ssh-proxy /nonexistent/x

say "bad input: $CASES cases × $(wc -w <<<"$BUILDS") build(s)"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
