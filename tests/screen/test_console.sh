#!/usr/bin/env bash
# tests/screen/test_console.sh — the serial console, driven through tmux as
# a person would: C in vmtui and `vmtui console VM` in a shell, against the
# real stack of tests/lib.sh (guests $T_IDLE running with a shell on ttyS0,
# prompt "vmtui-guest# ", and $T_OFF shut off; no busy guest is needed).
#
# Sections (in this order; the guest is destroyed last):
#   con_tui con_detail con_cli con_escape_opt con_refusals con_busy
#   con_paste con_signals con_remote con_destroy
# What the guest received is read from its console log (virtlogd), so a
# paste cut at the escape byte is checked on the guest's side too.
#
# Env: T_PREFIX (guest names, default vmtuicon-: not the prefix of the
# other suites, whose guests share the daemon), KEEP_GUESTS=1, BUILD
# (default build/), CONSOLE_ONLY="con_tui con_busy" (only these sections).
# Ends with "N passed, N failed"; exit status 1 if any check failed.
set -uo pipefail

: "${T_PREFIX:=vmtuicon-}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=screenlib.sh
. "$HERE/screenlib.sh"

T0=$SECONDS
ESC_BYTE=$'\x1d'

cleanup() {
	vt_stop_all
	stack_down
	rm -rf "$SCR_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

domstate() { vsh domstate "$1" 2>/dev/null | head -n1; }

# The fixture, the daemon, $T_IDLE running and $T_OFF shut off.
console_stack_up() {
	"$RS/build-guest.sh" >&2 && "$RS/daemon.sh" start >&2 || return 1
	T_URI=$("$RS/daemon.sh" uri)
	export T_URI
	local g
	for g in "$T_IDLE" "$T_OFF"; do
		vsh dominfo "$g" >/dev/null 2>&1 || "$RS/guest.sh" define "$g" >&2 || return 1
	done
	vsh destroy "$T_OFF" >/dev/null 2>&1
	console_idle_up
}
console_idle_up() {
	[ "$(domstate "$T_IDLE")" = running ] || "$RS/guest.sh" start "$T_IDLE" --wait 90 >&2
}

# ---- the list, before and after ----

# vmtui in a pane of COLSxROWS, filtered to our two guests, $T_IDLE selected.
console_vmtui() {
	local cols=$1 rows=$2
	shift 2
	vt_vmtui "$cols" "$rows" -d 1 "$@" &&
		wait_for 60 "host line connected" vt_connected &&
		console_filter && console_select "$T_IDLE" Home
}
console_filter() {
	vt_keys /
	wait_screen '^Filter:' 5 >/dev/null || return 1
	vt_type "$T_PREFIX"
	vt_keys Enter
	wait_for 15 "our two rows" console_two_rows
}
console_two_rows() {
	has_row "$T_IDLE" && has_row "$T_OFF" || { WHY="rows: $(row_names | tr '\n' ' ')"; return 1; }
	[ "$(row_names | wc -l)" -eq 2 ] || { WHY="$(row_names | wc -l) rows"; return 1; }
}
console_select() {
	vt_keys "$2"
	wait_for 5 "selection on $1" console_selected_is "$1"
}
console_selected_is() {
	local s
	s=$(selected_name)
	[ "$s" = "$(shown "$1")" ] || { WHY="selected '$s'"; return 1; }
}

# The parts of the list screen that do not move with time: title, host
# line up to its guest counts with its figures masked, column titles, each row's name and state,
# the selection, the key hints and the number of lines.
console_frame() {
	screen_line 1
	# (the guest counts after VMs: move with other suites' guests)
	screen_line 2 | sed -E 's/  VMs:.*//; s/[0-9]+(\.[0-9]+)?[%BKMGT]?/N/g'
	grep -E '^NAME +STATE' <<<"$SCREEN"
	list_rows | cut -f1,2
	echo "selected: $(selected_name)"
	screen_line "$(wc -l <<<"$SCREEN")"
	wc -l <<<"$SCREEN"
}
# Compare the frame with $FRAME (taken before the console).
console_same_frame() {
	local now
	now=$(console_frame)
	if [ "$now" != "$FRAME" ]; then
		WHY="frame differs: $(diff <(echo "$FRAME") <(echo "$now") | grep '^[<>]' | head -n 6 | tr '\n' ' ')"
		return 1
	fi
	_no_match 'vmtui-guest#|Connected to the console' || { WHY="console text left on the screen"; return 1; }
}

# alternate screen, cursor, keypad cursor, keypad, the four mouse modes
term_modes() { vt_fmt '#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{keypad_flag} #{mouse_any_flag} #{mouse_button_flag} #{mouse_standard_flag} #{mouse_all_flag}'; }
alt_on() { [ "$(vt_fmt '#{alternate_on}')" = "$1" ] || { WHY="alternate_on=$(vt_fmt '#{alternate_on}')"; return 1; }; }

# ---- in the console ----

# The last non-empty line of the pane is the guest's prompt, alone.
console_prompt_last() {
	local l
	l=$(grep -v '^ *$' <<<"$SCREEN" | tail -n1)
	# shellcheck disable=SC2034 # WHY is read by wait_for (screenlib.sh)
	[[ $l =~ ^vmtui-guest#\ *$ ]] || { WHY="last line '$l'"; return 1; }
}
# Enter until the prompt shows (the shell may still be starting).
console_prompt() {
	local i
	for i in 1 2 3; do
		vt_keys Enter
		wait_for 5 "guest prompt" console_prompt_last 2>/dev/null && return 0
	done
	wait_for 5 "guest prompt" console_prompt_last
}
# Type an echo and see its output on a line of its own.
console_echo() {
	local tok="vmtui-$RANDOM-ok"
	vt_type "echo $tok"
	vt_keys Enter
	wait_screen "^$tok\$" 10
}

# The guest's console log (what it wrote: output and the echo of input).
console_log() { cat "$("$RS/guest.sh" dir "$T_IDLE")/console.log" 2>/dev/null; }
log_has() { console_log | tr -d '\r' | grep -q -- "$1"; }
wait_log() {
	local deadline=$((SECONDS + ${2:-10}))
	until log_has "$1"; do
		((SECONDS < deadline)) || return 1
		sleep 0.2
	done
}

# A shell pane for the command-line client, PS1 '$ '.
console_shell() {
	vt_start "${1:-100}" "${2:-30}" env PS1='$ ' LANG=C.UTF-8 TERM=screen bash --norc --noprofile -i &&
		wait_screen '^\$' 10 >/dev/null
}
# shell_run TAG CMD [AFTER]: run CMD in the shell pane, echo its status as
# RC-TAG=N, then run AFTER (such as stty -g > file).
shell_run() {
	vt_type "$2; echo \"RC-$1=\$?\"${3:+; $3}"
	vt_keys Enter
}
# Poll until the pane, wrapped lines joined, matches PATTERN.
joined_matches() { tm capture-pane -p -J -t "${3:-scr}" 2>/dev/null | grep -Eq -- "$1"; }
wait_joined() {
	local deadline=$((SECONDS + ${2:-10}))
	until joined_matches "$1" "" "${3:-scr}"; do
		if ((SECONDS >= deadline)); then
			say "    not seen within ${2:-10}s: /$1/ in: $(tm capture-pane -p -J -t "${3:-scr}" | grep -v '^$' | tail -n 3 | tr '\n' '|')"
			return 1
		fi
		sleep 0.2
	done
}
shell_rc() { grep -o "^RC-$1=[0-9]*" <<<"$SCREEN" | tail -n1 | cut -d= -f2; }
wait_rc() { wait_screen "^RC-$1=[0-9]+" "${2:-10}" >/dev/null; }
cli() { echo "$BUILD/vmtui console -c '$T_URI' $*"; }
# same_file A B: B appears within 3 s (written after the RC line) and
# equals A.
same_file() {
	local i
	for i in $(seq 30); do
		[ -s "$2" ] && break
		sleep 0.1
	done
	cmp -s "$1" "$2" || { say "    $1: $(cat "$1" 2>&1); $2: $(cat "$2" 2>&1) (try $i)"; return 1; }
}

# ---------------------------------------------------------------- sections

# 1. C in the list: pass-through, then the list exactly as before.
con_tui() {
	say "# 1. console from the list"
	console_idle_up
	console_vmtui 120 30 || { not_ok "vmtui shows our two guests"; return; }
	sleep 1.2 # a tick, so the frame below is a settled one
	vt_grab
	FRAME=$(console_frame)
	MODES=$(term_modes)
	check "list: alternate screen in use before the console" alt_on 1
	vt_keys C
	check "C: the hint 'Connected to the console of $T_IDLE; escape with ^]'" \
		wait_screen "^Connected to the console of $(re "$T_IDLE"); escape with \^\]" 10
	check "C: curses left: normal screen, keypad and mouse reporting off" \
		test "$(term_modes)" = "0 1 0 0 0 0 0 0"
	check "console: Enter shows the guest prompt" console_prompt
	check "console: echo vmtui-\$RANDOM-ok prints its line" console_echo
	vt_type "sleep 30"
	vt_keys Enter
	sleep 0.5
	vt_keys C-c
	check "console: ^C goes to the guest (sleep interrupted, still in the console)" \
		both wait_for 5 "prompt after ^C" console_prompt_last -- alt_on 0
	vt_keys C-]
	check "^]: back in vmtui (alternate screen)" wait_for 5 "alternate screen" alt_on 1
	check "^]: terminal modes as before the console (cursor, keypad, mouse)" \
		test "$(term_modes)" = "$MODES"
	check "^]: status 'Left the console of $T_IDLE.'" \
		wait_screen "^Left the console of $(re "$T_IDLE")\." 5
	check "^]: title, host line, columns, rows, selection and key hints as before" \
		wait_for 5 "the same frame" console_same_frame
	vt_keys '?'
	check "after the console: keys work (? shows the help)" wait_screen '^KEY +COMMAND' 5
	vt_esc
	vt_stop
}

# 2. C in the detail view comes back to the detail view.
con_detail() {
	say "# 2. console from the detail view"
	console_vmtui 120 30 || { not_ok "vmtui shows our two guests"; return; }
	vt_keys Enter
	wait_screen "^$(re "$T_IDLE") +running" 10 >/dev/null
	vt_keys C
	check "detail C: the console opens" \
		wait_screen "^Connected to the console of $(re "$T_IDLE")" 10
	console_prompt >/dev/null 2>&1
	vt_keys C-]
	check "detail ^]: back to the detail view of $T_IDLE" \
		wait_screen "^$(re "$T_IDLE") +running" 5
	vt_stop
}

# 3. vmtui console VM from a shell.
con_cli() {
	say "# 3. vmtui console from a shell"
	local d=$SCR_TMP/stty
	mkdir -p "$d"
	console_shell || { not_ok "shell pane"; return; }
	shell_run before "stty -g > $d/cli-before"
	wait_rc before
	shell_run cli "$(cli "$T_IDLE")" "stty -g > $d/cli-after"
	check "cli: the hint 'Connected to $T_IDLE; escape with ^]' first" \
		wait_screen "^Connected to $(re "$T_IDLE"); escape with \^\]\$" 10
	check "cli: Enter shows the guest prompt" console_prompt
	check "cli: echo vmtui-\$RANDOM-ok prints its line" console_echo
	vt_keys C-]
	check "cli: ^] ends it with exit status 0" \
		both wait_rc cli 5 -- test_rc cli 0
	check "cli: stty -g identical before and after" same_file "$d/cli-before" "$d/cli-after"
	vt_stop
}
test_rc() { vt_grab; [ "$(shell_rc "$1")" = "$2" ] || { say "    RC-$1 is '$(shell_rc "$1")', want $2"; return 1; }; }
# both A... -- B...: both commands succeed.
both() {
	local a=() rc=0
	while [ "$1" != -- ]; do a+=("$1"); shift; done
	shift
	"${a[@]}" || rc=1
	"$@" || rc=1
	return $rc
}

