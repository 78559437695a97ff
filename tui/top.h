/* top.h — `vmtui top`: with --batch, live figures of every guest written
 * as text, CSV or JSON Lines without a terminal; without it, the screen
 * (tui/main.c), optionally recorded with --record. */
#ifndef VMTUI_TOP_H
#define VMTUI_TOP_H

#include <stdbool.h>
#include <stddef.h>

struct config_host;
struct host;
struct host_opts;

/* The options that pick the hosts, the same for vmtui and vmtui top:
 * -c URI and -H [user@]host[:port] (both repeatable), --known-hosts FILE,
 * -r (read-only) and -f FILE (config). */
struct host_args {
	const char **uris, **ssh;
	size_t nuris, nssh;
	const char *known_hosts, *config_path;
	bool readonly;
};

#define HOST_ARGS_SHORTOPTS "c:H:rf:"
#define HOST_ARGS_LONGOPTS \
	{ "connect", required_argument, NULL, 'c' }, \
	{ "host", required_argument, NULL, 'H' }, \
	{ "known-hosts", required_argument, NULL, 'K' + 256 }, \
	{ "readonly", no_argument, NULL, 'r' }, \
	{ "config", required_argument, NULL, 'f' }

/* Take one of those options (getopt_long's ch and optarg) into *ha; false
 * when ch is another option. */
bool top_host_arg(struct host_args *ha, int ch, const char *arg);

/* -d SECONDS of vmtui and vmtui top: a number of seconds between 0.25
 * and 3600 into *secs; false when arg is not one. */
bool top_parse_delay(const char *arg, double *secs);

/* The hosts of vmtui and vmtui top, appended to *hosts (n of them): one
 * per URI, one per SSH target (named after it), one per config host, all
 * with base's other options; base itself (libvirt's default URI) when
 * these make none. */
void top_add_hosts(const struct host_opts *base, const char *const *uris, size_t nuris,
                   const char *const *ssh, size_t nssh, const struct config_host *ch,
                   size_t nch, struct host ***hosts, size_t *n);

/* `vmtui top` is top_main (command.h): with --batch (or --help) the
 * records, exit status 0, or 1 when a host cannot be reached or the
 * options are wrong; without, the screen. */

#endif
