#!/usr/bin/env bash
# tests/fault/sec/storm.sh — 200 resizes in a few seconds, 1x1 to 250x80,
# refreshing every 0.25 s with the detail view open: alive, keys answered,
# the last frame right for the last size.
#
# A section of the fault suite: runs alone (it brings up the real stack
# and its own vmtui, and ends with "N passed, N failed") or from
# tests/fault/run.sh with the others. Env and helpers: ../faultlib.sh.
# shellcheck source=../faultlib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../faultlib.sh"

f_storm() {
	say "# 3. 200 resizes in a few seconds, detail view, -d 0.25"
	guests_up || { not_ok "guests up"; return; }
	fault_vmtui 120 30 "$G_IDLE" -d 0.25 || return
	vt_keys Enter
	wait_screen "^$(re "$G_IDLE")  running" 5 >/dev/null || { not_ok "storm: detail view"; return; }
	local i sizes=(1x1 10x3 250x80 2x2 80x24 40x10 200x5 5x60 1x80 250x1) s t0=$SECONDS
	for i in $(seq 200); do
		if ((i % 4 == 0)); then
			s=${sizes[$(((i / 4) % ${#sizes[@]}))]}
		else
			s=$((1 + RANDOM % 250))x$((1 + RANDOM % 80))
		fi
		tm resize-window -t scr -x "${s%x*}" -y "${s#*x}"
	done
	say "    200 resizes in $((SECONDS - t0)) s"
	check "storm: vmtui still runs" vt_alive
	tm resize-window -t scr -x 100 -y 30
	check "storm: the last frame is the detail view at 100x30 (title, graphs, key hints, nothing wider)" \
		wait_for 5 "detail at 100x30" detail_ok 100 30
	local lat
	lat=$(key_latency '?' '^KEY +COMMAND')
	check "storm: keys answered at once after it (? in ${lat} ms)" test "$lat" -lt 1000
	vt_esc
	vt_esc
	tm resize-window -t scr -x 1 -y 1
	sleep 0.5
	tm resize-window -t scr -x 80 -y 24
	check "storm: from 1x1 back to 80x24: the list, its columns and key hints" \
		wait_for 5 "list at 80x24" list_ok 80 24
	vt_keys q
	check "storm: q quits with status 0" wait_for 15 "exit" exited_0
	vt_stop
}
detail_ok() {
	local cols=$1 rows=$2
	[ "$(wc -l <<<"$SCREEN")" -eq "$rows" ] || { WHY="$(wc -l <<<"$SCREEN") lines"; return 1; }
	perl -CSD -ne "exit 1 if length(\$_) > $cols + 1" <<<"$SCREEN" || { WHY="lines wider than $cols"; return 1; }
	[[ $(screen_line 1) =~ ^vmtui\ [0-9] ]] || { WHY="line 1 is not the title"; return 1; }
	_matches "^$(re "$G_IDLE")  running" || { WHY="no detail title"; return 1; }
	_matches '^CPU [0-9.-]' || { WHY="no CPU graph"; return 1; }
	[[ $(screen_line "$rows") =~ Esc ]] || { WHY="last line is not the key hints: $(screen_line "$rows")"; return 1; }
}
list_ok() {
	local cols=$1 rows=$2
	[ "$(wc -l <<<"$SCREEN")" -eq "$rows" ] || { WHY="$(wc -l <<<"$SCREEN") lines"; return 1; }
	perl -CSD -ne "exit 1 if length(\$_) > $cols + 1" <<<"$SCREEN" || { WHY="lines wider than $cols"; return 1; }
	[[ $(screen_line 3) =~ ^NAME\ +STATE.*UPTIME$ ]] || { WHY="line 3: $(screen_line 3)"; return 1; }
	row_is "$G_IDLE" running || return 1
	[[ $(screen_line "$rows") == '?Help qQuit'* ]] || { WHY="line $rows is not the key hints"; return 1; }
}

fault_main f_storm
