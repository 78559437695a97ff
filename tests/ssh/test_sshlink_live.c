/* test_sshlink_live.c — model/host/sshlink.h against a throwaway OpenSSH server
 * (tests/ssh/sshd.sh) and the real libvirt daemon. The tests run in order
 * and share one temporary HOME: the first records the host key in a
 * temporary known_hosts, later ones rely on it; the sshd is killed, frozen
 * and re-keyed along the way.
 *
 * Needs (set by tests/ssh/run.sh): VMTUI_TEST_URI, VMTUI_SSHD (sshd.sh),
 * VMTUI_HOSTKEY_FP (the host key's SHA256 fingerprint from ssh-keygen -l),
 * VMTUI_AGENT_SOCK (an ssh-agent holding SSHD_KEY), and the SSHD_* variables
 * of `sshd.sh env`. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "model/host/eventloop.h"
#include "model/host/sshlink.h"

static const char *uri, *sshd_sh, *host_fp, *agent_sock;
static const char *port, *pwport, *kiport, *user, *password, *key, *key_pp, *passphrase;
static char tmp[64], known_hosts[128], ssh_config[128], agent_env[256];

/* Canned answers, and what was asked. */
struct canned {
	const char *answer[4];   /* per sshlink_q; NULL: cancel */
	int asked[4];
	bool echo[4];
	char last[4][1024];
};

static int
ask(void *opaque, enum sshlink_q kind, const char *question, bool echo, char *answer, size_t n)
{
	struct canned *c = opaque;

	c->asked[kind]++;
	c->echo[kind] = echo;
	snprintf(c->last[kind], sizeof c->last[kind], "%s", question);
	if (c->answer[kind] == NULL)
		return -1;
	snprintf(answer, n, "%s", c->answer[kind]);
	return 0;
}

static atomic_bool dead_flag;
static _Atomic uint64_t dead_at;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
on_dead(void *opaque)
{
	(void)opaque;
	dead_at = (uint64_t)(now_s() * 1000);
	atomic_store(&dead_flag, true);
}

static void
quiet(void *d, virErrorPtr e)
{
	(void)d;
	(void)e;
}

static void
sshd(const char *what)
{
	char cmd[512];

	snprintf(cmd, sizeof cmd, "'%s' %s >&2", sshd_sh, what);
	assert_int_equal(system(cmd), 0);
}

/* Options for root with the throwaway key on the all-methods port. */
static struct sshlink_opts
root_opts(struct canned *c)
{
	static char target[64];

	snprintf(target, sizeof target, "root@127.0.0.1:%s", port);
	/* So a test run alone (VMTUI_TEST_FILTER) can record the key. */
	if (c->answer[SSHLINK_Q_HOSTKEY] == NULL)
		c->answer[SSHLINK_Q_HOSTKEY] = "yes";
	return (struct sshlink_opts){
		.target = target, .key_file = key, .remote_uri = uri,
		.known_hosts = known_hosts, .ssh_config = "", .runtime_dir = tmp,
		.timeout_s = 5, .keepalive_s = 3, .ask = ask, .ask_opaque = c,
	};
}

static struct sshlink *
open_ok(const struct sshlink_opts *o, double *secs)
{
	struct sshlink *l = NULL;
	char *err = NULL;
	double t0 = now_s();
	int rc = sshlink_open(o, &l, &err);

	if (secs)
		*secs = now_s() - t0;
	if (rc != 0)
		fail_msg("sshlink_open(%s): %s", o->target, err ? err : "(no error)");
	assert_non_null(l);
	assert_null(err);
	return l;
}

