/* test_vmdef.c — config/vmdef.h: VM definition files, their shapes, keys,
 * kcli aliases, sizes, and every error with its exact message. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/vmdef.h"

#ifndef EXAMPLES_DIR
#define EXAMPLES_DIR "examples"
#endif

#define KiB 1024ull
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)
#define TiB (1024 * GiB)

/* ---- helpers ---- */

static int
parse(struct vmdef_file *f, const char *text, struct config_errors *e)
{
	return vmdef_parse(f, "t.yaml", NULL, text, strlen(text), e);
}

/* Parse text expected to be valid into a fresh file. */
static void
parse_ok(struct vmdef_file *f, const char *text)
{
	struct config_errors e = { 0 };

	memset(f, 0, sizeof *f);
	if (parse(f, text, &e) != 0)
		fail_msg("unexpected error: %s", e.n ? e.v[0] : "(none)");
	assert_int_equal(e.n, 0);
	config_errors_free(&e);
}

/* Parse text expected to fail with exactly the errors of want (NULL-ended). */
static void
parse_errs(const char *text, const char *const *want)
{
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };
	size_t i, n = 0;

	while (want[n])
		n++;
	assert_int_equal(parse(&f, text, &e), -1);
	for (i = 0; i < e.n && i < n; i++)
		assert_string_equal(e.v[i], want[i]);
	if (e.n != n)
		fail_msg("%zu errors, wanted %zu; first: %s", e.n, n, e.n ? e.v[0] : "(none)");
	config_errors_free(&e);
	vmdef_file_free(&f);
}

static void
parse_err1(const char *text, const char *want)
{
	const char *const w[] = { want, NULL };

	parse_errs(text, w);
}

static void
assert_strv_equal(char **a, size_t na, char **b, size_t nb)
{
	size_t i;

	assert_int_equal(na, nb);
	for (i = 0; i < na; i++)
		assert_string_equal(a[i], b[i]);
}

static void
assert_str_or_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* Everything but positions. */
static void
assert_vm_equal(const struct vmdef *a, const struct vmdef *b)
{
	size_t i;

	assert_string_equal(a->name, b->name);
	assert_str_or_null(a->host, b->host);
	assert_int_equal(a->type, b->type);
	assert_str_or_null(a->arch, b->arch);
	assert_str_or_null(a->machine, b->machine);
	assert_int_equal(a->vcpus, b->vcpus);
	assert_int_equal(a->max_vcpus, b->max_vcpus);
	assert_int_equal(a->memory, b->memory);
	assert_int_equal(a->max_memory, b->max_memory);
	assert_int_equal(a->ndisks, b->ndisks);
	for (i = 0; i < a->ndisks; i++) {
		assert_int_equal(a->disks[i].size, b->disks[i].size);
		assert_str_or_null(a->disks[i].pool, b->disks[i].pool);
		assert_str_or_null(a->disks[i].format, b->disks[i].format);
		assert_str_or_null(a->disks[i].bus, b->disks[i].bus);
		assert_str_or_null(a->disks[i].image, b->disks[i].image);
		assert_int_equal(a->disks[i].image_copy, b->disks[i].image_copy);
		assert_str_or_null(a->disks[i].path, b->disks[i].path);
	}
	assert_int_equal(a->nnets, b->nnets);
	for (i = 0; i < a->nnets; i++) {
		assert_int_equal(a->nets[i].kind, b->nets[i].kind);
		assert_str_or_null(a->nets[i].source, b->nets[i].source);
		assert_str_or_null(a->nets[i].mac, b->nets[i].mac);
		assert_str_or_null(a->nets[i].model, b->nets[i].model);
	}
	assert_str_or_null(a->kernel, b->kernel);
	assert_str_or_null(a->initrd, b->initrd);
	assert_str_or_null(a->cmdline, b->cmdline);
	assert_strv_equal(a->boot_order, a->nboot, b->boot_order, b->nboot);
	assert_int_equal(a->cloud_init.enabled, b->cloud_init.enabled);
	assert_str_or_null(a->cloud_init.user_data, b->cloud_init.user_data);
	assert_str_or_null(a->cloud_init.meta_data, b->cloud_init.meta_data);
	assert_str_or_null(a->cloud_init.hostname, b->cloud_init.hostname);
	assert_strv_equal(a->cloud_init.ssh_authorized_keys, a->cloud_init.nkeys,
	                  b->cloud_init.ssh_authorized_keys, b->cloud_init.nkeys);
	assert_strv_equal(a->cloud_init.runcmd, a->cloud_init.nruncmd, b->cloud_init.runcmd,
	                  b->cloud_init.nruncmd);
	assert_int_equal(a->console, b->console);
	assert_int_equal(a->autostart, b->autostart);
	assert_int_equal(a->start, b->start);
}

/* ---- shapes ---- */

static void
test_shape_single(void **state)
{
	struct vmdef_file f;

	(void)state;
	parse_ok(&f, "name: web\nmemory: 1G\n");
	assert_int_equal(f.nvms, 1);
	assert_string_equal(f.vms[0].name, "web");
	assert_int_equal(f.vms[0].memory, GiB);
	assert_int_equal(f.nnames, 1);
	assert_string_equal(f.names[0], "t.yaml");
	assert_ptr_equal(f.vms[0].pos.file, f.names[0]);
	assert_int_equal(f.vms[0].pos.line, 1);
	assert_int_equal(f.vms[0].pos.col, 1);
	vmdef_file_free(&f);
}

static void
test_shape_list(void **state)
{
	struct vmdef_file f;

	(void)state;
	parse_ok(&f, "- name: a\n"
	             "- name: b\n"
	             "  vcpus: 2\n");
	assert_int_equal(f.nvms, 2);
	assert_string_equal(f.vms[0].name, "a");
	assert_string_equal(f.vms[1].name, "b");
	assert_int_equal(f.vms[1].vcpus, 2);
	assert_int_equal(f.vms[1].pos.line, 2);
	assert_int_equal(f.vms[1].pos.col, 3);
	vmdef_file_free(&f);
}

static void
test_shape_plan(void **state)
{
	struct vmdef_file f;

	(void)state;
	parse_ok(&f, "a:\n"
	             "  memory: 1G\n"
	             "b:\n"
	             "  name: b\n"
	             "c:\n"
	             "d: {}\n");
	assert_int_equal(f.nvms, 4);
	assert_string_equal(f.vms[0].name, "a");
	assert_int_equal(f.vms[0].memory, GiB);
	assert_string_equal(f.vms[1].name, "b");
	assert_string_equal(f.vms[2].name, "c");
	assert_string_equal(f.vms[3].name, "d");
	/* A plan VM is where its key is. */
	assert_int_equal(f.vms[2].pos.line, 5);
	assert_int_equal(f.vms[2].pos.col, 1);
	vmdef_file_free(&f);
}

static void
test_shape_documents(void **state)
{
	struct vmdef_file f;

	(void)state;
	parse_ok(&f, "name: a\n"
	             "---\n"
	             "- name: b\n"
	             "---\n"
	             "c: {}\n"
	             "---\n");
	assert_int_equal(f.nvms, 3);
	assert_string_equal(f.vms[2].name, "c");
	assert_int_equal(f.vms[2].pos.line, 5);
	vmdef_file_free(&f);
}

/* Several texts parsed into one file: VMs add up, positions keep files. */
static void
test_shape_several_files(void **state)
{
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };

	(void)state;
	assert_int_equal(vmdef_parse(&f, "a.yaml", NULL, "name: a\n", 8, &e), 0);
	assert_int_equal(vmdef_parse(&f, "b.yaml", NULL, "- name: b\n", 10, &e), 0);
	assert_int_equal(e.n, 0);
	assert_int_equal(f.nvms, 2);
	assert_int_equal(f.nnames, 2);
	assert_string_equal(f.vms[0].pos.file, "a.yaml");
	assert_string_equal(f.vms[1].pos.file, "b.yaml");
	vmdef_file_free(&f);
	assert_int_equal(f.nvms, 0);
	vmdef_file_free(&f); /* twice is harmless */
}

