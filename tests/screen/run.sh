#!/usr/bin/env bash
# tests/screen/run.sh — vmtui driven through tmux as a person would: start
# it in a terminal of a given size, press keys, read the screen (text, and
# colours through sgr.pl), and check against virsh.  Runs against the real
# stack of tests/lib.sh (system libvirtd, guests $T_BUSY, $T_IDLE, $T_OFF).
#
# Sections (in this order; the daemon is killed last):
#   sec_list80 sec_sort sec_filter sec_nav sec_detail sec_help
#   sec_responsive sec_ticks sec_events sec_actions sec_readonly sec_resize
#   sec_restore sec_daemon
# Other engineers' guests may share the daemon: the list is filtered to
# ours (typed with /) where rows are compared.
#
# Env: T_PREFIX (guest names, default vmtuitest-), KEEP_GUESTS=1 (leave the
# guests defined), BUILD (default build/), SCREEN_ONLY="sec_help sec_sort"
# (run only these sections).
# Needs tmux and perl.  Ends with "N passed, N failed"; exit status 1 if any
# check failed.  Takes about a minute.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

T0=$SECONDS
DAEMON_KILLED=0

cleanup() {
	vt_stop_all
	if ((DAEMON_KILLED)); then
		say "cleanup: restarting the libvirt daemon"
		"$RS/daemon.sh" restart >&2 || true
	fi
	stack_down
	rm -rf "$SCR_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

scr_need screen tmux perl virsh
if ! stack_up; then
	not_ok "stack_up (fixture, daemon, guests)"
	summary
	exit 1
fi

domstate() { vsh domstate "$1" 2>/dev/null | head -n1; }

# Poll until `virsh domstate NAME` says STATE.
wait_domstate() {
	local name=$1 want=$2 secs=${3:-10} deadline=$((SECONDS + ${3:-10})) s
	while :; do
		s=$(domstate "$name")
		[ "$s" = "$want" ] && return 0
		if ((SECONDS >= deadline)); then
			say "    virsh domstate $name: '$s' after ${secs}s, want '$want'"
			return 1
		fi
		sleep 0.2
	done
}

# Put the guests back as stack_up left them: busy and idle running, off off.
fix_states() {
	local g s
	for g in "$T_BUSY" "$T_IDLE"; do
		s=$(domstate "$g")
		case $s in
		running) ;;
		paused) vsh resume "$g" >/dev/null 2>&1 ;;
		*) "$RS/guest.sh" start "$g" --wait 90 >&2 ;;
		esac
	done
	[ "$(domstate "$T_OFF")" = "shut off" ] || vsh destroy "$T_OFF" >/dev/null 2>&1
	autostart_is "$T_OFF" disable || vsh autostart --disable "$T_OFF" >/dev/null 2>&1
	wait_domstate "$T_BUSY" running 30 && wait_domstate "$T_IDLE" running 30 &&
		wait_domstate "$T_OFF" "shut off" 30
}

# The header's host line says the connection is up (another engineer may
# restart the daemon at any time: give vmtui time to reconnect).
wait_connected() { wait_for "${1:-60}" "host line connected" vt_connected; }

# Start vmtui and wait for its first full frame with our guests in it; if
# that fails, count it as a failure (the section is then skipped).
start_vmtui() {
	local cols=$1 rows=$2
	shift 2
	if vt_vmtui "$cols" "$rows" "$@" && wait_connected 60 &&
		wait_for 15 "rows of our guests" our_rows_shown; then
		return 0
	fi
	not_ok "vmtui $* at ${cols}x$rows: shows the connected host and our guests"
	return 1
}
our_rows_shown() { has_row "$T_BUSY" && has_row "$T_IDLE" && has_row "$T_OFF"; }

# Filter the list to our three guests (other engineers' guests may share
# the daemon), typed as a person would.
filter_ours() {
	vt_keys /
	wait_screen '^Filter:' 5 || return 1
	vt_type "$T_PREFIX"
	vt_keys Enter
	wait_screen "filter: $(re "$T_PREFIX")" 5 && wait_for 5 "only our guests" only_ours
}
only_ours() {
	local n
	n=$(row_names | wc -l)
	if [ "$n" -ne 3 ] || ! our_rows_shown; then WHY="$n rows"; return 1; fi
}

# The rows, by name as shown, are exactly these in this order.
rows_are() {
	local want="" n got
	for n in "$@"; do want+=$(shown "$n")$'\n'; done
	got=$(row_names)$'\n'
	[ "$got" = "$want" ] || { WHY="rows: ${got//$'\n'/ }"; return 1; }
}

# Title line of the detail view of the selected guest (Enter, read, Esc).
detail_name() {
	vt_keys Enter
	wait_for 5 "detail view" _matches '^CPU [0-9.-]' >/dev/null 2>&1 || { echo "?"; return; }
	vt_grab
	sed -n 3p <<<"$SCREEN" | awk '{ print $1 }'
	vt_esc
	wait_for 5 "list view" _matches '^NAME +STATE' >/dev/null 2>&1
}

selected_is() {
	local s
	s=$(selected_name)
	[ "$s" = "$(shown "$1")" ] || { WHY="selected: '${s:-none}', want $(shown "$1")"; return 1; }
}

# key KEY... then the selection is on NAME (by colour, polled).
nav_to() {
	local name=$1
	shift
	vt_keys "$@"
	wait_for 3 "selection on $name after $*" selected_is "$name"
}

status_says() { wait_screen "$1" "${2:-10}"; }

# ---------------------------------------------------------------- sections

