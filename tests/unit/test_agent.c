/* test_agent.c — model/guest/agent.h: the facts read from the typed
 * parameters virDomainGetGuestInfo gives (as libvirt 9.0 named them for
 * the fixture's qemu-ga 7.2), the fullest filesystem, the agent channel
 * in a live domain XML, and the cache's rule: how many times the agent is
 * asked (never without a connected channel, once per period, after a
 * failure only past the backoff, again after a restart). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/vmdef.h"
#include "model/base/xmalloc.h"
#include "model/defs/vmxml.h"
#include "model/guest/agent.h"

#define SEC 1000000000ull

static int cache_key; /* the "host" of the cache entries made here */

static virTypedParameter
ps(const char *field, const char *v)
{
	virTypedParameter p;

	memset(&p, 0, sizeof p);
	snprintf(p.field, sizeof p.field, "%s", field);
	p.type = VIR_TYPED_PARAM_STRING;
	p.value.s = (char *)v;
	return p;
}

static virTypedParameter
pu(const char *field, unsigned long long v)
{
	virTypedParameter p;

	memset(&p, 0, sizeof p);
	snprintf(p.field, sizeof p.field, "%s", field);
	p.type = VIR_TYPED_PARAM_ULLONG;
	p.value.ul = v;
	return p;
}

static virTypedParameter
pi(const char *field, int v)
{
	virTypedParameter p;

	memset(&p, 0, sizeof p);
	snprintf(p.field, sizeof p.field, "%s", field);
	p.type = VIR_TYPED_PARAM_INT;
	p.value.i = v;
	return p;
}

static void
facts_from_guestinfo(void **state)
{
	virTypedParameter p[] = {
		/* Indexed fields before their count: order is not promised. */
		ps("fs.1.mountpoint", "/mnt"), ps("fs.1.fstype", "ext2"),
		pu("fs.1.total-bytes", 30000000), pu("fs.1.used-bytes", 27000000),
		pu("fs.count", 2), ps("fs.0.mountpoint", "/"), ps("fs.0.name", "vda1"),
		pu("fs.0.total-bytes", 1000), pu("fs.0.used-bytes", 100),
		ps("fs.7.mountpoint", "/beyond-count"),
		pu("user.count", 1), ps("user.0.name", "root"), pu("user.0.login-time", 1700000000123ull),
		ps("os.id", "vmtuitest"), ps("os.name", "vmtui test guest"),
		ps("os.pretty-name", "vmtui test guest 4"), ps("os.version-id", "4"),
		ps("os.kernel-release", "6.1.0-57-cloud-amd64"), ps("hostname", "vmtui-guest"),
		ps("timezone.name", "CET"), pi("timezone.offset", 3600), ps("unknown.field", "x"),
	};
	struct agent_facts *f = agent_facts_from_params(p, (int)(sizeof p / sizeof *p));

	(void)state;
	assert_string_equal(f->os_id, "vmtuitest");
	assert_string_equal(f->os_pretty, "vmtui test guest 4");
	assert_string_equal(f->kernel_release, "6.1.0-57-cloud-amd64");
	assert_string_equal(f->hostname, "vmtui-guest");
	assert_string_equal(f->tz_name, "CET");
	assert_int_equal(f->tz_offset, 3600);
	assert_int_equal(f->nusers, 1);
	assert_string_equal(f->users[0].name, "root");
	assert_true(f->users[0].login_s > 1700000000.1 && f->users[0].login_s < 1700000000.2);
	assert_int_equal(f->nfs, 2);
	assert_string_equal(f->fs[0].mountpoint, "/");
	assert_string_equal(f->fs[1].type, "ext2");
	assert_int_equal(agent_fs_fullest(f), 1);
	assert_true(agent_fs_pct(&f->fs[1]) >= AGENT_FS_WARN_PCT);
	assert_true(agent_fs_pct(&f->fs[0]) < AGENT_FS_WARN_PCT);
	assert_null(f->os_version);
	agent_facts_unref(f);
}

static void
facts_empty_and_wrong_types(void **state)
{
	virTypedParameter p[] = {
		pi("fs.count", -3), ps("hostname", NULL), pu("os.name", 5), ps("fs.0.mountpoint", "/"),
		ps("user.x.name", "bad"), ps("user.99999999999999999999.name", "big"),
	};
	struct agent_facts *f = agent_facts_from_params(p, (int)(sizeof p / sizeof *p));

	(void)state;
	assert_int_equal(f->nfs, 0);
	assert_null(f->hostname);
	assert_null(f->os_name);
	assert_int_equal(agent_fs_fullest(f), -1);
	agent_facts_unref(f);
}

