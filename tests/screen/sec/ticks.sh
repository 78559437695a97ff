#!/usr/bin/env bash
# tests/screen/sec/ticks.sh — uptimes move between refreshes, when their
# text changes: with a refresh every 30 s, the busy guest's uptime (seconds
# shown below an hour) moves on its own within the next seconds; a status
# message leaves on time with no refresh to come; at -d 2 the seconds move
# with the refreshes.
#
# A section of the screen suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/screen/run.sh with the others. Env and helpers: ../seclib.sh.
# shellcheck source=../seclib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../seclib.sh"

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

section_main sec_ticks
