/* cli_agent.c — `vmtui info VM [--json]` (what the detail view knows of a
 * guest, its agent's facts included), `vmtui ssh VM [-- COMMAND]` (the
 * user's ssh to the guest's address, through vmtui's SSH link to a remote
 * host), `vmtui ssh-proxy SOCKET` (ssh's ProxyCommand for that) and
 * `vmtui password VM USER` (a guest user's password, set by its agent).
 * Their rows are in subcmd.c. */
#include "subcmd.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/libvirt.h>

#include "../model/base/json.h"
#include "../model/base/xmalloc.h"
#include "../model/guest/agent.h"
#include "../model/host/lvutil.h"
#include "../model/host/sshlink.h"
#include "sshrun.h"

struct aopts {
	struct subcmd_target t;
	bool json, direct, crypted, stdin_pw;
	const char *user;
	char **args;
	int nargs;
	char **cmd; /* after "--" (ssh) */
	int ncmd;
};

enum { O_KNOWN = 256, O_JSON, O_DIRECT, O_CRYPTED, O_STDIN };

/* Options; -1 to fail, 1 for --help. */
static int
aparse(const struct subcmd *cmd, int argc, char **argv, struct aopts *o)
{
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "host", required_argument, NULL, 'H' },
		{ "known-hosts", required_argument, NULL, O_KNOWN },
		{ "json", no_argument, NULL, O_JSON },
		{ "user", required_argument, NULL, 'l' },
		{ "direct", no_argument, NULL, O_DIRECT },
		{ "crypted", no_argument, NULL, O_CRYPTED },
		{ "password-stdin", no_argument, NULL, O_STDIN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool is_info = strcmp(cmd->name, "info") == 0, is_ssh = strcmp(cmd->name, "ssh") == 0;
	int ch, i, want = is_info || is_ssh ? 1 : 2;

	/* ssh: everything after "--" is the remote command. */
	for (i = 1; is_ssh && i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			o->cmd = argv + i + 1;
			o->ncmd = argc - i - 1;
			argc = i;
			break;
		}
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:H:l:h", longopts, NULL)) != -1) {
		bool fits = true;
		switch (ch) {
		case 'c': o->t.uri = optarg; break;
		case 'H': o->t.ssh = optarg; break;
		case O_KNOWN: o->t.known_hosts = optarg; break;
		case O_JSON: o->json = true; fits = is_info; break;
		case 'l': o->user = optarg; fits = is_ssh; break;
		case O_DIRECT: o->direct = true; fits = is_ssh; break;
		case O_CRYPTED: o->crypted = true; fits = !is_info && !is_ssh; break;
		case O_STDIN: o->stdin_pw = true; fits = !is_info && !is_ssh; break;
		case 'h':
			subcmd_help(cmd, stdout);
			return 1;
		default:
			subcmd_bad_option(cmd, ch, argv, longopts);
			return -1;
		}
		if (!fits) {
			subcmd_not_here(cmd, ch, argv, longopts);
			return -1;
		}
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
	if (o->nargs != want) {
		fprintf(stderr, "vmtui %s: expected %s\n", cmd->name,
		        want == 2 ? "the VM and the user's name" :
		        o->nargs == 0 ? "a VM name" : is_ssh ? "one VM name (the command after --)" :
		        "one VM name");
		subcmd_hint(cmd);
		return -1;
	}
	return 0;
}

/* ---- info ---- */

static const char *
state_name(virDomainPtr d)
{
	int st = VIR_DOMAIN_NOSTATE, reason;

	if (virDomainGetState(d, &st, &reason, 0) < 0 || st < 0 || st >= VM_STATE_COUNT)
		st = VIR_DOMAIN_NOSTATE;
	return vm_state_name((enum vm_state)st);
}

