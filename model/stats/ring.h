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
	size_t cap;    /* samples kept at most */
	size_t alloc;  /* samples v has room for (grows up to cap) */
	size_t len;
	size_t head;   /* index of the next write */
	size_t stride; /* 1; in a group, the group's size (sample i at v[i * stride]) */
	struct ring_group *group; /* NULL, or the group it is in */
	int owner;     /* in a group: the first ring, which owns the storage */
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

/* n rings (empty) side by side in one block: sample i of each in one
 * place, so pushing to all of them writes one cache line rather than n
 * lines far apart (for a thousand guests, six rings each, 600 samples:
 * 7 MB, and a refresh's pushes missed the cache 6000 times). The block
 * grows with use, up to the capacity, as a lone ring's storage does.
 * ring_free of each frees it (the first owns the block); a group is
 * resized as one. */
void ring_group_init(struct ring *const *rings, size_t n, size_t cap);
void ring_group_resize(struct ring *const *rings, size_t n, size_t cap);

#endif
