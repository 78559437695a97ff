# lib.sh — shared set-up for the real-stack tests (sourced, not run).
# Brings up the fixture, the daemon and three guests:
#   $T_BUSY  running, spinning its CPU, pinging on its NIC
#   $T_IDLE  running, idle
#   $T_OFF   defined, shut off
# and counts results so every suite ends with "N passed, N failed".

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RS=$TOP/tests/realstack
: "${BUILD:=$TOP/build}"
T_PREFIX=${T_PREFIX:-vmtuitest-}
T_BUSY=${T_PREFIX}busy
T_IDLE=${T_PREFIX}idle
T_OFF=${T_PREFIX}off
PASSED=0
FAILED=0

say() { printf '%s\n' "$*" >&2; }

ok() { PASSED=$((PASSED + 1)); say "ok   - $*"; }
not_ok() { FAILED=$((FAILED + 1)); say "FAIL - $*"; }

# check "description" command...: one test case.
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

summary() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}

# Checks for check(); on failure they say what they saw.
# eq A B: the same string.
eq() { [ "$1" = "$2" ] || { say "  got '$1', want '$2'"; false; }; }
# is FILE TEXT: the whole of FILE, exactly.
is() { eq "$(cat "$1")" "$2" || { sed 's/^/  | /' "$1" >&2; false; }; }
# has FILE TEXT: FILE contains TEXT.
has() { grep -qF -- "$2" "$1" || { say "  not in $1: $2"; sed 's/^/  | /' "$1" >&2; false; }; }

# eventually SECONDS CHECK ARGS...: CHECK (one of the above, or any
# command) retried every 0.2 s until it holds or SECONDS pass; only the
# last try speaks. For what a guest does in its own time (a balloon
# deflating, an address appearing).
eventually() {
	local until=$((SECONDS + $1))
	shift
	while [ "$SECONDS" -lt "$until" ]; do
		"$@" 2>/dev/null && return 0
		sleep 0.2
	done
	"$@"
}

# run_files NAME: VMTUI, the vmtui under test; D, a new folder
# /tmp/vmtui-NAME-test.XXXXXX; OUT and ERR in it, for run.
run_files() {
	VMTUI=$BUILD/vmtui
	D=$(mktemp -d "/tmp/vmtui-$1-test.XXXXXX")
	OUT=$D/out
	ERR=$D/err
}

# run ARGS...: $VMTUI with stdout in $OUT, stderr in $ERR, no stdin; sets RC.
run() {
	"$VMTUI" "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
}

# virsh on the test daemon.
vsh() { virsh -q -c "$T_URI" "$@"; }

# remove_guests PREFIX POOL: unless KEEP_GUESTS is set, every guest named
# PREFIX* (with its snapshot metadata and NVRAM), the pool POOL and
# guest.sh's files of PREFIX.
remove_guests() {
	local p=$1 pool=$2 g
	[ -n "${KEEP_GUESTS:-}" ] && return 0
	for g in $(vsh list --all --name 2>/dev/null | grep "^$p"); do
		vsh destroy "$g" >/dev/null 2>&1
		vsh undefine --snapshots-metadata --nvram "$g" >/dev/null 2>&1
	done
	vsh pool-destroy "$pool" >/dev/null 2>&1
	vsh pool-undefine "$pool" >/dev/null 2>&1
	"$RS/guest.sh" cleanup "$p" >/dev/null 2>&1
}

stack_up() {
	"$RS/build-guest.sh" >&2
	"$RS/daemon.sh" start >&2
	T_URI=$("$RS/daemon.sh" uri)
	export T_URI
	local g
	for g in "$T_BUSY" "$T_IDLE" "$T_OFF"; do
		if ! virsh -q -c "$T_URI" dominfo "$g" >/dev/null 2>&1; then
			case $g in
			"$T_BUSY") "$RS/guest.sh" define "$g" --busy --net-traffic >&2 ;;
			*) "$RS/guest.sh" define "$g" >&2 ;;
			esac
		fi
	done
	virsh -q -c "$T_URI" destroy "$T_OFF" >/dev/null 2>&1 || true
	virsh -q -c "$T_URI" autostart --disable "$T_OFF" >/dev/null 2>&1 || true
	for g in "$T_BUSY" "$T_IDLE"; do
		[ "$(virsh -q -c "$T_URI" domstate "$g" 2>/dev/null)" = running ] ||
			"$RS/guest.sh" start "$g" --wait 90 >&2
	done
	pool_up || say "warning: could not set up storage pool $T_POOL in $T_POOL_DIR"
}