# 4. --escape ^X: ^] goes to the guest, ^X leaves.
con_escape_opt() {
	say "# 4. --escape"
	console_shell || { not_ok "shell pane"; return; }
	shell_run esc "$(cli --escape '^X' "$T_IDLE")"
	check "--escape ^X: the hint names ^X" wait_screen "escape with \^X\$" 10
	console_prompt >/dev/null 2>&1
	vt_keys C-]
	sleep 0.5
	vt_grab
	check "--escape ^X: ^] does not leave" test -z "$(shell_rc esc)"
	vt_keys C-x
	check "--escape ^X: ^X leaves with status 0" both wait_rc esc 5 -- test_rc esc 0
	shell_run bad "$BUILD/vmtui console --escape x $T_IDLE"
	check "--escape x: refused as not a control key (status 1)" \
		both wait_screen 'is not a control key' 5 -- test_rc bad 1
	vt_stop
}

# 5. Refusals: shut off, no such VM, read-only.
con_refusals() {
	say "# 5. refusals"
	console_vmtui 120 30 || { not_ok "vmtui shows our two guests"; return; }
	console_select "$T_OFF" End >/dev/null
	vt_keys C
	check "C on $T_OFF: '$T_OFF is shut off: start it first (S).'" \
		wait_screen "^$(re "$T_OFF") is shut off: start it first \(S\)\." 5
	check "C on $T_OFF: vmtui stays on the list" alt_on 1
	vt_stop
	console_vmtui 120 30 -r || { not_ok "vmtui -r shows our two guests"; return; }
	vt_keys C
	check "read-only: C is refused, saying why" \
		wait_screen "^Cannot open the console of $(re "$T_IDLE"): vmtui runs read-only" 5
	vt_stop
	console_shell || { not_ok "shell pane"; return; }
	shell_run off "$(cli "$T_OFF")"
	check "cli on $T_OFF: 'is shut off: start it first', status 1" \
		both wait_screen "^vmtui: $(re "$T_OFF") is shut off: start it first" 10 -- test_rc off 1
	shell_run none "$(cli "${T_PREFIX}no-such-vm")"
	check "cli on a missing VM: 'there is no VM named', status 1" \
		both wait_screen "^vmtui: there is no VM named $(re "${T_PREFIX}no-such-vm")" 10 -- \
		test_rc none 1
	vt_stop
}