# 1. The list at 80x24.
sec_list80() {
	say "# 1. the guest list at 80x24"
	fix_states
	start_vmtui 80 24 -d 1 || return
	check "80x24: header shows vmtui, the URI and VMs" \
		wait_for 5 "header" header80
	filter_ours
	check "80x24: a row per guest with its state (running/running/shut off)" \
		wait_for 10 "rows" rows80
	check "80x24: CPU% of the busy guest reaches >= 60 while the idle one is < 40" \
		wait_for 15 "CPU figures" cpu80
	check "80x24: MEM/ALLOC shows used/alloc for running guests, -/alloc when off" \
		wait_for 10 "memory figures" mem80
	check "80x24: footer shows key hints ?Help and qQuit on the last line" \
		wait_for 5 "footer" footer80
	vt_stop
}
header80() {
	[[ $(screen_line 1) =~ ^vmtui\ [0-9] ]] || { WHY="line 1"; return 1; }
	[[ $(screen_line 2) == *"$T_URI"*VMs* ]] || { WHY="line 2"; return 1; }
}
# At 80 columns names are cut to 10 characters, so guests with a long common
# prefix (vmtuitest-busy, vmtuitest-idle) look alike: with the list filtered
# to our guests and sorted by name, row 1 is busy, 2 idle, 3 off.
rows80() {
	rows_are "$T_BUSY" "$T_IDLE" "$T_OFF" || return 1
	WHY="states: $(rowi 1 state), $(rowi 2 state), $(rowi 3 state)"
	[ "$(rowi 1 state)" = running ] && [ "$(rowi 2 state)" = running ] &&
		[ "$(rowi 3 state)" = "shut off" ]
}
cpu80() {
	local b i
	rows_are "$T_BUSY" "$T_IDLE" "$T_OFF" || return 1
	b=$(rowi 1 cpu)
	i=$(rowi 2 cpu)
	WHY="busy CPU% '$b', idle CPU% '$i'"
	[[ $b =~ ^[0-9.]+$ && $i =~ ^[0-9.]+$ ]] || return 1
	awk -v b="$b" -v i="$i" 'BEGIN { exit !(b >= 60 && i < 40) }'
}
mem80() {
	local n g m used alloc want kib
	rows_are "$T_BUSY" "$T_IDLE" "$T_OFF" || return 1
	for n in 1 2; do
		g=$T_BUSY
		[ $n = 2 ] && g=$T_IDLE
		m=$(rowi $n mem)
		used=${m%/*} alloc=${m#*/}
		kib=$(vsh dominfo "$g" | awk '/^Used memory:/ { print $3 }')
		want=$(fmt_bytes $((kib * 1024)))
		WHY="$g: MEM/ALLOC '$m', alloc should be $want"
		[[ $used =~ ^[0-9.]+[BKMGT]$ ]] || return 1
		[ "$alloc" = "$want" ] || return 1
		(($(to_bytes "$used") > 0 && $(to_bytes "$used") <= $(to_bytes "$alloc"))) || return 1
	done
	m=$(rowi 3 mem)
	WHY="$T_OFF: MEM/ALLOC '$m'"
	[[ $m =~ ^-/[0-9.]+[BKMGT]$ ]]
}
footer80() {
	local last
	last=$(screen_line 24)
	WHY="line 24: '$last'"
	[[ $last == *'?Help'* && $last == *qQuit* ]]
}

# 2. Sorting.
sec_sort() {
	say "# 2. sorting"
	fix_states
	start_vmtui 120 30 -d 1 || return
	wait_for 15 "busy guest has a CPU figure" busy_has_cpu >/dev/null
	vt_keys c
	check "sort: c sorts by CPU% descending (header 'sort cpu', column non-increasing)" \
		wait_for 10 "CPU order" cpu_sorted
	filter_ours
	check "sort: by CPU the busy guest is the first row" \
		wait_for 10 "busy first" rows_are "$T_BUSY" "$T_IDLE" "$T_OFF"
	vt_keys c
	check "sort: c again reverses (busy after idle, shut off last)" \
		wait_for 10 "reversed CPU order" rev_cpu
	vt_keys n
	check "sort: n sorts by name (header 'sort name')" \
		wait_for 10 "name order" name_sorted
	vt_stop
}
busy_has_cpu() { [[ $(row "$T_BUSY" cpu) =~ ^[0-9] ]]; }
cpu_sorted() {
	_matches '^vmtui .*sort cpu' || { WHY="header"; return 1; }
	local cpus
	cpus=$(list_rows | cut -f4 | tr '\n' ' ')
	WHY="CPU% column: $cpus"
	awk -v s="$cpus" 'BEGIN { n = split(s, v, " "); prev = 1e9; dash = 0
		for (i = 1; i <= n; i++) {
			if (v[i] == "-") { dash = 1; continue }
			if (dash || v[i] + 0 > prev) exit 1
			prev = v[i] + 0 }
		exit 0 }' || return 1
	# the busy guest above the idle one
	row_names | grep -xF -e "$(shown "$T_BUSY")" -e "$(shown "$T_IDLE")" | head -n1 |
		grep -qxF -- "$(shown "$T_BUSY")"
}
rev_cpu() {
	if ! _matches '^vmtui .*sort cpu' || _matches '^vmtui .*sort cpu (↓|\(desc\))'; then
		WHY="header"
		return 1
	fi
	rows_are "$T_IDLE" "$T_BUSY" "$T_OFF"
}
name_sorted() {
	_matches '^vmtui .*sort name' || { WHY="header"; return 1; }
	rows_are "$T_BUSY" "$T_IDLE" "$T_OFF"
}

# 3. Filter.
sec_filter() {
	say "# 3. filter"
	fix_states
	start_vmtui 120 30 -d 1 || return
	local part=${T_IDLE:1}
	vt_keys /
	check "filter: / opens the Filter: prompt on the footer" wait_screen '^Filter:' 5
	vt_type "$part"
	check "filter: applies while typing (only the idle guest left)" \
		wait_for 5 "only $T_IDLE" filtered_to "$part" "$T_IDLE"
	vt_keys Enter
	check "filter: Enter keeps it: header 'filter: $part', only matching rows" \
		wait_for 5 "filter kept" filter_kept "$part"
	vt_keys /
	wait_screen '^Filter:' 5 >/dev/null
	vt_esc
	check "filter: / then Esc clears it (all guests back, no 'filter:')" \
		wait_for 5 "filter cleared" filter_cleared
	vt_keys /
	vt_type "state:shut $T_PREFIX"
	vt_keys Enter
	check "filter: 'state:shut PREFIX' leaves only the shut-off guest" \
		wait_for 5 "only $T_OFF" filtered_to "" "$T_OFF"
	vt_keys /
	vt_keys C-u
	vt_type "zz-no-such-guest"
	vt_keys Enter
	check "filter: no match says so" wait_screen 'No guest matches the filter' 5
	vt_stop
}
filtered_to() { # filtered_to PART NAME: the list shows NAME only (PART: for the record)
	local n
	n=$(row_names)
	[ "$n" = "$(shown "$2")" ] || { WHY="rows: ${n//$'\n'/ }"; return 1; }
}
filter_kept() {
	_matches "^vmtui .*filter: $(re "$1")" || { WHY="header"; return 1; }
	_no_match '^Filter:' || { WHY="prompt still open"; return 1; }
	filtered_to "$1" "$T_IDLE"
}
filter_cleared() {
	_no_match '^vmtui .*filter:' || { WHY="header still has a filter"; return 1; }
	our_rows_shown
}

