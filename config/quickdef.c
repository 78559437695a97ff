/* quickdef.c — emit a one-VM definition file with libyaml. */
#include "quickdef.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../model/base/xmalloc.h"

struct outbuf {
	char *s;
	size_t len;
};

static int
out_write(void *data, unsigned char *buf, size_t n)
{
	struct outbuf *o = data;

	o->s = xrealloc(o->s, o->len + n + 1);
	memcpy(o->s + o->len, buf, n);
	o->len += n;
	o->s[o->len] = '\0';
	return 1;
}

/* Emit one event; after a failure the rest is skipped (the text ends
 * short and the parser that checks it says where). */
static void
emit(yaml_emitter_t *em, yaml_event_t *ev)
{
	if (em->error != YAML_NO_ERROR) {
		yaml_event_delete(ev);
		return;
	}
	yaml_emitter_emit(em, ev);
}

static void
scalar(yaml_emitter_t *em, const char *s, bool plain_ok)
{
	yaml_event_t ev;

	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
	                             plain_ok ? YAML_PLAIN_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	emit(em, &ev);
}

static void
pair(yaml_emitter_t *em, const char *k, const char *v)
{
	scalar(em, k, true);
	/* Numbers and sizes go out plain so they read as typed; the rest quoted. */
	scalar(em, v, strspn(v, "0123456789.KMGTiBkmgtb") == strlen(v) && v[0]);
}

static void
begin_map(yaml_emitter_t *em)
{
	yaml_event_t ev;

	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	emit(em, &ev);
}

static void
end_map(yaml_emitter_t *em)
{
	yaml_event_t ev;

	yaml_mapping_end_event_initialize(&ev);
	emit(em, &ev);
}

static void
begin_seq(yaml_emitter_t *em)
{
	yaml_event_t ev;

	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	emit(em, &ev);
}

static void
end_seq(yaml_emitter_t *em)
{
	yaml_event_t ev;

	yaml_sequence_end_event_initialize(&ev);
	emit(em, &ev);
}

static void
emit_disk(yaml_emitter_t *em, const struct quickdef *q)
{
	scalar(em, "disks", true);
	begin_seq(em);
	begin_map(em);
	if (q->disk_size[0])
		pair(em, "size", q->disk_size);
	if (q->image[0])
		pair(em, "image", q->image);
	if (q->pool[0])
		pair(em, "pool", q->pool);
	end_map(em);
	end_seq(em);
}

static void
emit_network(yaml_emitter_t *em, const struct quickdef *q)
{
	scalar(em, "networks", true);
	begin_seq(em);
	if (q->network[0]) {
		begin_map(em);
		if (strcmp(q->network, "user") == 0) {
			scalar(em, "user", true);
			scalar(em, "true", true);
		} else if (strncmp(q->network, "bridge:", 7) == 0) {
			pair(em, "bridge", q->network + 7);
		} else {
			pair(em, "network", q->network);
		}
		end_map(em);
	}
	end_seq(em);
}

char *
quickdef_yaml(const struct quickdef *q)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	struct outbuf out = { xstrdup("# Written by vmtui's quick-create form; see vmtui.yaml(5).\n"), 0 };

	out.len = strlen(out.s);
	yaml_emitter_initialize(&em);
	yaml_emitter_set_output(&em, out_write, &out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	emit(&em, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	emit(&em, &ev);
	begin_map(&em);
	pair(&em, "name", q->name);
	pair(&em, "vcpus", q->vcpus);
	pair(&em, "memory", q->memory);
	if (q->disk_size[0] || q->image[0])
		emit_disk(&em, q);
	emit_network(&em, q);
	scalar(&em, "start", true);
	scalar(&em, q->start ? "true" : "false", true);
	end_map(&em);
	yaml_document_end_event_initialize(&ev, 1);
	emit(&em, &ev);
	yaml_stream_end_event_initialize(&ev);
	emit(&em, &ev);
	yaml_emitter_flush(&em);
	yaml_emitter_delete(&em);
	return out.s;
}