/* ---- keys ---- */

static void
test_defaults(void **state)
{
	struct vmdef_file f;
	struct vmdef *vm;

	(void)state;
	parse_ok(&f, "name: d\n");
	vm = &f.vms[0];
	assert_null(vm->host);
	assert_int_equal(vm->type, VMDEF_TYPE_AUTO);
	assert_null(vm->arch);
	assert_null(vm->machine);
	assert_int_equal(vm->vcpus, 1);
	assert_int_equal(vm->max_vcpus, 1);
	assert_int_equal(vm->memory, 512 * MiB);
	assert_int_equal(vm->max_memory, 512 * MiB);
	assert_int_equal(vm->ndisks, 0);
	assert_int_equal(vm->nnets, 1);
	assert_int_equal(vm->nets[0].kind, VMDEF_NET_NETWORK);
	assert_string_equal(vm->nets[0].source, "default");
	assert_string_equal(vm->nets[0].model, "virtio");
	assert_null(vm->nets[0].mac);
	assert_null(vm->kernel);
	assert_int_equal(vm->nboot, 0);
	assert_false(vm->cloud_init.enabled);
	assert_true(vm->console);
	assert_false(vm->autostart);
	assert_false(vm->start);
	vmdef_file_free(&f);
}

/* A flag written as an empty mapping ("user: {}") is on; a mapping with
 * keys is still an error. */
static void
test_flag_empty_mapping(void **state)
{
	struct vmdef_file f;

	(void)state;
	parse_ok(&f, "name: a\nnetworks:\n  - user: {}\n    model: e1000\n");
	assert_int_equal(f.vms[0].nnets, 1);
	assert_int_equal(f.vms[0].nets[0].kind, VMDEF_NET_USER);
	vmdef_file_free(&f);
}

static void
test_all_keys(void **state)
{
	struct vmdef_file f;
	struct vmdef *vm;

	(void)state;
	parse_ok(&f, "name: all.keys+1\n"
	             "host: kvm1\n"
	             "type: kvm\n"
	             "arch: aarch64\n"
	             "machine: virt\n"
	             "vcpus: {current: 2, max: 8}\n"
	             "memory: {current: 1G, max: 4G}\n"
	             "disks:\n"
	             "  - size: 20G\n"
	             "    pool: fast\n"
	             "    format: qcow2\n"
	             "    bus: sata\n"
	             "    image: /var/lib/images/base.qcow2\n"
	             "  - image: isos/base.raw\n"
	             "    copy: true\n"
	             "    format: raw\n"
	             "    bus: scsi\n"
	             "  - path: /dev/vg/data\n"
	             "    bus: ide\n"
	             "  - path: /srv/old.qcow2\n"
	             "networks:\n"
	             "  - network: default\n"
	             "    mac: 52:54:00:AB:cd:01\n"
	             "    model: e1000e\n"
	             "  - bridge: br0\n"
	             "    model: rtl8139\n"
	             "  - user: true\n"
	             "    model: e1000\n"
	             "  - lab\n"
	             "boot:\n"
	             "  order: [cdrom, hd, network]\n"
	             "cloud_init:\n"
	             "  user_data: |\n"
	             "    #cloud-config\n"
	             "    packages: [nginx]\n"
	             "  meta_data: 'instance-id: x'\n"
	             "console: off\n"
	             "autostart: yes\n"
	             "start: true\n");
	vm = &f.vms[0];
	assert_string_equal(vm->name, "all.keys+1");
	assert_string_equal(vm->host, "kvm1");
	assert_int_equal(vm->type, VMDEF_TYPE_KVM);
	assert_string_equal(vm->arch, "aarch64");
	assert_string_equal(vm->machine, "virt");
	assert_int_equal(vm->vcpus, 2);
	assert_int_equal(vm->max_vcpus, 8);
	assert_int_equal(vm->memory, GiB);
	assert_int_equal(vm->max_memory, 4 * GiB);

	assert_int_equal(vm->ndisks, 4);
	assert_int_equal(vm->disks[0].size, 20 * GiB);
	assert_string_equal(vm->disks[0].pool, "fast");
	assert_string_equal(vm->disks[0].format, "qcow2");
	assert_string_equal(vm->disks[0].bus, "sata");
	assert_string_equal(vm->disks[0].image, "/var/lib/images/base.qcow2");
	assert_false(vm->disks[0].image_copy);
	assert_null(vm->disks[0].path);
	assert_int_equal(vm->disks[0].pos.line, 9);
	assert_int_equal(vm->disks[0].pos.col, 5);
	assert_int_equal(vm->disks[1].size, 0);
	assert_string_equal(vm->disks[1].pool, "default");
	assert_string_equal(vm->disks[1].format, "raw");
	assert_string_equal(vm->disks[1].bus, "scsi");
	assert_string_equal(vm->disks[1].image, "isos/base.raw");
	assert_true(vm->disks[1].image_copy);
	assert_string_equal(vm->disks[2].path, "/dev/vg/data");
	assert_null(vm->disks[2].pool);
	assert_string_equal(vm->disks[2].format, "raw");
	assert_string_equal(vm->disks[2].bus, "ide");
	assert_string_equal(vm->disks[3].format, "qcow2");
	assert_string_equal(vm->disks[3].bus, "virtio");

	assert_int_equal(vm->nnets, 4);
	assert_int_equal(vm->nets[0].kind, VMDEF_NET_NETWORK);
	assert_string_equal(vm->nets[0].source, "default");
	assert_string_equal(vm->nets[0].mac, "52:54:00:ab:cd:01");
	assert_string_equal(vm->nets[0].model, "e1000e");
	assert_int_equal(vm->nets[1].kind, VMDEF_NET_BRIDGE);
	assert_string_equal(vm->nets[1].source, "br0");
	assert_string_equal(vm->nets[1].model, "rtl8139");
	assert_int_equal(vm->nets[2].kind, VMDEF_NET_USER);
	assert_null(vm->nets[2].source);
	assert_string_equal(vm->nets[2].model, "e1000");
	assert_int_equal(vm->nets[3].kind, VMDEF_NET_NETWORK);
	assert_string_equal(vm->nets[3].source, "lab");
	assert_string_equal(vm->nets[3].model, "virtio");
	assert_int_equal(vm->nets[3].pos.line, 29);

	assert_int_equal(vm->nboot, 3);
	assert_string_equal(vm->boot_order[0], "cdrom");
	assert_string_equal(vm->boot_order[2], "network");
	assert_true(vm->cloud_init.enabled);
	assert_string_equal(vm->cloud_init.user_data, "#cloud-config\npackages: [nginx]\n");
	assert_string_equal(vm->cloud_init.meta_data, "instance-id: x");
	assert_false(vm->console);
	assert_true(vm->autostart);
	assert_true(vm->start);
	vmdef_file_free(&f);
}

static void
test_direct_kernel_boot(void **state)
{
	struct vmdef_file f;

	(void)state;
	parse_ok(&f, "name: k\n"
	             "type: qemu\n"
	             "boot:\n"
	             "  kernel: /boot/vmlinuz\n"
	             "  initrd: /boot/initrd.img\n"
	             "  cmdline: console=ttyS0 root=/dev/vda quiet\n");
	assert_int_equal(f.vms[0].type, VMDEF_TYPE_QEMU);
	assert_string_equal(f.vms[0].kernel, "/boot/vmlinuz");
	assert_string_equal(f.vms[0].initrd, "/boot/initrd.img");
	assert_string_equal(f.vms[0].cmdline, "console=ttyS0 root=/dev/vda quiet");
	assert_int_equal(f.vms[0].nboot, 0);
	vmdef_file_free(&f);
}