/* Open must fail; returns the error (caller frees) and how long it took. */
static char *
open_fails(const struct sshlink_opts *o, double *secs)
{
	struct sshlink *l = (struct sshlink *)1;
	char *err = NULL;
	double t0 = now_s();
	int rc = sshlink_open(o, &l, &err);

	if (secs)
		*secs = now_s() - t0;
	assert_int_equal(rc, -1);
	assert_null(l);
	assert_non_null(err);
	fprintf(stderr, "# refused as expected: %s\n", err);
	return err;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The domain names through conn, sorted, one per line. */
static char *
names_via(virConnectPtr conn)
{
	virDomainPtr *doms = NULL;
	int n = virConnectListAllDomains(conn, &doms, 0), i;
	char **names, *out;
	size_t len = 1;

	assert_true(n >= 0);
	names = calloc((size_t)n + 1, sizeof *names);
	for (i = 0; i < n; i++) {
		names[i] = strdup(virDomainGetName(doms[i]));
		len += strlen(names[i]) + 1;
		virDomainFree(doms[i]);
	}
	free(doms);
	qsort(names, (size_t)n, sizeof *names, cmp_str);
	out = calloc(1, len + 1);
	for (i = 0; i < n; i++) {
		strcat(out, names[i]);
		strcat(out, "\n");
		free(names[i]);
	}
	free(names);
	return out;
}

/* The same from virsh on the daemon's own URI. */
static char *
names_via_virsh(void)
{
	char cmd[512], line[512], **names = NULL, *out;
	size_t n = 0, i, len = 1;
	FILE *p;

	snprintf(cmd, sizeof cmd, "virsh -q -c '%s' list --all --name", uri);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof line, p)) {
		line[strcspn(line, "\n")] = '\0';
		if (*line == '\0')
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		names[n++] = strdup(line);
		len += strlen(line) + 1;
	}
	assert_int_equal(pclose(p), 0);
	if (n > 1) /* qsort(NULL, 0) is undefined */
		qsort(names, n, sizeof *names, cmp_str);
	out = calloc(1, len + 1);
	for (i = 0; i < n; i++) {
		strcat(out, names[i]);
		strcat(out, "\n");
		free(names[i]);
	}
	free(names);
	return out;
}

/* A large reply (domain capabilities XML) arrives whole, the same as
 * without the link; then the round-trip time of a small call. */
static void
big_reply_and_latency(virConnectPtr c)
{
	virConnectPtr direct = virConnectOpen(uri);
	char *a, *b;
	unsigned long v;
	double t0;
	int i;

	assert_non_null(direct);
	a = virConnectGetCapabilities(c);
	b = virConnectGetCapabilities(direct);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	free(a);
	free(b);
	a = virConnectGetDomainCapabilities(c, NULL, NULL, NULL, NULL, 0);
	b = virConnectGetDomainCapabilities(direct, NULL, NULL, NULL, NULL, 0);
	if (a && b)
		assert_int_equal(strlen(a), strlen(b));
	free(a);
	free(b);
	virConnectClose(direct);
	t0 = now_s();
	for (i = 0; i < 200; i++)
		assert_int_equal(virConnectGetLibVersion(c, &v), 0);
	fprintf(stderr, "# round trip through the link: %.2f ms per call\n", (now_s() - t0) * 1000 / 200);
}

/* libvirt through the link: list, bulk stats, a second connection. */
static void
use_libvirt(struct sshlink *l)
{
	virConnectPtr c1, c2;
	virDomainStatsRecordPtr *recs = NULL;
	char *want, *got, *h;
	int n;

	c1 = virConnectOpen(sshlink_uri(l));
	if (c1 == NULL)
		fail_msg("virConnectOpen(%s): %s", sshlink_uri(l), virGetLastErrorMessage());
	want = names_via_virsh();
	got = names_via(c1);
	assert_string_equal(got, want);
	free(want);
	free(got);
	n = virConnectGetAllDomainStats(c1, 0, &recs, 0);
	if (n < 0)
		fail_msg("virConnectGetAllDomainStats through %s: %s", sshlink_uri(l),
		         virGetLastErrorMessage());
	virDomainStatsRecordListFree(recs);
	big_reply_and_latency(c1);

	/* A second connection on the same link, while the first is open. */
	c2 = virConnectOpen(sshlink_uri(l));
	assert_non_null(c2);
	h = virConnectGetHostname(c2);
	assert_non_null(h);
	free(h);
	assert_int_equal(virConnectIsAlive(c1), 1);
	assert_int_equal(virConnectClose(c2), 0);
	got = names_via(c1);
	free(got);
	assert_int_equal(virConnectClose(c1), 0);
}