# 4. Navigation.
sec_nav() {
	say "# 4. navigation"
	fix_states
	start_vmtui 120 30 -d 1 || return
	filter_ours
	local ok=1
	nav_to "$T_BUSY" Home || ok=0
	nav_to "$T_IDLE" j || ok=0
	nav_to "$T_OFF" j || ok=0
	nav_to "$T_OFF" j || ok=0 # stays on the last row
	nav_to "$T_IDLE" k || ok=0
	nav_to "$T_BUSY" k || ok=0
	nav_to "$T_BUSY" k || ok=0 # stays on the first row
	check "nav: j/k move the highlighted row and stop at the ends" test "$ok" = 1
	ok=1
	nav_to "$T_IDLE" Down || ok=0
	nav_to "$T_OFF" Down || ok=0
	nav_to "$T_IDLE" Up || ok=0
	nav_to "$T_BUSY" Up || ok=0
	check "nav: Down/Up move the highlighted row" test "$ok" = 1
	ok=1
	nav_to "$T_OFF" End || ok=0
	nav_to "$T_BUSY" Home || ok=0
	nav_to "$T_OFF" G || ok=0
	nav_to "$T_BUSY" g || ok=0
	nav_to "$T_OFF" NPage || ok=0
	nav_to "$T_BUSY" PPage || ok=0
	check "nav: End/Home (G/g, PgDn/PgUp) go to the last/first row" test "$ok" = 1
	local d1 d2 d3
	vt_keys End
	d1=$(detail_name)
	vt_keys Home
	d2=$(detail_name)
	vt_keys Down
	d3=$(detail_name)
	check "nav: the detail view opens on the selected guest (End: $d1, Home: $d2, Down: $d3)" \
		test "$d1 $d2 $d3" = "$T_OFF $T_BUSY $T_IDLE"
	# Mouse: screen rows are title, host, column titles, then the guests.
	ok=1
	vt_keys Home
	wait_for 3 "selection on $T_BUSY" selected_is "$T_BUSY" || ok=0
	vt_click 3 5
	wait_for 3 "click on the third row" selected_is "$T_OFF" || ok=0
	vt_click 3 4
	wait_for 3 "click on the second row" selected_is "$T_IDLE" || ok=0
	check "nav: a mouse click selects the row under it" test "$ok" = 1
	sleep 0.5 # not part of a double click with the clicks above
	vt_click 3 4 double
	check "nav: a double click opens the detail view of that row" \
		wait_screen "^$(re "$T_IDLE") +running +on " 5
	vt_esc
	wait_for 5 "list view" _matches '^NAME +STATE' >/dev/null 2>&1
	vt_grab
	local titles cpu_x
	titles=$(screen_line 3)
	titles=${titles%%CPU%*}
	cpu_x=${#titles}
	vt_click "$cpu_x" 2
	check "nav: a click on a column title sorts by it (CPU%: 'sort cpu')" \
		wait_screen '^vmtui .*sort cpu' 5
	vt_stop
}

# 5. Detail view.
sec_detail() {
	say "# 5. detail view"
	fix_states
	start_vmtui 80 24 -d 1 || return
	filter_ours
	nav_to "$T_BUSY" Home >/dev/null
	vt_keys Enter
	check "detail: title has the name and 'running'" \
		wait_screen "^$(re "$T_BUSY")  running  on " 5
	check "detail: graph titles CPU, Memory used, Disk read/s, Net rx/s" \
		wait_for 5 "graph titles" graph_titles
	check "detail: braille dots are drawn in the CPU graph within 10s" \
		wait_for 10 "braille in the CPU graph" cpu_graph_has '[\x{2801}-\x{28FF}]'
	check "detail: the disk vda and a MAC address are listed" \
		wait_for 5 "vda and MAC" devices_listed
	vt_esc
	check "detail: Esc returns to the list" \
		wait_for 5 "list" back_in_list
	vt_stop

	start_vmtui 80 24 -d 1 -g ascii || return
	filter_ours
	nav_to "$T_BUSY" Home >/dev/null
	vt_keys Enter
	wait_screen "^$(re "$T_BUSY")  running  on " 5 >/dev/null
	check "detail -g ascii: '#' or ':' cells in the CPU graph, no braille on screen" \
		wait_for 10 "ascii CPU graph" ascii_graph
	vt_stop
}
graph_titles() {
	_matches '^CPU [0-9.]+%' && _matches 'Memory used ' && _matches '^Disk read/s ' &&
		_matches '^Net rx/s '
}
# The CPU graph of the detail view at 80 columns: the lines between the
# "CPU" title and "Disk read/s", columns 8-39 (right of the scale).
cpu_graph() {
	perl -CSD -ne '$done = 1 if /^Disk read\/s/; print substr($_, 7, 32), "\n" if $in && !$done;
		$in = 1 if /^CPU [0-9.]+%/' <<<"$SCREEN"
}
# has_char PERL-CHAR-CLASS [TEXT]: TEXT (default: stdin) contains one.
has_char() { perl -CSD -e 'my $re = shift; local $/; exit(<STDIN> =~ /$re/ ? 0 : 1)' "$1"; }
cpu_graph_has() { cpu_graph | has_char "$1"; }
devices_listed() {
	_matches '^ +vda +[0-9.]+[BKMGT] cap' || { WHY="no vda line"; return 1; }
	_matches '^ +([0-9a-f]{2}:){5}[0-9a-f]{2} ' || { WHY="no MAC line"; return 1; }
}
back_in_list() { _matches '^NAME +STATE' && _no_match '^CPU [0-9.]+%' && has_row "$T_BUSY"; }
ascii_graph() {
	cpu_graph_has '[#:]' || { WHY="no # or : in the CPU graph"; return 1; }
	! has_char '[\x{2800}-\x{28FF}]' <<<"$SCREEN" || { WHY="braille on screen"; return 1; }
}

# 6. Help.
sec_help() {
	say "# 6. help"
	start_vmtui 80 24 -d 1 || return
	vt_keys -
	check "refresh: - doubles the interval (header 'refresh 2.0s', status 'Refresh every 2s.')" \
		both wait_screen '^vmtui.*refresh 2(\.0+)?s' 5 -- wait_screen '^Refresh every 2s\.' 5
	vt_keys +
	check "refresh: + halves it again (header 'refresh 1.0s')" \
		wait_screen '^vmtui.*refresh 1(\.0+)?s' 5
	vt_keys '?'
	check "help: ? shows the key table (KEY COMMAND WHERE, 'Quit vmtui')" \
		wait_for 5 "help" help_shown
	vt_keys End
	check "help: End scrolls to the end of the table ('refresh', mouse note)" \
		wait_for 5 "help end" help_end
	vt_esc
	check "help: Esc returns to the list" wait_for 5 "list" back_in_list
	vt_keys '?'
	wait_screen '^KEY +COMMAND +WHERE' 5 >/dev/null
	vt_keys '?'
	check "help: ? in the help view goes back too" wait_for 5 "list" back_in_list
	vt_stop
}
help_shown() { _matches '^KEY +COMMAND +WHERE' && _matches 'Quit vmtui'; }
help_end() { _matches 'refresh +everywhere +Redraw and refresh now' && _matches '^Mouse: click'; }

# 13. Keys answered at once: the time from a key to the help view.
sec_responsive() {
	say "# 13. keys answered quickly"
	fix_states
	start_vmtui 120 30 -d 0.25 || return
	local i t max=0 lat ok=1
	for i in 1 2 3 4 5; do
		lat=$(key_latency '?' '^KEY +COMMAND')
		((lat > max)) && max=$lat
		vt_esc
		wait_for 3 "list" back_in_list >/dev/null || ok=0
	done
	filter_ours
	nav_to "$T_BUSY" Home >/dev/null
	vt_keys Enter
	wait_screen "^$(re "$T_BUSY")  running" 5 >/dev/null
	for i in 1 2 3; do
		lat=$(key_latency '?' '^KEY +COMMAND')
		((lat > max)) && max=$lat
		vt_esc
		wait_screen "^$(re "$T_BUSY")  running" 3 >/dev/null || ok=0
	done
	say "    slowest answer: ${max} ms (8 presses, list and detail, refresh 0.25s)"
	check "responsive: ? shows the help within 1 s, every time (slowest ${max} ms)" \
		test "$ok" = 1 -a "$max" -lt 1000
	vt_stop
}
# 13b. Uptimes move between refreshes, when their text changes: with a
# refresh every 30 s, the busy guest's uptime (seconds shown below an hour)
# moves on its own within the next seconds; a status message leaves on
# time with no refresh to come.
sec_ticks() {
	say "# 13b. uptimes move between refreshes"
	fix_states
	start_vmtui 160 30 -d 30 || return
	filter_ours
	local first
	wait_for 5 "an uptime" busy_uptime >/dev/null
	first=$UPTIME
	if [[ $first =~ h|d ]]; then
		ok "ticks: # skip: $T_BUSY has been up over an hour ($first): minutes shown"
	else
		check "ticks: the uptime ($first) moves within 3 s, with the next refresh 30 s away" \
			wait_for 3 "another uptime" uptime_moved "$first"
	fi
	# A status message goes after 5 s by itself, refresh or not. With the
	# list filtered to nothing no uptime ticks either: its own expiry
	# must wake the loop.
	vt_keys /
	wait_screen '^Filter:' 5 >/dev/null
	vt_type "no-such-guest-zz"
	vt_keys Enter
	if ! wait_screen 'No guest matches the filter' 5 >/dev/null; then
		not_ok "ticks: the list filtered to nothing"
	fi
	vt_keys -
	if wait_screen '^Refresh every 60s\.' 3 >/dev/null; then
		check "ticks: the status line clears within 8 s, with no refresh for 60 s" \
			wait_no_screen '^Refresh every 60s\.' 8
	else
		not_ok "ticks: - says 'Refresh every 60s.'"
	fi
	vt_stop
	# With a refresh every 2 s the seconds move with the refreshes, as in
	# top and htop, not in frames of their own between them.
	start_vmtui 160 30 -d 2 || return
	filter_ours
	wait_for 5 "an uptime" busy_uptime >/dev/null
	if [[ $UPTIME =~ h|d ]]; then
		ok "ticks: # skip: $T_BUSY has been up over an hour ($UPTIME): minutes shown"
	else
		local last=$UPTIME t t_last=0 end changes=0 closest=99999
		end=$(($(now_us) + 7000000))
		while (($(now_us) < end)); do
			SCREEN=$(tm capture-pane -p -t scr 2>/dev/null)
			if busy_uptime && [ "$UPTIME" != "$last" ]; then
				t=$(now_us)
				if ((t_last && (t - t_last) / 1000 < closest)); then
					closest=$(((t - t_last) / 1000))
				fi
				t_last=$t
				last=$UPTIME
				changes=$((changes + 1))
			fi
			sleep 0.1
		done
		check "ticks: at -d 2 the uptime moves with the refreshes ($changes moves in 7 s, the closest ${closest} ms apart)" \
			test "$changes" -ge 2 -a "$closest" -ge 1300
	fi
	vt_stop
}
# The UP column (the last) of the busy guest's row, in UPTIME.
busy_uptime() {
	row_uptime "$T_BUSY" || return 1
	[[ $UPTIME =~ ^\>?[0-9]+[smhd] ]] || { WHY="no uptime in '$UPTIME'"; return 1; }
}
uptime_moved() { busy_uptime && [ "$UPTIME" != "$1" ] || { WHY="still $1"; return 1; }; }

# key_latency KEY PATTERN: milliseconds from send-keys to PATTERN on screen
# (99999 if not within 3 s).
key_latency() {
	local t0 t found
	t0=$(now_us)
	vt_keys "$1"
	while :; do
		found=0
		tm capture-pane -p -t scr 2>/dev/null | grep -Eq -- "$2" && found=1
		t=$(now_us)
		if ((found)); then
			echo $(((t - t0) / 1000))
			return
		fi
		((t - t0 > 3000000)) && { echo 99999; return; }
		sleep 0.02
	done
}

# 8. Lifecycle events change the list at once.
sec_events() {
	say "# 8. events"
	fix_states
	start_vmtui 120 30 -d 30 || return
	filter_ours
	wait_for 10 "idle running" row_is "$T_IDLE" running >/dev/null
	local t0
	vsh suspend "$T_IDLE" >/dev/null
	t0=$(now_us)
	check "events: 'virsh suspend' from outside shows paused within 3 s (refresh is 30 s)" \
		wait_for 3 "paused" row_is "$T_IDLE" paused
	say "    paused shown after $((($(now_us) - t0) / 1000)) ms"
	vsh resume "$T_IDLE" >/dev/null
	check "events: 'virsh resume' from outside shows running within 3 s" \
		wait_for 3 "running" row_is "$T_IDLE" running
	vt_stop
	fix_states
}

# 7. Actions.
sec_actions() {
	say "# 7. actions"
	fix_states
	start_vmtui 120 30 -d 1 || return
	filter_ours
	nav_to "$T_OFF" End >/dev/null
	vt_keys S
	check "actions: S starts the shut-off guest (row running within 10 s)" \
		wait_for 10 "running" row_is "$T_OFF" running
	check "actions: virsh domstate agrees: running" wait_domstate "$T_OFF" running 10
	check "actions: the status line says the start is done" \
		status_says "$(re "$T_OFF"): start: done" 10
	vt_keys F
	check "actions: F asks 'Force off $T_OFF?'" \
		wait_screen "Force off $(re "$T_OFF")\\?" 5
	vt_keys n
	check "actions: n cancels: dialog gone, status 'Cancelled'" \
		wait_for 5 "cancelled" cancelled
	sleep 1
	check "actions: after n the guest still runs (screen and virsh)" \
		still_running "$T_OFF"
	vt_keys F
	wait_screen "Force off $(re "$T_OFF")\\?" 5 >/dev/null
	vt_esc
	local esc_ok=0 q_ok=0
	wait_for 5 "cancelled by Esc" cancelled && esc_ok=1
	vt_keys F
	wait_screen "Force off $(re "$T_OFF")\\?" 5 >/dev/null
	vt_keys q
	wait_for 5 "cancelled by q" cancelled && vt_alive && q_ok=1
	check "actions: Esc and q cancel the question too (q does not quit)" \
		test "$esc_ok$q_ok" = 11
	vt_keys F
	wait_screen "Force off $(re "$T_OFF")\\?" 5 >/dev/null
	vt_keys y
	check "actions: F then y forces it off (row shut off)" \
		wait_for 10 "shut off" row_is "$T_OFF" "shut off"
	check "actions: virsh domstate agrees: shut off" wait_domstate "$T_OFF" "shut off" 10
	vt_keys A
	check "actions: A turns autostart on ('*' before the name, virsh says enable)" \
		both wait_for 10 "'*' mark" autostart_mark "$T_OFF" on -- wait_autostart "$T_OFF" enable
	vt_keys A
	check "actions: A again turns it off ('*' gone, virsh says disable)" \
		both wait_for 10 "no '*' mark" autostart_mark "$T_OFF" off -- wait_autostart "$T_OFF" disable
	nav_to "$T_IDLE" Home Down >/dev/null
	vt_keys P
	check "actions: P pauses the idle guest (row paused, virsh paused)" \
		both wait_for 10 paused row_is "$T_IDLE" paused -- wait_domstate "$T_IDLE" paused 10
	vt_keys U
	check "actions: U resumes it (row running, virsh running)" \
		both wait_for 10 running row_is "$T_IDLE" running -- wait_domstate "$T_IDLE" running 10
	vt_keys S
	check "actions: S on a running guest says 'Cannot start ... already running'" \
		status_says "Cannot start $(re "$T_IDLE"): it is already running" 5
	vt_keys Enter
	wait_screen "^$(re "$T_IDLE")  running  on " 5 >/dev/null
	vt_keys P
	local p_ok=0
	wait_screen "^$(re "$T_IDLE")  paused  on " 10 && wait_domstate "$T_IDLE" paused 10 && p_ok=1
	vt_keys U
	check "actions: P and U work in the detail view too (title paused, then running)" \
		both test "$p_ok" = 1 -- wait_screen "^$(re "$T_IDLE")  running  on " 10
	vt_keys L
	check "action log: L opens it, newest first, with a count" \
		wait_screen "^ACTION LOG  [0-9]+ entries, newest first" 5
	check "action log: resume of $T_IDLE: done, with its virsh command under it" \
		log_has_action "$T_IDLE: resume: done" "virsh -c $T_URI resume $T_IDLE"
	check "action log: force off of $T_OFF: done, virsh destroy" \
		log_has_action "$T_OFF: force off: done" "virsh -c $T_URI destroy $T_OFF"
	check "action log: autostart off is 'virsh autostart --disable'" \
		log_has_action "$T_OFF: autostart off: done" "virsh -c $T_URI autostart --disable $T_OFF"
	check "action log: libvirt events are listed (event: $T_IDLE resumed)" \
		wait_screen "^[0-9:]{8}  event +.*$(re "$T_IDLE") resumed" 5
	check "action log: the shown virsh command does the same (suspend pauses $T_IDLE)" \
		run_logged "virsh -c $T_URI suspend $T_IDLE" "$T_IDLE" paused
	run_logged "virsh -c $T_URI resume $T_IDLE" "$T_IDLE" running >/dev/null 2>&1
	vt_esc
	check "action log: Esc goes back to where it was opened (detail view)" \
		wait_screen "^$(re "$T_IDLE")  running  on " 5
	vt_stop
	fix_states
}
# log_has_action TEXT VIRSH: TEXT on an "action" line, "$ VIRSH" right below.
log_has_action() {
	local page
	for page in 1 2 3 4; do
		vt_grab
		_log_has "$@" && { vt_keys Home; return 0; }
		vt_keys PgDn
		sleep 0.3
	done
	vt_keys Home
	WHY="no action line '$1' with '\$ $2' under it"
	show_screen
	return 1
}
_log_has() {
	awk -v t="$1" -v v="\$ $2" '
		found && index($0, v) { ok = 1; exit }
		{ found = ($0 ~ /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]  action / && index($0, t)) }
		END { exit !ok }' <<<"$SCREEN"
}
# run_logged CMD NAME STATE: the log shows "$ CMD" (the first such line); run
# exactly that text in a shell and wait for NAME to be in STATE.
run_logged() {
	local line
	vt_grab
	line=$(grep -F -- "\$ $1" <<<"$SCREEN" | head -n1 | sed -E 's/^ *\$ //; s/ +$//')
	[ "$line" = "$1" ] || { say "    no '\$ $1' line on the screen"; return 1; }
	bash -c "$line" >/dev/null || return 1
	wait_domstate "$2" "$3" 10
}
autostart_mark() { # autostart_mark NAME on|off
	local re_name
	re_name=$(re "$(shown "$1")")
	if [ "$2" = on ]; then
		_matches "^\\*$re_name " || { WHY="no '*' before $1"; return 1; }
	else
		_matches "^$re_name " || { WHY="'*' still before $1"; return 1; }
	fi
}
autostart_is() { [ "$(vsh dominfo "$1" | awk '/^Autostart:/ { print $2 }')" = "$2" ]; }
wait_autostart() {
	local i
	for i in $(seq 50); do
		autostart_is "$1" "$2" && return 0
		sleep 0.2
	done
	say "    virsh dominfo $1: Autostart is not '$2'"
	return 1
}
cancelled() { _no_match 'Force off ' && _matches 'Cancelled'; }
still_running() {
	vt_grab
	row_is "$1" running || { say "    $WHY"; return 1; }
	[ "$(domstate "$1")" = running ]
}
# both CMD1... -- CMD2...: run both (even if the first fails); true if both are.
both() {
	local a=() r=0
	while (($#)) && [ "$1" != -- ]; do a+=("$1"); shift; done
	shift
	"${a[@]}" || r=1
	"$@" || r=1
	return $r
}

# 9. Read-only.
sec_readonly() {
	say "# 9. read-only"
	fix_states
	vsh dommemstat "$T_IDLE" --period 1 --live >/dev/null 2>&1
	start_vmtui 120 30 -r -d 3 || return
	check "read-only: header says READ-ONLY" wait_screen '^vmtui .*READ-ONLY' 5
	filter_ours
	nav_to "$T_OFF" End >/dev/null
	vt_keys S
	check "read-only: S is refused, saying vmtui is read-only" \
		status_says "Cannot start $(re "$T_OFF"): vmtui runs read-only" 5
	nav_to "$T_IDLE" Home Down >/dev/null
	vt_keys F
	check "read-only: F is refused without asking" \
		wait_for 5 "F refused" refused "force off" "$T_IDLE"
	vt_keys P
	check "read-only: P is refused" \
		wait_for 5 "P refused" refused pause "$T_IDLE"
	sleep 4
	vt_grab
	check "read-only: nothing changed (screen and virsh: off, running, running)" \
		ro_unchanged
	check "read-only: the balloon stats period was left alone (still 1 with -d 3)" \
		test "$(balloon_period "$T_IDLE")" = 1
	vt_stop
	fix_states
}
refused() {
	_no_match 'Force off .*\?' || { WHY="a dialog opened"; return 1; }
	_matches "Cannot $1 $(re "$2"): vmtui runs read-only"
}
ro_unchanged() {
	if ! { row_is "$T_OFF" "shut off" && row_is "$T_IDLE" running && row_is "$T_BUSY" running; }; then
		say "    $WHY"
		return 1
	fi
	[ "$(domstate "$T_OFF")" = "shut off" ] && [ "$(domstate "$T_IDLE")" = running ] &&
		[ "$(domstate "$T_BUSY")" = running ]
}
balloon_period() {
	vsh dumpxml "$1" | sed -n "s/.*<stats period='\([0-9]*\)'.*/\1/p" | head -n1
}

# 10. Resize.
sec_resize() {
	say "# 10. resize"
	fix_states
	start_vmtui 80 24 -d 1 || return
	filter_ours
	local size ok
	for size in 40x10 20x5 250x70 80x24; do
		tm resize-window -t scr -x "${size%x*}" -y "${size#*x}"
		ok=1
		wait_for 10 "layout at $size" layout_ok "${size%x*}" "${size#*x}" || ok=0
		vt_alive || { say "    vmtui died at $size"; ok=0; }
		check "resize to $size: still running, header/list/footer redrawn for the size" test "$ok" = 1
		if [ "$size" = 20x5 ]; then
			# NAME (10) and STATE (8) fill the width; CPU% starts past it.
			check "resize to 20x5: rows show name and state only, no stray characters" \
				wait_for 5 "clean rows" rows_clean_20
		fi
		if [ "$size" = 250x70 ]; then
			check "resize to 250x70: the CPU sparkline column is wide and drawn" \
				wait_for 10 "wide sparkline" wide_sparkline
		fi
	done
	vt_stop
}
layout_ok() {
	local cols=$1 rows=$2 n
	n=$(wc -l <<<"$SCREEN")
	[[ $(screen_line 1) =~ ^vmtui\ [0-9] ]] || { WHY="line 1 is not the title"; return 1; }
	# nothing drawn wider than the terminal (tmux would have wrapped it)
	perl -CSD -ne "exit 1 if length(\$_) > $cols + 1" <<<"$SCREEN" || { WHY="lines wider than $cols"; return 1; }
	case $rows in
	5)  # header 1 line, list 3 (titles + 2 rows), status 1
		[[ $(screen_line 2) =~ ^NAME ]] || { WHY="line 2 is not the column titles"; return 1; }
		[[ $(screen_line 3) == "$(shown "$T_BUSY")"* ]] || { WHY="line 3 is not the busy guest"; return 1; }
		;;
	*)
		[[ $(screen_line 2) == *"$T_URI"* ]] || { WHY="line 2 has no URI"; return 1; }
		[[ $(screen_line 3) =~ ^NAME\ +STATE ]] || { WHY="line 3 is not the column titles"; return 1; }
		rows_are "$T_BUSY" "$T_IDLE" "$T_OFF" || return 1
		[[ $(screen_line "$rows") == '?Help qQuit'* ]] || { WHY="line $rows is not the key hints"; return 1; }
		;;
	esac
	case $cols in
	80) [[ $(screen_line 3) =~ UPTIME$ ]] || { WHY="80 wide: no UPTIME column"; return 1; } ;;
	40) [[ $(screen_line 3) =~ MEM/ALLOC ]] || { WHY="40 wide: no MEM/ALLOC column"; return 1; } ;;
	esac
}
rows_clean_20() {
	local l bad=""
	while IFS= read -r l; do
		[[ $l =~ ^[^\ ]+\ ($STATES) ]] || continue
		[[ $l =~ ^[^\ ]+\ ($STATES)\ *$ ]] || bad+="'$l' "
	done <<<"$SCREEN"
	[ -z "$bad" ] || { WHY="rows with characters past STATE: $bad"; return 1; }
}
# At 250 columns the sparkline grows to ~150 cells; with more than 10
# samples of the busy guest, blocks show far right of the usual place.
wide_sparkline() {
	local l
	l=$(grep -m1 -- "^$(re "$T_BUSY") " <<<"$SCREEN")
	[ -n "$l" ] || { WHY="no busy row"; return 1; }
	# characters 150..200 of the row hold the newest samples
	perl -CSD -ne 'exit(substr($_, 150, 55) =~ /[\x{2581}-\x{2588}]{5}/ ? 0 : 1)' <<<"$l" ||
		{ WHY="no blocks in columns 150-205 of: $l"; return 1; }
}

