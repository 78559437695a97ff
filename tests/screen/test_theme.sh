#!/usr/bin/env bash
# tests/screen/test_theme.sh — colour themes and key bindings, driven
# through tmux: the colours a theme gives are read back from the screen
# (tmux capture-pane -e: the SGR sequences), at 256 and at 8 colours.
#
# It runs vmtui on test:///default, libvirt's in-process test driver with
# one running guest "test", twice (-c twice, so the list has two host
# headings and the selection sits on the first heading, leaving a guest
# row in its state colour). No real guest is needed: themes and keys only
# change how the screen is drawn and which key runs which command, the
# same for every driver; the shared daemon is not touched.
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
T_URI=test:///default
THEMES=$TOP/themes

scr_traps

# th_vmtui TERM [VAR=VALUE...] -- ARGS...: vmtui on test:///default twice,
# with its own config and theme dirs, the installed themes from the source
# tree, NO_COLOR unset unless given.
th_vmtui() {
	local term=$1 envs=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	vt_start 160 20 env -u LC_ALL -u LC_CTYPE -u NO_COLOR -u LIBVIRT_DEFAULT_URI \
		LANG=C.UTF-8 TERM="$term" XDG_CONFIG_HOME="$SCR_TMP/xdg" \
		XDG_STATE_HOME="$SCR_TMP/state" VMTUI_THEMES_DIR="$THEMES" "${envs[@]}" \
		"$BUILD/vmtui" -c "$T_URI" -c "$T_URI" "$@" &&
		wait_screen '^  test +running' 15 >/dev/null || return 1
	# the selection on the first host heading: both guest rows show their
	# state colour (the two "test" guests share a UUID, and the selection
	# follows a UUID)
	vt_keys Home
	wait_for 5 "selection on the first heading" first_heading_selected
}
first_heading_selected() {
	local n
	n=$(vt_grab_e | perl "$SCR_DIR/sgr.pl" | awk -F'\t' '$5 ~ /^  test / && ($2 != "d" || $3 == 1) { n++ } END { print n + 0 }')
	[ "$n" = 0 ] || { WHY="$n guest rows highlighted"; return 1; }
}