/* How many lines of known_hosts name host. */
static int
known_lines(const char *needle)
{
	FILE *f = fopen(known_hosts, "r");
	char line[4096];
	int n = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f))
		if (strstr(line, needle))
			n++;
	fclose(f);
	return n;
}

/* First contact through an ssh config alias: the unknown key is asked
 * about (with OpenSSH's fingerprint) and recorded; libvirt works. */
static void
test_first_contact_alias(void **state)
{
	struct canned c = { .answer = { [SSHLINK_Q_HOSTKEY] = "yes" } };
	struct sshlink_opts o = {
		.target = "vmtuitest", .remote_uri = uri, .known_hosts = known_hosts,
		.ssh_config = ssh_config, .runtime_dir = tmp, .timeout_s = 5,
		.ask = ask, .ask_opaque = &c,
	};
	struct stat st;
	char needle[64], *dir;
	struct sshlink *l;
	double secs;

	(void)state;
	l = open_ok(&o, &secs);
	fprintf(stderr, "# first connect (host key asked, answered at once): %.0f ms\n", secs * 1000);
	assert_int_equal(c.asked[SSHLINK_Q_HOSTKEY], 1);
	assert_non_null(strstr(c.last[SSHLINK_Q_HOSTKEY], host_fp));
	assert_non_null(strstr(c.last[SSHLINK_Q_HOSTKEY], "ED25519"));
	assert_int_equal(c.asked[SSHLINK_Q_PASSWORD] + c.asked[SSHLINK_Q_KBDINT] +
	                 c.asked[SSHLINK_Q_PASSPHRASE], 0);
	snprintf(needle, sizeof needle, "[127.0.0.1]:%s ", port);
	assert_int_equal(known_lines(needle), 1);
	assert_string_equal(sshlink_label(l), strstr(sshlink_label(l), "root@127.0.0.1:"));
	assert_non_null(strstr(sshlink_uri(l), "qemu+unix:///system?socket="));

	/* The socket: 0600 in a 0700 directory of our own. */
	assert_non_null(strstr(sshlink_uri(l), tmp));
	dir = strdup(strstr(sshlink_uri(l), "socket=") + 7);
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	*strrchr(dir, '/') = '\0';
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	use_libvirt(l);
	assert_true(sshlink_alive(l));
	assert_null(sshlink_error(l));
	sshlink_close(l);
	assert_int_equal(stat(dir, &st), -1); /* removed */
	free(dir);
}

/* With the key recorded nothing is asked; target given as user@host:port. */
static void
test_known_key_no_question(void **state)
{
	struct canned c = { 0 };
	struct sshlink_opts o = root_opts(&c);
	struct sshlink *l;
	double secs;
	int i;

	(void)state;
	/* Recorded by the first test (or here, when run alone). */
	sshlink_close(open_ok(&o, NULL));
	memset(c.asked, 0, sizeof c.asked);
	for (i = 0; i < 3; i++) {
		l = open_ok(&o, &secs);
		fprintf(stderr, "# connect with a known host key: %.0f ms\n", secs * 1000);
		sshlink_close(l);
	}
	assert_int_equal(c.asked[SSHLINK_Q_HOSTKEY], 0);
	l = open_ok(&o, NULL);
	use_libvirt(l);
	sshlink_close(l);
}

/* An unknown key with no one to ask, or a "no": refused, nothing recorded. */
static void
test_unknown_key_declined(void **state)
{
	struct canned c = { .answer = { [SSHLINK_Q_HOSTKEY] = "no" } };
	struct sshlink_opts o = root_opts(&c);
	char other[160], *err;

	(void)state;
	snprintf(other, sizeof other, "%s/other_known_hosts", tmp);
	o.known_hosts = other;
	err = open_fails(&o, NULL);
	assert_non_null(strstr(err, "not accepted"));
	free(err);
	assert_int_equal(c.asked[SSHLINK_Q_HOSTKEY], 1);
	assert_int_equal(access(other, F_OK), -1);

	o.ask = NULL;
	err = open_fails(&o, NULL);
	assert_non_null(strstr(err, "no way to ask"));
	assert_non_null(strstr(err, host_fp));
	free(err);
}