static void
test_vcpus_forms(void **state)
{
	struct vmdef_file f;

	(void)state;
	parse_ok(&f, "- {name: a, vcpus: 4096}\n"
	             "- {name: b, vcpus: {max: 4}}\n"
	             "- {name: c, vcpus: {current: 3}}\n"
	             "- {name: d, vcpus: '2'}\n");
	assert_int_equal(f.vms[0].vcpus, 4096);
	assert_int_equal(f.vms[1].vcpus, 4);
	assert_int_equal(f.vms[1].max_vcpus, 4);
	assert_int_equal(f.vms[2].vcpus, 3);
	assert_int_equal(f.vms[2].max_vcpus, 3);
	assert_int_equal(f.vms[3].vcpus, 2);
	vmdef_file_free(&f);
}

static void
test_memory_forms(void **state)
{
	struct vmdef_file f;

	(void)state;
	parse_ok(&f, "- {name: a, memory: 2048}\n"      /* bare: MiB, like kcli */
	             "- {name: b, memory: 1.5G}\n"
	             "- {name: c, memory: 2GB}\n"       /* binary too */
	             "- {name: d, memory: {max: 8G}}\n"
	             "- {name: e, memory: {current: 1G}}\n"
	             "- {name: f, memory: 1.5}\n");
	assert_int_equal(f.vms[0].memory, 2 * GiB);
	assert_int_equal(f.vms[1].memory, 3 * GiB / 2);
	assert_int_equal(f.vms[2].memory, 2 * GiB);
	assert_int_equal(f.vms[3].memory, 8 * GiB);
	assert_int_equal(f.vms[3].max_memory, 8 * GiB);
	assert_int_equal(f.vms[4].memory, GiB);
	assert_int_equal(f.vms[4].max_memory, GiB);
	assert_int_equal(f.vms[5].memory, 3 * MiB / 2);
	vmdef_file_free(&f);
}

static void
test_disk_forms(void **state)
{
	struct vmdef_file f;
	struct vmdef *vm;

	(void)state;
	parse_ok(&f, "name: d\n"
	             "pool: vms\n"
	             "image: ubuntu.img\n"
	             "disks:\n"
	             "  - 10\n"            /* GiB, like kcli */
	             "  - 1.5\n"
	             "  - 512M\n"
	             "  - {size: 5, pool: other, interface: sata}\n");
	vm = &f.vms[0];
	assert_int_equal(vm->ndisks, 4);
	assert_int_equal(vm->disks[0].size, 10 * GiB);
	assert_string_equal(vm->disks[0].image, "ubuntu.img");
	assert_string_equal(vm->disks[0].pool, "vms");
	assert_int_equal(vm->disks[1].size, 3 * GiB / 2);
	assert_null(vm->disks[1].image);
	assert_int_equal(vm->disks[2].size, 512 * MiB);
	assert_int_equal(vm->disks[3].size, 5 * GiB);
	assert_string_equal(vm->disks[3].pool, "other");
	assert_string_equal(vm->disks[3].bus, "sata");
	/* A disk from an image turns cloud-init on by default. */
	assert_true(vm->cloud_init.enabled);
	vmdef_file_free(&f);
}

/* The VM's image without disks makes one disk of the image's size. */
static void
test_image_without_disks(void **state)
{
	struct vmdef_file f;

	(void)state;
	parse_ok(&f, "name: i\nimage: default/fedora.qcow2\n");
	assert_int_equal(f.vms[0].ndisks, 1);
	assert_int_equal(f.vms[0].disks[0].size, 0);
	assert_string_equal(f.vms[0].disks[0].image, "default/fedora.qcow2");
	assert_string_equal(f.vms[0].disks[0].pool, "default");
	assert_string_equal(f.vms[0].disks[0].format, "qcow2");
	assert_int_equal(f.vms[0].disks[0].pos.line, 2);
	vmdef_file_free(&f);
}

static void
test_cloud_init_forms(void **state)
{
	struct vmdef_file f;

	(void)state;
	parse_ok(&f, "- {name: a, cloud_init: true}\n"
	             "- {name: b, image: x, cloudinit: false}\n"
	             "- {name: c, keys: ssh-ed25519 AAAA me}\n"
	             "- {name: d, cloud_init: {hostname: db-1.example.org, runcmd: reboot}}\n"
	             "- {name: e, image: x}\n");
	assert_true(f.vms[0].cloud_init.enabled);
	assert_false(f.vms[1].cloud_init.enabled);
	assert_true(f.vms[2].cloud_init.enabled);
	assert_int_equal(f.vms[2].cloud_init.nkeys, 1);
	assert_string_equal(f.vms[2].cloud_init.ssh_authorized_keys[0], "ssh-ed25519 AAAA me");
	assert_true(f.vms[3].cloud_init.enabled);
	assert_string_equal(f.vms[3].cloud_init.hostname, "db-1.example.org");
	assert_int_equal(f.vms[3].cloud_init.nruncmd, 1);
	assert_string_equal(f.vms[3].cloud_init.runcmd[0], "reboot");
	assert_true(f.vms[4].cloud_init.enabled);
	vmdef_file_free(&f);
}

/* Strings are stored as they are: escaping is the XML writer's job. */
static void
test_strings_verbatim(void **state)
{
	struct vmdef_file f;
	char *text, *big = malloc(100001);

	(void)state;
	memset(big, 'x', 100000);
	big[100000] = '\0';
	text = malloc(200100);
	snprintf(text, 200100, "name: s\n"
	                       "boot:\n"
	                       "  kernel: \"/k <&> \\\"q\\\" 'é'\"\n"
	                       "  cmdline: %s\n", big);
	parse_ok(&f, text);
	assert_string_equal(f.vms[0].kernel, "/k <&> \"q\" 'é'");
	assert_string_equal(f.vms[0].cmdline, big);
	vmdef_file_free(&f);
	free(text);
	free(big);
}

static void
test_name_limits(void **state)
{
	struct vmdef_file f;
	char text[200];

	(void)state;
	snprintf(text, sizeof text, "name: %s\n",
	         "a234567890123456789012345678901234567890123456789012345678901234");
	parse_ok(&f, text);
	assert_int_equal(strlen(f.vms[0].name), 64);
	vmdef_file_free(&f);
	snprintf(text, sizeof text, "name: %s5\n",
	         "a234567890123456789012345678901234567890123456789012345678901234");
	parse_err1(text, "t.yaml:1:7: name: longer than 64 characters");
	parse_ok(&f, "name: 9_a-b.c+d\n");
	vmdef_file_free(&f);
}

/* ---- kcli ---- */

/* A kcli plan entry and the same VM in vmtui's own words. */
static void
test_kcli_plan_same_as_native(void **state)
{
	struct vmdef_file k, n;

	(void)state;
	parse_ok(&k, "web1:\n"
	             "  image: centos9stream\n"
	             "  numcpus: 2\n"
	             "  memory: 2048\n"
	             "  pool: vms\n"
	             "  disks: [20, {size: 50, interface: sata}]\n"
	             "  nets:\n"
	             "    - default\n"
	             "    - name: lab\n"
	             "      mac: 52:54:00:00:00:0a\n"
	             "  keys:\n"
	             "    - ssh-rsa AAAAB3 me@host\n"
	             "  cmds:\n"
	             "    - echo hello > /tmp/hello\n"
	             "  start: true\n");
	parse_ok(&n, "- name: web1\n"
	             "  vcpus: 2\n"
	             "  memory: 2G\n"
	             "  disks:\n"
	             "    - size: 20G\n"
	             "      pool: vms\n"
	             "      image: centos9stream\n"
	             "      format: qcow2\n"
	             "    - size: 50GiB\n"
	             "      pool: vms\n"
	             "      bus: sata\n"
	             "  networks:\n"
	             "    - network: default\n"
	             "      model: virtio\n"
	             "    - network: lab\n"
	             "      mac: 52:54:00:00:00:0A\n"
	             "  cloud_init:\n"
	             "    ssh_authorized_keys: [ssh-rsa AAAAB3 me@host]\n"
	             "    runcmd: [echo hello > /tmp/hello]\n"
	             "  start: true\n");
	assert_int_equal(k.nvms, 1);
	assert_int_equal(n.nvms, 1);
	assert_vm_equal(&k.vms[0], &n.vms[0]);
	vmdef_file_free(&k);
	vmdef_file_free(&n);
}