static void
ifaces_by_mac(void **state)
{
	virDomainIPAddress a[2] = {
		{ VIR_IP_ADDR_TYPE_IPV4, (char *)"192.168.247.10", 24 },
		{ VIR_IP_ADDR_TYPE_IPV6, (char *)"fe80::1", 64 },
	};
	virDomainInterface i0 = { (char *)"eth0", (char *)"52:54:00:AA:bb:cc", 2, a };
	virDomainInterfacePtr ifs[] = { &i0 };
	struct agent_facts *f = agent_facts_from_params(NULL, 0);
	const struct agent_iface *ifc;

	(void)state;
	agent_facts_set_ifaces(f, ifs, 1);
	ifc = agent_iface_by_mac(f, "52:54:00:aa:BB:cc");
	assert_non_null(ifc);
	assert_int_equal(ifc->naddrs, 2);
	assert_string_equal(ifc->addrs[0].addr, "192.168.247.10");
	assert_true(ifc->addrs[1].v6);
	assert_null(agent_iface_by_mac(f, "52:54:00:00:00:00"));
	agent_facts_unref(f);
}

static void
channel_state(void **state)
{
	(void)state;
	assert_int_equal(agent_channel_state("<domain><devices/></domain>"), AGENT_NO_CHANNEL);
	assert_int_equal(agent_channel_state(
		"<domain><devices><channel type='unix'><target type='virtio' "
		"name='org.qemu.guest_agent.0' state='disconnected'/></channel></devices></domain>"),
		AGENT_NOT_CONNECTED);
	assert_int_equal(agent_channel_state(
		"<domain><devices><channel type='unix'><target type='virtio' "
		"name='org.qemu.guest_agent.0' state='connected'/></channel></devices></domain>"),
		AGENT_OK);
	assert_int_equal(agent_channel_state(
		"<domain><devices><channel type='spicevmc'><target type='virtio' "
		"name='com.redhat.spice.0'/></channel></devices></domain>"), AGENT_NO_CHANNEL);
	assert_int_equal(agent_channel_state("not xml"), AGENT_NO_CHANNEL);
}

/* A fake agent: counts the calls, answers or fails as told. */
struct fake {
	int calls;
	bool fail;
};

static int
fake_fetch(void *ctx, struct agent_facts **out, char **err)
{
	struct fake *k = ctx;

	k->calls++;
	if (k->fail) {
		*out = NULL;
		*err = xstrdup("Guest agent is not responding");
		return -1;
	}
	*out = agent_facts_from_params(NULL, 0);
	*err = NULL;
	return 0;
}

static void
get(struct fake *k, const char *uuid, int id, enum agent_status ch, uint64_t t, bool force,
    enum agent_status want)
{
	struct agent_result r;

	agent_cache_get(&cache_key, uuid, id, ch, t, fake_fetch, k, force, &r);
	assert_int_equal(r.status, want);
	assert_true((r.facts != NULL) == (want == AGENT_OK));
	agent_result_clear(&r);
}

static void
cache_no_channel_costs_nothing(void **state)
{
	struct fake k = { 0 };
	int i;

	(void)state;
	for (i = 0; i < 100; i++)
		get(&k, "u-nochan", 3, AGENT_NO_CHANNEL, (uint64_t)i * 10 * SEC, false, AGENT_NO_CHANNEL);
	for (i = 0; i < 100; i++)
		get(&k, "u-nochan", 3, AGENT_NOT_CONNECTED, (uint64_t)i * SEC, true, AGENT_NOT_CONNECTED);
	assert_int_equal(k.calls, 0);
}

static void
cache_period(void **state)
{
	struct fake k = { 0 };
	int i;

	(void)state;
	for (i = 0; i < 30; i++) /* 30 looks in 29 s: one call */
		get(&k, "u-ok", 5, AGENT_OK, 1 * SEC + (uint64_t)i * SEC, false, AGENT_OK);
	assert_int_equal(k.calls, 1);
	get(&k, "u-ok", 5, AGENT_OK, (1 + AGENT_TTL_S) * SEC, false, AGENT_OK);
	assert_int_equal(k.calls, 2);
	get(&k, "u-ok", 5, AGENT_OK, (2 + AGENT_TTL_S) * SEC, true, AGENT_OK); /* forced */
	assert_int_equal(k.calls, 3);
	get(&k, "u-ok", 6, AGENT_OK, (3 + AGENT_TTL_S) * SEC, false, AGENT_OK); /* restarted */
	assert_int_equal(k.calls, 4);
}