# sgr_at REGEX: the colours in force where REGEX first matches on the screen,
# as "fg=F bg=B bold=0|1" (F, B: 0-255, or d for the default colour).
sgr_at() {
	vt_grab_e | perl -e '
		my $re = shift;
		my %st = (fg => "d", bg => "d", bold => 0);
		sub apply {
			my @p = split /;/, ($_[0] eq "" ? "0" : $_[0]);
			while (@p) {
				my $c = shift @p;
				$c = 0 if $c eq "";
				if ($c == 0) { %st = (fg => "d", bg => "d", bold => 0); }
				elsif ($c == 1) { $st{bold} = 1; }
				elsif ($c == 22) { $st{bold} = 0; }
				elsif ($c >= 30 && $c <= 37) { $st{fg} = $c - 30; }
				elsif ($c >= 90 && $c <= 97) { $st{fg} = $c - 90 + 8; }
				elsif ($c == 39) { $st{fg} = "d"; }
				elsif ($c >= 40 && $c <= 47) { $st{bg} = $c - 40; }
				elsif ($c >= 100 && $c <= 107) { $st{bg} = $c - 100 + 8; }
				elsif ($c == 49) { $st{bg} = "d"; }
				elsif ($c == 38 || $c == 48) {
					my $m = shift @p // 0;
					my $v = $m == 5 ? shift @p : join(",", splice(@p, 0, 3));
					$st{$c == 38 ? "fg" : "bg"} = $v;
				}
			}
		}
		while (my $line = <STDIN>) {
			chomp $line;
			my $text = "";
			my @at;   # state at each character
			while (length $line) {
				if ($line =~ s/^\e\[([0-9;:]*)m//) { apply($1); next; }
				if ($line =~ s/^\e\[[0-9;?]*[A-Za-z]// || $line =~ s/^\e[^\[]//) { next; }
				$line =~ s/^(.)//s;
				$text .= $1;
				push @at, "fg=$st{fg} bg=$st{bg} bold=$st{bold}";
			}
			if ($text =~ /$re/) {
				print $at[$-[0]], "\n";
				exit 0;
			}
		}
		exit 1;
	' "$1"
}

# The state cell of the guest row under a host heading.
running_sgr() { sgr_at '(?<=^  test) +\Krunning'; }
# sgr_is REGEX WANT: for wait_for.
sgr_is() {
	local got
	got=$(sgr_at "$1") || { WHY="no /$1/ on the screen"; return 1; }
	[ "$got" = "$2" ] || { WHY="/$1/: $got, want $2"; return 1; }
}
# No colour at all in any SGR sequence of the screen.
no_color_sgr() {
	local bad
	bad=$(vt_grab_e | grep -oE $'\e\\[[0-9;]*m' | grep -E '\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;|m)' | head -n3)
	[ -z "$bad" ] || { WHY="colour escapes: $(printf "%q " "$bad")"; return 1; }
}
some_color_sgr() { ! no_color_sgr; }
# match TEXT REGEX: a line of TEXT matches.
match() { grep -Eq -- "$2" <<<"$1" || { say "    no /$2/ in:"; say "$1"; return 1; }; }
# vmtui with our config.yaml, not on a terminal: OUT (stderr), RC.
cfg_errors() {
	OUT=$(env XDG_CONFIG_HOME="$SCR_TMP/xdg" "$BUILD/vmtui" -c "$T_URI" 2>&1 </dev/null)
	RC=$?
}

theme_colours() {
	say "# theme colours"
	th_vmtui screen-256color -- || { not_ok "vmtui shows the guest (dark)"; return; }
	check "dark (default), 256 colours: running is green, bold" \
		wait_for 5 "dark running" sgr_is '(?<=^  test) +\Krunning' "fg=2 bg=d bold=1"
	check "dark: the title is cyan" sgr_is '^vmtui [0-9]' "fg=6 bg=d bold=1"
	th_vmtui screen-256color -- --theme light || { not_ok "vmtui --theme light"; return; }
	check "--theme light, 256 colours: running is colour 28, bold (not dark's green)" \
		wait_for 5 "light running" sgr_is '(?<=^  test) +\Krunning' "fg=28 bg=d bold=1"
	check "light: the title is blue" sgr_is '^vmtui [0-9]' "fg=4 bg=d bold=1"
	check "light: the column titles are white on blue" sgr_is 'STATE' "fg=7 bg=4 bold=0"
	vt_type '*'
	check "* switches to the next theme: the status line says \"Theme: mono\"" \
		wait_screen '^Theme: mono *$' 5
	check "mono: running has no colour, only bold" \
		wait_for 5 "mono running" sgr_is '(?<=^  test) +\Krunning' "fg=d bg=d bold=1"
	vt_type '*'
	check "* again wraps around to dark: \"Theme: dark\"" wait_screen '^Theme: dark *$' 5
	check "dark again: running is green" \
		wait_for 5 "dark running" sgr_is '(?<=^  test) +\Krunning' "fg=2 bg=d bold=1"
	vt_type '*'
	check "* then: \"Theme: high-contrast\"" wait_screen '^Theme: high-contrast *$' 5
	check "high-contrast: running is bright green on black" \
		wait_for 5 "hc running" sgr_is '(?<=^  test) +\Krunning' "fg=10 bg=0 bold=1"
	vt_stop

	# 8 colours (TERM=screen): light brought down, 256 -> 16 -> 8
	th_vmtui screen -- --theme light || { not_ok "vmtui --theme light at 8 colours"; return; }
	check "light at 8 colours: running colour 28 becomes green (2)" \
		wait_for 5 "light8 running" sgr_is '(?<=^  test) +\Krunning' "fg=2 bg=d bold=1"
	check "light at 8 colours: the title is still blue" sgr_is '^vmtui [0-9]' "fg=4 bg=d bold=1"
	vt_stop
}

theme_errors() {
	local udir=$SCR_TMP/xdg/vmtui/themes
	say "# broken theme"
	mkdir -p "$udir"
	printf '# broken on purpose\ntitle: {fg: red}\nrunning: {fg: gren}\n' >"$udir/broken.yaml"
	printf 'theme: broken\n' >"$SCR_TMP/xdg/vmtui/config.yaml"
	th_vmtui screen-256color -- || { not_ok "vmtui starts with a broken theme"; return; }
	check "the status line shows the theme's error with line:col, and that dark is used" \
		wait_screen "^$(re "$udir/broken.yaml"):3:15: running: fg: \"gren\" is not a colour \\(did you mean \"green\"\\?\\) \\(the dark theme is used\\)" 5
	check "the dark theme is in force: running is green" \
		sgr_is '(?<=^  test) +\Krunning' "fg=2 bg=d bold=1"
	check "dark's title (cyan), not the broken file's red" sgr_is '^vmtui [0-9]' "fg=6 bg=d bold=1"
	check "vmtui keeps running" vt_alive
	vt_stop
	rm -f "$SCR_TMP/xdg/vmtui/config.yaml"

	th_vmtui screen-256color -- --theme ligth || { not_ok "vmtui --theme ligth"; return; }
	check "an unknown theme name: suggestion and the list, dark used" \
		wait_screen '^theme: "ligth" not found \(did you mean "light"\?\) \(themes: broken, dark, high-contrast, light, mono\) \(the dark theme is used\)' 5
	vt_stop
}

no_color() {
	say "# NO_COLOR"
	th_vmtui screen-256color NO_COLOR=1 -- --theme light ||
		{ not_ok "vmtui with NO_COLOR=1"; return; }
	check "NO_COLOR=1: no colour escapes on the screen, even with --theme light" \
		wait_for 3 "no colour" no_color_sgr
	check "NO_COLOR=1: running is still told apart (bold)" \
		sgr_is '(?<=^  test) +\Krunning' "fg=d bg=d bold=1"
	vt_stop
	th_vmtui screen-256color NO_COLOR= -- || { not_ok "vmtui with NO_COLOR empty"; return; }
	check "NO_COLOR set but empty: colours stay" wait_for 3 "colour" some_color_sgr
	vt_stop
	th_vmtui screen-256color -- --no-color || { not_ok "vmtui --no-color"; return; }
	check "--no-color: no colour escapes" wait_for 3 "no colour" no_color_sgr
	vt_stop
}

rebound_keys() {
	say "# key bindings from config.yaml"
	printf 'keys:\n  quit: [Q, F10]\n  theme: F5\n' >"$SCR_TMP/xdg/vmtui/config.yaml"
	th_vmtui screen-256color -- || { not_ok "vmtui with rebound keys"; return; }
	vt_keys F5
	check "F5 (theme rebound from *) switches the theme" wait_screen '^Theme: high-contrast *$' 5
	vt_type '*'
	check "* no longer does" wait_screen '^Key \* does nothing here; press \? for help\.' 5
	vt_type 'q'
	check "q no longer quits" wait_screen '^Key q does nothing here; press \? for help\.' 5
	check "the footer shows Q for Quit" wait_screen '(^| )\?Help QQuit ' 3
	vt_type '?'
	check "the help screen lists Q for quit" wait_screen '^Q +quit +everywhere +Quit vmtui' 5
	check "the help screen no longer lists q" wait_no_screen '^q +quit ' 3
	vt_keys End
	check "the help screen lists F5 for theme" help_find '^F5 +theme +everywhere '
	check "...and no longer *" wait_no_screen '^\* +theme ' 3
	vt_type 'Q'
	check "Q quits" wait_for 5 "exit" vt_dead
	vt_stop

	# Errors in config.yaml stop vmtui before it takes the terminal.
	printf 'keys:\n  quit: [Q, F10]\n  start: q\n  strat: S\n' >"$SCR_TMP/xdg/vmtui/config.yaml"
	cfg_errors
	check "an unknown command in keys: is reported with line:col and did-you-mean" \
		match "$OUT" "^$(re "$SCR_TMP/xdg/vmtui/config.yaml"):4:3: keys: unknown command \"strat\" \\(did you mean \"start\"\\?\\)\$"
	check "...and vmtui does not start with it (exit status 1)" [ "$RC" = 1 ]
	printf 'keys:\n  start: q\n' >"$SCR_TMP/xdg/vmtui/config.yaml"
	cfg_errors
	check "a key bound to two commands in one view is reported with line:col" \
		match "$OUT" "^$(re "$SCR_TMP/xdg/vmtui/config.yaml"):2:10: keys: start: \"q\" is already the key of quit in the same view \\(rebind quit too, or pick another key\\)\$"
	rm -f "$SCR_TMP/xdg/vmtui/config.yaml"
}

# * with no VMTUI_THEMES_DIR: a binary in its build folder finds the
# source tree's themes (the data folder is not installed); a binary
# alone says where it looked instead of cycling nothing in silence.
build_dir_themes() {
	say "# themes of a build folder"
	local where=/usr/local/share/vmtui/themes
	mkdir -p "$SCR_TMP/alone"
	cp "$BUILD/vmtui" "$SCR_TMP/alone/vmtui"
	vt_start 200 20 env -u VMTUI_THEMES_DIR -u NO_COLOR LANG=C.UTF-8 XDG_CONFIG_HOME="$SCR_TMP/xdg" \
		XDG_STATE_HOME="$SCR_TMP/state" "$BUILD/vmtui" -c "$T_URI"
	wait_screen '^test +running' 15 >/dev/null
	vt_type '*'
	if [ -d "$where" ]; then
		say "    ($where exists: the build folder's lookup is not used)"
	else
		check "build folder: * finds the source tree's themes (Theme: high-contrast)" \
			wait_screen '^Theme: high-contrast *$' 5
	fi
	vt_start 200 20 env -u VMTUI_THEMES_DIR -u NO_COLOR LANG=C.UTF-8 XDG_CONFIG_HOME="$SCR_TMP/xdg" \
		XDG_STATE_HOME="$SCR_TMP/state" "$SCR_TMP/alone/vmtui" -c "$T_URI"
	wait_screen '^test +running' 15 >/dev/null
	vt_type '*'
	if [ -d "$where" ]; then
		say "    ($where exists: nothing to say for a binary alone)"
	else
		check "a binary alone: * says where it looked" wait_screen \
			"^Theme: dark, the only one: no theme files in $(re "$SCR_TMP/xdg/vmtui/themes"), $(re "$where")"
	fi
	vt_stop
}

scr_need theme tmux perl
build_dir_themes
theme_colours
theme_errors
no_color
rebound_keys
vt_stop_all
say "theme tests took $((SECONDS - T0)) s"
summary
