/* test_sshlink.c — model/host/sshlink.h: the pure parts (target parsing,
 * fingerprints, the local URI, remote commands). The live parts are in
 * tests/ssh/. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/host/sshlink.h"

/* Parse s, expecting success with these parts. */
static void
parses(const char *s, const char *user, const char *host, unsigned port)
{
	struct sshlink_target t;
	char *err = NULL;

	assert_int_equal(sshlink_parse_target(s, &t, &err), 0);
	assert_null(err);
	if (user)
		assert_string_equal(t.user, user);
	else
		assert_null(t.user);
	assert_string_equal(t.host, host);
	assert_int_equal(t.port, port);
	sshlink_target_free(&t);
}

/* Parse s, expecting an error that mentions want. */
static void
refuses(const char *s, const char *want)
{
	struct sshlink_target t;
	char *err = NULL;

	assert_int_equal(sshlink_parse_target(s, &t, &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err, want));
	assert_null(t.user);
	assert_null(t.host);
	free(err);
}

static void
test_target_forms(void **state)
{
	(void)state;
	parses("host", NULL, "host", 0);
	parses("kvm1.example.org", NULL, "kvm1.example.org", 0);
	parses("root@host", "root", "host", 0);
	parses("host:2222", NULL, "host", 2222);
	parses("alice@10.0.0.5:22", "alice", "10.0.0.5", 22);
	parses("[::1]:2222", NULL, "::1", 2222);
	parses("bob@[fe80::1%eth0]:65535", "bob", "fe80::1%eth0", 65535);
	parses("[::1]", NULL, "::1", 0);
	/* A bare IPv6 address has no port. */
	parses("::1", NULL, "::1", 0);
	parses("2001:db8::7", NULL, "2001:db8::7", 0);
	/* The last '@' separates the user, as in ssh(1). */
	parses("a@b@host", "a@b", "host", 0);
	/* An ssh config alias is just a host. */
	parses("myalias", NULL, "myalias", 0);
}

static void
test_target_errors(void **state)
{
	(void)state;
	refuses("", "empty");
	refuses("@host", "empty user");
	refuses("root@", "no host");
	refuses(":22", "no host");
	refuses("host:", "bad port");
	refuses("host:0", "bad port");
	refuses("host:65536", "bad port");
	refuses("host:22x", "bad port");
	refuses("host:-1", "bad port");
	refuses("[::1", "unclosed");
	refuses("[::1]x", "unclosed");
	refuses("[::1]:", "bad port");
	refuses("[]:22", "no host");
}

static void
check_fp(const unsigned char *d, size_t n, const char *want)
{
	char *fp = sshlink_fingerprint(d, n);

	assert_string_equal(fp, want);
	free(fp);
}

static void
test_fingerprint(void **state)
{
	/* SHA-256 of the empty string; `printf '' | sha256sum`. */
	static const unsigned char empty[32] = {
		0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8,
		0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c,
		0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
	};
	static const unsigned char ff[32] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};

	(void)state;
	/* OpenSSH drops the '=' padding: 32 bytes give 43 characters. */
	check_fp(empty, 32, "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU");
	check_fp(ff, 32, "SHA256://////////////////////////////////////////8");
	check_fp((const unsigned char *)"f", 1, "SHA256:Zg");
	check_fp((const unsigned char *)"fo", 2, "SHA256:Zm8");
	check_fp((const unsigned char *)"foo", 3, "SHA256:Zm9v");
	check_fp((const unsigned char *)"", 0, "SHA256:");
}

static void
check_uri(const char *remote, const char *sock, const char *want)
{
	char *err = NULL, *u = sshlink_local_uri(remote, sock, &err);

	assert_null(err);
	assert_non_null(u);
	assert_string_equal(u, want);
	free(u);
}

static void
uri_refused(const char *remote, const char *want)
{
	char *err = NULL, *u = sshlink_local_uri(remote, "/s", &err);

	assert_null(u);
	assert_non_null(err);
	assert_non_null(strstr(err, want));
	free(err);
}

