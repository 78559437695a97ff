/* sshlink.c — an in-process SSH transport for libvirt: log in with libssh,
 * check the host key, then pump each libvirt connection on a local UNIX
 * socket through its own SSH channel (see sshlink.h). */
#include "sshlink.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <libssh/libssh.h>
#include <libssh/callbacks.h>

#include "../base/threads.h"
#include "../base/xmalloc.h"

#define DEFAULT_REMOTE_URI "qemu:///system"
#define DEFAULT_REMOTE_SOCKET "/var/run/libvirt/libvirt-sock"
#define DEFAULT_TIMEOUT_S 10
#define DEFAULT_KEEPALIVE_S 15
#define SOCK_NAME "libvirt.sock"
#define BUF_SIZE 32768
#define MAX_CONNS 64
#define PASSWORD_TRIES 3
/* How many session timeouts a password or keyboard-interactive login may
 * wait for the server's answer. */
#define PASSWORD_WAITS 10
#define KBDINT_TRIES 3
#define ANSWER_MAX 1024

/* One libvirt connection: a local socket and its channel. */
struct conn {
	struct conn *next;
	int fd;
	ssh_channel ch;
	enum { C_OPENING, C_EXEC, C_OPEN } st;
	char *fwd_host, *fwd_sock;  /* a forward (sshlink_forward), or NULL */
	unsigned fwd_port;
	bool local_eof;
	size_t err_len;            /* the stderr line being read */
	char err[256];
	size_t up_len, up_off;     /* local -> channel */
	size_t down_len, down_off; /* channel -> local */
	char up[BUF_SIZE];
	char down[BUF_SIZE];
};

struct sshlink {
	/* Set by sshlink_open, read-only afterwards. */
	char *uri, *label, *dir, *sock, *cmd, *remote_socket;
	uint64_t keepalive_ms;
	void (*on_dead)(void *opaque);
	void *dead_opaque;
	struct ssh_callbacks_struct cb; /* lives as long as the session */

	/* Owned by the pump thread while it runs, by the opener or closer
	 * otherwise. */
	ssh_session s;
	ssh_event ev;
	int lfd;
	int wake[2];
	struct conn *conns;
	size_t nconns;
	ssh_channel probe;
	uint64_t probe_sent, next_probe;
	pthread_t thread;
	bool started;

	pthread_mutex_t lock;
	/* Guarded by lock. */
	bool dead, quit;
	struct conn *pending;       /* forwards asked for, not yet pumped */
	char *error;
	char *remote_stderr;
};

/* What the login callbacks need. */
struct authctx {
	const struct sshlink_opts *o;
	ssh_session s;
	const char *label;
	bool cancelled;
	char *key_asked; /* the key file whose passphrase was asked for */
};

/* ---- pure parts ---- */

int
sshlink_parse_target(const char *s, struct sshlink_target *t, char **err)
{
	const char *at, *hs, *he, *ps = NULL;
	char *end;
	unsigned long port;

	memset(t, 0, sizeof *t);
	if (s == NULL || *s == '\0') {
		*err = xstrdup("The SSH target is empty; give it as [user@]host[:port].");
		return -1;
	}
	at = strrchr(s, '@');
	hs = at ? at + 1 : s;
	if (at == s) {
		*err = xasprintf("The SSH target \"%s\" has an empty user name before '@'.", s);
		return -1;
	}
	if (*hs == '[') {
		he = strchr(hs, ']');
		if (he == NULL || (he[1] != '\0' && he[1] != ':')) {
			*err = xasprintf("The SSH target \"%s\" has an unclosed '['; write IPv6 addresses as [addr]:port.", s);
			return -1;
		}
		if (he[1] == ':')
			ps = he + 2;
		hs++;
	} else {
		const char *c = strchr(hs, ':');
		he = hs + strlen(hs);
		if (c != NULL && strchr(c + 1, ':') == NULL) {
			he = c;
			ps = c + 1;
		}
	}
	if (he == hs) {
		*err = xasprintf("The SSH target \"%s\" has no host name.", s);
		return -1;
	}
	if (ps != NULL) {
		errno = 0;
		port = strtoul(ps, &end, 10);
		if (*ps < '0' || *ps > '9' || *end != '\0' || errno || port == 0 || port > 65535) {
			*err = xasprintf("The SSH target \"%s\" has a bad port \"%s\"; use a number from 1 to 65535.", s, ps);
			return -1;
		}
		t->port = (unsigned)port;
	}
	t->user = at ? xstrndup(s, (size_t)(at - s)) : NULL;
	t->host = xstrndup(hs, (size_t)(he - hs));
	return 0;
}

void
sshlink_target_free(struct sshlink_target *t)
{
	free(t->user);
	free(t->host);
	memset(t, 0, sizeof *t);
}

char *
sshlink_fingerprint(const unsigned char *d, size_t len)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = xmalloc(7 + (len + 2) / 3 * 4 + 1), *p;
	size_t i;

	p = out + sprintf(out, "SHA256:");
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8 | d[i + 2];
		*p++ = b64[v >> 18 & 63];
		*p++ = b64[v >> 12 & 63];
		*p++ = b64[v >> 6 & 63];
		*p++ = b64[v & 63];
	}
	if (len - i == 1) {
		*p++ = b64[d[i] >> 2];
		*p++ = b64[(d[i] & 3) << 4];
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)d[i] << 8 | d[i + 1];
		*p++ = b64[v >> 10 & 63];
		*p++ = b64[v >> 4 & 63];
		*p++ = b64[(v & 15) << 2];
	}
	*p = '\0';
	return out;
}

/* Append s to the query of a URI, percent-escaping all but unreserved
 * characters and '/'. */
static char *
uri_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = xmalloc(strlen(s) * 3 + 1), *p = out;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c)) {
			*p++ = (char)c;
		} else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	return out;
}