# 11. Quit and terminal restoration.
sec_restore() {
	say "# 11. quit and terminal restoration"
	fix_states
	start_vmtui 80 24 -d 1 || return
	vt_keys q
	check "quit: q ends vmtui (process gone)" wait_for 5 "exit" dead_pane
	vt_stop

	local d=$SCR_TMP/stty how
	mkdir -p "$d"
	vt_start 100 30 env PS1='$ ' LANG=C.UTF-8 TERM=screen bash --norc --noprofile -i
	wait_screen '^\$' 10 >/dev/null
	vt_type "stty -g > $d/before; echo MARK-BEFORE"
	vt_keys Enter
	wait_screen '^MARK-BEFORE' 5 >/dev/null
	for how in q TERM HUP C-c; do
		rm -f "$d/after"
		vt_type "env -u NO_COLOR XDG_CONFIG_HOME=$SCR_TMP/xdg XDG_STATE_HOME=$SCR_TMP/state $BUILD/vmtui -c $T_URI -d 1; echo \"RC-$how=\$?\"; stty -g > $d/after; echo MARK-AFTER-$how"
		vt_keys Enter
		if ! wait_screen '^vmtui [0-9].*sort name' 15 >/dev/null; then
			not_ok "restore after $how: vmtui did not start in the shell"
			continue
		fi
		local alt_in
		alt_in=$(vt_fmt '#{alternate_on}')
		case $how in
		q | C-c) vt_keys "$how" ;;
		*) kill -"$how" "$(pgrep -P "$(vt_pid)" -x vmtui)" ;;
		esac
		if ! wait_screen "^MARK-AFTER-$how" 10 >/dev/null; then
			not_ok "restore after $how: the shell did not get back"
			continue
		fi
		vt_grab
		say "    after $how: $(grep -o "RC-$how=[0-9]*" <<<"$SCREEN" | tail -n1), alternate screen during run: $alt_in"
		check "restore after $how: stty -g before and after are equal" \
			cmp -s "$d/before" "$d/after"
		check "restore after $how: normal screen back (shell lines visible, alternate off, cursor on, keypad/mouse off)" \
			terminal_restored "$how"
	done
	vt_stop
}
dead_pane() { ! vt_alive; }
terminal_restored() {
	local f
	_matches '^MARK-BEFORE' || { say "    earlier shell output not visible"; show_screen; return 1; }
	f=$(vt_fmt '#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{keypad_flag} #{mouse_any_flag} #{mouse_button_flag} #{mouse_standard_flag} #{mouse_all_flag}')
	[ "$f" = "0 1 0 0 0 0 0 0" ] || {
		say "    after $1: alternate cursor keypad_cursor keypad mouse_any mouse_button mouse_standard mouse_all = $f (want 0 1 0 0 0 0 0 0)"
		return 1
	}
}