/* An encrypted key: the passphrase is asked for; a wrong one fails. */
static void
test_key_passphrase(void **state)
{
	struct canned c = { .answer = { [SSHLINK_Q_PASSPHRASE] = passphrase } };
	struct sshlink_opts o = root_opts(&c);
	struct sshlink *l;
	char *err;

	(void)state;
	o.key_file = key_pp;
	l = open_ok(&o, NULL);
	assert_int_equal(c.asked[SSHLINK_Q_PASSPHRASE], 1);
	assert_false(c.echo[SSHLINK_Q_PASSPHRASE]);
	assert_non_null(strstr(c.last[SSHLINK_Q_PASSPHRASE], key_pp));
	sshlink_close(l);

	memset(&c, 0, sizeof c);
	c.answer[SSHLINK_Q_PASSPHRASE] = "not-the-passphrase";
	err = open_fails(&o, NULL);
	assert_true(c.asked[SSHLINK_Q_PASSPHRASE] >= 1);
	/* Then the server's other methods were offered and cancelled; the
	 * message names the key whose passphrase failed. */
	assert_non_null(strstr(err, "127.0.0.1"));
	assert_non_null(strstr(err, key_pp));
	assert_null(strstr(err, "not-the-passphrase"));
	free(err);
}

/* No key given and no agent: the key in $HOME/.ssh (HOME is not the
 * password database's home here) is offered, and no password asked. */
static void
test_home_identity(void **state)
{
	struct canned c = { 0 };
	struct sshlink_opts o = root_opts(&c);
	char dir[128], id[160], cmd[512];

	(void)state;
	snprintf(dir, sizeof dir, "%s/.ssh", tmp);
	snprintf(id, sizeof id, "%s/id_ed25519", dir);
	snprintf(cmd, sizeof cmd, "mkdir -p '%s' && install -m 0600 '%s' '%s'", dir, key, id);
	assert_int_equal(system(cmd), 0);
	o.key_file = NULL;
	sshlink_close(open_ok(&o, NULL));
	assert_int_equal(c.asked[SSHLINK_Q_PASSWORD], 0);
	assert_int_equal(c.asked[SSHLINK_Q_PASSPHRASE], 0);
	assert_int_equal(unlink(id), 0);
}

/* Password login (password-only port): right, then wrong three times. */
static void
test_password(void **state)
{
	struct canned c = { .answer = { [SSHLINK_Q_PASSWORD] = password } };
	struct sshlink_opts o = root_opts(&c);
	char target[64], *err;
	struct sshlink *l;

	(void)state;
	snprintf(target, sizeof target, "%s@127.0.0.1:%s", user, pwport);
	o.target = target;
	o.key_file = NULL;
	o.ask = ask;
	/* This port has its own known_hosts line: accept it. */
	c.answer[SSHLINK_Q_HOSTKEY] = "yes";
	l = open_ok(&o, NULL);
	assert_int_equal(c.asked[SSHLINK_Q_PASSWORD], 1);
	assert_false(c.echo[SSHLINK_Q_PASSWORD]);
	assert_non_null(strstr(c.last[SSHLINK_Q_PASSWORD], "password"));
	assert_true(sshlink_alive(l));
	sshlink_close(l);

	memset(&c, 0, sizeof c);
	c.answer[SSHLINK_Q_PASSWORD] = "wrong-password";
	err = open_fails(&o, NULL);
	assert_int_equal(c.asked[SSHLINK_Q_HOSTKEY], 0);
	assert_int_equal(c.asked[SSHLINK_Q_PASSWORD], 3);
	assert_non_null(strstr(c.last[SSHLINK_Q_PASSWORD], "try again"));
	assert_non_null(strstr(err, "password"));
	assert_non_null(strstr(err, "wrong"));
	/* The secret is nowhere in the message. */
	assert_null(strstr(err, "wrong-password"));
	free(err);

	/* Cancelling at the prompt stops at once. */
	memset(&c, 0, sizeof c);
	err = open_fails(&o, NULL);
	assert_int_equal(c.asked[SSHLINK_Q_PASSWORD], 1);
	assert_non_null(strstr(err, "cancelled"));
	free(err);
}