char *
sshlink_local_uri(const char *remote, const char *sock, char **err)
{
	const char *sep = strstr(remote, "://"), *path, *query;
	char *esc, *out, *scheme;
	size_t i;

	if (sep == NULL || sep == remote) {
		*err = xasprintf("The remote libvirt URI \"%s\" is not of the form driver:///path (like qemu:///system).", remote);
		return NULL;
	}
	for (i = 0; remote + i < sep; i++) {
		char c = remote[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
			*err = xasprintf("The remote libvirt URI \"%s\" names a transport or a bad driver; give the URI as seen on the remote host, like qemu:///system.", remote);
			return NULL;
		}
	}
	path = sep + 3;
	if (*path != '/') {
		*err = xasprintf("The remote libvirt URI \"%s\" names a host or has no path; give the URI as seen on the remote host, like qemu:///system.", remote);
		return NULL;
	}
	query = strchr(path, '?');
	scheme = xstrndup(remote, (size_t)(sep - remote));
	esc = uri_escape(sock);
	if (query)
		out = xasprintf("%s+unix://%.*s?socket=%s&%s", scheme, (int)(query - path),
		                path, esc, query + 1);
	else
		out = xasprintf("%s+unix://%s?socket=%s", scheme, path, esc);
	free(esc);
	free(scheme);
	return out;
}

char *
sshlink_shell_quote(const char *s)
{
	char *out = xmalloc(strlen(s) * 4 + 3), *p = out;

	*p++ = '\'';
	for (; *s; s++) {
		if (*s == '\'') {
			memcpy(p, "'\\''", 4);
			p += 4;
		} else {
			*p++ = *s;
		}
	}
	*p++ = '\'';
	*p = '\0';
	return out;
}

char *
sshlink_remote_command(enum sshlink_proxy px, const char *uri, const char *sock)
{
	static const char script[] =
		"if command -v virt-ssh-helper >/dev/null 2>&1; "
		"then exec virt-ssh-helper \"$0\"; else exec nc -U \"$1\"; fi";
	char *qu = sshlink_shell_quote(uri), *qs = sshlink_shell_quote(sock);
	char *qscript, *out = NULL;

	switch (px) {
	case SSHLINK_PROXY_HELPER:
		out = xasprintf("virt-ssh-helper %s", qu);
		break;
	case SSHLINK_PROXY_NC:
		out = xasprintf("nc -U %s", qs);
		break;
	case SSHLINK_PROXY_AUTO:
		qscript = sshlink_shell_quote(script);
		out = xasprintf("sh -c %s %s %s", qscript, qu, qs);
		free(qscript);
		break;
	case SSHLINK_PROXY_STREAMLOCAL:
		break;
	}
	free(qu);
	free(qs);
	return out;
}

/* ---- small helpers ---- */

/* Monotonic clock in ms. */
static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Clear a buffer that held a secret (not optimised away). */
static void
wipe(void *p, size_t n)
{
	explicit_bzero(p, n);
}

/* $HOME/rest, falling back to the password database. */
static char *
home_path(const char *rest)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home == NULL || *home == '\0') {
		pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : "/";
	}
	return xasprintf("%s/%s", home, rest);
}

/* OpenSSH's short name of a key type, as in its fingerprint lines. */
static const char *
key_type_name(ssh_key key)
{
	const char *t = ssh_key_type_to_char(ssh_key_type(key));

	if (t == NULL)
		return "unknown";
	if (strcmp(t, "ssh-ed25519") == 0)
		return "ED25519";
	if (strcmp(t, "ssh-rsa") == 0)
		return "RSA";
	if (strncmp(t, "ecdsa", 5) == 0)
		return "ECDSA";
	if (strcmp(t, "ssh-dss") == 0)
		return "DSA";
	return t;
}

/* The host name known_hosts uses: host, or [host]:port off port 22. */
static char *
known_name(const char *host, unsigned port)
{
	if (port == 0 || port == 22)
		return xstrdup(host);
	return xasprintf("[%s]:%u", host, port);
}

/* The first line of known_hosts that names host, or 0. */
static unsigned
known_line(const char *path, const char *host)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned no = 0, found = 0;

	if (f == NULL)
		return 0;
	while (found == 0 && (n = getline(&line, &cap, f)) >= 0) {
		struct ssh_knownhosts_entry *e = NULL;
		no++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		if (ssh_known_hosts_parse_line(host, line, &e) == SSH_OK)
			found = no;
		ssh_knownhosts_entry_free(e);
	}
	free(line);
	fclose(f);
	return found;
}

/* Record why the link died (first reason wins). Lock held. */
static void
set_error(struct sshlink *l, char *msg)
{
	if (l->error == NULL)
		l->error = msg;
	else
		free(msg);
}

/* ---- opening: session, host key, login ---- */

/* A session with the target, ssh config and options applied. */
/* ~/.ssh/config then /etc/ssh/ssh_config, as ssh reads them; a file that
 * does not exist is no error (libssh's own default lookup fails on it). */
static int
parse_default_configs(ssh_session s)
{
	const char *home = getenv("HOME");
	char *user = NULL;
	int rc = 0;

	if (home && *home) {
		user = xasprintf("%s/.ssh/config", home);
		if (access(user, F_OK) == 0)
			rc = ssh_options_parse_config(s, user);
		free(user);
	}
	if (rc == 0 && access("/etc/ssh/ssh_config", F_OK) == 0)
		rc = ssh_options_parse_config(s, "/etc/ssh/ssh_config");
	return rc;
}