# 12. Losing the daemon (last: it disturbs everyone on it).
sec_daemon() {
	say "# 12. daemon loss"
	fix_states
	start_vmtui 120 30 -d 1 || return
	filter_ours
	nav_to "$T_OFF" End >/dev/null
	wait_for 15 "busy guest has a CPU figure" busy_has_cpu >/dev/null
	DAEMON_KILLED=1
	"$RS/daemon.sh" kill >&2
	check "daemon loss: header shows DISCONNECTED within 15 s" \
		wait_screen "$(re "$T_URI").*DISCONNECTED" 15
	check "daemon loss: the guest rows are still listed with their last figures" \
		wait_for 3 "rows kept" kept_rows
	check "daemon loss: the kept rows are dimmed" wait_for 3 "dim rows" dim_rows
	local lat
	lat=$(key_latency '?' '^KEY +COMMAND')
	check "daemon loss: keys still answered (? in ${lat} ms)" test "$lat" -lt 1000
	vt_esc
	wait_for 3 "list" back_in_list >/dev/null
	vt_keys S
	check "daemon loss: S is refused: host not connected" \
		status_says "Cannot start $(re "$T_OFF"): its host is not connected" 5
	"$RS/daemon.sh" restart >&2 && DAEMON_KILLED=0
	check "daemon back: DISCONNECTED goes away within 60 s" \
		wait_for 60 "reconnected" vt_connected
	check "daemon back: rows show running again" \
		wait_for 15 "running rows" reconnected_rows
	vt_stop
}
kept_rows() {
	rows_are "$T_BUSY" "$T_IDLE" "$T_OFF" || return 1
	row_is "$T_BUSY" running && row_is "$T_IDLE" running && row_is "$T_OFF" "shut off" || return 1
	busy_has_cpu || { WHY="the busy guest lost its CPU figure"; return 1; }
}
dim_rows() {
	local dims
	dims=$(vt_grab_e | perl "$SCR_DIR/sgr.pl" | awk -F'\t' -v a="$(shown "$T_BUSY")" -v b="$(shown "$T_IDLE")" \
		'index($5, a " ") == 1 || index($5, b " ") == 1 { print $4 }' | tr -d '\n')
	[ "$dims" = 11 ] || { WHY="dim flags of busy/idle rows: '$dims'"; return 1; }
}
reconnected_rows() { row_is "$T_BUSY" running && row_is "$T_IDLE" running && row_is "$T_OFF" "shut off"; }