/* ---- sizes ---- */

static void
test_size_table(void **state)
{
	static const struct {
		const char *s;
		uint64_t bare;
		enum vmdef_size_status st;
		uint64_t want;
	} t[] = {
		{ "512M", 1, VMDEF_SIZE_OK, 512 * MiB },
		{ "2G", 1, VMDEF_SIZE_OK, 2 * GiB },
		{ "1.5G", 1, VMDEF_SIZE_OK, 3 * GiB / 2 },
		{ "2GiB", 1, VMDEF_SIZE_OK, 2 * GiB },
		{ "2Gi", 1, VMDEF_SIZE_OK, 2 * GiB },
		{ "2GB", 1, VMDEF_SIZE_OK, 2 * GiB },
		{ "2gb", 1, VMDEF_SIZE_OK, 2 * GiB },
		{ "2 GiB", 1, VMDEF_SIZE_OK, 2 * GiB },
		{ "1024K", 1, VMDEF_SIZE_OK, MiB },
		{ "1024k", 1, VMDEF_SIZE_OK, MiB },
		{ "1KB", 1, VMDEF_SIZE_OK, KiB },
		{ "1T", 1, VMDEF_SIZE_OK, TiB },
		{ "0.25T", 1, VMDEF_SIZE_OK, 256 * GiB },
		{ "100B", 1, VMDEF_SIZE_OK, 100 },
		{ "100b", 1, VMDEF_SIZE_OK, 100 },
		{ "1048576", 1, VMDEF_SIZE_OK, MiB },
		{ "1024", MiB, VMDEF_SIZE_OK, GiB },
		{ "1.5", GiB, VMDEF_SIZE_OK, 3 * GiB / 2 },
		{ "0", 1, VMDEF_SIZE_OK, 0 },
		{ "0.5K", 1, VMDEF_SIZE_OK, 512 },
		{ "1.000000000000000000000K", 1, VMDEF_SIZE_OK, KiB },
		{ "0.0009765625K", 1, VMDEF_SIZE_OK, 1 },
		{ "18446744073709551615", 1, VMDEF_SIZE_OK, UINT64_MAX },
		{ "16777215T", 1, VMDEF_SIZE_OK, 16777215 * TiB },
		{ "-1G", 1, VMDEF_SIZE_NEGATIVE, 0 },
		{ "-0.5", 1, VMDEF_SIZE_NEGATIVE, 0 },
		{ "1.3K", 1, VMDEF_SIZE_FRACTION, 0 },
		{ "1.5", 1, VMDEF_SIZE_FRACTION, 0 },
		{ "0.1M", 1, VMDEF_SIZE_FRACTION, 0 },
		{ "18446744073709551616", 1, VMDEF_SIZE_OVERFLOW, 0 },
		{ "16777216T", 1, VMDEF_SIZE_OVERFLOW, 0 },
		{ "99999999999999999999G", 1, VMDEF_SIZE_OVERFLOW, 0 },
		{ "16777215.5T", 1, VMDEF_SIZE_OK, 16777215 * TiB + TiB / 2 },
		{ "17179869183.9999990463256836G", 1, VMDEF_SIZE_FRACTION, 0 },
		{ "2X", 1, VMDEF_SIZE_UNIT, 0 },
		{ "2P", 1, VMDEF_SIZE_UNIT, 0 },
		{ "2Bi", 1, VMDEF_SIZE_UNIT, 0 },
		{ "2GiBs", 1, VMDEF_SIZE_UNIT, 0 },
		{ "1e3", 1, VMDEF_SIZE_UNIT, 0 },
		{ "0x10", 1, VMDEF_SIZE_UNIT, 0 },
		{ "", 1, VMDEF_SIZE_SYNTAX, 0 },
		{ "G", 1, VMDEF_SIZE_SYNTAX, 0 },
		{ ".5G", 1, VMDEF_SIZE_SYNTAX, 0 },
		{ "1.G", 1, VMDEF_SIZE_SYNTAX, 0 },
		{ "+1G", 1, VMDEF_SIZE_SYNTAX, 0 },
		{ "-", 1, VMDEF_SIZE_SYNTAX, 0 },
		{ "two", 1, VMDEF_SIZE_SYNTAX, 0 },
	};
	size_t i;
	uint64_t out;

	(void)state;
	for (i = 0; i < sizeof t / sizeof *t; i++) {
		enum vmdef_size_status st;
		out = 12345;
		st = vmdef_parse_size(t[i].s, t[i].bare, &out);
		if (st != t[i].st)
			fail_msg("\"%s\": status %d, wanted %d", t[i].s, st, t[i].st);
		if (st == VMDEF_SIZE_OK && out != t[i].want)
			fail_msg("\"%s\": %llu, wanted %llu", t[i].s, (unsigned long long)out,
			         (unsigned long long)t[i].want);
	}
}

/* ---- errors, each with its exact message ---- */