# A second client holding $T_IDLE's console, in a session of its own on
# the same tmux server: HOLD_CMD is a command line for a shell.
hold_start() {
	tm new-session -d -x 100 -y 20 -s hold env PS1='$ ' bash --norc --noprofile -i || return 1
	sleep 0.3
	tm send-keys -t hold -l -- "$1; echo \"HOLD-RC=\$?\""
	tm send-keys -t hold Enter
	local i
	for i in $(seq 50); do
		tm capture-pane -p -t hold | grep -q -- "$2" && return 0
		sleep 0.2
	done
	say "    the holder did not connect: $(tm capture-pane -p -t hold | grep -v '^$' | tail -n 3)"
	return 1
}
hold_screen() { tm capture-pane -p -t hold 2>/dev/null; }
hold_rc() { hold_screen | grep -o '^HOLD-RC=[0-9]*' | tail -n1 | cut -d= -f2; }
wait_hold() { # wait_hold PATTERN SECS
	local i
	for _ in $(seq $((${2:-10} * 5))); do
		hold_screen | grep -Eq -- "$1" && return 0
		sleep 0.2
	done
	say "    holder: no /$1/: $(hold_screen | grep -v '^$' | tail -n 3 | tr '\n' '|')"
	return 1
}

# 6. Busy: the TUI asks to take over; n leaves it, y takes it.
con_busy() {
	say "# 6. busy console"
	console_vmtui 120 30 || { not_ok "vmtui shows our two guests"; return; }
	hold_start "$(cli "$T_IDLE")" "^Connected to $(re "$T_IDLE")" ||
		{ not_ok "a second vmtui console holds $T_IDLE"; return; }
	vt_keys C
	check "busy: C asks 'Console busy: take it over? y/N'" \
		wait_screen 'Console busy: take it over\? y/N' 10
	check "busy: the status line quotes libvirt" \
		wait_screen "^Console of $(re "$T_IDLE") busy \(libvirt: .*(session|console)" 3
	vt_keys n
	check "busy: n leaves it (Cancelled., no question)" \
		both wait_screen '^Cancelled\.' 5 -- wait_no_screen 'take it over' 5
	check "busy: after n the other client still has the console" \
		test -z "$(hold_rc)"
	check "busy: after n vmtui stays on the list" alt_on 1
	vt_keys C
	wait_screen 'take it over\? y/N' 10 >/dev/null
	vt_keys y
	check "busy: y takes it over (connected)" \
		wait_screen "^Connected to the console of $(re "$T_IDLE")" 10
	check "busy: taken over, the guest answers" console_prompt
	check "busy: the other vmtui console ends with status 1, saying why" \
		both wait_hold '^HOLD-RC=1' 10 -- wait_joined 'another client may have taken it over' 1 hold
	vt_keys C-]
	check "busy: ^] back to the list" wait_for 5 "list" alt_on 1
	vt_stop

	# the command line: refused without --force, takes over with it
	console_shell || { not_ok "shell pane"; return; }
	hold_start "virsh -c $T_URI console $T_IDLE" "Escape character" ||
		{ not_ok "virsh console holds $T_IDLE"; return; }
	shell_run busy "$(cli "$T_IDLE")"
	check "cli busy: refused with a hint to --force, status 1" \
		both wait_joined 'busy: another client is connected .*Use --force to take it over\.' 10 -- \
		test_rc busy 1
	shell_run force "$(cli --force "$T_IDLE")"
	check "cli --force: takes it over" wait_screen "^Connected to $(re "$T_IDLE"); escape" 10
	check "cli --force: the guest answers" console_prompt
	check "cli --force: virsh console was put out" wait_hold '^HOLD-RC=[0-9]' 10
	vt_keys C-]
	check "cli --force: ^] ends it with status 0" both wait_rc force 5 -- test_rc force 0
	vt_stop
}