# 14. Creating guests: open a YAML file (Tab completion), plan, apply with
# y, land on the new row; the quick-create form writes its YAML and goes
# through the same plan; errors in a file are shown with line:column.
C1=vmtuicreate-one
C2=vmtuicreate-two
create_cleanup() {
	local g
	for g in "$C1" "$C2"; do
		vsh destroy "$g" >/dev/null 2>&1
		vsh undefine "$g" --remove-all-storage >/dev/null 2>&1
		vsh vol-delete --pool "$T_POOL" "$g-vda.qcow2" >/dev/null 2>&1
		vsh vol-delete --pool "$T_POOL" "$g-seed.iso" >/dev/null 2>&1
	done
}
sec_create() {
	say "# 14. creating guests"
	create_cleanup
	local dir=$SCR_TMP/defs fix=${VMTUI_FIXTURES:-/var/tmp/vmtui-fixtures}
	mkdir -p "$dir"
	cat >"$dir/create-one.yaml" <<-EOF
	# A tiny guest: direct kernel boot of the test fixture.
	name: $C1
	type: qemu
	vcpus: 1
	memory: 96M
	disks:
	  - size: 32M
	    pool: $T_POOL
	networks: []
	boot:
	  kernel: $fix/vmlinuz
	  initrd: $fix/initrd.img
	  cmdline: console=ttyS0 quiet
	cloud_init: false
	start: true
	EOF
	cat >"$dir/broken.yaml" <<-EOF
	name: $C2
	memory: lots
	vcpuz: 2
	EOF
	start_vmtui 110 30 -d 1 || return
	vt_keys o
	check "create: o opens the path prompt" wait_screen '^Open VM definitions:' 5
	vt_type "$dir/create-o"
	vt_keys Tab
	check "create: Tab completes the file name" \
		wait_screen "^Open VM definitions: .*create-one\.yaml" 5
	vt_keys Enter
	check "create: the plan lists the new guest, its volume and the start" \
		wait_screen "^$(re "$C1"): create" 20
	check "create: the plan names the volume in the pool" \
		wait_screen "new volume $T_POOL/$(re "$C1")-vda\.qcow2, 32M" 5
	check "create: the view asks for y" wait_screen 'Press y to apply this plan' 5
	vt_keys y
	check "create: apply finishes (Done)" wait_screen '^Done\. Esc goes back' 60
	check "create: libvirt has the guest, running" wait_domstate "$C1" running 30
	vt_esc
	check "create: Esc lands on the new guest's row" \
		wait_for 10 "selection on $C1" selected_is "$C1"

	vt_keys o
	wait_screen '^Open VM definitions:' 5
	vt_type "$dir/broken.yaml"
	vt_keys Enter
	check "create: a broken file shows every error with line:column" \
		wait_screen "broken\.yaml:2:9: memory" 15
	check "create: ... including the unknown key with a suggestion" \
		wait_screen "broken\.yaml:3:1: unknown key .vcpuz. \(did you mean .vcpus.\?\)" 5
	check "create: nothing was created from the broken file" \
		bash -c "! virsh -q -c '$T_URI' dominfo '$C2' >/dev/null 2>&1"
	vt_esc
	wait_screen '^NAME +STATE' 5

	vt_keys N
	check "create: N opens the quick-create form" wait_screen '^New VM' 5
	vt_type "$C2"
	vt_keys Tab Tab
	vt_keys C-u
	vt_type 64M
	vt_keys Tab C-u Tab Tab C-u
	vt_type "$T_POOL"
	vt_keys Tab C-u Tab C-u
	vt_type no
	vt_keys F2
	check "create: the form's plan shows the guest to create" \
		wait_screen "^$(re "$C2"): create" 20
	check "create: the form wrote its YAML file" \
		test -s "$SCR_TMP/xdg/vmtui/vms/$C2.yaml"
	vt_keys y
	check "create: the quick-created guest is defined (shut off)" \
		wait_domstate "$C2" "shut off" 30
	vt_esc
	vt_stop
	start_vmtui 110 30 -d 1 -r || { create_cleanup; return; }
	vt_keys o
	check "create: read-only refuses o" wait_screen 'Cannot create guests: vmtui runs read-only' 5
	vt_keys N
	check "create: read-only refuses N" wait_screen 'Cannot create guests: vmtui runs read-only' 5
	vt_stop
	create_cleanup
}