static void
cache_backoff(void **state)
{
	struct fake k = { .fail = true };
	uint64_t t = 1 * SEC;
	int i;

	(void)state;
	get(&k, "u-mute", 1, AGENT_OK, t, false, AGENT_NO_ANSWER);
	for (i = 1; i < AGENT_RETRY_S; i++)
		get(&k, "u-mute", 1, AGENT_OK, t + (uint64_t)i * SEC, false, AGENT_NO_ANSWER);
	assert_int_equal(k.calls, 1);
	t += AGENT_RETRY_S * SEC;
	get(&k, "u-mute", 1, AGENT_OK, t, false, AGENT_NO_ANSWER);
	assert_int_equal(k.calls, 2);
	/* The second failure waits twice as long. */
	get(&k, "u-mute", 1, AGENT_OK, t + (AGENT_RETRY_S + 1) * SEC, false, AGENT_NO_ANSWER);
	assert_int_equal(k.calls, 2);
	get(&k, "u-mute", 1, AGENT_OK, t + 2 * AGENT_RETRY_S * SEC, false, AGENT_NO_ANSWER);
	assert_int_equal(k.calls, 3);
	/* It answers after a restart. */
	k.fail = false;
	get(&k, "u-mute", 2, AGENT_OK, t + 2 * AGENT_RETRY_S * SEC + SEC, false, AGENT_OK);
	assert_int_equal(k.calls, 4);
	agent_cache_forget(&cache_key, "u-mute");
}

/* The domain XML of one VM in yaml; NULL with the parse's first error
 * in *why. */
static char *
domain_of(const char *yaml, char **why)
{
	struct vmdef_file f = { 0 };
	struct config_errors e = { 0 };
	char *xml = NULL;

	*why = NULL;
	if (vmdef_parse(&f, "t.yaml", NULL, yaml, strlen(yaml), &e) != 0)
		*why = xstrdup(e.n ? e.v[0] : "?");
	else
		xml = vmxml_domain(&f.vms[0], NULL, why);
	config_errors_free(&e);
	vmdef_file_free(&f);
	return xml;
}

/* apply and quick-create give an agent channel unless agent: false;
 * ssh_user goes into the domain's metadata, where agent_ssh_user reads
 * it back. */
static void
definition_agent_and_ssh_user(void **state)
{
	char *why, *xml, *u;

	(void)state;
	xml = domain_of("name: a\ntype: qemu\nmemory: 64M\nssh_user: debian\n", &why);
	assert_non_null(xml);
	assert_int_equal(agent_channel_state(xml), AGENT_OK);
	assert_non_null(strstr(xml, AGENT_SSH_NS));
	/* What virDomainGetMetadata gives: the element alone. */
	{
		char *el = strstr(xml, "<vmtuissh:ssh"), *end = el ? strstr(el, "/>") : NULL;
		assert_non_null(end);
		end[2] = '\0';
		u = agent_ssh_user_xml(el);
	}
	assert_non_null(u);
	assert_string_equal(u, "debian");
	free(u);
	free(xml);
	xml = domain_of("name: a\ntype: qemu\nmemory: 64M\nagent: false\n", &why);
	assert_non_null(xml);
	assert_int_equal(agent_channel_state(xml), AGENT_NO_CHANNEL);
	assert_null(strstr(xml, AGENT_SSH_NS));
	free(xml);
	assert_null(domain_of("name: a\nmemory: 64M\nssh_user: \"-oProxyCommand=x\"\n", &why));
	assert_non_null(strstr(why, "ssh_user: \"-oProxyCommand=x\" is not a user name"));
	free(why);
	assert_null(domain_of("name: a\nmemory: 64M\nagent: maybe\n", &why));
	assert_non_null(strstr(why, "agent"));
	free(why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(facts_from_guestinfo),
		cmocka_unit_test(facts_empty_and_wrong_types),
		cmocka_unit_test(ifaces_by_mac),
		cmocka_unit_test(channel_state),
		cmocka_unit_test(cache_no_channel_costs_nothing),
		cmocka_unit_test(cache_period),
		cmocka_unit_test(cache_backoff),
		cmocka_unit_test(definition_agent_and_ssh_user),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	agent_cache_forget(&cache_key, NULL);
	return rc;
}