/* Keyboard-interactive through PAM (when the sshd has it). */
static void
test_kbdint(void **state)
{
	struct canned c = { .answer = { [SSHLINK_Q_KBDINT] = password,
	                                [SSHLINK_Q_HOSTKEY] = "yes" } };
	struct sshlink_opts o = root_opts(&c);
	char target[64], *err;
	struct sshlink *l;

	(void)state;
	if (kiport == NULL || *kiport == '\0')
		skip();
	snprintf(target, sizeof target, "%s@127.0.0.1:%s", user, kiport);
	o.target = target;
	o.key_file = NULL;
	l = open_ok(&o, NULL);
	assert_true(c.asked[SSHLINK_Q_KBDINT] >= 1);
	assert_false(c.echo[SSHLINK_Q_KBDINT]);
	assert_non_null(strstr(c.last[SSHLINK_Q_KBDINT], "assword"));
	sshlink_close(l);

	memset(&c, 0, sizeof c);
	c.answer[SSHLINK_Q_KBDINT] = "wrong-password";
	err = open_fails(&o, NULL);
	assert_true(c.asked[SSHLINK_Q_KBDINT] >= 1);
	assert_null(strstr(err, "wrong-password"));
	free(err);
}

/* ssh-agent: no key file anywhere, the agent holds the key. */
static void
test_agent(void **state)
{
	struct canned c = { 0 };
	struct sshlink_opts o = root_opts(&c);
	struct sshlink *l;
	char *err;

	(void)state;
	o.key_file = NULL;
	/* Without the agent nothing works (proves the key comes from it). */
	unsetenv("SSH_AUTH_SOCK");
	err = open_fails(&o, NULL);
	free(err);
	setenv("SSH_AUTH_SOCK", agent_sock, 1);
	memset(&c, 0, sizeof c);
	l = open_ok(&o, NULL);
	assert_int_equal(c.asked[SSHLINK_Q_PASSWORD] + c.asked[SSHLINK_Q_KBDINT] +
	                 c.asked[SSHLINK_Q_PASSPHRASE] + c.asked[SSHLINK_Q_HOSTKEY], 0);
	use_libvirt(l);
	sshlink_close(l);
	unsetenv("SSH_AUTH_SOCK");
}

/* Each way of reaching the daemon: helper, nc, direct stream-local. */
static void
test_proxies(void **state)
{
	static const enum sshlink_proxy px[] = {
		SSHLINK_PROXY_HELPER, SSHLINK_PROXY_NC, SSHLINK_PROXY_STREAMLOCAL,
	};
	struct canned c = { 0 };
	struct sshlink_opts o = root_opts(&c);
	struct sshlink *l;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof px / sizeof px[0]; i++) {
		o.proxy = px[i];
		l = open_ok(&o, NULL);
		use_libvirt(l);
		sshlink_close(l);
	}
}

/* A missing remote helper leaves its complaint where the owner can read it. */
static void
test_remote_stderr(void **state)
{
	struct canned c = { 0 };
	struct sshlink_opts o = root_opts(&c);
	struct sshlink *l;
	virConnectPtr conn;
	char *e = NULL;
	int i;

	(void)state;
	o.proxy = SSHLINK_PROXY_NC;
	o.remote_socket = "/nonexistent/libvirt-sock";
	l = open_ok(&o, NULL);
	conn = virConnectOpen(sshlink_uri(l));
	assert_null(conn);
	for (i = 0; i < 20 && e == NULL; i++) {
		usleep(100000);
		e = sshlink_remote_stderr(l);
	}
	assert_non_null(e);
	fprintf(stderr, "# remote stderr: %s\n", e);
	free(e);
	assert_true(sshlink_alive(l));
	sshlink_close(l);
}

