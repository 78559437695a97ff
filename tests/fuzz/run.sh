#!/usr/bin/env bash
# run.sh — run every libFuzzer target of tests/fuzz for SECONDS each and say
# what each did: executions, coverage, crashes. Called by `make fuzz` in a
# build configured with --enable-fuzzing CC=clang.
#
# Usage: tests/fuzz/run.sh BUILD_DIR [SECONDS]
# Seeds: tests/fuzz/corpus/TARGET/ plus, for vmdef, examples/*.yaml, for
# config, examples/config.yaml, for theme, themes/*.yaml. The corpus the
# fuzzer grows is kept in BUILD_DIR/fuzz/TARGET/ (rerunning goes on from
# it); an input that crashes is written to BUILD_DIR/fuzz/crash-TARGET-*
# and the run fails. A crash becomes a unit test once fixed.
set -uo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR [SECONDS]}" && pwd)
SECS=${2:-60}
TARGETS="vmdef config theme keymap resxml netinfo ppm termreply gfxrender gfxinput nodedev devxml xmledit"
TARGETS="$TARGETS migxml" # the migration pre-flight's reading of a domain (xml.dict)
TARGETS="$TARGETS tagxml"
# shell completion's reading of ~/.ssh/config, command lines, help texts
TARGETS="$TARGETS clicomp"
TARGETS+=" agent"
failed=0
total_runs=0

seeds() {
	local t=$1 d=$BUILD/fuzz/seeds-$1
	rm -rf "$d"
	mkdir -p "$d"
	cp "$SRC"/tests/fuzz/corpus/"$t"/* "$d"/ 2>/dev/null
	case $t in
	vmdef) cp "$SRC"/examples/tiny.yaml "$SRC"/examples/web.yaml "$SRC"/examples/plan.yaml \
		"$SRC"/examples/lab.yaml "$SRC"/examples/host.yaml "$d"/ ;;
	config) cp "$SRC"/examples/config.yaml "$d"/ ;;
	theme) cp "$SRC"/themes/*.yaml "$d"/ ;;
	netinfo) cp "$SRC"/tests/fuzz/corpus/resxml/* "$d"/ ;;
	esac
	echo "$d"
}

printf '%-8s %10s %8s %8s %7s %6s  %s\n' TARGET EXECS EXEC/S COVERAGE CORPUS CRASH SECONDS
for t in $TARGETS; do
	bin=$BUILD/tests/fuzz/fuzz_$t
	[ -x "$bin" ] || { echo "run.sh: $bin is not built (configure --enable-fuzzing CC=clang)" >&2; exit 2; }
	corpus=$BUILD/fuzz/$t
	mkdir -p "$corpus"
	sd=$(seeds "$t")
	log=$BUILD/fuzz/$t.log
	dict=$SRC/tests/fuzz/yaml.dict
	case $t in resxml | netinfo | devxml | nodedev | xmledit) dict=$SRC/tests/fuzz/xml.dict ;; esac
	case $t in migxml) dict=$SRC/tests/fuzz/xml.dict ;; esac
	[ -f "$SRC/tests/fuzz/$t.dict" ] && dict=$SRC/tests/fuzz/$t.dict
	"$bin" -max_total_time="$SECS" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
		-dict="$dict" -print_final_stats=1 \
		-artifact_prefix="$BUILD/fuzz/crash-$t-" "$corpus" "$sd" >"$log" 2>&1
	rc=$?
	execs=$(awk '/stat::number_of_executed_units/ { print $NF }' "$log")
	rate=$(awk '/stat::average_exec_per_sec/ { print $NF }' "$log")
	cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n1 | awk '{ print $2 }')
	corp=$(find "$corpus" -type f | wc -l)
	crash=0
	if [ "$rc" -ne 0 ]; then
		crash=1
		failed=1
	fi
	total_runs=$((total_runs + ${execs:-0}))
	printf '%-8s %10s %8s %8s %7s %6s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$corp" "$crash" "$SECS"
	if [ "$crash" -ne 0 ]; then
		echo "--- fuzz_$t failed (exit $rc); the end of $log:" >&2
		tail -n 40 "$log" >&2
		ls "$BUILD"/fuzz/crash-"$t"-* 2>/dev/null >&2
	fi
done
echo "fuzz: $total_runs inputs in all; command: tests/fuzz/run.sh $BUILD $SECS"
exit $failed
