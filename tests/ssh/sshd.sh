#!/usr/bin/env bash
# sshd.sh — a throwaway OpenSSH server on 127.0.0.1 for the sshlink tests.
#
# Everything lives in one state directory ($VMTUI_SSHD_DIR, default
# ${TMPDIR:-/tmp}/vmtui-sshd-UID): sshd_config, a generated ed25519 host key,
# two throwaway user keys (user_key without a passphrase, user_key_pp with
# $PASSPHRASE), authorized_keys holding both, the pid file and the log.
# Nothing under /etc or ~/.ssh is touched; the only system changes are the
# /run/sshd directory sshd insists on and the test user below.
#
# Three ports, all on 127.0.0.1, chosen free at the first start:
#   port     every method sshd offers (publickey, keyboard-interactive, password)
#   pwport   password only (AuthenticationMethods password)
#   kiport   keyboard-interactive only, through PAM (only when PAM works here;
#            `sshd.sh kiport` prints nothing otherwise)
# Root may log in (with the keys; CI runs as root). Password and
# keyboard-interactive logins use the user $USERNAME, created when missing
# (no home directory, shell /bin/sh) and given the password $PASSWORD.
#
# Usage: tests/ssh/sshd.sh start|stop|kill|freeze|thaw|rekey|pid|port|pwport|kiport|env
#   start    make keys and config if missing, start sshd, wait until it listens
#   stop     SIGTERM the server and its session processes
#   kill     SIGKILL the server and its session processes (a crash)
#   freeze   SIGSTOP the session processes (a host that stops answering)
#   thaw     SIGCONT them again
#   rekey    new host key, then restart on the same ports
#   pid      print the listener's pid (exit 1 when not running)
#   port, pwport, kiport  print that port
#   env      print shell assignments: SSHD_DIR SSHD_PORT SSHD_PWPORT SSHD_KIPORT
#            SSHD_USER SSHD_PASSWORD SSHD_KEY SSHD_KEY_PP SSHD_PASSPHRASE
set -euo pipefail

DIR=${VMTUI_SSHD_DIR:-${TMPDIR:-/tmp}/vmtui-sshd-$(id -u)}
SSHD=/usr/sbin/sshd
USERNAME=vmtuissh
PASSWORD=vmtui-ssh-test-pw
PASSPHRASE=vmtui-key-test-pp

die() { echo "sshd.sh: error: $*" >&2; exit 1; }

listener_pid() {
	local pid
	[[ -r $DIR/sshd.pid ]] || return 1
	pid=$(cat "$DIR/sshd.pid")
	[[ -n $pid && -d /proc/$pid && $(cat "/proc/$pid/comm" 2>/dev/null) == sshd ]] || return 1
	echo "$pid"
}

# The pids of every descendant of $1 (the per-connection sshd processes).
descendants() {
	local c
	for c in $(pgrep -P "$1" 2>/dev/null || true); do
		echo "$c"
		descendants "$c"
	done
}

port_free() {
	! ss -Htln "sport = :$1" 2>/dev/null | grep -q .
}

pick_port() {
	local p tries=0
	while ((tries++ < 200)); do
		p=$((20000 + RANDOM % 40000))
		port_free "$p" && { echo "$p"; return 0; }
	done
	die "no free TCP port found on 127.0.0.1"
}

make_user() {
	if ! getent passwd "$USERNAME" >/dev/null; then
		useradd --no-create-home --home-dir /nonexistent --shell /bin/sh "$USERNAME" ||
			die "cannot create user $USERNAME"
	fi
	echo "$USERNAME:$PASSWORD" | chpasswd || die "cannot set the password of $USERNAME"
}