# 7. The escape byte inside a paste: only what comes before it reaches the
# guest, and nothing after it reaches vmtui or the shell.
con_paste() {
	say "# 7. escape byte in a paste"
	local r=$RANDOM
	console_vmtui 120 30 || { not_ok "vmtui shows our two guests"; return; }
	vt_keys C
	wait_screen "^Connected to the console of" 10 >/dev/null
	console_prompt >/dev/null 2>&1
	vt_type "echo paste-before-$r"$'\r'"$ESC_BYTE"'echo paste-after-'"$r"$'\rcmhq'
	check "paste: the escape inside it brings vmtui back" wait_for 5 "list" alt_on 1
	check "paste: the text before the escape ran in the guest" wait_log "^paste-before-$r" 10
	sleep 1
	check "paste: nothing after the escape reached the guest" bash -c "! grep -q 'paste-after-$r' '$("$RS/guest.sh" dir "$T_IDLE")/console.log'"
	check "paste: nor vmtui (still sorted by name, still running)" \
		both wait_screen '^vmtui .*sort name' 3 -- vt_alive
	vt_stop

	console_shell || { not_ok "shell pane"; return; }
	shell_run paste "$(cli "$T_IDLE")"
	wait_screen "^Connected to $(re "$T_IDLE")" 10 >/dev/null
	console_prompt >/dev/null 2>&1
	vt_type "echo cli-before-$r"$'\r'"$ESC_BYTE"'echo cli-after-'"$r"$'\r'
	check "cli paste: the escape inside it ends vmtui console (status 0)" \
		both wait_rc paste 5 -- test_rc paste 0
	check "cli paste: the text before it ran in the guest" wait_log "^cli-before-$r" 10
	sleep 1
	vt_grab
	check "cli paste: the text after it reached neither the guest nor the shell" \
		bash -c "! grep -q 'cli-after-$r' '$("$RS/guest.sh" dir "$T_IDLE")/console.log' && ! grep -q '^cli-after' <<<'$SCREEN'"
	vt_stop
}