static ssh_session
make_session(const struct sshlink_opts *o, const char *known_hosts, char **err)
{
	struct sshlink_target t;
	ssh_session s;
	long timeout = o->timeout_s ? (long)o->timeout_s : DEFAULT_TIMEOUT_S;
	int verbosity = SSH_LOG_NOLOG, off = 0, on = 1, rc = 0;
	char *proxy = NULL, *ssh_dir;

	if (sshlink_parse_target(o->target, &t, err) < 0)
		return NULL;
	s = ssh_new();
	if (s == NULL) {
		*err = xstrdup("Cannot create an SSH session (libssh failed to initialise).");
		sshlink_target_free(&t);
		return NULL;
	}
	ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
	/* The default identities (~/.ssh/id_*) from the same home as the
	 * config file and known_hosts: $HOME, not the password database's
	 * home that libssh takes by itself. */
	ssh_dir = home_path(".ssh");
	ssh_options_set(s, SSH_OPTIONS_SSH_DIR, ssh_dir);
	free(ssh_dir);
	ssh_options_set(s, SSH_OPTIONS_HOST, t.host);
	if (o->ssh_config == NULL)
		rc = parse_default_configs(s);
	else if (*o->ssh_config != '\0')
		rc = ssh_options_parse_config(s, o->ssh_config);
	ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &off);
	if (rc < 0) {
		*err = xasprintf("Cannot read the ssh config file %s: %s. Fix the file or point vmtui at another one.",
		                 o->ssh_config ? o->ssh_config : "~/.ssh/config", ssh_get_error(s));
		goto fail;
	}
	if (ssh_options_get(s, SSH_OPTIONS_PROXYCOMMAND, &proxy) == SSH_OK && proxy && *proxy) {
		*err = xasprintf("The ssh config gives %s a ProxyCommand or ProxyJump, which vmtui does not support "
		                 "(the command could prompt on the terminal); connect to the host directly.", t.host);
		ssh_string_free_char(proxy);
		goto fail;
	}
	ssh_string_free_char(proxy);
	/* What the target says wins over the config file, as with ssh(1). */
	if (t.user)
		ssh_options_set(s, SSH_OPTIONS_USER, t.user);
	if (t.port)
		ssh_options_set(s, SSH_OPTIONS_PORT, &t.port);
	if (o->key_file)
		ssh_options_set(s, SSH_OPTIONS_ADD_IDENTITY, o->key_file);
	ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, known_hosts);
	ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout);
	ssh_options_set(s, SSH_OPTIONS_NODELAY, &on);
	sshlink_target_free(&t);
	return s;
fail:
	sshlink_target_free(&t);
	ssh_free(s);
	return NULL;
}

/* "user@host:port" of a session, as it will connect. */
static char *
session_label(ssh_session s)
{
	char *host = NULL, *user = NULL, *out;
	unsigned port = 22;

	ssh_options_get(s, SSH_OPTIONS_HOST, &host);
	ssh_options_get(s, SSH_OPTIONS_USER, &user);
	ssh_options_get_port(s, &port);
	if (host && strchr(host, ':'))
		out = xasprintf("%s@[%s]:%u", user ? user : "?", host, port);
	else
		out = xasprintf("%s@%s:%u", user ? user : "?", host ? host : "?", port);
	ssh_string_free_char(host);
	ssh_string_free_char(user);
	return out;
}

/* Is answer a yes? */
static bool
is_yes(const char *a)
{
	return strcasecmp(a, "yes") == 0 || strcasecmp(a, "y") == 0;
}

/* Ask whether to trust an unknown host key; record it on yes. */
static int
trust_new_key(ssh_session s, const struct sshlink_opts *o, const char *kh,
              const char *name, const char *type, const char *fp, char **err)
{
	char answer[16] = "";
	char *q;
	int rc;

	if (o->ask == NULL) {
		*err = xasprintf("The host key of %s (%s %s) is not in %s and vmtui has no way to ask; connect once with ssh(1) to record it.",
		                 name, type, fp, kh);
		return -1;
	}
	q = xasprintf("The authenticity of host %s can't be established.\n"
	              "%s key fingerprint is %s.\n"
	              "Are you sure you want to continue connecting (yes/no)?",
	              name, type, fp);
	rc = o->ask(o->ask_opaque, SSHLINK_Q_HOSTKEY, q, true, answer, sizeof answer);
	free(q);
	if (rc < 0 || !is_yes(answer)) {
		*err = xasprintf("The host key of %s was not accepted, so vmtui did not connect; nothing was recorded.", name);
		return -1;
	}
	if (ssh_session_update_known_hosts(s) != SSH_OK) {
		*err = xasprintf("Cannot record the host key of %s in %s: %s. Check that the file is writable.",
		                 name, kh, ssh_get_error(s));
		return -1;
	}
	return 0;
}

/* Check the server's key against known_hosts; ask about unknown keys. */
static int
check_host_key(ssh_session s, const struct sshlink_opts *o, const char *kh, char **err)
{
	ssh_key key = NULL;
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *host = NULL, *name = NULL, *fp = NULL;
	const char *type;
	unsigned port = 22, line;
	int ret = -1;

	if (ssh_get_server_publickey(s, &key) != SSH_OK ||
	    ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) != 0) {
		*err = xasprintf("Cannot read the host key the server sent: %s.", ssh_get_error(s));
		goto cleanup;
	}
	fp = sshlink_fingerprint(hash, hlen);
	type = key_type_name(key);
	ssh_options_get(s, SSH_OPTIONS_HOST, &host);
	ssh_options_get_port(s, &port);
	name = known_name(host ? host : "?", port);

	switch (ssh_session_is_known_server(s)) {
	case SSH_KNOWN_HOSTS_OK:
		ret = 0;
		break;
	case SSH_KNOWN_HOSTS_CHANGED:
		line = known_line(kh, name);
		*err = xasprintf("WARNING: the host key of %s has CHANGED (it is now %s %s) and does not match %s%s%.0u. "
		                 "Someone could be intercepting the connection, or the host was reinstalled. "
		                 "vmtui will not connect; if the change is expected, remove the old key with: ssh-keygen -R '%s' -f %s",
		                 name, type, fp, kh, line ? " line " : "", line, name, kh);
		break;
	case SSH_KNOWN_HOSTS_OTHER:
		line = known_line(kh, name);
		*err = xasprintf("WARNING: %s sent a %s host key (%s), but %s%s%.0u holds a key of another type for it. "
		                 "Someone could be intercepting the connection. vmtui will not connect; "
		                 "if the change is expected, remove the old key with: ssh-keygen -R '%s' -f %s",
		                 name, type, fp, kh, line ? " line " : "", line, name, kh);
		break;
	case SSH_KNOWN_HOSTS_UNKNOWN:
	case SSH_KNOWN_HOSTS_NOT_FOUND:
		ret = trust_new_key(s, o, kh, name, type, fp, err);
		break;
	case SSH_KNOWN_HOSTS_ERROR:
	default:
		*err = xasprintf("Cannot check the host key of %s against %s: %s.", name, kh, ssh_get_error(s));
		break;
	}
