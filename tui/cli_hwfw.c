/* cli_hwfw.c — `vmtui boot`, `cpu`, `firmware`, `tpm` and `hostdev`: a
 * guest's boot order and menu, CPU mode and topology, BIOS or UEFI with
 * Secure Boot, an emulated TPM, and the host's PCI and USB devices passed
 * through. Each change is described first (what, when, the XML diff and
 * the virsh lines; --dry-run stops there) and then applied; the work is
 * model/guest/hwfirm.c. Exit status 0 when done (or nothing to change),
 * 1 for anything else. The rows (help, what they need) are in subcmd.c. */
#include "subcmd.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>

#include "../model/base/json.h"
#include "../model/base/xmalloc.h"
#include "../model/guest/hwfirm.h"
#include "../model/host/sshlink.h"

enum { O_KNOWN = 256, O_DRY, O_ORDER, O_MENU, O_MODE, O_MODEL, O_TOPO, O_SECURE, O_JSON };

struct hopts {
	struct subcmd_target t;
	bool readonly, dry_run, json;
	struct hwfirm_req req;
	char **args;
	int nargs;
};

/* "on"/"off" (also yes/no) as 1/0; -1 after saying what is wrong. */
static int
on_off(const struct subcmd *cmd, const char *opt, const char *v)
{
	if (strcmp(v, "on") == 0 || strcmp(v, "yes") == 0)
		return 1;
	if (strcmp(v, "off") == 0 || strcmp(v, "no") == 0)
		return 0;
	fprintf(stderr, "vmtui %s: %s takes on or off, not \"%.40s\".\n", cmd->name, opt, v);
	return -1;
}

/* Options of every one of these commands; only those the command takes
 * are accepted (allowed: a string of the O_ codes as chars). 0, 1 after
 * --help, -1 after a usage error. */