static void
info_text(virDomainPtr d, const virDomainInfo *di, const struct agent_result *r,
          const char *addr, const char *src)
{
	const struct agent_facts *f = r->facts;
	char uuid[VIR_UUID_STRING_BUFLEN] = "";
	size_t i, j;

	virDomainGetUUIDString(d, uuid);
	printf("Name:        %s\nUUID:        %s\nState:       %s\n", virDomainGetName(d), uuid,
	       state_name(d));
	printf("vCPUs:       %u\nMemory:      %lu KiB of %lu KiB\n", di->nrVirtCpu, di->memory,
	       di->maxMem);
	printf("Address:     %s%s%s%s\n", addr ? addr : "-", src ? " (from the " : "",
	       src ? agent_source_text(src) : "", src ? ")" : "");
	printf("Agent:       %s%s%s\n", agent_status_text(r->status), r->error ? ": " : "",
	       r->error ? r->error : "");
	if (f == NULL)
		return;
	printf("OS:          %s\n", f->os_pretty ? f->os_pretty : (f->os_name ? f->os_name : "-"));
	printf("OS id:       %s %s\n", f->os_id ? f->os_id : "-",
	       f->os_version_id ? f->os_version_id : "");
	printf("Kernel:      %s %s\n", f->kernel_release ? f->kernel_release : "-",
	       f->kernel_version ? f->kernel_version : "");
	printf("Hostname:    %s\n", f->hostname ? f->hostname : "-");
	printf("Time zone:   %s (offset %+d s)\n", f->tz_name ? f->tz_name : "-", f->tz_offset);
	printf("Users:      ");
	for (i = 0; i < f->nusers; i++)
		printf(" %s", f->users[i].name ? f->users[i].name : "?");
	printf("%s\n", f->nusers ? "" : " (none logged in)");
	printf("Interfaces:\n");
	for (i = 0; i < f->nifaces; i++) {
		printf("  %-10s %-17s", f->ifaces[i].name, f->ifaces[i].hwaddr ? f->ifaces[i].hwaddr : "-");
		for (j = 0; j < f->ifaces[i].naddrs; j++)
			printf(" %s/%u", f->ifaces[i].addrs[j].addr, f->ifaces[i].addrs[j].prefix);
		printf("\n");
	}
	printf("Filesystems:\n");
	for (i = 0; i < f->nfs; i++) {
		const struct agent_fs *fs = &f->fs[i];
		if (fs->have_size)
			printf("  %-20s %-8s %-12s %llu of %llu bytes used (%.0f%%)\n",
			       fs->mountpoint ? fs->mountpoint : "?", fs->type ? fs->type : "-",
			       fs->name ? fs->name : "-", (unsigned long long)fs->used,
			       (unsigned long long)fs->total, agent_fs_pct(fs));
		else
			printf("  %-20s %-8s %-12s size not known\n", fs->mountpoint ? fs->mountpoint : "?",
			       fs->type ? fs->type : "-", fs->name ? fs->name : "-");
	}
}

/* "key": value pairs of strings; the first without a comma before. */
static void
jstr(const char *key, const char *v, bool first)
{
	printf("%s\"%s\":", first ? "" : ",", key);
	json_put_string(stdout, v);
}

static void
info_json(virDomainPtr d, const virDomainInfo *di, const struct agent_result *r,
          const char *addr, const char *src)
{
	static const char *const status_keys[] = {
		[AGENT_UNKNOWN] = "unknown", [AGENT_NOT_RUNNING] = "not-running",
		[AGENT_NO_CHANNEL] = "no-channel", [AGENT_NOT_CONNECTED] = "not-connected",
		[AGENT_NO_ANSWER] = "no-answer", [AGENT_OK] = "ok",
	};
	const struct agent_facts *f = r->facts;
	char uuid[VIR_UUID_STRING_BUFLEN] = "";
	size_t i, j;

	virDomainGetUUIDString(d, uuid);
	printf("{");
	jstr("name", virDomainGetName(d), true);
	jstr("uuid", uuid, false);
	jstr("state", state_name(d), false);
	printf(",\"vcpus\":%u,\"memory_kib\":%lu,\"max_memory_kib\":%lu", di->nrVirtCpu,
	       di->memory, di->maxMem);
	jstr("address", addr, false);
	jstr("address_source", src, false);
	printf(",\"agent\":{");
	jstr("status", status_keys[r->status], true);
	jstr("error", r->error, false);
	if (f) {
		jstr("os_id", f->os_id, false);
		jstr("os_name", f->os_name, false);
		jstr("os_pretty_name", f->os_pretty, false);
		jstr("os_version", f->os_version, false);
		jstr("os_version_id", f->os_version_id, false);
		jstr("kernel_release", f->kernel_release, false);
		jstr("kernel_version", f->kernel_version, false);
		jstr("machine", f->machine, false);
		jstr("hostname", f->hostname, false);
		jstr("timezone", f->tz_name, false);
		printf(",\"timezone_offset\":%d,\"users\":[", f->tz_offset);
		for (i = 0; i < f->nusers; i++) {
			printf("%s{", i ? "," : "");
			jstr("name", f->users[i].name, true);
			jstr("domain", f->users[i].domain, false);
			printf(",\"login_time\":");
			json_put_number(stdout, f->users[i].login_s, 3);
			printf("}");
		}
		printf("],\"interfaces\":[");
		for (i = 0; i < f->nifaces; i++) {
			printf("%s{", i ? "," : "");
			jstr("name", f->ifaces[i].name, true);
			jstr("hwaddr", f->ifaces[i].hwaddr, false);
			printf(",\"addresses\":[");
			for (j = 0; j < f->ifaces[i].naddrs; j++) {
				printf("%s{", j ? "," : "");
				jstr("address", f->ifaces[i].addrs[j].addr, true);
				printf(",\"prefix\":%u,\"family\":\"%s\"}", f->ifaces[i].addrs[j].prefix,
				       f->ifaces[i].addrs[j].v6 ? "ipv6" : "ipv4");
			}
			printf("]}");
		}
		printf("],\"filesystems\":[");
		for (i = 0; i < f->nfs; i++) {
			const struct agent_fs *fs = &f->fs[i];
			printf("%s{", i ? "," : "");
			jstr("mountpoint", fs->mountpoint, true);
			jstr("name", fs->name, false);
			jstr("type", fs->type, false);
			if (fs->have_size)
				printf(",\"used_bytes\":%llu,\"total_bytes\":%llu",
				       (unsigned long long)fs->used, (unsigned long long)fs->total);
			else
				printf(",\"used_bytes\":null,\"total_bytes\":null");
			printf("}");
		}
		printf("]");
	}
	printf("}}\n");
}