# 15. Several hosts: guests grouped under foldable host headings.
heading_refused() { vt_alive && _matches 'A host line is selected: pick a guest below it'; }
sec_hosts() {
	say "# 15. several hosts"
	vt_vmtui 120 30 -d 1 -c test:///default || { not_ok "hosts: vmtui starts"; return; }
	check "hosts: a heading per host, with URI, vCPUs and memory given to guests" \
		wait_screen "^. .*$(re "$T_URI") .*vCPUs [0-9]+/[0-9]+ +Alloc" 30
	check "hosts: the second host's heading and its guest (test driver's 'test')" \
		wait_screen '^. .*test:///default .*VMs: 1 running' 10
	check "hosts: guests are indented under their host" wait_screen '^  test +running' 10
	vt_keys G
	vt_keys k
	vt_keys S
	check "hosts: an action on a heading asks for a guest" \
		wait_screen 'A host line is selected: pick a guest below it' 5
	vt_keys Z
	sleep 0.3
	vt_keys C
	sleep 0.3
	vt_keys V
	check "hosts: resize and console on a heading are refused the same way, vmtui still runs" \
		wait_for 5 "refused, alive" heading_refused
	vt_keys Enter
	check "hosts: Enter folds the host (its guests hidden)" \
		wait_no_screen '^  test +running' 5
	vt_keys Enter
	check "hosts: Enter again unfolds it" wait_screen '^  test +running' 5
	vt_keys Home
	vt_keys h
	check "hosts: h opens the host view with CPU and memory graphs" \
		wait_screen '^Host CPU .*Host memory used' 10
	check "hosts: the host view lists storage pools with free space" \
		wait_screen "^$(re "$T_POOL") +dir +active +[0-9.]+[KMGT] +[0-9.]+[KMGTB]+ +[0-9.]+[KMGT]" 15
	check "hosts: the host view shows the node and libvirt versions" \
		wait_screen 'CPUs \(.*libvirt [0-9]+\.[0-9]+\.[0-9]+' 10
	vt_esc
	check "hosts: Esc returns to the list" wait_screen '^NAME +STATE' 5
	vt_stop
}

