#!/usr/bin/env bash
# tests/screen/test_firsthour.sh — what a newcomer meets in the first hour
# (issue 25), driven through tmux at the sizes the README promises: a host
# that cannot be reached says why in full, in the body and the action log.
#
# No daemon is touched: the hosts are libvirt's test driver
# (test:///default) and a URI nothing listens on.
#
# Env: BUILD (default build/). Ends with "N passed, N failed"; exit status
# 1 if any check failed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

T0=$SECONDS
scr_traps
scr_need "first-hour screen tests" tmux

# A TCP port on 127.0.0.1 that nothing listens on.
dead_port() {
	local p
	for p in $(seq 47100 47200); do
		ss -Htln "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
	done
	echo 47100
}
DEAD_URI="qemu+tcp://127.0.0.1:$(dead_port)/system"

fh_vmtui() { # COLS ROWS ARGS...: vmtui with its own config and state dirs
	local cols=$1 rows=$2
	shift 2
	vt_start "$cols" "$rows" env -u LIBVIRT_DEFAULT_URI LANG=C.UTF-8 TERM=xterm-256color \
		XDG_CONFIG_HOME="$SCR_TMP/xdg" XDG_STATE_HOME="$SCR_TMP/state" "$BUILD/vmtui" "$@"
}

# ---- an unreachable host at 80x24: the whole reason in the body and the log
unreachable() {
	say "# an unreachable host at 80x24"
	fh_vmtui 80 24 -c "$DEAD_URI" || { not_ok "vmtui started"; return; }
	check "80x24 unreachable: the body names the host and says it cannot connect" \
		wait_screen '^  .*: cannot connect \(next try in [0-9]+s\):' 15
	# libvirt's reason ends "Connection refused"; at 80 columns it is
	# wrapped, never cut: its last word is on the screen.
	check "80x24 unreachable: the whole reason shows, wrapped (ends 'Connection refused')" \
		wait_screen 'Connection refused' 5
	check "80x24 unreachable: the body says the action log keeps each reason" \
		wait_screen 'The action log \(L\) keeps each reason\.' 5
	check "80x24 unreachable: no bare 'Waiting for the hypervisor' line" \
		wait_no_screen 'Waiting for the hypervisor' 2
	vt_keys L
	check "80x24 unreachable: the action log has 'cannot connect' with the reason" \
		wait_screen 'cannot connect: .*' 5
	check "80x24: the action log starts with no internal note about drawing" \
		wait_no_screen 'Screen: ' 1
	# each reason once: retries that fail the same way add no line (the
	# wait before the next try doubles with each failure: 4s is the third)
	vt_esc
	wait_screen 'next try in (4|8)s' 15 >/dev/null
	vt_keys L
	wait_screen 'cannot connect: ' 5 >/dev/null
	check "80x24 unreachable: a retry failing the same way is not logged again" \
		one_log_line
	vt_stop
}
one_log_line() { # the log's lines (all but the footer's last) say it once
	local n
	n=$(vt_screen | head -n -2 | grep -c 'cannot connect: ')
	[ "$n" = 1 ] || { WHY="$n log lines say 'cannot connect'"; show_screen "the log"; return 1; }
}

# ---- TERM=dumb and an unknown TERM: refused with a clear message
dumb_term() {
	local term
	say "# terminals that cannot show the screen"
	for term in dumb nosuchterm-vmtui; do
		# started by an Enter once the pane is up: its first output is never
		# lost to the pane's start
		vt_start 250 10 bash -c 'read -r _; env "$@"; echo "RC=$?"; read -r _' _ \
			-u LIBVIRT_DEFAULT_URI TERM="$term" XDG_CONFIG_HOME="$SCR_TMP/xdg" \
			XDG_STATE_HOME="$SCR_TMP/state" "$BUILD/vmtui" -c test:///default ||
			{ not_ok "TERM=$term: started"; continue; }
		vt_keys Enter
		check "TERM=$term: vmtui says why it cannot draw and names top --batch" \
			wait_screen "^vmtui: the terminal (type )?\"$term\" .*top --batch" 5
		check "TERM=$term: vmtui exits with status 1" wait_screen '^RC=1$' 5
		vt_stop
	done
}