static void
test_local_uri(void **state)
{
	(void)state;
	check_uri("qemu:///system", "/run/user/0/vmtui/ssh-Ab12Cd/libvirt.sock",
	          "qemu+unix:///system?socket=/run/user/0/vmtui/ssh-Ab12Cd/libvirt.sock");
	check_uri("qemu:///session", "/tmp/x.sock", "qemu+unix:///session?socket=/tmp/x.sock");
	check_uri("lxc:///system", "/t/s", "lxc+unix:///system?socket=/t/s");
	/* The socket path is escaped: spaces, '&', '?', '=', '%', '+', '#'. */
	check_uri("qemu:///system", "/tmp/a b&c?d=e%f+g#h/s",
	          "qemu+unix:///system?socket=/tmp/a%20b%26c%3Fd%3De%25f%2Bg%23h/s");
	check_uri("qemu:///system", "/tmp/\xc3\xa9", "qemu+unix:///system?socket=/tmp/%C3%A9");
	/* The remote URI's own parameters are kept. */
	check_uri("qemu:///system?mode=legacy", "/s", "qemu+unix:///system?socket=/s&mode=legacy");

	uri_refused("qemu+ssh://host/system", "transport");
	uri_refused("qemu+unix:///system", "transport");
	uri_refused("qemu://host/system", "names a host");
	uri_refused("qemu://", "names a host");
	uri_refused("system", "not of the form");
	uri_refused("://x", "not of the form");
	uri_refused("QEMU:///system", "bad driver");
}

static void
test_shell_quote(void **state)
{
	char *q;

	(void)state;
	q = sshlink_shell_quote("qemu:///system");
	assert_string_equal(q, "'qemu:///system'");
	free(q);
	q = sshlink_shell_quote("it's");
	assert_string_equal(q, "'it'\\''s'");
	free(q);
	q = sshlink_shell_quote("");
	assert_string_equal(q, "''");
	free(q);
	q = sshlink_shell_quote("$(rm -rf /) `x` \"y\"");
	assert_string_equal(q, "'$(rm -rf /) `x` \"y\"'");
	free(q);
}

static void
test_remote_command(void **state)
{
	char *c;

	(void)state;
	c = sshlink_remote_command(SSHLINK_PROXY_HELPER, "qemu:///system", "/var/run/libvirt/libvirt-sock");
	assert_string_equal(c, "virt-ssh-helper 'qemu:///system'");
	free(c);
	c = sshlink_remote_command(SSHLINK_PROXY_NC, "qemu:///system", "/run/lib virt/sock");
	assert_string_equal(c, "nc -U '/run/lib virt/sock'");
	free(c);
	c = sshlink_remote_command(SSHLINK_PROXY_AUTO, "qemu:///system?x='y'", "/s");
	assert_string_equal(c,
		"sh -c 'if command -v virt-ssh-helper >/dev/null 2>&1; "
		"then exec virt-ssh-helper \"$0\"; else exec nc -U \"$1\"; fi' "
		"'qemu:///system?x='\\''y'\\''' '/s'");
	free(c);
	assert_null(sshlink_remote_command(SSHLINK_PROXY_STREAMLOCAL, "qemu:///system", "/s"));
}

/* Options that fail before any network traffic. */
static void
test_open_bad_options(void **state)
{
	struct sshlink_opts o = { .target = "root@", .ssh_config = "" };
	struct sshlink *l = (struct sshlink *)1;
	char *err = NULL;

	(void)state;
	assert_int_equal(sshlink_open(&o, &l, &err), -1);
	assert_null(l);
	assert_non_null(strstr(err, "no host"));
	free(err);

	o.target = "127.0.0.1:1";
	o.remote_uri = "qemu+ssh://elsewhere/system";
	err = NULL;
	assert_int_equal(sshlink_open(&o, &l, &err), -1);
	assert_non_null(strstr(err, "transport"));
	free(err);
	sshlink_close(NULL);
}

/* A ProxyCommand/ProxyJump would run ssh, whose prompts reach the tty. */
static void
test_open_refuses_proxy_command(void **state)
{
	char dir[] = "/tmp/vmtui-test-sshlink-XXXXXX", path[64];
	struct sshlink_opts o = { .target = "jumpy", .ssh_config = path };
	struct sshlink *l = NULL;
	char *err = NULL;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/config", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("Host jumpy\n  HostName 192.0.2.1\n  ProxyJump bastion\n", f);
	fclose(f);
	assert_int_equal(sshlink_open(&o, &l, &err), -1);
	assert_null(l);
	assert_non_null(strstr(err, "ProxyCommand or ProxyJump"));
	assert_non_null(strstr(err, "jumpy"));
	free(err);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_target_forms),
		cmocka_unit_test(test_target_errors),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_local_uri),
		cmocka_unit_test(test_shell_quote),
		cmocka_unit_test(test_remote_command),
		cmocka_unit_test(test_open_bad_options),
		cmocka_unit_test(test_open_refuses_proxy_command),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