cleanup:
	ssh_clean_pubkey_hash(&hash);
	ssh_key_free(key);
	ssh_string_free_char(host);
	free(name);
	free(fp);
	return ret;
}

/* libssh asks for a key's passphrase through this. */
static int
on_passphrase(const char *prompt, char *buf, size_t len, int echo, int verify, void *userdata)
{
	struct authctx *a = userdata;
	char *ident = NULL, *q;
	int rc;

	(void)prompt;
	(void)echo;
	(void)verify;
	if (a->o->ask == NULL || a->cancelled)
		return -1;
	ssh_userauth_publickey_auto_get_current_identity(a->s, &ident);
	free(a->key_asked);
	a->key_asked = xstrdup(ident ? ident : "(unknown key file)");
	ssh_string_free_char(ident);
	q = xasprintf("Enter passphrase for key %s:", a->key_asked);
	rc = a->o->ask(a->o->ask_opaque, SSHLINK_Q_PASSPHRASE, q, false, buf, len);
	free(q);
	if (rc < 0) {
		wipe(buf, len);
		a->cancelled = true;
		return -1;
	}
	buf[len - 1] = '\0';
	return 0;
}

/* Keyboard-interactive: each prompt through ask. SSH_AUTH_* or -2 on cancel;
 * *asked tells whether the user was asked anything. */
/* ssh_userauth_kbdint, waiting on through SSH_AUTH_AGAIN (the session's
 * timeout passed before the server answered) as auth_password does. */
static int
kbdint_step(ssh_session s)
{
	int rc = ssh_userauth_kbdint(s, NULL, NULL);

	for (int w = 1; rc == SSH_AUTH_AGAIN && w < PASSWORD_WAITS; w++)
		rc = ssh_userauth_kbdint(s, NULL, NULL);
	return rc == SSH_AUTH_AGAIN ? SSH_AUTH_ERROR : rc;
}

static int
auth_kbdint(struct authctx *a, bool *asked)
{
	char answer[ANSWER_MAX];
	int rc = SSH_AUTH_DENIED, tries, i, n;

	for (tries = 0; tries < KBDINT_TRIES; tries++) {
		rc = kbdint_step(a->s);
		while (rc == SSH_AUTH_INFO) {
			const char *name = ssh_userauth_kbdint_getname(a->s);
			const char *instr = ssh_userauth_kbdint_getinstruction(a->s);
			n = ssh_userauth_kbdint_getnprompts(a->s);
			for (i = 0; i < n; i++) {
				char echo = 0;
				const char *p = ssh_userauth_kbdint_getprompt(a->s, (unsigned)i, &echo);
				char *q = xasprintf("%s%s%s%s%s(%s) %s", tries ? "Permission denied, please try again.\n" : "",
				                    name && *name ? name : "", name && *name ? "\n" : "",
				                    instr && *instr ? instr : "", instr && *instr ? "\n" : "",
				                    a->label, p ? p : "");
				int r;

				answer[0] = '\0';
				r = a->o->ask(a->o->ask_opaque, SSHLINK_Q_KBDINT, q, echo != 0, answer, sizeof answer);
				free(q);
				answer[sizeof answer - 1] = '\0';
				*asked = true;
				if (r < 0) {
					wipe(answer, sizeof answer);
					return -2;
				}
				r = ssh_userauth_kbdint_setanswer(a->s, (unsigned)i, answer);
				wipe(answer, sizeof answer);
				if (r < 0)
					return SSH_AUTH_ERROR;
			}
			rc = kbdint_step(a->s);
		}
		if (rc != SSH_AUTH_DENIED || !*asked)
			break;
	}
	return rc;
}

/* Password login, PASSWORD_TRIES times at most. SSH_AUTH_* or -2 on cancel. */
static int
auth_password(struct authctx *a, int *tries)
{
	char answer[ANSWER_MAX];
	int rc = SSH_AUTH_DENIED;

	for (*tries = 0; *tries < PASSWORD_TRIES; ) {
		char *q = xasprintf("%s%s's password:", *tries ? "Permission denied, please try again.\n" : "",
		                    a->label);
		int r;

		answer[0] = '\0';
		r = a->o->ask(a->o->ask_opaque, SSHLINK_Q_PASSWORD, q, false, answer, sizeof answer);
		free(q);
		answer[sizeof answer - 1] = '\0';
		if (r < 0) {
			wipe(answer, sizeof answer);
			return -2;
		}
		(*tries)++;
		/* SSH_AUTH_AGAIN: the session's timeout passed before the server
		 * answered (a PAM failure delay on a loaded host takes seconds);
		 * calling again with the same arguments goes on waiting for the
		 * same request, up to PASSWORD_WAITS times the timeout. */
		rc = ssh_userauth_password(a->s, NULL, answer);
		for (int w = 1; rc == SSH_AUTH_AGAIN && w < PASSWORD_WAITS; w++)
			rc = ssh_userauth_password(a->s, NULL, answer);
		wipe(answer, sizeof answer);
		if (rc == SSH_AUTH_AGAIN)
			return SSH_AUTH_ERROR;
		if (rc != SSH_AUTH_DENIED)
			break;
	}
	return rc;
}

/* The methods a server offers, as text for messages. */
static char *
methods_text(int m)
{
	return xasprintf("%s%s%s%s",
	                 m & SSH_AUTH_METHOD_PUBLICKEY ? "publickey " : "",
	                 m & SSH_AUTH_METHOD_INTERACTIVE ? "keyboard-interactive " : "",
	                 m & SSH_AUTH_METHOD_PASSWORD ? "password " : "",
	                 m & ~(SSH_AUTH_METHOD_PUBLICKEY | SSH_AUTH_METHOD_INTERACTIVE |
	                       SSH_AUTH_METHOD_PASSWORD) ? "other" : "");
}