make_keys() {
	[[ -e $DIR/host_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C vmtui-test-host -f "$DIR/host_ed25519"
	[[ -e $DIR/user_key ]] || ssh-keygen -q -t ed25519 -N '' -C vmtui-test-user -f "$DIR/user_key"
	[[ -e $DIR/user_key_pp ]] ||
		ssh-keygen -q -t ed25519 -N "$PASSPHRASE" -C vmtui-test-user-pp -f "$DIR/user_key_pp"
	cat "$DIR/user_key.pub" "$DIR/user_key_pp.pub" >"$DIR/authorized_keys"
	chmod 0600 "$DIR/authorized_keys"
}

# PAM (for keyboard-interactive) is used when the sshd PAM stack exists;
# VMTUI_SSHD_PAM=no turns it off.
use_pam() {
	[[ ${VMTUI_SSHD_PAM:-auto} != no && -r /etc/pam.d/sshd ]]
}

write_config() {
	local pam=no
	use_pam && pam=yes
	[[ -s $DIR/ports ]] || echo "$(pick_port) $(pick_port) $(pick_port)" >"$DIR/ports"
	read -r P1 P2 P3 <"$DIR/ports"
	{
		echo "# Written by tests/ssh/sshd.sh; throwaway test server."
		echo "Port $P1"
		echo "Port $P2"
		[[ $pam == yes ]] && echo "Port $P3"
		echo "ListenAddress 127.0.0.1"
		echo "HostKey $DIR/host_ed25519"
		echo "PidFile $DIR/sshd.pid"
		echo "AuthorizedKeysFile $DIR/authorized_keys"
		echo "StrictModes no"
		echo "PermitRootLogin yes"
		echo "PubkeyAuthentication yes"
		echo "PasswordAuthentication yes"
		echo "KbdInteractiveAuthentication $pam"
		echo "UsePAM $pam"
		echo "UseDNS no"
		echo "PrintMotd no"
		echo "PrintLastLog no"
		echo "AllowStreamLocalForwarding yes"
		echo "MaxStartups 50"
		echo "MaxSessions 20"
		echo "LogLevel VERBOSE"
		echo "Match LocalPort $P2"
		echo "	AuthenticationMethods password"
		if [[ $pam == yes ]]; then
			echo "Match LocalPort $P3"
			echo "	AuthenticationMethods keyboard-interactive"
		fi
	} >"$DIR/sshd_config"
	echo "$pam" >"$DIR/pam"
}

wait_listening() {
	local port i
	port=$(cut -d' ' -f1 "$DIR/ports")
	for i in $(seq 100); do
		! port_free "$port" && listener_pid >/dev/null && return 0
		sleep 0.1
	done
	tail -n 20 "$DIR/sshd.log" >&2 2>/dev/null || true
	die "sshd did not listen on 127.0.0.1:$port within 10 s (log: $DIR/sshd.log)"
}

start() {
	[[ $(id -u) == 0 ]] || die "needs root (sshd checks passwords and switches users)"
	[[ -x $SSHD ]] || die "$SSHD is missing: install openssh-server (scripts/deps)"
	listener_pid >/dev/null && return 0
	mkdir -p "$DIR" /run/sshd
	chmod 0700 "$DIR"
	chmod 0755 /run/sshd
	make_user
	make_keys
	write_config
	"$SSHD" -t -f "$DIR/sshd_config" || die "sshd rejected $DIR/sshd_config"
	"$SSHD" -f "$DIR/sshd_config" -E "$DIR/sshd.log"
	wait_listening
}

signal_all() {  # signal_all SIG [sessions-only]
	local pid pids
	pid=$(listener_pid) || return 0
	pids=$(descendants "$pid")
	[[ ${2:-} == sessions-only ]] || pids="$pid $pids"
	# shellcheck disable=SC2086
	[[ -z ${pids// /} ]] || kill -s "$1" $pids 2>/dev/null || true
}

stop() {
	local pid i
	pid=$(listener_pid) || return 0
	signal_all CONT sessions-only
	signal_all TERM
	for i in $(seq 50); do
		[[ -d /proc/$pid ]] || break
		sleep 0.1
	done
	rm -f "$DIR/sshd.pid"
}

env_vars() {
	read -r P1 P2 P3 <"$DIR/ports" || die "not started: no $DIR/ports"
	[[ $(cat "$DIR/pam" 2>/dev/null) == yes ]] || P3=
	echo "SSHD_DIR=$DIR"
	echo "SSHD_PORT=$P1"
	echo "SSHD_PWPORT=$P2"
	echo "SSHD_KIPORT=$P3"
	echo "SSHD_USER=$USERNAME"
	echo "SSHD_PASSWORD=$PASSWORD"
	echo "SSHD_KEY=$DIR/user_key"
	echo "SSHD_KEY_PP=$DIR/user_key_pp"
	echo "SSHD_PASSPHRASE=$PASSPHRASE"
}

case ${1:-} in
start) start ;;
stop) stop ;;
kill) signal_all KILL; rm -f "$DIR/sshd.pid" ;;
freeze) signal_all STOP sessions-only ;;
thaw) signal_all CONT sessions-only ;;
rekey)
	stop
	rm -f "$DIR/host_ed25519" "$DIR/host_ed25519.pub"
	start
	;;
pid) listener_pid ;;
port) cut -d' ' -f1 "$DIR/ports" ;;
pwport) cut -d' ' -f2 "$DIR/ports" ;;
kiport) [[ $(cat "$DIR/pam" 2>/dev/null) == yes ]] && cut -d' ' -f3 "$DIR/ports" || true ;;
env) env_vars ;;
*) die "usage: sshd.sh start|stop|kill|freeze|thaw|rekey|pid|port|pwport|kiport|env" ;;
esac
