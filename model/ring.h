/* ring.h — fixed-size history of samples, newest first on read. Samples
 * are kept as float (graphs need no more; a thousand guests with ten
 * minutes of history each stay small) in storage that grows with use up
 * to the capacity. */
#ifndef VMTUI_RING_H
#define VMTUI_RING_H

#include <stddef.h>

struct ring {
	float *v;
	size_t cap;   /* samples kept at most */
	size_t alloc; /* samples v has room for (grows up to cap) */
	size_t len;
	size_t head; /* index of the next write */
};

void ring_init(struct ring *r, size_t cap);
void ring_free(struct ring *r);
void ring_push(struct ring *r, double x);
void ring_clear(struct ring *r);
/* Sample `age` steps back: 0 is the newest. Caller keeps age < len. */
double ring_get(const struct ring *r, size_t age);
/* Largest of the newest n samples (0 when empty). */
double ring_max(const struct ring *r, size_t n);
/* Resize to a new capacity, keeping the newest samples. */
void ring_resize(struct ring *r, size_t cap);

#endif