static void
test_error_table(void **state)
{
	static const char *const t[][2] = {
		/* names */
		{ "name: a b\n", "t.yaml:1:7: name: \"a b\" may only hold letters, digits and - _ . +" },
		{ "name: .x\n", "t.yaml:1:7: name: \".x\" must start with a letter or a digit" },
		{ "name: \"a\\0b\"\n", "t.yaml:1:7: name: contains a NUL character" },
		{ "name: [a]\n", "t.yaml:1:7: name: expected a VM name, not a list" },
		{ "memory: 2G\nvcpus: 1\n", "t.yaml:1:1: missing key \"name\" (every VM needs one)" },
		{ "- vcpus: 1\n", "t.yaml:1:3: missing key \"name\" (every VM needs one)" },
		{ "a:\n  name: b\n", "t.yaml:2:9: name: \"b\" differs from the key \"a\" it is under" },
		{ "\"a b\": {}\n", "t.yaml:1:1: name: \"a b\" may only hold letters, digits and - _ . +" },
		/* basics */
		{ "name: a\nhost: \"\"\n", "t.yaml:2:7: host: expected a host name from the config, not an empty value" },
		{ "name: a\nhost:\nvcpus: 1\n", "t.yaml:2:6: host: expected a host name from the config, not an empty value" },
		{ "name: a\ntype: xen\n", "t.yaml:2:7: type: \"xen\" is not one of kvm, qemu, auto" },
		{ "name: a\ngraphics: spice\n", "t.yaml:2:11: graphics: \"spice\" is not one of vnc, none" },
		{ "name: a\narch: [x]\n", "t.yaml:2:7: arch: expected an architecture such as x86_64, not a list" },
		{ "name: a\nmachine: {}\n", "t.yaml:2:10: machine: expected a machine type such as q35, not a mapping" },
		{ "name: a\nconsole: maybe\n", "t.yaml:2:10: console: expected true or false, not \"maybe\"" },
		{ "name: a\nstart: 1\n", "t.yaml:2:8: start: expected true or false, not \"1\"" },
		{ "name: a\nautostart: [true]\n", "t.yaml:2:12: autostart: expected true or false, not a list" },
		/* vcpus */
		{ "name: a\nvcpus: 0\n", "t.yaml:2:8: vcpus: \"0\" is not a whole number from 1 to 4096" },
		{ "name: a\nvcpus: 4097\n", "t.yaml:2:8: vcpus: \"4097\" is not a whole number from 1 to 4096" },
		{ "name: a\nvcpus: -1\n", "t.yaml:2:8: vcpus: \"-1\" is not a whole number from 1 to 4096" },
		{ "name: a\nvcpus: 1.5\n", "t.yaml:2:8: vcpus: \"1.5\" is not a whole number from 1 to 4096" },
		{ "name: a\nnumcpus: two\n", "t.yaml:2:10: numcpus: \"two\" is not a whole number from 1 to 4096" },
		{ "name: a\nvcpus: 99999999999\n", "t.yaml:2:8: vcpus: \"99999999999\" is not a whole number from 1 to 4096" },
		{ "name: a\nvcpus: {current: 8, max: 4}\n", "t.yaml:2:8: vcpus: current (8) is more than max (4)" },
		{ "name: a\nvcpus: {}\n", "t.yaml:2:8: vcpus: give current, max or both" },
		{ "name: a\nvcpus: [1]\n", "t.yaml:2:8: vcpus: expected a whole number, not a list" },
		/* memory */
		{ "name: a\nmemory: -1G\n", "t.yaml:2:9: memory: \"-1G\" is negative" },
		{ "name: a\nmemory: 2X\n", "t.yaml:2:9: memory: unknown unit \"X\" in \"2X\" (use K, M, G or T, e.g. 512M, 2G)" },
		{ "name: a\nmemory: 2 PB\n", "t.yaml:2:9: memory: unknown unit \"PB\" in \"2 PB\" (use K, M, G or T, e.g. 512M, 2G)" },
		{ "name: a\nmemory: lots\n", "t.yaml:2:9: memory: \"lots\" is not a size (e.g. 512M, 2G)" },
		{ "name: a\nmemory: 1.3K\n", "t.yaml:2:9: memory: \"1.3K\" is not a whole number of bytes" },
		{ "name: a\nmemory: 99999999999T\n", "t.yaml:2:9: memory: \"99999999999T\" is too large" },
		{ "name: a\nmemory: 512K\n", "t.yaml:2:9: memory: \"512K\" is less than 1M" },
		{ "name: a\nmemory: 0.5\n", "t.yaml:2:9: memory: \"0.5\" is less than 1M" },
		{ "name: a\nmemory: 1048577B\n", "t.yaml:2:9: memory: \"1048577B\" is not a whole number of KiB" },
		{ "name: a\nmemory: [1]\n", "t.yaml:2:9: memory: expected a size such as 512M or 2G, not a list" },
		{ "name: a\nmemory: {current: 4G, max: 2G}\n", "t.yaml:2:9: memory: current (4G) is more than max (2G)" },
		{ "name: a\nmemory: {current: 4G, max: x}\n", "t.yaml:2:28: max: \"x\" is not a size (e.g. 512M, 2G)" },
		/* disks */
		{ "name: a\ndisks: 10\n", "t.yaml:2:8: disks: expected a list of disks, not a single value" },
		{ "name: a\ndisks: [[1]]\n", "t.yaml:2:9: disks: expected a size or a mapping describing a disk, not a list" },
		{ "name: a\ndisks: [0]\n", "t.yaml:2:9: disks: a disk size must be more than 0" },
		{ "name: a\ndisks: [10X]\n", "t.yaml:2:9: disks: unknown unit \"X\" in \"10X\" (use K, M, G or T, e.g. 512M, 2G)" },
		{ "name: a\ndisks: [{size: 0}]\n", "t.yaml:2:16: size: a disk size must be more than 0" },
		{ "name: a\ndisks: [{pool: x}]\n", "t.yaml:2:9: a disk needs size, image or path" },
		{ "name: a\ndisks:\n  - path: /x.img\n    size: 1G\n",
		  "t.yaml:4:5: size: cannot be combined with path (line 3), an existing file used as is" },
		{ "name: a\ndisks: [{size: 1G, format: vmdk}]\n", "t.yaml:2:28: format: \"vmdk\" is not one of qcow2, raw" },
		{ "name: a\ndisks: [{size: 1G, interface: scsi2}]\n", "t.yaml:2:31: interface: \"scsi2\" is not one of virtio, sata, scsi, ide" },
		{ "name: a\ndisks: [{image: a/b/c}]\n", "t.yaml:2:17: image: \"a/b/c\" is neither an absolute path nor pool/volume" },
		{ "name: a\ndisks: [{image: pool/}]\n", "t.yaml:2:17: image: \"pool/\" is neither an absolute path nor pool/volume" },
		{ "name: a\ndisks: [{size: 1G, copy: true}]\n", "t.yaml:2:20: copy: needs an image to copy" },
		{ "name: a\ndisks: [{size: 1G, copy: sure}]\n", "t.yaml:2:26: copy: expected true or false, not \"sure\"" },
		{ "name: a\ndisks: [{image: x, format: raw}]\n",
		  "t.yaml:2:20: format: a raw disk cannot be an overlay on an image; add copy: true or use qcow2" },
		{ "name: a\nimage: x\ndisks: [{format: raw}]\n",
		  "t.yaml:3:10: format: a raw disk cannot be an overlay on an image; add copy: true or use qcow2" },
		{ "name: a\ndisks: [{path: rel.img}]\n", "t.yaml:2:16: path: expected an absolute path on the host, not \"rel.img\"" },
		{ "name: a\nimage: x\ndisks: [{image: y}]\n", "t.yaml:2:1: image: the first disk (line 3) already has an image" },
		{ "name: a\nimage: x\ndisks: [{path: /y}]\n", "t.yaml:2:1: image: the first disk (line 3) already has a path" },
		{ "name: a\npool: [x]\n", "t.yaml:2:7: pool: expected a storage pool name, not a list" },
		/* networks */
		{ "name: a\nnetworks: default\n", "t.yaml:2:11: networks: expected a list of network interfaces, not a single value" },
		{ "name: a\nnets: [[a]]\n", "t.yaml:2:8: nets: expected a network name or a mapping, not a list" },
		{ "name: a\nnets: [~]\n", "t.yaml:2:8: nets: expected a network name or a mapping, not an empty value" },
		{ "name: a\nnetworks: [{mac: '52:54:00:00:00:01'}]\n",
		  "t.yaml:2:12: a network interface needs one of network, bridge or user: true" },
		{ "name: a\nnetworks: [{user: false}]\n",
		  "t.yaml:2:12: a network interface needs one of network, bridge or user: true" },
		{ "name: a\nnetworks:\n  - network: a\n    bridge: b\n", "t.yaml:4:5: bridge: cannot be combined with network (line 3)" },
		{ "name: a\nnetworks:\n  - name: a\n    user: true\n", "t.yaml:4:5: user: cannot be combined with name (line 3)" },
		{ "name: a\nnetworks: [{network: a, mac: '52:54:00:00:00'}]\n",
		  "t.yaml:2:30: mac: \"52:54:00:00:00\" is not a MAC address like 52:54:00:12:34:56" },
		{ "name: a\nnetworks: [{network: a, mac: '52-54-00-00-00-01'}]\n",
		  "t.yaml:2:30: mac: \"52-54-00-00-00-01\" is not a MAC address like 52:54:00:12:34:56" },
		{ "name: a\nnetworks: [{network: a, mac: '52:54:00:00:00:0g'}]\n",
		  "t.yaml:2:30: mac: \"52:54:00:00:00:0g\" is not a MAC address like 52:54:00:12:34:56" },
		{ "name: a\nnetworks: [{network: a, mac: '01:00:5e:00:00:01'}]\n",
		  "t.yaml:2:30: mac: \"01:00:5e:00:00:01\" is a multicast address (the first byte must be even)" },
		{ "name: a\nnetworks: [{network: a, model: ne2k}]\n",
		  "t.yaml:2:32: model: \"ne2k\" is not one of virtio, e1000, e1000e, rtl8139" },
		{ "name: a\nnetworks: [{bridge: ''}]\n", "t.yaml:2:21: bridge: expected a bridge name, not an empty value" },
		/* boot */
		{ "name: a\nboot: [hd]\n", "t.yaml:2:7: boot: expected a mapping with kernel, initrd, cmdline or order, not a list" },
		{ "name: a\nboot: {initrd: /i}\n", "t.yaml:2:8: initrd: needs kernel" },
		{ "name: a\nboot: {cmdline: quiet}\n", "t.yaml:2:8: cmdline: needs kernel" },
		{ "name: a\nboot: {kernel: vmlinuz}\n", "t.yaml:2:16: kernel: expected an absolute path on the host, not \"vmlinuz\"" },
		{ "name: a\nboot:\n  kernel: /k\n  order: [hd]\n", "t.yaml:4:3: order: cannot be combined with kernel (line 3)" },
		{ "name: a\nboot: {order: [hd, floppy]}\n", "t.yaml:2:15: order: \"floppy\" is not one of hd, cdrom, network" },
		{ "name: a\nboot: {order: [hd, cdrom, hd]}\n", "t.yaml:2:15: order: \"hd\" is listed twice" },
		{ "name: a\nboot: {order: {hd: 1}}\n", "t.yaml:2:15: order: expected a list, each hd, cdrom or network, not a mapping" },
		/* cloud-init */
		{ "name: a\ncloud_init: maybe\n", "t.yaml:2:13: cloud_init: expected true or false, not \"maybe\"" },
		{ "name: a\ncloudinit: [x]\n", "t.yaml:2:12: cloudinit: expected false, true or a mapping, not a list" },
		{ "name: a\ncloud_init:\n  user_data: x\n  user_data_file: f\n",
		  "t.yaml:4:3: user_data_file: cannot be combined with user_data (line 3)" },
		{ "name: a\ncloud_init: {user_data_file: nope.txt}\n",
		  "t.yaml:2:30: user_data_file: cannot read \"./nope.txt\": No such file or directory" },
		/* Devices and FIFOs would never end or never answer. */
		{ "name: a\ncloud_init: {user_data_file: /dev/zero}\n",
		  "t.yaml:2:30: user_data_file: \"/dev/zero\" is not a regular file" },
		{ "name: a\ncloud_init: {user_data_file: /}\n",
		  "t.yaml:2:30: user_data_file: cannot read \"/\": Is a directory" },
		{ "name: a\ncloud_init: false\nkeys: [k]\n", "t.yaml:3:1: keys: cloud_init is \"false\" (line 2)" },
		{ "name: a\ncloud_init: {ssh_authorized_keys: [a]}\nkeys: [b]\n",
		  "t.yaml:3:1: keys: cannot be combined with ssh_authorized_keys in cloud_init (line 2)" },
		{ "name: a\ncloud_init: {runcmd: [a]}\ncmds: [b]\n",
		  "t.yaml:3:1: cmds: cannot be combined with runcmd in cloud_init (line 2)" },
		{ "name: a\ncloud_init: {user_data: x}\ncmds: [b]\n",
		  "t.yaml:3:1: cmds: cannot be combined with user_data in cloud_init (line 2); put it in the user data" },
		{ "name: a\ncloud_init:\n  user_data: x\n  runcmd: [a]\n",
		  "t.yaml:4:3: runcmd: cannot be combined with user_data (line 3); put it in the user data" },
		{ "name: a\ncloud_init:\n  ssh_authorized_keys: [a]\n  user_data: x\n",
		  "t.yaml:3:3: ssh_authorized_keys: cannot be combined with user_data (line 4); put it in the user data" },
		{ "name: a\ncloud_init:\n  meta_data: x\n  hostname: h\n",
		  "t.yaml:4:3: hostname: cannot be combined with meta_data (line 3); put it in the meta data" },
		{ "name: a\ncloud_init: {hostname: a_b}\n", "t.yaml:2:24: hostname: \"a_b\" is not a host name (letters, digits, - and .)" },
		{ "name: a\nkeys: {a: b}\n", "t.yaml:2:7: keys: expected a list, each an SSH public key, not a mapping" },
		{ "name: a\ncmds: [[ls]]\n", "t.yaml:2:8: cmds: expected a shell command, not a list" },
		/* unknown and duplicate keys */
		{ "name: a\nmemroy: 1G\n", "t.yaml:2:1: unknown key \"memroy\" (did you mean \"memory\"?)" },
		{ "name: a\nnetwork: [default]\n", "t.yaml:2:1: unknown key \"network\" (did you mean \"networks\"?)" },
		{ "name: a\nfrobnicate: 1\n", "t.yaml:2:1: unknown key \"frobnicate\" for a VM (see vmtui.yaml(5))" },
		{ "name: a\ndisks: [{sise: 1G}]\n", "t.yaml:2:10: unknown key \"sise\" (did you mean \"size\"?)" },
		{ "name: a\ndisks: [{size: 1G, thin: true}]\n",
		  "t.yaml:2:20: unknown key \"thin\" for a disk (known: size, pool, format, bus, interface, image, copy, path)" },
		{ "name: a\nnets: [{name: x, ip: 10.0.0.2}]\n",
		  "t.yaml:2:18: unknown key \"ip\" for a network interface (known: network, name, bridge, user, mac, model)" },
		{ "name: a\nvcpus: {current: 1, maximum: 2}\n", "t.yaml:2:21: unknown key \"maximum\" for vcpus (known: current, max)" },
		{ "name: a\nboot: {kernal: /k}\n", "t.yaml:2:8: unknown key \"kernal\" (did you mean \"kernel\"?)" },
		{ "name: a\ncloud_init: {userdata: x}\n", "t.yaml:2:14: unknown key \"userdata\" (did you mean \"user_data\"?)" },
		{ "name: a\n[x]: 1\n", "t.yaml:2:1: expected a key name, not a list" },
		{ "name: a\nmemory: 1G\nmemory: 2G\n", "t.yaml:3:1: duplicate key \"memory\" (first at line 2)" },
		{ "name: a\nnetworks: []\nnets: []\n", "t.yaml:3:1: duplicate key \"nets\" (same as \"networks\" at line 2)" },
		{ "name: a\nnets:\n  - network: x\n    name: y\n", "t.yaml:4:5: duplicate key \"name\" (same as \"network\" at line 3)" },
		/* VM names */
		{ "- name: a\n- name: a\n", "t.yaml:2:9: duplicate VM name \"a\" (first at t.yaml:1:3)" },
		{ "a: {}\nb: {}\na: {}\n", "t.yaml:3:1: duplicate VM name \"a\" (first at t.yaml:1:1)" },
		/* shapes */
		{ "hello\n", "t.yaml:1:1: expected a VM, a list of VMs or a mapping of names to VMs, not a single value" },
		{ "- a\n", "t.yaml:1:3: expected a VM (a mapping with a name), not a single value" },
		{ "web: {memory: 1G}\ndb: 4G\n", "t.yaml:2:5: expected a mapping describing VM \"db\", not a single value" },
		{ "[a]: {}\n", "t.yaml:1:1: expected a VM name, not a list" },
		{ "", "t.yaml:1:1: no VM defined" },
		{ "# nothing\n---\n", "t.yaml:1:1: no VM defined" },
		{ "[]\n", "t.yaml:1:1: no VM defined" },
		/* YAML itself */
		{ "name: a\n  b: c\n", "t.yaml:2:4: mapping values are not allowed in this context" },
		{ "name: a\nhost: [x\n", "t.yaml:3:1: did not find expected ',' or ']' while parsing a flow sequence" },
		{ "name: *x\n", "t.yaml:1:7: found undefined alias" },
		{ "name: a\nhost: \xff\n", "t.yaml:2:7: invalid leading UTF-8 octet (0xFF)" },
		{ "name: a\nhost: h\xc3\xa9\xc3", "t.yaml:2:9: incomplete UTF-8 octet sequence" },
		{ "name: a\nhost: h\xc3\xa9\xc3\n", "t.yaml:2:10: invalid trailing UTF-8 octet (0xA)" },
		{ "name: a\nhost: \"\x01\"\n", "t.yaml:2:8: control characters are not allowed (0x1)" },
	};
	size_t i, bad = 0;

	(void)state;
	for (i = 0; i < sizeof t / sizeof *t; i++) {
		struct vmdef_file f = { 0 };
		struct config_errors e = { 0 };
		int rc = parse(&f, t[i][0], &e);
		if (rc != -1 || e.n != 1 || strcmp(e.v[0], t[i][1]) != 0) {
			print_message("case %zu: %s\n  rc %d, %zu errors, first: %s\n  wanted: %s\n",
			              i, t[i][0], rc, e.n, e.n ? e.v[0] : "(none)", t[i][1]);
			bad++;
		}
		config_errors_free(&e);
		vmdef_file_free(&f);
	}
	assert_int_equal(bad, 0);
}

