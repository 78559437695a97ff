# shellcheck shell=bash
# complib.sh — what the completion suites share (sourced): vmtui of
# $BUILD first on PATH, a home of their own with a config.yaml (a URI, an
# SSH host) and an ~/.ssh/config (aliases, a pattern, an Include), the
# themes of the source tree, a folder of definition files, and the
# counting of tests/lib.sh. The guests come from test:///default
# (libvirt's in-process test driver: the guest "test", the pool
# "default-pool", the network "default"); no daemon is needed.
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${BUILD:=$TOP/build}"
PASSED=0
FAILED=0
say() { printf '%s\n' "$*" >&2; }
ok() { PASSED=$((PASSED + 1)); say "ok   - $*"; }
not_ok() { FAILED=$((FAILED + 1)); say "FAIL - $*"; }
summary() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}

[ -x "$BUILD/vmtui" ] || { say "no $BUILD/vmtui: build first (scripts/build)"; exit 1; }
CT=$(mktemp -d /tmp/vmtui-comp.XXXXXX)
trap 'rm -rf "$CT"' EXIT
export PATH=$BUILD:$PATH
export HOME=$CT/home XDG_CONFIG_HOME=$CT/xdg XDG_STATE_HOME=$CT/state
export VMTUI_THEMES_DIR=$TOP/themes
# test:///default answers at once, but a loaded machine (scripts/check's
# lanes side by side, valgrind) can take longer than the 2 s default; the
# case of a host that does not answer sets its own
export VMTUI_COMPLETE_TIMEOUT=20
export LC_ALL=C.UTF-8
unset LIBVIRT_DEFAULT_URI
mkdir -p "$HOME/.ssh/config.d" "$XDG_CONFIG_HOME/vmtui" "$CT/defs/sub"
cat >"$XDG_CONFIG_HOME/vmtui/config.yaml" <<'YAML'
connect: test:///default
hosts:
  - name: far
    ssh: admin@far.example:2222
YAML
cat >"$HOME/.ssh/config" <<'SSH'
Host lab jump
	HostName lab.example.org
Host *.internal
	User root
Include config.d/*
SSH
printf 'Host included\n' >"$HOME/.ssh/config.d/extra"
touch "$CT/defs/web.yaml" "$CT/defs/db.yaml"

# sorted WORD...: the words one a line, sorted (to compare lists).
sorted() { printf '%s\n' "$@" | LC_ALL=C sort -u; }
# same DESC GOT WANT: two sorted lists are equal.
same() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		not_ok "$1"
		say "  got:  $(tr '\n' ' ' <<<"$2")"
		say "  want: $(tr '\n' ' ' <<<"$3")"
	fi
}
# within DESC GOT WORD...: every WORD is among GOT's lines.
within() {
	local desc=$1 got=$2 w miss=()
	shift 2
	for w in "$@"; do grep -qxF -- "$w" <<<"$got" || miss+=("$w"); done
	if [ ${#miss[@]} -eq 0 ]; then ok "$desc"; else
		not_ok "$desc"
		say "  missing: ${miss[*]}"
		say "  got: $(tr '\n' ' ' <<<"$got")"
	fi
}
# without DESC GOT WORD...: no WORD is among GOT's lines.
without() {
	local desc=$1 got=$2 w bad=()
	shift 2
	for w in "$@"; do grep -qxF -- "$w" <<<"$got" && bad+=("$w"); done
	if [ ${#bad[@]} -eq 0 ]; then ok "$desc"; else
		not_ok "$desc"
		say "  unexpected: ${bad[*]}"
	fi
}
# The commands and the snapshot verbs, from vmtui itself.
COMMANDS=$(vmtui complete commands | LC_ALL=C sort -u)
