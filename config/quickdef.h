/* quickdef.h — the YAML file the quick-create form writes: a vmtui.yaml(5)
 * definition from a handful of answers. */
#ifndef VMTUI_QUICKDEF_H
#define VMTUI_QUICKDEF_H

#include <stdbool.h>

struct quickdef {
	const char *name;
	const char *vcpus;     /* as typed: "2" */
	const char *memory;    /* "1G" */
	const char *disk_size; /* "10G", or "" for no disk */
	const char *image;     /* base image, or "" */
	const char *pool;      /* "" for the default */
	const char *network;   /* "default", "user", "bridge:br0", or "" for none */
	bool start;
};

/* The YAML text (libyaml's emitter does the quoting), a new string. Values
 * are written as typed; the parser judges them, so errors carry the same
 * file:line:col messages as for files written by hand. */
char *quickdef_yaml(const struct quickdef *q);

#endif