# 16. A host over SSH (in-process libssh): the unknown host key asked in a
# dialog and recorded, guests and actions over the tunnel, a changed key
# refused, a hung host that never blocks the keys, sshd killed and back.
hung_pid=""
ssh_cleanup() {
	[ -n "$hung_pid" ] && kill "$hung_pid" 2>/dev/null
	hung_pid=""
	"$TOP/tests/ssh/sshd.sh" stop >/dev/null 2>&1
}
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
	say "    hung host: key answers best ${best} ms, slowest ${max} ms"
	check "ssh: with a host that never answers, keys are answered within 100 ms (best of 5: ${best} ms)" \
		test "$best" -lt 100
	check "ssh: ... and never slower than 1 s (slowest ${max} ms)" test "$max" -lt 1000
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

# ---------------------------------------------------------------- main

SECTIONS=${SCREEN_ONLY:-sec_list80 sec_sort sec_filter sec_nav sec_detail sec_help sec_responsive sec_ticks sec_events sec_actions sec_readonly sec_resize sec_restore sec_create sec_hosts sec_ssh sec_daemon}
for s in $SECTIONS; do
	"$s"
	vt_stop
done
if [ -s "$SCR_TMP/state/vmtui/vmtui.log" ]; then
	say "vmtui's stderr log (last lines):"
	tail -n 20 "$SCR_TMP/state/vmtui/vmtui.log" | sed 's/^/    /' >&2
fi
# (a sanitizer build reports on stderr, which goes to the log while the
# screen is vmtui's)
check "no sanitizer report in vmtui's stderr log" \
	bash -c "! grep -qE 'Sanitizer|runtime error:' '$SCR_TMP/state/vmtui/vmtui.log' 2>/dev/null"
say "screen tests took $((SECONDS - T0)) s"
summary