# ---- the test driver's guest: its vCPUs and memory as virsh says them
test_driver_sizes() {
	local json
	say "# the test driver's sizes in the list and in top --batch"
	fh_vmtui 120 20 -c test:///default || { not_ok "vmtui started"; return; }
	check "test driver: the list row says 2 vCPUs and 2.00G/2.00G (as virsh dominfo)" \
		wait_screen '^test +running +2 .* 2\.00G/2\.00G ' 10
	vt_stop
	json=$("$BUILD/vmtui" -c test:///default top --batch -n 1 --json 2>&1)
	check "test driver: top --batch --json has vcpus 2 and mem_alloc 2 GiB" \
		grep -q '"vcpus":2,.*"mem_alloc":2147483648' <<<"$json"
}

# ---- the help: WHERE whole at 200 columns, wrapped (never cut) at 80
help_widths() {
	say "# the help screen at 200 and 80 columns"
	fh_vmtui 200 50 -c test:///default || { not_ok "vmtui started"; return; }
	wait_screen '^test +running' 10 >/dev/null
	vt_keys '?'
	check "help at 200 columns: Up's WHERE is whole on its line (list ... leases,edit)" \
		wait_screen '^Up +up +list,detail,help,.*,leases,edit +Move up$' 5
	vt_stop
	fh_vmtui 80 24 -c test:///default || { not_ok "vmtui started"; return; }
	wait_screen '^test +running' 10 >/dev/null
	vt_keys '?'
	check "help at 80 columns: Up's WHERE goes on under its column (..., leases,edit)" \
		wait_screen '^ {20,}(.*,)?leases,(edit)? *$' 5
	check "help at 80 columns: no line ends in a cut word of WHERE ('bac', 'snapsh')" \
		wait_no_screen '(,snapsh|,volum|,netwo)$' 2
	vt_stop
}

# ---- the host view says what the host is, not the header's line again
host_view() {
	say "# the host view"
	fh_vmtui 160 30 -c test:///default || { not_ok "vmtui started"; return; }
	wait_screen '^test +running' 10 >/dev/null
	vt_keys h
	check "host view: its first line names the host and its URI" \
		wait_screen '^Host .*test:///default' 5
	check "host view: the header's host line is not repeated" \
		wait_for 5 "one host line" one_line 'VMs: 1 running'
	check "host view: counts agree with their nouns (no '1 sockets', '1 cores')" \
		wait_for 5 "node line" node_line
	vt_stop
}
one_line() {
	local n
	n=$(grep -c -- "$1" <<<"$SCREEN")
	[ "$n" = 1 ] || { WHY="$n lines hold '$1'"; return 1; }
}
node_line() {
	grep -Eq '[0-9]+ CPUs? \([0-9]+ sockets? x [0-9]+ cores? x [0-9]+ threads?\)' <<<"$SCREEN" ||
		{ WHY="no node line"; return 1; }
	! grep -Eq '(^|[^0-9])1 (CPUs|sockets|cores|threads)' <<<"$SCREEN" || { WHY="a '1 ...s'"; return 1; }
}

# ---- a refused action is kept in the action log
refused_logged() {
	say "# refusals in the action log"
	fh_vmtui 160 30 -r -c test:///default || { not_ok "vmtui started"; return; }
	wait_screen '^test +running' 10 >/dev/null
	vt_keys H
	check "refused: the status line says why (read-only)" \
		wait_screen '^Cannot shutdown test: vmtui runs read-only' 5
	vt_keys L
	check "refused: the action log keeps it, tagged refused" \
		wait_screen ' refused +Cannot shutdown test: vmtui runs read-only' 5
	vt_stop
}

# ---- the header at 80x24 and 40x12: parts dropped least useful first
header_priorities() {
	say "# the header's parts at 80x24 and 40x12"
	fh_vmtui 80 24 -c test:///default || { not_ok "vmtui started"; return; }
	check "80x24: the host line keeps the guests by state whole ('VMs: 1 running, 0 paused, 0 off')" \
		wait_screen '^vm .*VMs: 1 running, 0 paused, 0 off$' 10
	tm resize-window -t scr -x 40 -y 12 2>/dev/null
	vt_keys /
	vt_type test
	vt_keys Enter
	check "40x12: the title keeps the filter whole ('filter: test')" \
		wait_screen '^vmtui .*filter: test$' 5
	check "40x12: the host line keeps the name and the guests by state" \
		wait_screen '^vm +VMs: 1 running, 0 paused, 0 off$' 5
	vt_stop
}

# ---- quick-create: a pool that exists, typing kept, a retry overwrites
quick_create() {
	say "# quick-create (N) on the test driver"
	mkdir -p "$SCR_TMP/qc"
	vt_start 150 30 env -u LIBVIRT_DEFAULT_URI LANG=C.UTF-8 TERM=xterm-256color \
		XDG_CONFIG_HOME="$SCR_TMP/qc" XDG_STATE_HOME="$SCR_TMP/state" \
		"$BUILD/vmtui" -c test:///default || { not_ok "vmtui started"; return; }
	wait_screen '^test +running' 10 >/dev/null
	vt_keys N
	check "N: the pool defaults to one the host has (default-pool), saying why" \
		wait_screen '^Storage pool +default-pool ' 10
	check "N: the form says the host has no pool called default" \
		wait_screen 'has no pool called default; default-pool is the first active one' 5
	vt_type qc1
	vt_keys Enter
	check "N, Enter: the plan of the written file" wait_screen '^qc1: create' 10
	vt_esc
	vt_keys N
	check "N again: what was typed is kept (Name qc1)" wait_screen '^Name +qc1 ' 5
	vt_keys Enter
	check "N, Enter again: the retry overwrites its own file (the plan, no 'File exists')" \
		wait_screen '^qc1: create' 10
	check "N: no 'File exists' said" wait_no_screen 'File exists' 1
	vt_esc
	vt_stop
}

# ---- a plan with errors offers no Apply
plan_errors() {
	say "# a plan with errors"
	printf 'vcpus: 1\nmemory: 256M\n' >"$SCR_TMP/noname.yaml"
	fh_vmtui 150 30 -c test:///default || { not_ok "vmtui started"; return; }
	wait_screen '^test +running' 10 >/dev/null
	vt_keys o
	wait_screen '^Open VM definitions:' 5 >/dev/null
	vt_type "$SCR_TMP/noname.yaml"
	vt_keys Enter
	check "plan with errors: it says so" wait_screen '^1 error; nothing was changed\.' 10
	check "plan with errors: the footer offers no yApply" wait_for 3 "no Apply hint" no_apply_hint
	vt_keys y
	check "plan with errors: y says why it cannot apply" \
		wait_screen 'Cannot apply: the plan has errors; fix the file and open it again\.' 5
	vt_stop
}
# ---- o, Tab: several files match, and they show above the prompt
open_tab_list() {
	say "# Tab in the o prompt"
	local d=$SCR_TMP/defs i
	mkdir -p "$d/sub"
	for i in 1 2 3; do printf 'name: web-%s\n' "$i" >"$d/web-$i.yaml"; done
	for i in $(seq -w 1 150); do : >"$d/many-$i.yaml"; done
	: >"$d/only.yaml"
	fh_vmtui 80 24 -c test:///default || { not_ok "vmtui started"; return; }
	wait_screen '^test +running' 10 >/dev/null
	vt_keys o
	wait_screen '^Open VM definitions:' 5 >/dev/null
	vt_type "$d/we"
	vt_keys Tab
	check "Tab: extended to the common part" wait_screen "^Open VM definitions: .*/defs/web-\$" 5
	check "Tab: the 3 matches listed above the prompt, while it is open" \
		eventually 3 lines_in_order '^3 matches: type more, then Tab again' '^web-1\.yaml +web-2\.yaml +web-3\.yaml *$' '^Open VM definitions:'
	vt_type 2
	check "another key: the list goes" wait_no_screen '^3 matches' 5
	check "... and the list under it is back" wait_screen '^NAME +STATE' 5
	vt_keys C-u
	vt_type "$d/m"
	vt_keys Tab
	check "150 matches at 80x24: as many rows as fit, and how many more" \
		eventually 3 lines_in_order '^150 matches' '^many-001\.yaml +many-' '^\.\.\. and [0-9]+ more$' '^Open VM definitions:'
	vt_keys C-u
	vt_type "$d/x"
	vt_keys Tab
	check "no match: said above the prompt" wait_screen '^No file matches\.$' 5
	vt_keys C-u
	vt_type "$d/on"
	vt_keys Tab
	check "one match: completed, no list" wait_screen "^Open VM definitions: .*/defs/only\.yaml\$" 5
	check "... no list" wait_no_screen 'matches' 3
	vt_keys Escape
	vt_stop
}
# ---- 40x12: hints and plan errors wrap between words, never cut
# (a line ending in a letter and the next one starting with one is a
# word cut in two)
no_word_cut() {
	local prev="" l
	while IFS= read -r l; do
		if [[ $prev =~ [A-Za-z0-9]$ && $l =~ ^\ *[a-z0-9] && ${#prev} -ge $((COLS_NOW - 1)) ]]; then
			WHY="cut between '$prev' and '$l'"
			return 1
		fi
		prev=$l
	done <<<"$SCREEN"
}
narrow_hints() {
	say "# hints and plan errors at 40x12"
	COLS_NOW=40
	printf 'vcpus: 1\nmemory: 256M\n' >"$SCR_TMP/noname40.yaml"
	fh_vmtui 40 12 -c test:///default || { not_ok "vmtui started"; return; }
	wait_screen '^test +running' 10 >/dev/null
	vt_keys T
	check "40x12 T: the hints on two lines, whole" eventually 3 lines_in_order \
		'^c: create  r: revert  x/Del: delete$' '^Esc: back  \(\* the current snapshot\)$'
	vt_keys Escape
	vt_keys N
	check "40x12 N: the form's hints under its title, whole" eventually 3 lines_in_order \
		'^New VM$' '^Enter or F2: create$' '^Tab/arrows: next field$' '^Esc: back, typing kept$'
	vt_keys Escape
	vt_keys '#'
	check "40x12 #: 'Esc: cancel' whole" wait_screen '^Esc: cancel$' 5
	vt_keys Escape
	vt_keys '\;'
	check "40x12 ;: all ten choices of the marks menu" eventually 3 lines_in_order \
		'^Marks: none$' '^  a all shown  g glob  r regex  t tag$' \
		'^  h host  s state  i invert  c clear$' '^  p progress  Esc back$'
	vt_keys Escape
	vt_keys o
	wait_screen '^Open VM definitions:' 5 >/dev/null
	vt_type "$SCR_TMP/noname40.yaml"
	vt_keys Enter
	check "40x12 plan: the error wrapped between words" eventually 5 lines_in_order \
		'noname40\.yaml:1:1:$' '^    missing key "name" \(every VM needs$' '^    one\)$'
	check "40x12 plan: the state line wrapped between words" eventually 3 lines_in_order \
		'^Failed; nothing more was changed\. Esc$' '^goes back\.'
	check "40x12 plan: no word cut in two" wait_for 3 "no cut word" no_word_cut
	vt_stop
}
# ---- every view at 80x24 and 40x12: a line that runs into the right
# edge ends with a whole word, one that the same view at 200x60 shows
# (a cut "libvi" is not one of its words; a break after '/', ',' or '-'
# is a wrap's), but the list's own rows and the graphs.
SWEEP_KEYS=(Enter '?' h L T D Y N '#' '\;' w)
sweep_mark() {
	case $1 in
	Enter) echo '^Disks:' ;; '?') echo 'help' ;; h) echo '^Host vm' ;; L) echo '^ACTION LOG' ;;
	T) echo '^Snapshots of test' ;; D) echo 'to confirm' ;; Y) echo '^Clone test' ;; N) echo '^New VM' ;;
	'#') echo '^Tags and note of test' ;; '\;') echo '^Marks:' ;; w) echo '^Hardware of test' ;;
	esac
}
# sweep_open KEY: the view of KEY on the guest, once its mark shows.
sweep_open() {
	vt_keys Home
	vt_keys "$1"
	wait_screen "$(sweep_mark "$1")" 5 >/dev/null
}
sweep_close() {
	vt_keys Escape
	wait_screen '^NAME +STATE' 5 >/dev/null || { vt_keys Escape; wait_screen '^NAME +STATE' 5 >/dev/null; }
}
cut_lines() { # COLS WIDE-WORDS-FILE: the edge lines whose last word is cut
	perl -CSD -e '
		my ($cols, $wf) = @ARGV; my %w;
		open(my $f, "<:encoding(UTF-8)", $wf) or die; while (<$f>) { $w{$_} = 1 for split " " }
		while (<STDIN>) { chomp;
			next if length($_) < $cols || /^(NAME|test) +/ || /[\x{2800}-\x{28FF}]/;
			my @t = split " "; my $last = $t[-1];
			next if $last =~ m{[/,\x{2026}-]$} || $w{$last};
			print "$_\n" }' "$1" "$2" <<<"$SCREEN"
}
none_cut() {
	local bad
	bad=$(cut_lines "$1" "$2")
	[ -z "$bad" ] || { WHY="cut at the edge: $bad"; return 1; }
}
view_sweep() {
	local size k i
	say "# every view at 80x24 and 40x12, against 200x60"
	fh_vmtui 200 60 -c test:///default || { not_ok "vmtui started"; return; }
	wait_screen '^test +running' 10 >/dev/null
	for i in "${!SWEEP_KEYS[@]}"; do
		sweep_open "${SWEEP_KEYS[i]}"
		vt_grab
		printf '%s\n' "$SCREEN" >"$SCR_TMP/wide.$i"
		sweep_close
	done
	vt_stop
	for size in 80x24 40x12; do
		fh_vmtui "${size%x*}" "${size#*x}" -c test:///default || { not_ok "vmtui started"; return; }
		wait_screen '^test +running' 10 >/dev/null
		for i in "${!SWEEP_KEYS[@]}"; do
			k=${SWEEP_KEYS[i]}
			if sweep_open "$k"; then
				vt_grab
				check "$size view of $k: no word cut at the right edge" none_cut "${size%x*}" "$SCR_TMP/wide.$i"
			else
				not_ok "$size view of $k opens"
			fi
			sweep_close
		done
		vt_stop
	done
}
no_apply_hint() { ! tail -n1 <<<"$SCREEN" | grep -q 'yApply' || { WHY="footer: $(tail -n1 <<<"$SCREEN")"; return 1; }; }

unreachable
dumb_term
plan_errors
open_tab_list
narrow_hints
view_sweep
quick_create
header_priorities
refused_logged
host_view
test_driver_sizes
help_widths
say "first-hour screen tests took $((SECONDS - T0)) s"
summary
