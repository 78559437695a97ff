/* format.h — numbers as people read them in a narrow column. Pure. */
#ifndef VMTUI_FORMAT_H
#define VMTUI_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* 1536 -> "1.5K", 10 << 30 -> "10G". Binary multiples, at most 5 chars. */
char *fmt_bytes(char *buf, size_t n, double bytes);
/* Bytes per second: "1.2M/s"; unknown (negative) -> "-". */
char *fmt_rate(char *buf, size_t n, double bps);
/* "42.0" or "-" when unknown. */
char *fmt_pct(char *buf, size_t n, double pct);
/* 75 -> "1m15s", 7300 -> "2h01m", 200000 -> "2d07h"; negative -> "-". */
char *fmt_duration(char *buf, size_t n, double secs);
/* Seconds from secs until fmt_duration's text changes (0 for a negative
 * or unknown duration: it never does by itself). */
double fmt_duration_steady(double secs);
/* How late the change may be shown without the eye minding, so that the
 * next refresh usually draws it instead of a frame of its own: a
 * thirtieth of the unit for minutes and hours (2 s, 2 min); for seconds,
 * when refreshes come every refresh_s <= 2 s, until the next one (and
 * half a second's grace), as top and htop move their clocks; else
 * nothing: seconds tick by themselves between slower refreshes. */
double fmt_duration_late(double secs, double refresh_s);
/* s appended to b (n bytes) at *at, cut to fit; b stays a string. For
 * lines made on every frame, without printf. */
void fmt_append(char *b, size_t n, size_t *at, const char *s);
/* What "%lu" gives, without printf. */
char *fmt_count(char *buf, size_t n, unsigned long v);

/* Lines made of parts that a narrow screen drops, least useful first: a
 * part starts with FMT_PART followed by its priority, '0' (never dropped)
 * to '9' (dropped first); it runs to the next part. fmt_fit_parts drops
 * the parts of the highest priority (the last of them first) until what
 * is left fits width columns, then removes the marks. */
#define FMT_PART "\x1f"
void fmt_fit_parts(char *s, int width);

/* Where the next line of s ends when wrapping at width columns (UTF-8
 * counted one column per character): the whole of it up to a newline
 * when it fits, else at the last space that fits, or where there is none
 * just after the last '/', ',' or '-' (paths and lists), and only where
 * none of those is there, at width columns, never inside a character. Returns the line's length in
 * bytes; *next is where the line after starts (spaces and the newline
 * skipped). Every wrapped text on the screen goes through here. */
size_t fmt_wrap(const char *s, int width, const char **next);

#endif