/* Every error of a file is reported, in file order. */
static void
test_several_errors(void **state)
{
	static const char *const want[] = {
		"t.yaml:2:3: unknown key \"memroy\" (did you mean \"memory\"?)",
		"t.yaml:3:10: vcpus: \"0\" is not a whole number from 1 to 4096",
		"t.yaml:5:13: size: unknown unit \"X\" in \"10X\" (use K, M, G or T, e.g. 512M, 2G)",
		"t.yaml:7:7: bridge: cannot be combined with network (line 8)",
		"t.yaml:9:3: keys: cloud_init is \"off\" (line 10)",
		"t.yaml:11:9: name: \"b c\" may only hold letters, digits and - _ . +",
		"t.yaml:12:9: duplicate VM name \"web\" (first at t.yaml:1:3)",
		NULL,
	};

	(void)state;
	parse_errs("- name: web\n"
	           "  memroy: 2G\n"
	           "  vcpus: 0\n"
	           "  disks:\n"
	           "    - size: 10X\n"
	           "  networks:\n"
	           "    - bridge: br0\n"
	           "      network: default\n"
	           "  keys: [k]\n"
	           "  cloud_init: off\n"
	           "- name: b c\n"
	           "- name: web\n", want);
}

/* Errors in one mapping do not hide those of the next; errors on one
 * line come in column order. */
