/* ring.h — fixed-size history of samples, newest first on read. Samples
 * are kept in 16 bits each, about three significant digits (graphs need no
 * more, and a thousand guests with ten minutes of history each stay
 * small), in storage that grows with use up to the capacity. Values from
 * 3e-5 to 2.8e14 are kept; smaller ones (and negatives) read back as 0,
 * larger ones as the largest. */
#ifndef VMTUI_RING_H
#define VMTUI_RING_H

#include <stddef.h>
#include <stdint.h>

struct ring {
	uint16_t *v;
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
/* The 16-bit form of a sample and back (exposed for tests). */
uint16_t ring_encode(double x);
double ring_decode(uint16_t v);
/* Resize to a new capacity, keeping the newest samples. */
void ring_resize(struct ring *r, size_t cap);

#endif