# 8. SIGTERM, SIGHUP and a fatal signal (SIGSEGV) while in the console:
# the terminal comes back (screen.c's emergency restore for the fatal one).
con_signals() {
	say "# 8. signals while in the console"
	local d=$SCR_TMP/stty how pid
	mkdir -p "$d"
	console_shell 120 30 || { not_ok "shell pane"; return; }
	shell_run mark "ulimit -c 0; stty -g > $d/before"
	wait_rc mark
	for how in TERM HUP SEGV; do
		shell_run "tui-$how" "env -u NO_COLOR XDG_CONFIG_HOME=$SCR_TMP/xdg XDG_STATE_HOME=$SCR_TMP/state $BUILD/vmtui -c $T_URI -d 1" \
			"stty -g > $d/after-$how"
		if ! wait_for 30 "vmtui connected" vt_connected >/dev/null || ! console_filter ||
			! console_select "$T_IDLE" Home; then
			not_ok "$how: vmtui did not start in the shell"
			continue
		fi
		vt_keys C
		wait_screen "^Connected to the console of" 10 >/dev/null
		console_prompt >/dev/null 2>&1
		pid=$(pgrep -P "$(vt_pid)" -x vmtui)
		kill -"$how" "$pid"
		check "SIG$how in the console: vmtui ends, the shell is back" wait_rc "tui-$how" 10
		check "SIG$how in the console: stty -g as before" same_file "$d/before" "$d/after-$how"
		check "SIG$how in the console: normal screen, cursor on, keypad and mouse off" \
			console_tty_normal
		vt_keys C-l
	done
	shell_run cli-TERM "$(cli "$T_IDLE")" "stty -g > $d/after-cli"
	wait_screen "^Connected to $(re "$T_IDLE")" 10 >/dev/null
	sleep 0.5
	kill -TERM "$(pgrep -P "$(vt_pid)" -x vmtui)"
	check "cli SIGTERM: ends with status 1" both wait_rc cli-TERM 10 -- test_rc cli-TERM 1
	check "cli SIGTERM: stty -g as before" same_file "$d/before" "$d/after-cli"
	vt_stop
}
console_tty_normal() {
	local f
	f=$(vt_fmt '#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{keypad_flag} #{mouse_any_flag} #{mouse_button_flag} #{mouse_standard_flag} #{mouse_all_flag}')
	[ "$f" = "0 1 0 0 0 0 0 0" ] || { say "    alternate cursor keypad_cursor keypad mouse... = $f (want 0 1 0 0 0 0 0 0)"; return 1; }
}