static void
test_errors_in_nested_mappings(void **state)
{
	static const char *const want1[] = {
		"t.yaml:2:8: vcpus: give current, max or both",
		"t.yaml:2:9: unknown key \"min\" (did you mean \"max\"?)",
		NULL,
	};
	static const char *const want2[] = {
		"t.yaml:3:5: a disk needs size, image or path",
		"t.yaml:4:5: a disk needs size, image or path",
		NULL,
	};

	(void)state;
	parse_errs("name: a\nvcpus: {min: 1}\n", want1);
	parse_errs("name: a\ndisks:\n  - pool: a\n  - bus: ide\n", want2);
}

/* A duplicate name across two files names the first file. */
static void
test_duplicate_across_files(void **state)
{
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };

	(void)state;
	assert_int_equal(vmdef_parse(&f, "a.yaml", NULL, "x: {}\n", 6, &e), 0);
	assert_int_equal(vmdef_parse(&f, "b.yaml", NULL, "\n- name: x\n", 11, &e), -1);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.v[0], "b.yaml:2:9: duplicate VM name \"x\" (first at a.yaml:1:1)");
	config_errors_free(&e);
	vmdef_file_free(&f);
}

/* A file with errors leaves partly filled VMs behind; freeing them is clean
 * (valgrind checks this). */
static void
test_partial_free(void **state)
{
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };
	const char *text = "- name: p\n"
	                   "  host: h\n"
	                   "  disks: [10, {image: x, pool: p, format: vmdk}, {path: /a}]\n"
	                   "  nets: [a, {bridge: b, mac: bad}]\n"
	                   "  boot: {kernel: /k, order: [hd]}\n"
	                   "  cloud_init: {user_data: x, runcmd: [a], hostname: h}\n"
	                   "- name: q\n"
	                   "  memory: {current: 1G, max: nope}\n"
	                   "  disks: 3\n"
	                   "  keys: [a, b]\n"
	                   "  cmds: [c]\n"
	                   "  bogus: 1\n"
	                   "- 42\n"
	                   "- name: r\n"
	                   "  cloud_init: {ssh_authorized_keys: [a], runcmd: [b], meta_data: m}\n"
	                   "  boot: {order: [cdrom, hd]}\n"
	                   "  name: r2\n";

	(void)state;
	assert_int_equal(parse(&f, text, &e), -1);
	assert_true(e.n >= 5);
	assert_int_equal(f.nvms, 3);
	assert_string_equal(f.vms[0].host, "h");
	assert_int_equal(f.vms[2].cloud_init.nkeys, 1);
	config_errors_free(&e);
	vmdef_file_free(&f);
	/* Freeing one VM alone works too. */
	parse_ok(&f, "name: one\nnets: [a, b]\ndisks: [1]\n");
	vmdef_free(&f.vms[0]);
	assert_null(f.vms[0].name);
	vmdef_file_free(&f);
}

/* ---- files ---- */

static char tmpdir[64];

static int
tmp_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_vmdef.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
tmp_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* user_data_file is relative to the YAML file's folder, not the cwd. */
static void
test_user_data_file(void **state)
{
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };
	char path[128], sub[128], want[512];

	(void)state;
	snprintf(sub, sizeof sub, "%s/vms", tmpdir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(path, sizeof path, "%s/vms/user-data.yaml", tmpdir);
	write_file(path, "#cloud-config\nruncmd: [touch /ok]\n");
	snprintf(path, sizeof path, "%s/vms/web.yaml", tmpdir);
	write_file(path, "name: web\ncloud_init:\n  user_data_file: user-data.yaml\n");
	assert_int_equal(vmdef_load(&f, path, &e), 0);
	assert_int_equal(e.n, 0);
	assert_string_equal(f.vms[0].cloud_init.user_data, "#cloud-config\nruncmd: [touch /ok]\n");
	assert_string_equal(f.names[0], path);

	/* Unreadable: the message names the full path. */
	snprintf(path, sizeof path, "%s/vms/bad.yaml", tmpdir);
	write_file(path, "name: bad\ncloud_init:\n  user_data_file: missing.txt\n");
	assert_int_equal(vmdef_load(&f, path, &e), -1);
	assert_int_equal(e.n, 1);
	snprintf(want, sizeof want, "%s:3:19: user_data_file: cannot read \"%s/vms/missing.txt\": "
	         "No such file or directory", path, tmpdir);
	assert_string_equal(e.v[0], want);
	config_errors_free(&e);

	/* Not text. */
	snprintf(path, sizeof path, "%s/vms/nul.bin", tmpdir);
	write_file(path, "a");
	{
		FILE *fp = fopen(path, "ab");
		fputc(0, fp);
		fclose(fp);
	}
	snprintf(path, sizeof path, "%s/vms/nul.yaml", tmpdir);
	write_file(path, "name: nul\ncloud_init: {user_data_file: nul.bin}\n");
	assert_int_equal(vmdef_load(&f, path, &e), -1);
	snprintf(want, sizeof want, "%s:2:30: user_data_file: \"%s/vms/nul.bin\" is not text "
	         "(it holds NUL bytes)", path, tmpdir);
	assert_string_equal(e.v[0], want);
	config_errors_free(&e);
	vmdef_file_free(&f);
}

static void
test_load_missing(void **state)
{
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };

	(void)state;
	assert_int_equal(vmdef_load(&f, "/nonexistent/vms.yaml", &e), -1);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.v[0], "/nonexistent/vms.yaml:1:1: cannot read: No such file or directory");
	assert_int_equal(f.nvms, 0);
	config_errors_free(&e);
	vmdef_file_free(&f);
}

/* Every VM definition file in examples/ is valid (config.yaml is the
 * example configuration, tested in test_keymap.c). */
static void
test_examples(void **state)
{
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };
	DIR *d = opendir(EXAMPLES_DIR);
	struct dirent *de;
	char path[1024];
	size_t n = 0, len;

	(void)state;
	if (d == NULL)
		fail_msg("cannot open %s", EXAMPLES_DIR);
	while ((de = readdir(d))) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 5, ".yaml") != 0 ||
		    strcmp(de->d_name, "config.yaml") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", EXAMPLES_DIR, de->d_name);
		if (vmdef_load(&f, path, &e) != 0)
			fail_msg("%s", e.v[0]);
		n++;
	}
	closedir(d);
	assert_true(n >= 3);
	assert_true(f.nvms >= 3 + 2);
	vmdef_file_free(&f);
}

