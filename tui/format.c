/* format.c — compact human-readable numbers. */
#include "format.h"

#include <stdio.h>

char *
fmt_bytes(char *buf, size_t n, double v)
{
	static const char units[] = "BKMGTPE";
	size_t u = 0;

	if (v < 0) {
		snprintf(buf, n, "-");
		return buf;
	}
	/* Move up a unit when the number would print as 1024 or more. */
	while (v >= 1023.5 && u < sizeof units - 2) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, n, "%.0fB", v);
	else if (v < 9.995)
		snprintf(buf, n, "%.2f%c", v, units[u]);
	else if (v < 99.95)
		snprintf(buf, n, "%.1f%c", v, units[u]);
	else
		snprintf(buf, n, "%.0f%c", v, units[u]);
	return buf;
}

char *
fmt_rate(char *buf, size_t n, double bps)
{
	char b[16];

	if (bps < 0) {
		snprintf(buf, n, "-");
		return buf;
	}
	snprintf(buf, n, "%s/s", fmt_bytes(b, sizeof b, bps));
	return buf;
}

char *
fmt_pct(char *buf, size_t n, double pct)
{
	if (pct < 0)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.1f", pct);
	return buf;
}

char *
fmt_duration(char *buf, size_t n, double secs)
{
	unsigned long s;

	if (secs < 0) {
		snprintf(buf, n, "-");
		return buf;
	}
	s = (unsigned long)secs;
	if (s < 60)
		snprintf(buf, n, "%lus", s);
	else if (s < 3600)
		snprintf(buf, n, "%lum%02lus", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, n, "%luh%02lum", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, n, "%lud%02luh", s / 86400, s % 86400 / 3600);
	return buf;
}