/* Log in: agent and key files, keyboard-interactive, password. */
static int
auth_methods(struct sshlink *l, struct authctx *ap, char **err)
{
	struct authctx a = *ap;
	const struct sshlink_opts *o = a.o;
	int rc, methods, tries = 0;
	bool asked = false;
	char *mt;

	rc = ssh_userauth_none(l->s, NULL);
	if (rc == SSH_AUTH_SUCCESS)
		return 0;
	if (rc == SSH_AUTH_ERROR)
		goto broken;
	methods = ssh_userauth_list(l->s, NULL);

	if (methods & SSH_AUTH_METHOD_PUBLICKEY) {
		ssh_callbacks_init(&l->cb);
		l->cb.userdata = &a;
		l->cb.auth_function = on_passphrase;
		ssh_set_callbacks(l->s, &l->cb);
		/* The agent first (when SSH_AUTH_SOCK is set), then key files. */
		rc = ssh_userauth_publickey_auto(l->s, NULL, NULL);
		l->cb.auth_function = NULL;
		l->cb.userdata = NULL;
		ap->key_asked = a.key_asked;
		ap->cancelled = a.cancelled;
		if (rc == SSH_AUTH_SUCCESS)
			return 0;
		if (a.cancelled)
			goto cancelled;
		if (rc == SSH_AUTH_ERROR)
			goto broken;
	}
	if ((methods & SSH_AUTH_METHOD_INTERACTIVE) && o->ask) {
		rc = auth_kbdint(&a, &asked);
		if (rc == SSH_AUTH_SUCCESS)
			return 0;
		if (rc == -2)
			goto cancelled;
		if (rc == SSH_AUTH_ERROR)
			goto broken;
		if (asked) {
			*err = xasprintf("%s refused the answers to its login questions; check the password and reconnect.", l->label);
			return -1;
		}
	}
	if ((methods & SSH_AUTH_METHOD_PASSWORD) && o->ask) {
		rc = auth_password(&a, &tries);
		if (rc == SSH_AUTH_SUCCESS)
			return 0;
		if (rc == -2)
			goto cancelled;
		if (rc == SSH_AUTH_ERROR)
			goto broken;
		*err = xasprintf("The password for %s was wrong (refused %d time%s); check it and reconnect.",
		                 l->label, tries, tries == 1 ? "" : "s");
		return -1;
	}
	mt = methods_text(methods);
	*err = xasprintf("%s accepted none of the ways vmtui tried to log in (it offers: %s). "
	                 "Load your key into ssh-agent, set a key file, or allow password logins.",
	                 l->label, *mt ? mt : "nothing");
	free(mt);
	return -1;
cancelled:
	*err = xasprintf("Logging in to %s was cancelled.", l->label);
	return -1;
broken:
	*err = xasprintf("Logging in to %s failed: %s.", l->label, ssh_get_error(l->s));
	return -1;
}

/* Log in; when a key's passphrase was asked for in vain, say so too. */
static int
authenticate(struct sshlink *l, const struct sshlink_opts *o, char **err)
{
	struct authctx a = { .o = o, .s = l->s, .label = l->label };
	char *e;
	int rc = auth_methods(l, &a, err);

	if (rc < 0 && a.key_asked && !a.cancelled && *err) {
		e = xasprintf("%s (The key %s was not accepted: wrong passphrase, or the key is not authorised there.)",
		              *err, a.key_asked);
		free(*err);
		*err = e;
	}
	free(a.key_asked);
	return rc;
}

/* ---- the local socket ---- */

/* A private directory for the socket: 0700, made with mkdtemp. */
static char *
make_dir(const struct sshlink_opts *o, char **err)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	char *base = NULL, *tmpl, *d;

	if (o->runtime_dir)
		base = xstrdup(o->runtime_dir);
	else if (xdg && *xdg)
		base = xasprintf("%s/vmtui", xdg);
	if (base) {
		if (mkdir(base, 0700) < 0 && errno != EEXIST) {
			*err = xasprintf("Cannot create the directory %s for the SSH tunnel socket: %s.", base, strerror(errno));
			free(base);
			return NULL;
		}
		tmpl = xasprintf("%s/ssh-XXXXXX", base);
	} else {
		tmpl = xstrdup("/tmp/vmtui-ssh-XXXXXX");
	}
	d = mkdtemp(tmpl);
	if (d == NULL) {
		*err = xasprintf("Cannot create a private directory like %s for the SSH tunnel socket: %s.", tmpl, strerror(errno));
		free(tmpl);
	}
	free(base);
	return d;
}