/* Wait for the link to be declared dead; seconds it took, or -1. */
static double
wait_dead(struct sshlink *l, double t0, double limit)
{
	while (now_s() - t0 < limit) {
		if (!sshlink_alive(l))
			return now_s() - t0;
		usleep(20000);
	}
	return -1;
}

/* A libvirt call on a dead link must fail quickly, not hang. */
static void
call_fails_fast(virConnectPtr conn)
{
	virDomainPtr *doms = NULL;
	double t0 = now_s();
	int n = virConnectListAllDomains(conn, &doms, 0);

	assert_int_equal(n, -1);
	fprintf(stderr, "# libvirt call on the dead link failed in %.0f ms: %s\n",
	        (now_s() - t0) * 1000, virGetLastErrorMessage());
	assert_true(now_s() - t0 < 2.0);
}

/* sshd killed under a live libvirt connection. */
static void
test_sshd_killed(void **state)
{
	struct canned c = { 0 };
	struct sshlink_opts o = root_opts(&c);
	struct sshlink *l;
	virConnectPtr conn;
	char *err;
	double t0, took;

	(void)state;
	o.on_dead = on_dead;
	atomic_store(&dead_flag, false);
	l = open_ok(&o, NULL);
	conn = virConnectOpen(sshlink_uri(l));
	assert_non_null(conn);
	t0 = now_s();
	sshd("kill");
	took = wait_dead(l, t0, o.keepalive_s + 1.0);
	fprintf(stderr, "# sshd killed: link dead after %.0f ms\n", took * 1000);
	assert_true(took >= 0);
	assert_true(atomic_load(&dead_flag));
	err = sshlink_error(l);
	assert_non_null(err);
	fprintf(stderr, "# %s\n", err);
	free(err);
	call_fails_fast(conn);
	virConnectClose(conn);
	/* A new libvirt connection fails at once too. */
	t0 = now_s();
	assert_null(virConnectOpen(sshlink_uri(l)));
	assert_true(now_s() - t0 < 2.0);
	sshlink_close(l);
	sshd("start");
}

/* sshd frozen (no FIN, no answers): the keepalive notices. */
static void
test_sshd_frozen(void **state)
{
	struct canned c = { 0 };
	struct sshlink_opts o = root_opts(&c);
	struct sshlink *l;
	virConnectPtr conn;
	double t0, took;

	(void)state;
	l = open_ok(&o, NULL);
	conn = virConnectOpen(sshlink_uri(l));
	assert_non_null(conn);
	t0 = now_s();
	sshd("freeze");
	took = wait_dead(l, t0, o.keepalive_s + 2.0);
	fprintf(stderr, "# sshd frozen: link dead after %.0f ms (keepalive %u s)\n",
	        took * 1000, o.keepalive_s);
	assert_true(took >= 0);
	assert_true(took <= o.keepalive_s + 0.5);
	call_fails_fast(conn);
	virConnectClose(conn);
	t0 = now_s();
	sshlink_close(l);
	assert_true(now_s() - t0 < 2.0); /* closing never waits on the server */
	sshd("thaw");
}

