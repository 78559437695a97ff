/* clicomp.h — what a word of a vmtui command line can be, for shell
 * completion (`vmtui complete`). The options, verbs and arguments of a
 * command are read from its help text in tui/subcmd.c's table (the
 * "Usage:" lines and the option list), so a new row is completed without
 * a change here. No libvirt and no I/O: cli_complete.c turns an answer's
 * kinds into names. */
#ifndef VMTUI_CLICOMP_H
#define VMTUI_CLICOMP_H

#include <stdbool.h>
#include <stddef.h>

/* What the word can be; a cc_answer holds a set of them (1u << kind). */
enum cc_kind {
	CC_WORDS,     /* the literal words of cc_answer.words */
	CC_COMMANDS,  /* vmtui's command names */
	CC_FILES,     /* a file name (the shell completes it) */
	CC_DIRS,      /* a folder */
	CC_URIS,      /* a libvirt URI (-c) */
	CC_SSH_HOSTS, /* an SSH target or ~/.ssh/config alias (-H) */
	CC_THEMES,    /* a colour theme's name */
	CC_GUESTS,    /* a guest of the selected host */
	CC_POOLS,     /* a storage pool of the selected host */
	CC_NETS,      /* a virtual network of the selected host */
	CC_VOLS,      /* a volume of cc_answer.pool */
	CC_NKINDS
};

/* An option: "-c" and/or "--connect", with its value's metavariable
 * ("URI") or NULL when it takes none. */
struct cc_option {
	char *shortname, *longname, *arg;
};

/* One usage form: its verbs ("list"; "build|start|..." gives several;
 * none for a command without verbs), then its arguments' metavariables
 * ("VM", "FILE", "bios|efi"), the last repeating when repeat is set. */
struct cc_form {
	char **verbs;
	size_t nverbs;
	char **pos;
	size_t npos;
	bool repeat;
};

struct cc_spec {
	struct cc_option *opts;
	size_t nopts;
	struct cc_form *forms;
	size_t nforms;
};

/* Read the spec of command cmdname (NULL: the screen, vmtui alone) from
 * its help text. Never fails: what it cannot read it leaves out. */
void cc_spec_parse(struct cc_spec *s, const char *cmdname, const char *help);
void cc_spec_free(struct cc_spec *s);
/* The option named name ("-c", "--connect"), or NULL. */
const struct cc_option *cc_spec_option(const struct cc_spec *s, const char *name);

struct cc_answer {
	unsigned kinds;   /* 1u << enum cc_kind */
	char **words;     /* CC_WORDS: verbs, option names, literal values */
	size_t nwords;
	char *prefix;     /* put before each candidate ("--connect="), or NULL */
	char *pool;       /* CC_VOLS: the pool named on the line, or NULL */
};

/* What w[n-1] (the word being completed; "" for a new one) can be, after
 * w[0..n-2], the words after the command name (after "vmtui" for the
 * screen, screen true). */
void cc_answer_for(struct cc_answer *a, const struct cc_spec *s, bool screen,
                   char *const *w, size_t n);
void cc_answer_free(struct cc_answer *a);

/* Where the line's names come from: the last -c/--connect, -H/--host,
 * --known-hosts and -f/--config values among w[0..n-1] (NULL when not
 * given). Strings point into w. */
struct cc_target {
	const char *uri, *ssh, *known_hosts, *config;
};
void cc_target_of(struct cc_target *t, char *const *w, size_t n);

/* The Host aliases of an ssh_config text (no patterns: * ? ! are left
 * out), appended to *v (n of them); Include lines' paths to *inc (ninc). */
void cc_ssh_config_hosts(const char *text, char ***v, size_t *n, char ***inc, size_t *ninc);

#endif