/* What the examples say they do. */
static void
test_examples_content(void **state)
{
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };
	struct vmdef *vm;

	(void)state;
	assert_int_equal(vmdef_load(&f, EXAMPLES_DIR "/tiny.yaml", &e), 0);
	vm = &f.vms[0];
	assert_non_null(vm->kernel);
	assert_int_equal(vm->ndisks, 0);
	assert_int_equal(vm->nnets, 0);
	assert_int_equal(vm->memory, 256 * MiB);
	assert_int_equal(vmdef_load(&f, EXAMPLES_DIR "/web.yaml", &e), 0);
	vm = &f.vms[1];
	assert_true(vm->cloud_init.enabled);
	assert_int_equal(vm->nnets, 2);
	assert_string_equal(vm->disks[0].format, "qcow2");
	assert_non_null(vm->disks[0].image);
	assert_false(vm->disks[0].image_copy);
	assert_int_equal(vmdef_load(&f, EXAMPLES_DIR "/plan.yaml", &e), 0);
	assert_int_equal(f.nvms, 2 + 4);
	vm = &f.vms[2];
	assert_string_equal(vm->name, "db1");
	assert_int_equal(vm->memory, 8 * GiB);
	assert_int_equal(vm->ndisks, 2);
	assert_string_equal(vm->disks[1].pool, "vms");
	assert_int_equal(e.n, 0);
	vmdef_file_free(&f);
}

/* A parse without errors counts none, and every VM is complete. */
static void
test_check_parsed(void **state)
{
	static const char *const files[] = { "tiny.yaml", "web.yaml", "plan.yaml" };
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };
	char path[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof files / sizeof *files; i++) {
		snprintf(path, sizeof path, "%s/%s", EXAMPLES_DIR, files[i]);
		assert_int_equal(vmdef_load(&f, path, &e), 0);
	}
	assert_int_equal(f.nerrors, 0);
	for (i = 0; i < f.nvms; i++)
		assert_null(vmdef_check(&f.vms[i]));
	vmdef_file_free(&f);
}

/* Parse text that must fail; the file counts exactly the errors listed.
 * Returns what vmdef_check says of VM `vm` (static text), or NULL. */
static const char *
check_after_errors(const char *text, size_t nvms, size_t vm)
{
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };
	const char *why = NULL;

	assert_int_equal(parse(&f, text, &e), -1);
	assert_true(e.n > 0);
	assert_int_equal(f.nerrors, e.n);
	assert_int_equal(f.nvms, nvms);
	if (vm < f.nvms)
		why = vmdef_check(&f.vms[vm]);
	config_errors_free(&e);
	vmdef_file_free(&f);
	return why;
}

/* A file with errors is counted as such, and what its VMs lack shows. */
static void
test_check_invalid(void **state)
{
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };
	size_t i, n;

	(void)state;
	/* No name: the VM is kept, without one. */
	assert_string_equal(check_after_errors("vcpus: 1\nmemory: 256M\n", 1, 0),
	                    "it has no name");
	/* Wrong types: a list for the name, a network interface without a source. */
	assert_string_equal(check_after_errors("name: [a, b]\nvcpus: many\n", 1, 0),
	                    "it has no name");
	assert_string_equal(check_after_errors("name: w\nvcpus: [1]\nmemory: {x: 1}\n"
	                                       "nets: [{mac: 1}]\n", 1, 0),
	                    "a network interface has no network or bridge");
	/* Empty documents and a bare value define nothing. */
	check_after_errors("", 0, 0);
	check_after_errors("---\n---\n", 0, 0);
	check_after_errors("42\n", 0, 0);
	/* One good VM next to a bad one: the file still counts its error. */
	assert_null(check_after_errors("- name: good\n- vcpus: 2\n", 2, 0));
	assert_string_equal(check_after_errors("- name: good\n- vcpus: 2\n", 2, 1),
	                    "it has no name");
	/* vmtui's own configuration file is no VM file. */
	assert_int_equal(vmdef_load(&f, EXAMPLES_DIR "/config.yaml", &e), -1);
	assert_true(e.n > 1);
	assert_int_equal(f.nerrors, e.n);
	for (i = 0; i < f.nvms; i++)
		assert_non_null(vmdef_check(&f.vms[i]));
	n = e.n;
	config_errors_free(&e);
	/* A file that cannot be read counts too, on top of the others. */
	assert_int_equal(vmdef_load(&f, "/nonexistent/vmtui.yaml", &e), -1);
	assert_int_equal(e.n, 1);
	assert_int_equal(f.nerrors, n + 1);
	config_errors_free(&e);
	vmdef_file_free(&f);
}

/* Definitions built by hand: each missing part is named. */
static void
test_check_by_hand(void **state)
{
	struct vmdef_disk disk = { .format = "qcow2", .bus = "virtio", .pool = "default" };
	struct vmdef_net net = { .kind = VMDEF_NET_NETWORK, .source = "default", .model = "virtio" };
	struct vmdef vm = { .name = "h", .vcpus = 1, .max_vcpus = 1, .memory = MiB,
	                    .max_memory = MiB, .disks = &disk, .ndisks = 1, .nets = &net,
	                    .nnets = 1 };

	(void)state;
	assert_null(vmdef_check(&vm));
	vm.name = "";
	assert_string_equal(vmdef_check(&vm), "it has no name");
	vm.name = "h";
	vm.vcpus = 2;
	assert_string_equal(vmdef_check(&vm), "its vCPUs are not set");
	vm.vcpus = 1;
	vm.memory = 0;
	assert_string_equal(vmdef_check(&vm), "its memory is not set");
	vm.memory = MiB;
	disk.bus = NULL;
	assert_string_equal(vmdef_check(&vm), "a disk has no bus");
	disk.bus = "virtio";
	disk.pool = NULL;
	assert_string_equal(vmdef_check(&vm), "a disk has neither a pool nor a path");
	disk.path = "/dev/vg/x";
	assert_null(vmdef_check(&vm));
	net.model = NULL;
	assert_string_equal(vmdef_check(&vm), "a network interface has no model");
	net.model = "virtio";
	net.source = NULL;
	assert_string_equal(vmdef_check(&vm), "a network interface has no network or bridge");
	net.kind = VMDEF_NET_USER;
	assert_null(vmdef_check(&vm));
	vm.ndisks = 2;
	vm.disks = NULL;
	assert_string_equal(vmdef_check(&vm), "its disks are missing");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape_single),
		cmocka_unit_test(test_shape_list),
		cmocka_unit_test(test_shape_plan),
		cmocka_unit_test(test_shape_documents),
		cmocka_unit_test(test_shape_several_files),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all_keys),
		cmocka_unit_test(test_flag_empty_mapping),
		cmocka_unit_test(test_direct_kernel_boot),
		cmocka_unit_test(test_vcpus_forms),
		cmocka_unit_test(test_memory_forms),
		cmocka_unit_test(test_disk_forms),
		cmocka_unit_test(test_image_without_disks),
		cmocka_unit_test(test_cloud_init_forms),
		cmocka_unit_test(test_strings_verbatim),
		cmocka_unit_test(test_name_limits),
		cmocka_unit_test(test_kcli_plan_same_as_native),
		cmocka_unit_test(test_size_table),
		cmocka_unit_test(test_error_table),
		cmocka_unit_test(test_several_errors),
		cmocka_unit_test(test_errors_in_nested_mappings),
		cmocka_unit_test(test_duplicate_across_files),
		cmocka_unit_test(test_partial_free),
		cmocka_unit_test_setup_teardown(test_user_data_file, tmp_setup, tmp_teardown),
		cmocka_unit_test(test_load_missing),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_examples_content),
		cmocka_unit_test(test_check_parsed),
		cmocka_unit_test(test_check_invalid),
		cmocka_unit_test(test_check_by_hand),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