static int
run_info(virConnectPtr conn, const struct aopts *o)
{
	struct agent_result r = { 0 };
	virDomainInfo di = { 0 };
	virDomainPtr d;
	const char *src = NULL;
	char *err = NULL, *addr = NULL, *aerr = NULL;

	if ((d = lv_domain_lookup(conn, o->args[0], &err)) == NULL) {
		fprintf(stderr, "vmtui: %s\n", err);
		free(err);
		return -1;
	}
	if (virDomainGetInfo(d, &di) < 0)
		memset(&di, 0, sizeof di);
	agent_lookup(conn, d, true, &r);
	if (virDomainIsActive(d) == 1)
		addr = agent_guest_address_known(d, r.facts, &src, &aerr);
	if (o->json)
		info_json(d, &di, &r, addr, src);
	else
		info_text(d, &di, &r, addr, src);
	agent_result_clear(&r);
	free(addr);
	free(aerr);
	virDomainFree(d);
	return 0;
}

/* ---- ssh ---- */

struct fwd_ctx {
	struct sshlink *link;
	const char *addr;
};

static int
open_fwd(void *arg, char **err)
{
	struct fwd_ctx *c = arg;

	return sshlink_forward(c->link, c->addr, 22, NULL, err);
}

static int
run_ssh(virConnectPtr conn, struct sshlink *link, const struct aopts *o)
{
	struct sshrelay *relay = NULL;
	struct fwd_ctx fc = { link, NULL };
	virDomainPtr d;
	const char *src = NULL;
	char *err = NULL, *addr = NULL, *alias = NULL, **argv, *user = NULL;
	int rc = -1;

	if ((d = lv_domain_lookup(conn, o->args[0], &err)) == NULL)
		goto cleanup;
	if (virDomainIsActive(d) != 1) {
		err = xasprintf("%s is %s: start it first (vmtui start %s).", virDomainGetName(d),
		                state_name(d), virDomainGetName(d));
		goto cleanup;
	}
	if ((addr = agent_guest_address(d, &src, &err)) == NULL)
		goto cleanup;
	user = o->user ? xstrdup(o->user) : agent_ssh_user(d);
	fc.addr = addr;
	if (link != NULL && !o->direct) {
		if ((relay = sshrelay_start(open_fwd, &fc, &err)) == NULL)
			goto cleanup;
		alias = xasprintf("%s.%s.vmtui", virDomainGetName(d), o->t.ssh);
	}
	fprintf(stderr, "vmtui: %s is at %s (from the %s)%s%s\n", virDomainGetName(d), addr,
	        agent_source_text(src), relay ? ", through the SSH link to " : "",
	        relay ? o->t.ssh : "");
	argv = sshrun_argv(user, addr, relay ? sshrelay_path(relay) : NULL, alias, o->cmd, o->ncmd);
	rc = sshrun_exec(argv, &err);
	sshrun_argv_free(argv);

cleanup:
	if (err)
		fprintf(stderr, "vmtui: %s\n", err);
	sshrelay_stop(relay);
	free(err);
	free(addr);
	free(alias);
	free(user);
	if (d)
		virDomainFree(d);
	return rc < 0 ? 255 : rc;
}