/* A listener that accepts and never says a word: a timely error. */
static void
test_silent_server(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof sa;
	struct canned c = { 0 };
	struct sshlink_opts o = root_opts(&c);
	char target[64], *err;
	double secs;
	int fd;

	(void)state;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	snprintf(target, sizeof target, "root@127.0.0.1:%u", ntohs(sa.sin_port));
	o.target = target;
	o.timeout_s = 3;
	err = open_fails(&o, &secs);
	fprintf(stderr, "# silent server: error after %.1f s (timeout %u s)\n", secs, o.timeout_s);
	assert_true(secs < 5.0);
	assert_non_null(strstr(err, target + 5));
	free(err);
	close(fd);

	/* A closed port: at once. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_port = 0;
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	len = sizeof sa;
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	close(fd);
	snprintf(target, sizeof target, "root@127.0.0.1:%u", ntohs(sa.sin_port));
	err = open_fails(&o, &secs);
	assert_true(secs < 1.0);
	free(err);
}

/* The host key changed: refused with a warning; nothing is asked. */
static void
test_host_key_changed(void **state)
{
	struct canned c = { .answer = { "yes", "x", "x", "x" } };
	struct sshlink_opts o = root_opts(&c);
	char *err, line[32];

	(void)state;
	sshd("rekey");
	err = open_fails(&o, NULL);
	assert_int_equal(c.asked[0] + c.asked[1] + c.asked[2] + c.asked[3], 0);
	assert_non_null(strstr(err, "WARNING"));
	assert_non_null(strstr(err, "CHANGED"));
	assert_non_null(strstr(err, known_hosts));
	snprintf(line, sizeof line, "line 1");
	assert_non_null(strstr(err, line));
	assert_non_null(strstr(err, "ssh-keygen -R"));
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_contact_alias),
		cmocka_unit_test(test_known_key_no_question),
		cmocka_unit_test(test_unknown_key_declined),
		cmocka_unit_test(test_key_passphrase),
		cmocka_unit_test(test_home_identity),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_kbdint),
		cmocka_unit_test(test_agent),
		cmocka_unit_test(test_proxies),
		cmocka_unit_test(test_remote_stderr),
		cmocka_unit_test(test_sshd_killed),
		cmocka_unit_test(test_sshd_frozen),
		cmocka_unit_test(test_silent_server),
		cmocka_unit_test(test_host_key_changed),
	};
	FILE *f;
	int rc;

	uri = getenv("VMTUI_TEST_URI");
	sshd_sh = getenv("VMTUI_SSHD");
	host_fp = getenv("VMTUI_HOSTKEY_FP");
	agent_sock = getenv("VMTUI_AGENT_SOCK");
	port = getenv("SSHD_PORT");
	pwport = getenv("SSHD_PWPORT");
	kiport = getenv("SSHD_KIPORT");
	user = getenv("SSHD_USER");
	password = getenv("SSHD_PASSWORD");
	key = getenv("SSHD_KEY");
	key_pp = getenv("SSHD_KEY_PP");
	passphrase = getenv("SSHD_PASSPHRASE");
	if (!uri || !sshd_sh || !host_fp || !agent_sock || !port || !pwport || !user ||
	    !password || !key || !key_pp || !passphrase) {
		fprintf(stderr, "test_sshlink_live: run me through tests/ssh/run.sh\n");
		return 1;
	}
	/* A HOME of our own: ~/.ssh is never read or written. */
	snprintf(tmp, sizeof tmp, "/tmp/vmtui-sshtest-XXXXXX");
	if (mkdtemp(tmp) == NULL)
		return 1;
	setenv("HOME", tmp, 1);
	snprintf(agent_env, sizeof agent_env, "%s", agent_sock);
	unsetenv("SSH_AUTH_SOCK");
	snprintf(known_hosts, sizeof known_hosts, "%s/known_hosts", tmp);
	snprintf(ssh_config, sizeof ssh_config, "%s/ssh_config", tmp);
	f = fopen(ssh_config, "w");
	if (f == NULL)
		return 1;
	fprintf(f, "Host vmtuitest\n  HostName 127.0.0.1\n  Port %s\n  User root\n  IdentityFile %s\n",
	        port, key);
	fclose(f);

	/* As vmtui does (tui/screen.c): libvirt writes to a socket the dead
	 * link closed, and must get EPIPE, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	virSetErrorFunc(NULL, quiet);
	if (virInitialize() < 0 || eventloop_start() < 0)
		return 1;
	if (getenv("VMTUI_TEST_FILTER"))
		cmocka_set_test_filter(getenv("VMTUI_TEST_FILTER"));
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	eventloop_stop();
	if (getenv("KEEP_SSHTEST_HOME") == NULL) {
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			fprintf(stderr, "test_sshlink_live: could not remove %s\n", tmp);
	}
	return rc;
}