static int
hparse(const struct subcmd *cmd, int argc, char **argv, struct hopts *o, const int *allowed)
{
	static const struct option longopts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "host", required_argument, NULL, 'H' },
		{ "known-hosts", required_argument, NULL, O_KNOWN },
		{ "readonly", no_argument, NULL, 'r' },
		{ "dry-run", no_argument, NULL, O_DRY },
		{ "order", required_argument, NULL, O_ORDER },
		{ "menu", required_argument, NULL, O_MENU },
		{ "mode", required_argument, NULL, O_MODE },
		{ "model", required_argument, NULL, O_MODEL },
		{ "topology", required_argument, NULL, O_TOPO },
		{ "secure-boot", required_argument, NULL, O_SECURE },
		{ "json", no_argument, NULL, O_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, idx = -1, k, v;
	bool ok;

	optind = 1;
	opterr = 0;
	o->req = (struct hwfirm_req)HWFIRM_REQ_NONE;
	while ((idx = -1, ch = getopt_long(argc, argv, ":c:H:rh", longopts, &idx)) != -1) {
		if (ch >= 256) {
			for (ok = false, k = 0; allowed[k]; k++)
				ok |= allowed[k] == ch;
			if (!ok) {
				fprintf(stderr, "vmtui %s: option \"--%s\" is not one of this command's "
				        "(see vmtui %s --help).\n", cmd->name,
				        idx >= 0 ? longopts[idx].name : "?", cmd->name);
				return -1;
			}
		}
		switch (ch) {
		case 'c': o->t.uri = optarg; break;
		case 'H': o->t.ssh = optarg; break;
		case O_KNOWN: o->t.known_hosts = optarg; break;
		case 'r': o->readonly = true; break;
		case O_DRY: o->dry_run = true; break;
		case O_JSON: o->json = true; break;
		case O_ORDER: o->req.order = optarg; break;
		case O_MENU:
			if ((v = on_off(cmd, "--menu", optarg)) < 0)
				return -1;
			o->req.menu = v;
			break;
		case O_MODE: o->req.cpu_mode = optarg; break;
		case O_MODEL:
			if (strcmp(cmd->name, "tpm") == 0)
				o->req.tpm_model = optarg;
			else
				o->req.cpu_model = optarg;
			break;
		case O_TOPO: o->req.topology = optarg; break;
		case O_SECURE:
			if ((v = on_off(cmd, "--secure-boot", optarg)) < 0)
				return -1;
			o->req.secure = v;
			break;
		case 'h':
			subcmd_help(cmd, stdout);
			return 1;
		default:
			subcmd_bad_option(cmd, ch, argv, longopts);
			return -1;
		}
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
	if (o->t.uri && o->t.ssh && strstr(o->t.uri, "://") && strchr(o->t.uri, '+')) {
		fprintf(stderr, "vmtui %s: with -H, -c names the URI on that host (like "
		        "qemu:///system), not \"%s\".\n", cmd->name, o->t.uri);
		return -1;
	}
	return 0;
}

static void
print_change(const struct hw_change *c, const char *note, bool diff)
{
	char *v = hw_change_virsh(c);

	printf("%s\nTakes effect %s.\n", c->what, hw_when_text(c->when));
	if (note)
		printf("%s\n", note);
	if (diff && c->diff_live)
		printf("\n%s", c->diff_live);
	if (diff && c->diff_saved)
		printf("\n%s", c->diff_saved);
	printf("\nThe same with virsh%s:\n%s", c->steps && c->steps[0].kind == HW_DEFINE ?
	       " (the XML file being the saved configuration with the change above)" :
	       " (the XML file holding the device above)", v);
	free(v);
}

/* Print c, and apply it unless a dry run. */
static int
run_change(virConnectPtr conn, const char *vm, const struct hw_change *c, const char *note,
           const char *saved_before, const struct hopts *o)
{
	char *err = NULL;

	print_change(c, note, true);
	if (o->dry_run) {
		printf("\nDry run: nothing was changed.\n");
		return 0;
	}
	if (o->readonly) {
		fprintf(stderr, "vmtui: not changing %s: vmtui runs read-only (-r); nothing was "
		        "changed. Drop -r to change it.\n", vm);
		return 1;
	}
	if (hwfirm_apply(conn, vm, c, saved_before, &err) < 0) {
		fprintf(stderr, "vmtui: %s\n", err);
		free(err);
		return 1;
	}
	printf("\nDone: %s.\n", hw_when_text(c->when));
	return 0;
}

static void
show(const struct hwfirm_now *now, const char *which)
{
	char *s;

	if (strcmp(which, "boot") == 0) {
		s = firm_boot_text(&now->fi);
		printf("%s boots from: %s\n", now->name, s);
		free(s);
		return;
	}
	if (strcmp(which, "cpu") == 0) {
		s = firm_cpu_text(&now->fi);
		printf("%s CPU: %s (%u vCPUs at most)\n", now->name, s, now->fi.vcpus_max);
		free(s);
		if (now->caps_ok) {
			size_t i, n = 0;
			for (i = 0; i < now->caps.nmodels; i++)
				n += now->caps.usable[i] != 0;
			printf("The host runs: host-passthrough %s, host-model %s, %zu named models "
			       "usable of %zu.\n", now->caps.passthrough ? "yes" : "no",
			       now->caps.host_model ? "yes" : "no", n, now->caps.nmodels);
		} else {
			printf("The host's CPU modes are unknown: %s\n", now->caps_err);
		}
		return;
	}
	s = firm_firmware_text(&now->fi);
	printf("%s firmware: %s%s; TPM: %s%s%s\n", now->name, s, now->fi.smm ? " (SMM on)" : "",
	       now->fi.tpm_model ? now->fi.tpm_model : "none",
	       now->fi.tpm_backend ? ", " : "", now->fi.tpm_backend ? now->fi.tpm_backend : "");
	free(s);
	if (now->caps_ok)
		printf("The host has: UEFI %s, Secure Boot %s, TPM emulation %s.\n",
		       now->caps.efi ? "yes" : "no", now->caps.secure ? "yes" : "no",
		       now->caps.tpm && now->caps.tpm_emulator ? "yes" : "no");
}

static bool
has_change(const struct hwfirm_req *r)
{
	return r->order || r->menu >= 0 || r->cpu_mode || r->cpu_model || r->topology ||
	       r->efi >= 0 || r->secure >= 0 || r->tpm >= 0;
}

/* Connect, read the guest, plan req and run it (or show with no change). */
static int
firm_command(const struct subcmd *cmd, struct hopts *o, const char *vm)
{
	struct sshlink *link = NULL;
	struct hwfirm_now now;
	struct hw_change c;
	virConnectPtr conn;
	char *err = NULL, *note = NULL, *uri;
	int rc = 1, p;

	if ((conn = subcmd_connect_via(cmd, &o->t, o->readonly, &link)) == NULL)
		return 1;
	if (hwfirm_read(conn, vm, &now, &err) < 0) {
		fprintf(stderr, "vmtui: %s\n", err);
		free(err);
		goto out;
	}
	if (!has_change(&o->req)) {
		show(&now, cmd->name);
		rc = 0;
		goto done;
	}
	uri = subcmd_virsh_uri(conn, &o->t);
	p = hwfirm_plan(&now, &o->req, uri, &c, &err, &note);
	free(uri);
	if (p == 1) {
		printf("%s\n", err);
		rc = 0;
	} else if (p < 0) {
		fprintf(stderr, "vmtui: cannot change %s: %s\n", now.name, err);
	} else {
		rc = run_change(conn, now.name, &c, note, now.saved, o);
		hw_change_free(&c);
	}
	free(err);
	free(note);
done:
	hwfirm_now_free(&now);
out:
	virConnectClose(conn);
	sshlink_close(link);
	return rc;
}

static int
expect_args(const struct subcmd *cmd, const struct hopts *o, int n, const char *what)
{
	if (o->nargs == n)
		return 0;
	fprintf(stderr, "vmtui %s: expected %s.\n", cmd->name, what);
	subcmd_hint(cmd);
	return -1;
}

int
cli_boot(const struct subcmd *cmd, int argc, char **argv)
{
	static const int allowed[] = { O_KNOWN, O_DRY, O_ORDER, O_MENU, 0 };
	struct hopts o = { 0 };
	int rc = hparse(cmd, argc, argv, &o, allowed);

	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	if (expect_args(cmd, &o, 1, "one VM") < 0)
		return EXIT_FAILURE;
	return firm_command(cmd, &o, o.args[0]) ? EXIT_FAILURE : EXIT_SUCCESS;
}

int
cli_cpu(const struct subcmd *cmd, int argc, char **argv)
{
	static const int allowed[] = { O_KNOWN, O_DRY, O_MODE, O_MODEL, O_TOPO, 0 };
	struct hopts o = { 0 };
	int rc = hparse(cmd, argc, argv, &o, allowed);

	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	if (expect_args(cmd, &o, 1, "one VM") < 0)
		return EXIT_FAILURE;
	return firm_command(cmd, &o, o.args[0]) ? EXIT_FAILURE : EXIT_SUCCESS;
}

int
cli_firmware(const struct subcmd *cmd, int argc, char **argv)
{
	static const int allowed[] = { O_KNOWN, O_DRY, O_SECURE, 0 };
	struct hopts o = { 0 };
	int rc = hparse(cmd, argc, argv, &o, allowed);

	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	if (o.nargs < 1 || o.nargs > 2) {
		fprintf(stderr, "vmtui firmware: expected a VM, then bios or efi (or nothing, to "
		        "show it).\n");
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	if (o.nargs == 2) {
		if (strcmp(o.args[1], "efi") == 0 || strcmp(o.args[1], "uefi") == 0) {
			o.req.efi = 1;
		} else if (strcmp(o.args[1], "bios") == 0) {
			o.req.efi = 0;
		} else {
			fprintf(stderr, "vmtui firmware: \"%.40s\" is not a firmware: use bios or efi.\n",
			        o.args[1]);
			return EXIT_FAILURE;
		}
	}
	return firm_command(cmd, &o, o.args[0]) ? EXIT_FAILURE : EXIT_SUCCESS;
}

int
cli_tpm(const struct subcmd *cmd, int argc, char **argv)
{
	static const int allowed[] = { O_KNOWN, O_DRY, O_MODEL, 0 };
	struct hopts o = { 0 };
	int rc = hparse(cmd, argc, argv, &o, allowed);

	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	if (o.nargs < 1 || (strcmp(o.args[0], "add") != 0 && strcmp(o.args[0], "remove") != 0)) {
		fprintf(stderr, "vmtui tpm: %s%.40s%s; use add or remove.\n",
		        o.nargs ? "unknown action \"" : "no action given", o.nargs ? o.args[0] : "",
		        o.nargs ? "\"" : "");
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	if (o.nargs != 2) {
		fprintf(stderr, "vmtui tpm %s: expected one VM.\n", o.args[0]);
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	if (o.req.tpm_model && strcmp(o.args[0], "remove") == 0) {
		fprintf(stderr, "vmtui tpm remove: --model is for tpm add.\n");
		return EXIT_FAILURE;
	}
	o.req.tpm = strcmp(o.args[0], "add") == 0;
	return firm_command(cmd, &o, o.args[1]) ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* ---- host devices ---- */

static void
json_field(const char *key, const char *v, bool comma)
{
	json_put_string(stdout, key);
	fputc(':', stdout);
	if (v)
		json_put_string(stdout, v);
	else
		fputs("null", stdout);
	if (comma)
		fputc(',', stdout);
}

static void
list_json(const struct nodedev_list *l)
{
	size_t i;

	printf("[");
	for (i = 0; i < l->n; i++) {
		const struct nodedev *d = &l->v[i];
		char *why = nodedev_refusal(d, l, NULL);
		printf("%s{", i ? "," : "");
		json_field("name", d->name, true);
		json_field("bus", d->bus == NODEDEV_PCI ? "pci" : "usb", true);
		json_field("address", d->addr, true);
		json_field("vendor_id", d->vendor_id, true);
		json_field("product_id", d->product_id, true);
		json_field("vendor", d->vendor, true);
		json_field("product", d->product, true);
		json_field("driver", d->driver, true);
		json_field("class", d->pci_class, true);
		printf("\"iommu_group\":");
		if (d->iommu_group >= 0)
			printf("%d,", d->iommu_group);
		else
			printf("null,");
		json_field("host_use", d->host_use, true);
		json_field("guest", d->guest, true);
		json_field("refusal", d->guest ? NULL : why, false);
		printf("}");
		free(why);
	}
	printf("]\n");
}

static void
list_text(const struct nodedev_list *l)
{
	size_t i;

	if (l->n == 0) {
		printf("No PCI or USB devices on this host.\n");
		return;
	}
	printf("%-18s %-4s %-12s %-7s %-14s %-6s %-14s %s\n", "NAME", "BUS", "ADDRESS", "IOMMU",
	       "DRIVER", "CLASS", "GUEST", "DEVICE");
	for (i = 0; i < l->n; i++) {
		const struct nodedev *d = &l->v[i];
		char grp[16], *label = nodedev_label(d);
		if (d->iommu_group >= 0)
			snprintf(grp, sizeof grp, "%d", d->iommu_group);
		else
			snprintf(grp, sizeof grp, "%s", d->bus == NODEDEV_PCI ? "none" : "-");
		printf("%-18s %-4s %-12s %-7s %-14s %-6s %-14s %s%s%s%s\n", d->name,
		       d->bus == NODEDEV_PCI ? "pci" : "usb", d->addr, grp,
		       d->driver ? d->driver : "-", d->pci_class ? d->pci_class + 2 : "-",
		       d->guest ? d->guest : "-", label, d->host_use ? " [host's: " : "",
		       d->host_use ? d->host_use : "", d->host_use ? "]" : "");
		free(label);
	}
}

static int
hostdev_change(virConnectPtr conn, const char *uri, const struct hopts *o, bool attach)
{
	struct nodedev_list l;
	const struct nodedev *d;
	struct hw_change c;
	char *err = NULL, *live = NULL, *saved = NULL;
	const char *vm = o->args[1];
	int rc = 1;

	if (nodedev_list_read(conn, &l, &err) < 0) {
		fprintf(stderr, "vmtui: %s\n", err);
		free(err);
		return 1;
	}
	if ((d = nodedev_find(&l, o->args[2], &err)) == NULL ||
	    hwfirm_guest_xml(conn, vm, &live, &saved, &err) < 0 ||
	    hwfirm_hostdev_plan(&l, d, vm, live, saved, attach, uri, &c, &err) < 0) {
		fprintf(stderr, "vmtui: cannot %s %s: %s\n", attach ? "pass through" : "release",
		        o->args[2], err);
	} else {
		rc = run_change(conn, vm, &c, NULL, NULL, o);
		hw_change_free(&c);
	}
	free(err);
	free(live);
	free(saved);
	nodedev_list_free(&l);
	return rc;
}

int
cli_hostdev(const struct subcmd *cmd, int argc, char **argv)
{
	static const int allowed[] = { O_KNOWN, O_DRY, O_JSON, 0 };
	struct hopts o = { 0 };
	struct sshlink *link = NULL;
	virConnectPtr conn;
	const char *act;
	char *uri, *err = NULL;
	int rc = hparse(cmd, argc, argv, &o, allowed);
	bool list;

	if (rc != 0)
		return rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	act = o.nargs ? o.args[0] : "";
	list = strcmp(act, "list") == 0;
	if (!list && strcmp(act, "attach") != 0 && strcmp(act, "detach") != 0) {
		fprintf(stderr, "vmtui hostdev: %s%.40s%s; use list, attach or detach.\n",
		        act[0] ? "unknown action \"" : "no action given", act, act[0] ? "\"" : "");
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	if (o.nargs != (list ? 1 : 3)) {
		fprintf(stderr, "vmtui hostdev %s: expected %s.\n", act,
		        list ? "no argument" : "a VM and a device (a name, PCI address or USB ids)");
		subcmd_hint(cmd);
		return EXIT_FAILURE;
	}
	if (o.json && !list) {
		fprintf(stderr, "vmtui hostdev %s: --json is for list.\n", act);
		return EXIT_FAILURE;
	}
	if (o.dry_run && list) {
		fprintf(stderr, "vmtui hostdev list: --dry-run is for attach and detach.\n");
		return EXIT_FAILURE;
	}
	if ((conn = subcmd_connect_via(cmd, &o.t, o.readonly || list, &link)) == NULL)
		return EXIT_FAILURE;
	if (list) {
		struct nodedev_list l;
		if (nodedev_list_read(conn, &l, &err) < 0) {
			fprintf(stderr, "vmtui: %s\n", err);
			free(err);
			rc = 1;
		} else {
			if (o.json)
				list_json(&l);
			else
				list_text(&l);
			nodedev_list_free(&l);
		}
	} else {
		uri = subcmd_virsh_uri(conn, &o.t);
		rc = hostdev_change(conn, uri, &o, strcmp(act, "attach") == 0);
		free(uri);
	}
	virConnectClose(conn);
	sshlink_close(link);
	return rc ? EXIT_FAILURE : EXIT_SUCCESS;
}