/* Listen on dir/libvirt.sock, mode 0600. */
static int
make_listener(struct sshlink *l, char **err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	l->sock = xasprintf("%s/%s", l->dir, SOCK_NAME);
	if (strlen(l->sock) >= sizeof sa.sun_path) {
		*err = xasprintf("The socket path %s is too long for a UNIX socket; set a shorter runtime directory.", l->sock);
		return -1;
	}
	strcpy(sa.sun_path, l->sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    chmod(l->sock, 0600) < 0 || listen(fd, 16) < 0) {
		*err = xasprintf("Cannot listen on %s for the SSH tunnel: %s.", l->sock, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	l->lfd = fd;
	return 0;
}

/* ---- the pump (runs on the link's thread) ---- */

/* Close a connection's channel and socket. */
static void
conn_free(struct conn *c)
{
	if (c->ch) {
		if (ssh_channel_is_open(c->ch))
			ssh_channel_close(c->ch);
		ssh_channel_free(c->ch);
	}
	if (c->fd >= 0)
		close(c->fd);
	free(c->fwd_host);
	free(c->fwd_sock);
	free(c);
}

/* Drop every connection, the probe and the listener (removing the socket). */
static void
close_all(struct sshlink *l)
{
	struct conn *pend;

	pthread_mutex_lock(&l->lock);
	pend = l->pending;
	l->pending = NULL;
	pthread_mutex_unlock(&l->lock);
	while (pend) {
		struct conn *c = pend;
		pend = c->next;
		conn_free(c);
	}
	while (l->conns) {
		struct conn *c = l->conns;
		l->conns = c->next;
		conn_free(c);
	}
	l->nconns = 0;
	if (l->probe) {
		ssh_channel_free(l->probe);
		l->probe = NULL;
	}
	if (l->lfd >= 0) {
		close(l->lfd);
		l->lfd = -1;
		unlink(l->sock);
	}
}

/* The link is dead: say why, drop every connection so libvirt sees EOF at
 * once, tell the owner. */
static void __attribute__((format(printf, 2, 3)))
die(struct sshlink *l, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = xstrdup("The SSH link died.");
	va_end(ap);
	close_all(l);
	pthread_mutex_lock(&l->lock);
	l->dead = true;
	set_error(l, msg);
	pthread_mutex_unlock(&l->lock);
	if (l->on_dead)
		l->on_dead(l->dead_opaque);
}

/* Take a new libvirt connection: check it is ours, start its channel. */
static void
accept_conn(struct sshlink *l)
{
	struct ucred cred;
	socklen_t len = sizeof cred;
	struct conn *c;
	int fd = accept4(l->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	if (l->nconns >= MAX_CONNS ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.uid != getuid()) {
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof *c);
	c->fd = fd;
	c->ch = ssh_channel_new(l->s);
	if (c->ch == NULL) {
		conn_free(c);
		return;
	}
	c->next = l->conns;
	l->conns = c;
	l->nconns++;
}

/* Take the forwards sshlink_forward queued: give each its channel.
 * Before fill_poll: step_all takes one poll result per connection. True
 * when one was taken (its channel is to be opened at once). */
static bool
adopt_forwards(struct sshlink *l)
{
	struct conn *c, *next;
	bool any = false;

	pthread_mutex_lock(&l->lock);
	c = l->pending;
	l->pending = NULL;
	pthread_mutex_unlock(&l->lock);
	for (; c; c = next) {
		next = c->next;
		c->ch = l->nconns < MAX_CONNS ? ssh_channel_new(l->s) : NULL;
		if (c->ch == NULL) {
			conn_free(c); /* the caller sees EOF */
			continue;
		}
		c->next = l->conns;
		l->conns = c;
		l->nconns++;
		any = true;
	}
	return any;
}

/* Make the remote command's stderr line the one sshlink_remote_stderr
 * gives. */
static void
publish_stderr(struct sshlink *l, struct conn *c)
{
	if (c->err_len == 0)
		return;
	c->err[c->err_len] = '\0';
	c->err_len = 0;
	pthread_mutex_lock(&l->lock);
	free(l->remote_stderr);
	l->remote_stderr = xstrdup(c->err);
	pthread_mutex_unlock(&l->lock);
}

/* Read what the remote command wrote to stderr, keeping its last line. */
static void
read_stderr(struct sshlink *l, struct conn *c)
{
	char buf[512];
	int n, i;

	while ((n = ssh_channel_read_nonblocking(c->ch, buf, sizeof buf, 1)) > 0) {
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n' || buf[i] == '\r')
				publish_stderr(l, c);
			else if (c->err_len < sizeof c->err - 1)
				c->err[c->err_len++] = buf[i];
		}
	}
}

/* Advance a channel that is opening: open, then exec. -1: give up. */
static int
step_open(struct sshlink *l, struct conn *c)
{
	int rc;

	if (c->st == C_OPENING) {
		if (c->fwd_sock)
			rc = ssh_channel_open_forward_unix(c->ch, c->fwd_sock, "127.0.0.1", 0);
		else if (c->fwd_host)
			rc = ssh_channel_open_forward(c->ch, c->fwd_host, (int)c->fwd_port, "127.0.0.1", 0);
		else if (l->cmd == NULL)
			rc = ssh_channel_open_forward_unix(c->ch, l->remote_socket, "127.0.0.1", 0);
		else
			rc = ssh_channel_open_session(c->ch);
		if (rc == SSH_AGAIN)
			return 0;
		if (rc != SSH_OK)
			return -1;
		c->st = l->cmd && !c->fwd_sock && !c->fwd_host ? C_EXEC : C_OPEN;
	}
	if (c->st == C_EXEC) {
		rc = ssh_channel_request_exec(c->ch, l->cmd);
		if (rc == SSH_AGAIN)
			return 0;
		if (rc != SSH_OK)
			return -1;
		c->st = C_OPEN;
	}
	return 0;
}

/* Copy what the local side sent into the channel, as far as the window
 * allows. -1: the connection is over. */
static int
pump_up(struct conn *c, short revents)
{
	ssize_t n;
	uint32_t win;
	int w;

	if (c->up_off == c->up_len && !c->local_eof && (revents & (POLLIN | POLLHUP | POLLERR))) {
		n = recv(c->fd, c->up, sizeof c->up, 0);
		if (n > 0) {
			c->up_len = (size_t)n;
			c->up_off = 0;
		} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			c->local_eof = true;
		}
	}
	while (c->up_off < c->up_len) {
		win = ssh_channel_window_size(c->ch);
		if (win == 0)
			return 0;
		w = ssh_channel_write(c->ch, c->up + c->up_off,
		                      (uint32_t)(c->up_len - c->up_off < win ? c->up_len - c->up_off : win));
		if (w < 0)
			return -1;
		c->up_off += (size_t)w;
		if (w == 0)
			return 0;
	}
	if (c->local_eof) {
		/* libvirt never half-closes: its side is gone. */
		ssh_channel_send_eof(c->ch);
		return -1;
	}
	return 0;
}

/* Copy what the channel received to the local side until either runs dry
 * (the channel buffers what arrives in between; no fd would wake us for
 * it). -1: over. */
static int
pump_down(struct conn *c)
{
	ssize_t w;
	int n;

	for (;;) {
		if (c->down_off == c->down_len) {
			n = ssh_channel_read_nonblocking(c->ch, c->down, sizeof c->down, 0);
			/* SSH_EOF or SSH_ERROR: the remote end is done. */
			if (n < 0 && n != SSH_AGAIN)
				return -1;
			if (n <= 0)
				return ssh_channel_is_eof(c->ch) || ssh_channel_is_closed(c->ch) ? -1 : 0;
			c->down_len = (size_t)n;
			c->down_off = 0;
		}
		while (c->down_off < c->down_len) {
			w = send(c->fd, c->down + c->down_off, c->down_len - c->down_off, MSG_NOSIGNAL);
			if (w < 0)
				return errno == EAGAIN || errno == EINTR ? 0 : -1;
			c->down_off += (size_t)w;
		}
	}
}

/* Move one connection along; free it when it is over. */
static bool
step_conn(struct sshlink *l, struct conn *c, short revents)
{
	if (c->st != C_OPEN && step_open(l, c) < 0)
		return false;
	if (c->st != C_OPEN)
		return true;
	read_stderr(l, c);
	if (pump_up(c, revents) < 0)
		return false;
	return pump_down(c) == 0;
}

/* The keepalive: a session channel opened and closed at once proves the
 * server answers. -1: it has not answered in time. */
static int
keepalive(struct sshlink *l, uint64_t now)
{
	int rc;

	if (l->probe == NULL) {
		if (now < l->next_probe)
			return 0;
		l->probe = ssh_channel_new(l->s);
		l->probe_sent = now;
		if (l->probe == NULL)
			return 0;
	}
	rc = ssh_channel_open_session(l->probe);
	if (rc == SSH_AGAIN)
		return now - l->probe_sent > l->keepalive_ms * 2 / 3 ? -1 : 0;
	/* Opened, or refused: either way the server answered. */
	if (rc == SSH_OK)
		ssh_channel_close(l->probe);
	ssh_channel_free(l->probe);
	l->probe = NULL;
	l->next_probe = now + l->keepalive_ms / 3;
	return 0;
}

/* Milliseconds poll may sleep. */
static int
poll_timeout(struct sshlink *l, uint64_t now)
{
	uint64_t until = now + 1000;

	if (l->probe)
		until = l->probe_sent + l->keepalive_ms * 2 / 3 + 1;
	else if (l->next_probe < until)
		until = l->next_probe;
	if (until <= now)
		return 0;
	return (int)(until - now < 1000 ? until - now : 1000);
}

/* Fill the poll set: wake pipe, listener, session, each connection. */
static size_t
fill_poll(struct sshlink *l, struct pollfd *pf)
{
	struct conn *c;
	size_t n = 3;

	pf[0] = (struct pollfd){ .fd = l->wake[0], .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = l->nconns < MAX_CONNS ? l->lfd : -1, .events = POLLIN };
	pf[2] = (struct pollfd){ .fd = ssh_get_fd(l->s), .events = POLLIN };
	if (ssh_get_poll_flags(l->s) & SSH_WRITE_PENDING)
		pf[2].events |= POLLOUT;
	for (c = l->conns; c; c = c->next, n++) {
		pf[n] = (struct pollfd){ .fd = c->fd };
		if (c->st == C_OPEN && c->up_off == c->up_len && !c->local_eof)
			pf[n].events |= POLLIN;
		if (c->down_off < c->down_len)
			pf[n].events |= POLLOUT;
	}
	return n;
}

/* Step every connection; pf[3...n) are the poll results of the ones
 * polled, in list order. Connections accepted since are at the head of
 * the list and were not polled: they step with no events. */
static void
step_all(struct sshlink *l, const struct pollfd *pf, size_t n)
{
	struct conn **pp = &l->conns, *c;
	size_t i = 3, fresh = l->nconns > n - 3 ? l->nconns - (n - 3) : 0;

	while ((c = *pp) != NULL) {
		short rev = 0;

		if (fresh > 0)
			fresh--;
		else if (i < n)
			rev = pf[i++].revents;
		if (step_conn(l, c, rev)) {
			pp = &c->next;
		} else {
			*pp = c->next;
			publish_stderr(l, c);
			conn_free(c);
			l->nconns--;
		}
	}
}

/* The pump thread: one poll loop over the session, the listener and the
 * connections, until sshlink_close or the link dies. */
static void *
pump(void *arg)
{
	struct sshlink *l = arg;
	struct pollfd pf[3 + MAX_CONNS];
	char drain[64];
	size_t n;
	uint64_t now;
	bool quit;

	l->next_probe = now_ms() + l->keepalive_ms / 3;
	for (;;) {
		bool fresh = adopt_forwards(l);

		n = fill_poll(l, pf);
		if (poll(pf, n, fresh ? 0 : poll_timeout(l, now_ms())) < 0 && errno != EINTR) {
			die(l, "The SSH link to %s failed: poll: %s.", l->label, strerror(errno));
			break;
		}
		if (pf[0].revents & POLLIN)
			while (read(l->wake[0], drain, sizeof drain) > 0)
				;
		pthread_mutex_lock(&l->lock);
		quit = l->quit;
		pthread_mutex_unlock(&l->lock);
		if (quit)
			break;
		if (ssh_event_dopoll(l->ev, 0) == SSH_ERROR || !ssh_is_connected(l->s)) {
			die(l, "The SSH connection to %s was lost: %s.", l->label, ssh_get_error(l->s));
			break;
		}
		if (pf[1].revents & POLLIN)
			accept_conn(l);
		step_all(l, pf, n);
		now = now_ms();
		if (keepalive(l, now) < 0) {
			die(l, "%s did not answer over SSH for %.1f s; the link is considered dead.",
			    l->label, (double)(now - l->probe_sent) / 1000.0);
			break;
		}
	}
	return NULL;
}

/* ---- public ---- */

/* Connect, check the host key and log in: 0, or -1 and *err. */
static int
login(struct sshlink *l, const struct sshlink_opts *o, char **err)
{
	char *kh = o->known_hosts ? xstrdup(o->known_hosts) : home_path(".ssh/known_hosts");
	int ret = -1;

	l->s = make_session(o, kh, err);
	if (l->s == NULL)
		goto cleanup;
	l->label = session_label(l->s);
	if (ssh_connect(l->s) != SSH_OK) {
		*err = xasprintf("Cannot open an SSH connection to %s: %s. Check the host name, the port and that sshd runs there.",
		                 l->label, ssh_get_error(l->s));
		goto cleanup;
	}
	if (check_host_key(l->s, o, kh, err) < 0 || authenticate(l, o, err) < 0)
		goto cleanup;
	ret = 0;
cleanup:
	free(kh);
	return ret;
}

/* Start the pump thread with every signal blocked but the fatal ones. */
static int
start_pump(struct sshlink *l, char **err)
{
	sigset_t old;
	int rc;

	threads_block_signals(&old);
	rc = pthread_create(&l->thread, NULL, pump, l);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		*err = xasprintf("Cannot start the SSH link thread for %s: %s.", l->label, strerror(rc));
		return -1;
	}
	l->started = true;
	return 0;
}

