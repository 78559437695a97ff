/* fuzz_nodedev.c — libFuzzer target: XML a host sends about its devices
 * and a guest's firmware (model/host/nodedev.c, model/defs/firmxml.c).
 * A node device read without error has a name and an address; listed,
 * it is found again by its name, and its <hostdev> XML is found again in
 * a domain holding it. A domain read without error is changed (boot,
 * CPU, firmware, TPM) into XML that reads back with the change. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/base/xmalloc.h"
#include "model/defs/firmxml.h"
#include "model/host/nodedev.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "%s\n", what);
		abort();
	}
}

static void
nodedev_case(const char *xml)
{
	struct nodedev d;
	struct nodedev_list l = { 0 };
	const struct nodedev *f;
	char *err = NULL, *hd, *dom, *in;

	if (nodedev_parse(xml, &d, &err) == 0) {
		must(d.name != NULL && d.addr != NULL, "a device read without error lacks a name");
		nodedev_free(&d);
	}
	free(err);
	err = NULL;
	nodedev_list_add_xml(&l, xml);
	nodedev_list_finish(&l);
	if (l.n == 1) {
		f = nodedev_find(&l, l.v[0].name, &err);
		must(f == &l.v[0], "a listed device is not found by its name");
		free(nodedev_refusal(f, &l, "g"));
		hd = nodedev_hostdev_xml(f, &l);
		dom = xasprintf("<domain><name>g</name><devices>%s</devices></domain>", hd);
		nodedev_note_guest(&l, dom, true);
		in = nodedev_hostdev_in(dom, f);
		must(in != NULL, "a device's hostdev XML is not found in a domain holding it");
		must(l.v[0].guest != NULL, "a guest holding a device is not its user");
		free(in);
		free(dom);
		free(hd);
	}
	free(err);
	nodedev_list_free(&l);
}

static void
domain_case(const char *xml)
{
	struct firm_info fi, a;
	const char *order[] = { "cdrom", "hd" };
	char *err = NULL, *x;

	if (firmxml_read(xml, &fi, &err) < 0) {
		free(err);
		return;
	}
	firm_info_free(&fi);
	x = firmxml_set_boot(xml, order, 2, 1, &err);
	must(x != NULL, "a domain read cannot take a boot order");
	must(firmxml_read(x, &a, &err) == 0, "a domain with a boot order cannot be read");
	must(a.boot_menu == 1, "the boot menu did not stay");
	firm_info_free(&a);
	free(x);
	x = firmxml_set_firmware(xml, true, 1, &err);
	must(x != NULL && firmxml_read(x, &a, &err) == 0 && a.efi && a.secure_boot == 1 && a.smm,
	     "UEFI with Secure Boot does not read back");
	firm_info_free(&a);
	free(x);
	x = firmxml_set_tpm(xml, "tpm-tis", &err);
	must(x != NULL && firmxml_read(x, &a, &err) == 0 && a.tpm_model &&
	     strcmp(a.tpm_model, "tpm-tis") == 0, "a TPM added does not read back");
	firm_info_free(&a);
	free(x);
	x = firmxml_set_cpu(xml, "host-model", NULL, 1, 1, 1, &err);
	must(x != NULL && firmxml_read(x, &a, &err) == 0 && a.sockets == 1,
	     "a CPU topology does not read back");
	firm_info_free(&a);
	free(x);
	free(err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *xml = malloc(size + 1);
	struct firm_caps c;
	char *err = NULL;

	memcpy(xml, data, size);
	xml[size] = '\0';
	nodedev_case(xml);
	domain_case(xml);
	if (firmxml_caps_read(xml, &c, &err) == 0)
		firm_caps_free(&c);
	free(err);
	free(xml);
	return 0;
}
