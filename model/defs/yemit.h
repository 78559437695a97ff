/* yemit.h — writing vmtui.yaml(5) text with libyaml's emitter into a
 * growing string, behind a sticky error so that callers check once at the
 * end (export of VMs, pools and networks). */
#ifndef VMTUI_YEMIT_H
#define VMTUI_YEMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

struct yw {
	yaml_emitter_t em;
	char *buf;
	size_t len, cap;
	bool bad;
};

/* Start a stream holding one document: 0, or -1 without an emitter. */
int y_open(struct yw *y);
/* End the document and the stream: the text as a new string, or NULL
 * when anything failed; frees the emitter either way. */
char *y_close(struct yw *y);

/* Emit ev (initialised when ok); the emitter frees it, even on failure. */
void y_emit(struct yw *y, yaml_event_t *ev, int ok);
/* A string: plain when every YAML reader takes it for this string, else
 * double-quoted. */
void y_str(struct yw *y, const char *s);
/* A plain scalar meant as what YAML reads it as: true, 20G. */
void y_plain(struct yw *y, const char *s);
void y_map(struct yw *y, bool flow);
void y_seq(struct yw *y, bool flow);
void y_map_end(struct yw *y);
void y_seq_end(struct yw *y);
/* key: value, both strings. */
void y_kv(struct yw *y, const char *key, const char *value);

#endif