int
sshlink_open(const struct sshlink_opts *o, struct sshlink **out, char **err)
{
	struct sshlink *l = xcalloc(1, sizeof *l);
	const char *ruri = o->remote_uri ? o->remote_uri : DEFAULT_REMOTE_URI;

	*out = NULL;
	*err = NULL;
	l->lfd = l->wake[0] = l->wake[1] = -1;
	pthread_mutex_init(&l->lock, NULL);
	l->keepalive_ms = 1000ull * (o->keepalive_s ? o->keepalive_s : DEFAULT_KEEPALIVE_S);
	l->on_dead = o->on_dead;
	l->dead_opaque = o->dead_opaque;
	l->remote_socket = xstrdup(o->remote_socket ? o->remote_socket : DEFAULT_REMOTE_SOCKET);
	l->cmd = sshlink_remote_command(o->proxy, ruri, l->remote_socket);
	/* Check the URI before any network traffic. */
	l->uri = sshlink_local_uri(ruri, "/", err);
	if (l->uri == NULL || login(l, o, err) < 0)
		goto fail;
	free(l->uri);
	l->uri = NULL;
	ssh_set_blocking(l->s, 0);
	l->dir = make_dir(o, err);
	if (l->dir == NULL || make_listener(l, err) < 0)
		goto fail;
	l->uri = sshlink_local_uri(ruri, l->sock, err);
	l->ev = ssh_event_new();
	if (l->ev == NULL || ssh_event_add_session(l->ev, l->s) != SSH_OK ||
	    pipe2(l->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		*err = xasprintf("Cannot set up the SSH link to %s (out of resources).", l->label);
		goto fail;
	}
	if (start_pump(l, err) < 0)
		goto fail;
	*out = l;
	return 0;
fail:
	sshlink_close(l);
	return -1;
}

const char *
sshlink_uri(const struct sshlink *l)
{
	return l->uri;
}

const char *
sshlink_label(const struct sshlink *l)
{
	return l->label;
}

bool
sshlink_alive(struct sshlink *l)
{
	bool dead;

	pthread_mutex_lock(&l->lock);
	dead = l->dead;
	pthread_mutex_unlock(&l->lock);
	return !dead;
}

char *
sshlink_error(struct sshlink *l)
{
	char *e;

	pthread_mutex_lock(&l->lock);
	e = l->error ? xstrdup(l->error) : NULL;
	pthread_mutex_unlock(&l->lock);
	return e;
}

char *
sshlink_remote_stderr(struct sshlink *l)
{
	char *e;

	pthread_mutex_lock(&l->lock);
	e = l->remote_stderr ? xstrdup(l->remote_stderr) : NULL;
	pthread_mutex_unlock(&l->lock);
	return e;
}

int
sshlink_forward(struct sshlink *l, const char *host, unsigned port, const char *sock,
                char **err)
{
	struct conn *c;
	int sv[2];
	bool dead;

	pthread_mutex_lock(&l->lock);
	dead = l->dead || l->quit;
	pthread_mutex_unlock(&l->lock);
	if (dead) {
		*err = xasprintf("The SSH link to %s is down.", l->label);
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		*err = xasprintf("Cannot make a socket for the SSH forward: %s.", strerror(errno));
		return -1;
	}
	fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
	c = xcalloc(1, sizeof *c);
	c->fd = sv[0];
	c->fwd_sock = sock ? xstrdup(sock) : NULL;
	c->fwd_host = sock ? NULL : xstrdup(host ? host : "127.0.0.1");
	c->fwd_port = port;
	pthread_mutex_lock(&l->lock);
	c->next = l->pending;
	l->pending = c;
	pthread_mutex_unlock(&l->lock);
	{
		char b = 1;
		ssize_t r = write(l->wake[1], &b, 1);
		(void)r;
	}
	return sv[1];
}

void
sshlink_close(struct sshlink *l)
{
	if (l == NULL)
		return;
	if (l->started) {
		pthread_mutex_lock(&l->lock);
		l->quit = true;
		pthread_mutex_unlock(&l->lock);
		if (write(l->wake[1], "q", 1) < 0) {
			/* The pipe is non-blocking and the pump polls it; a full
			 * pipe already wakes it. */
		}
		pthread_join(l->thread, NULL);
	}
	close_all(l);
	if (l->ev) {
		if (l->s)
			ssh_event_remove_session(l->ev, l->s);
		ssh_event_free(l->ev);
	}
	if (l->s) {
		ssh_disconnect(l->s);
		ssh_free(l->s);
	}
	if (l->lfd >= 0)
		close(l->lfd);
	if (l->sock)
		unlink(l->sock);
	if (l->dir)
		rmdir(l->dir);
	if (l->wake[0] >= 0)
		close(l->wake[0]);
	if (l->wake[1] >= 0)
		close(l->wake[1]);
	pthread_mutex_destroy(&l->lock);
	free(l->uri);
	free(l->label);
	free(l->dir);
	free(l->sock);
	free(l->cmd);
	free(l->remote_socket);
	free(l->error);
	free(l->remote_stderr);
	free(l);
}