/* ---- password ---- */

/* The password: a line on stdin (--password-stdin), else typed twice on
 * the terminal without echo. NULL after saying why. */
static char *
read_password(const struct aopts *o)
{
	char a[512], b[512];
	struct termios old, quiet;
	bool hidden = false;

	if (o->stdin_pw) {
		if (fgets(a, sizeof a, stdin) == NULL) {
			fprintf(stderr, "vmtui password: no password on standard input\n");
			return NULL;
		}
		a[strcspn(a, "\r\n")] = '\0';
		return xstrdup(a);
	}
	if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, "vmtui password: standard input is not a terminal; give the password "
		        "on it with --password-stdin\n");
		return NULL;
	}
	if (tcgetattr(STDIN_FILENO, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		hidden = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
	}
	fprintf(stderr, "New password for %s in %s: ", o->args[1], o->args[0]);
	a[0] = b[0] = '\0';
	if (fgets(a, sizeof a, stdin) != NULL) {
		fprintf(stderr, "\nAgain: ");
		if (fgets(b, sizeof b, stdin) == NULL)
			b[0] = '\0';
	}
	if (hidden)
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
	fputc('\n', stderr);
	a[strcspn(a, "\r\n")] = '\0';
	b[strcspn(b, "\r\n")] = '\0';
	if (strcmp(a, b) != 0) {
		fprintf(stderr, "vmtui password: the two passwords differ; nothing was changed\n");
		memset(a, 0, sizeof a);
		memset(b, 0, sizeof b);
		return NULL;
	}
	memset(b, 0, sizeof b);
	return xstrdup(a);
}

static int
run_password(virConnectPtr conn, const struct aopts *o)
{
	virDomainPtr d;
	char *err = NULL, *pw = NULL;
	int rc = -1;

	if ((d = lv_domain_lookup(conn, o->args[0], &err)) == NULL)
		goto cleanup;
	if (!*o->args[1]) {
		err = xstrdup("the user's name is empty");
		goto cleanup;
	}
	if ((pw = read_password(o)) == NULL)
		goto cleanup;
	if (!*pw) {
		err = xstrdup("the password is empty; nothing was changed");
		goto cleanup;
	}
	if (agent_set_password(d, o->args[1], pw, o->crypted, &err) == 0) {
		printf("%s: the password of %s is set (through the guest agent).\n",
		       virDomainGetName(d), o->args[1]);
		rc = 0;
	} else {
		char *e = xasprintf("cannot set the password of %s in %s: %s", o->args[1],
		                    virDomainGetName(d), err);
		free(err);
		err = e;
	}

cleanup:
	if (err)
		fprintf(stderr, "vmtui: %s\n", err);
	if (pw) {
		memset(pw, 0, strlen(pw));
		free(pw);
	}
	free(err);
	if (d)
		virDomainFree(d);
	return rc;
}

int
cli_agent(const struct subcmd *cmd, int argc, char **argv)
{
	struct aopts o = { 0 };
	struct sshlink *link = NULL;
	virConnectPtr conn;
	int rc = aparse(cmd, argc, argv, &o);

	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	if ((conn = subcmd_connect_via(cmd, &o.t, false, &link)) == NULL)
		return strcmp(cmd->name, "ssh") == 0 ? 255 : EXIT_FAILURE;
	if (strcmp(cmd->name, "info") == 0)
		rc = run_info(conn, &o) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	else if (strcmp(cmd->name, "ssh") == 0)
		rc = run_ssh(conn, link, &o);
	else
		rc = run_password(conn, &o) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	agent_cache_forget(conn, NULL);
	virConnectClose(conn);
	sshlink_close(link);
	return rc;
}

/* `vmtui ssh-proxy SOCKET`: ssh's ProxyCommand (see sshrun.h). */
int
cli_ssh_proxy(const struct subcmd *cmd, int argc, char **argv)
{
	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		subcmd_help(cmd, stdout);
		return EXIT_SUCCESS;
	}
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "vmtui ssh-proxy: expected the relay's socket (vmtui ssh runs this "
		        "as ssh's ProxyCommand)\n");
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	return sshrun_proxy(argv[1]);
}