# 9. Over a remote connection: qemu+ssh through the throwaway sshd of
# tests/ssh/sshd.sh (started when it is not running, and stopped again);
# the stream rides the libvirt connection like any call. Needs root.
con_remote() {
	say "# 9. over qemu+ssh"
	local sshd=$TOP/tests/ssh/sshd.sh started=0 local_uri=$T_URI
	if [ "$(id -u)" != 0 ] || [ "$T_URI" != qemu:///system ] || [ ! -x "$sshd" ]; then
		say "    skipped: needs root, qemu:///system and tests/ssh/sshd.sh"
		return
	fi
	if ! "$sshd" pid >/dev/null 2>&1; then
		"$sshd" start >&2 || { not_ok "remote: start the test sshd"; return; }
		started=1
	fi
	eval "$("$sshd" env)"
	T_URI="qemu+ssh://root@127.0.0.1:$SSHD_PORT/system?keyfile=$SSHD_KEY&no_verify=1"
	console_idle_up
	if console_vmtui 150 30; then
		vt_keys C
		check "remote: C opens the console over qemu+ssh" \
			wait_screen "^Connected to the console of $(re "$T_IDLE")" 15
		check "remote: the guest answers" console_prompt
		check "remote: echo prints its line" console_echo
		vt_keys C-]
		check "remote: ^] back to the list" \
			wait_screen "^Left the console of $(re "$T_IDLE")\." 5
	else
		not_ok "remote: vmtui connects over qemu+ssh"
	fi
	console_shell 200 30 || { not_ok "shell pane"; return; }
	shell_run remote "$(cli "$T_IDLE")"
	check "remote cli: connected" wait_screen "^Connected to $(re "$T_IDLE")" 15
	check "remote cli: the guest answers" console_prompt
	vt_keys C-]
	check "remote cli: ^] ends it with status 0" both wait_rc remote 5 -- test_rc remote 0
	vt_stop
	T_URI=$local_uri
	((started)) && "$sshd" stop >&2
}

# 10. The guest destroyed from outside while in the console (last).
con_destroy() {
	say "# 10. guest destroyed while in the console"
	console_idle_up
	console_vmtui 120 30 || { not_ok "vmtui shows our two guests"; return; }
	vt_keys C
	wait_screen "^Connected to the console of" 10 >/dev/null
	check "destroy: in the console" console_prompt
	vsh destroy "$T_IDLE" >/dev/null
	check "destroy: vmtui comes back by itself (alternate screen)" \
		wait_for 10 "back" alt_on 1
	check "destroy: the status line says the console closed as the guest stopped" \
		wait_screen "^The console of $(re "$T_IDLE") closed: the guest stopped\." 5
	check "destroy: the list shows $T_IDLE shut off" wait_for 10 "shut off" row_is "$T_IDLE" "shut off"
	vt_keys '?'
	check "destroy: keys work (? shows the help)" wait_screen '^KEY +COMMAND' 5
	vt_esc
	check "destroy: Esc back to the list" wait_screen '^NAME +STATE' 5
	vt_keys q
	check "destroy: q quits" wait_for 5 "exit" vt_dead
	vt_stop
}

# ---------------------------------------------------------------- main

scr_need console tmux perl virsh pgrep
if ! console_stack_up; then
	not_ok "console_stack_up (fixture, daemon, $T_IDLE running, $T_OFF)"
	summary
	exit 1
fi
SECTIONS=${CONSOLE_ONLY:-con_tui con_detail con_cli con_escape_opt con_refusals con_busy con_paste con_signals con_remote con_destroy}
for s in $SECTIONS; do
	"$s"
	vt_stop_all
done
if [ -s "$SCR_TMP/state/vmtui/vmtui.log" ]; then
	say "vmtui's stderr log (last lines):"
	tail -n 20 "$SCR_TMP/state/vmtui/vmtui.log" | sed 's/^/    /' >&2
fi
say "console tests took $((SECONDS - T0)) s"
summary
