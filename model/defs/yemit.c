/* yemit.c — vmtui.yaml(5) text through libyaml's emitter (see yemit.h). */
#include "yemit.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/xmalloc.h"

static int
y_write(void *data, unsigned char *s, size_t n)
{
	struct yw *y = data;

	if (y->len + n + 1 > y->cap) {
		y->cap = (y->len + n + 1) * 2;
		y->buf = xrealloc(y->buf, y->cap);
	}
	memcpy(y->buf + y->len, s, n);
	y->len += n;
	y->buf[y->len] = '\0';
	return 1;
}

/* Emit ev (initialised when ok); the emitter frees it, even on failure. */
void
y_emit(struct yw *y, yaml_event_t *ev, int ok)
{
	if (!ok) {
		y->bad = true;
		return;
	}
	if (y->bad) {
		yaml_event_delete(ev);
		return;
	}
	if (!yaml_emitter_emit(&y->em, ev))
		y->bad = true;
}

/* Plain when every YAML reader takes it for this string; else quoted. */
static bool
plain_ok(const char *s)
{
	static const char *const words[] = { "y", "n", "yes", "no", "on", "off", "true",
	                                     "false", "null", NULL };
	size_t i;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '/'))
		return false;
	for (i = 0; words[i]; i++)
		if (strcasecmp(s, words[i]) == 0)
			return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	                 "._/+-") == strlen(s);
}

void
y_str(struct yw *y, const char *s)
{
	yaml_event_t ev;
	int ok = yaml_scalar_event_initialize(&ev, NULL, NULL, (const yaml_char_t *)s,
	                                      (int)strlen(s), 1, 1,
	                                      plain_ok(s) ? YAML_PLAIN_SCALAR_STYLE
	                                                  : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	y_emit(y, &ev, ok);
}

/* A plain scalar that is meant as what YAML reads it as: true, 20G. */
void
y_plain(struct yw *y, const char *s)
{
	yaml_event_t ev;

	y_emit(y, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL, (const yaml_char_t *)s,
	                                            (int)strlen(s), 1, 1,
	                                            YAML_PLAIN_SCALAR_STYLE));
}

void
y_map(struct yw *y, bool flow)
{
	yaml_event_t ev;

	y_emit(y, &ev, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	               flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE));
}

void
y_seq(struct yw *y, bool flow)
{
	yaml_event_t ev;

	y_emit(y, &ev, yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
	               flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE));
}

void
y_map_end(struct yw *y)
{
	yaml_event_t ev;

	y_emit(y, &ev, yaml_mapping_end_event_initialize(&ev));
}

void
y_seq_end(struct yw *y)
{
	yaml_event_t ev;

	y_emit(y, &ev, yaml_sequence_end_event_initialize(&ev));
}

void
y_kv(struct yw *y, const char *key, const char *value)
{
	y_str(y, key);
	y_str(y, value);
}

int
y_open(struct yw *y)
{
	yaml_event_t ev;

	memset(y, 0, sizeof *y);
	if (!yaml_emitter_initialize(&y->em))
		return -1;
	yaml_emitter_set_output(&y->em, y_write, y);
	yaml_emitter_set_unicode(&y->em, 1);
	yaml_emitter_set_width(&y->em, -1);
	y_emit(y, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
	y_emit(y, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
	return 0;
}

char *
y_close(struct yw *y)
{
	yaml_event_t ev;
	char *out = NULL;

	y_emit(y, &ev, yaml_document_end_event_initialize(&ev, 1));
	y_emit(y, &ev, yaml_stream_end_event_initialize(&ev));
	yaml_emitter_delete(&y->em);
	if (!y->bad && y->buf)
		out = y->buf;
	else
		free(y->buf);
	y->buf = NULL;
	return out;
}