# The storage pool and base image of the apply tests: a dir pool $T_POOL
# in $T_POOL_DIR (world-traversable, so qemu as libvirt-qemu reaches its
# volumes) holding $T_BASE, an empty 32M qcow2 image. Made when missing.
T_POOL=vmtuitest
T_POOL_DIR=${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}/pool
T_BASE=vmtuitest-base.qcow2
pool_up() {
	local v=(virsh -q -c "$T_URI")
	mkdir -p "$T_POOL_DIR" && chmod 0755 "$T_POOL_DIR" || return 1
	if ! "${v[@]}" pool-info "$T_POOL" >/dev/null 2>&1; then
		"${v[@]}" pool-define-as "$T_POOL" dir --target "$T_POOL_DIR" >/dev/null &&
			"${v[@]}" pool-build "$T_POOL" >/dev/null || return 1
	fi
	if [ "$("${v[@]}" pool-info "$T_POOL" | awk '/^State:/ { print $2 }')" != running ]; then
		"${v[@]}" pool-start "$T_POOL" >/dev/null || return 1
	fi
	chmod 0755 "$T_POOL_DIR"
	if [ ! -e "$T_POOL_DIR/$T_BASE" ]; then
		qemu-img create -q -f qcow2 "$T_POOL_DIR/$T_BASE" 32M && chmod 0644 "$T_POOL_DIR/$T_BASE" ||
			return 1
	fi
	"${v[@]}" pool-refresh "$T_POOL" >/dev/null
}

# Only the fixture, the daemon and the pool, for suites that make their
# own guests (test_apply.sh).
stack_base_up() {
	"$RS/build-guest.sh" >&2 && "$RS/daemon.sh" start >&2 || return 1
	T_URI=$("$RS/daemon.sh" uri)
	export T_URI
	pool_up
}

# Remove exactly our three guests (other suites may share the prefix).
stack_down() {
	local g
	[ -z "${KEEP_GUESTS:-}" ] || return 0
	for g in "$T_BUSY" "$T_IDLE" "$T_OFF"; do
		"$RS/guest.sh" destroy "$g" >&2 2>/dev/null || true
		"$RS/guest.sh" undefine "$g" >&2 || true
	done
}

# run_sections FILE...: run each file (a section of a suite that runs
# alone, e.g. tests/screen/sec/nav.sh) one after the other, its ok/FAIL lines
# on stderr as they come, and add its "N passed, N failed" to PASSED and
# FAILED; a file that ends without that line counts as one failure.
# KEEP_GUESTS=1 for each: the runner removes the guests once, at its end.
# SECTIONS_FAILED lists the files with a failure. A signal to the runner
# ends the running section with SIGTERM (its clean-up runs) and the runner.
SECTIONS_FAILED=""
SECTION_PID=""
run_sections() {
	local f name out last rc t0
	out=$(mktemp /tmp/vmtui-section.XXXXXX) || return 1
	trap 'section_stop; rm -f "$out"; exit 130' INT TERM HUP
	for f in "$@"; do
		name=${f#"$TOP"/}
		say "=== $name"
		t0=$SECONDS
		KEEP_GUESTS=1 bash "$f" >"$out" &
		SECTION_PID=$!
		wait "$SECTION_PID"
		rc=$?
		SECTION_PID=""
		last=$(tail -n1 "$out")
		sed '$d' "$out" >&2
		if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
			PASSED=$((PASSED + BASH_REMATCH[1]))
			FAILED=$((FAILED + BASH_REMATCH[2]))
			((BASH_REMATCH[2] == 0)) || SECTIONS_FAILED+=" $name"
			say "=== $name: $last ($((SECONDS - t0)) s)"
		else
			not_ok "$name ended (status $rc) without its 'N passed, N failed' line"
			SECTIONS_FAILED+=" $name"
		fi
	done
	rm -f "$out"
	trap - INT TERM HUP
}
# The running section (if any) sent SIGTERM, and waited for.
section_stop() {
	[ -n "$SECTION_PID" ] || return 0
	kill "$SECTION_PID" 2>/dev/null
	wait "$SECTION_PID"
}

# section_files DIR ORDER... -- NAME...: SECTION_FILES, the files DIR/NAME.sh
# of the sections asked for (NAME may be sec_NAME, f_NAME or a file's path),
# or with no NAME every DIR/*.sh in the order of ORDER, where "..." stands
# for the files ORDER does not name. An unknown name is an error that
# lists the sections.
SECTION_FILES=()
section_files() {
	local dir=$1 n f all=() order=() want=()
	shift
	while (($#)) && [ "$1" != -- ]; do order+=("$1"); shift; done
	shift
	want=("$@")
	for f in "$dir"/*.sh; do all+=("$(basename "$f" .sh)"); done
	if ((${#want[@]} == 0)); then
		for n in "${order[@]}"; do
			if [ "$n" = ... ]; then
				for f in "${all[@]}"; do [[ " ${order[*]} " == *" $f "* ]] || want+=("$f"); done
			elif [ -f "$dir/$n.sh" ]; then
				want+=("$n")
			fi
		done
	fi
	SECTION_FILES=()
	for n in "${want[@]}"; do
		if [[ $n == */* || $n == *.sh ]] && [ -f "$n" ]; then
			SECTION_FILES+=("$(cd "$(dirname "$n")" && pwd)/$(basename "$n")")
			continue
		fi
		n=${n#sec_}
		n=${n#f_}
		[ -f "$dir/$n.sh" ] || { say "No section '$n' in $dir (there are: ${all[*]})."; return 1; }
		SECTION_FILES+=("$dir/$n.sh")
	done
}
