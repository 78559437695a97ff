/* format.c — compact human-readable numbers. */
#include "format.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* What snprintf(buf, n, "%.<decimals>f%s", v, suffix) writes, for
 * 0 <= v < 1e15 and decimals 0..2 (-0.0 shows as 0), without printf's
 * cost (the list formats a few dozen figures per refresh). The same
 * digits: v's exact value rounded, ties to even, as glibc does; done in
 * integers on v's mantissa (v = m * 2^e, m below 2^53, so m * 100 fits
 * in 64 bits). */
static void
put_fixed(char *buf, size_t n, double v, int decimals, const char *suffix)
{
	static const unsigned scale[] = { 1, 10, 100 };
	char tmp[48], digits[24];
	size_t len = 0, i, sl = strlen(suffix);
	uint64_t m, p, q, ip;
	int e, nd = 0;

	if (!(v >= 0 && v < 1e15) || n == 0 || sl > 8) {
		snprintf(buf, n, "%.*f%s", decimals, v, suffix);
		return;
	}
	m = (uint64_t)ldexp(frexp(v, &e), 53);
	e -= 53;
	p = m * scale[decimals];
	if (e >= 0) {
		q = p << e;
	} else if (e <= -63) {
		q = 0; /* below 2^60 * 2^-63: rounds to 0 */
	} else {
		uint64_t rest = p & ((UINT64_C(1) << -e) - 1), half = UINT64_C(1) << (-e - 1);
		q = p >> -e;
		if (rest > half || (rest == half && (q & 1)))
			q++;
	}
	ip = q / scale[decimals];
	do {
		digits[nd++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	while (nd)
		tmp[len++] = digits[--nd];
	if (decimals) {
		unsigned fr = (unsigned)(q % scale[decimals]);
		tmp[len++] = '.';
		if (decimals == 2)
			tmp[len++] = (char)('0' + fr / 10);
		tmp[len++] = (char)('0' + fr % 10);
	}
	for (i = 0; i < sl; i++)
		tmp[len++] = suffix[i];
	if (len > n - 1)
		len = n - 1; /* cut as snprintf would */
	memcpy(buf, tmp, len);
	buf[len] = '\0';
}

char *
fmt_bytes(char *buf, size_t n, double v)
{
	static const char units[] = "BKMGTPE";
	char unit[2] = "";
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
	unit[0] = units[u];
	if (u == 0)
		put_fixed(buf, n, v, 0, "B");
	else if (v < 9.995)
		put_fixed(buf, n, v, 2, unit);
	else if (v < 99.95)
		put_fixed(buf, n, v, 1, unit);
	else
		put_fixed(buf, n, v, 0, unit);
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
		put_fixed(buf, n, pct, 1, "");
	return buf;
}

/* Decimal digits of v, at least `min` of them, at *at in buf (n bytes,
 * never overrun); *at moves past them. */
static void
put_uint(char *buf, size_t n, size_t *at, unsigned long v, int min)
{
	char d[24];
	int nd = 0;

	do {
		d[nd++] = (char)('0' + v % 10);
		v /= 10;
	} while (v || nd < min);
	while (nd && *at + 1 < n)
		buf[(*at)++] = d[--nd];
}

void
fmt_append(char *b, size_t n, size_t *at, const char *s)
{
	if (n == 0)
		return;
	while (*s && *at + 1 < n)
		b[(*at)++] = *s++;
	b[*at] = '\0';
}

char *
fmt_count(char *buf, size_t n, unsigned long v)
{
	size_t at = 0;

	if (n == 0)
		return buf;
	put_uint(buf, n, &at, v, 1);
	buf[at] = '\0';
	return buf;
}

/* The two units a duration is shown in, the larger one first: below an
 * hour minutes and seconds (or seconds alone, below a minute), below a day
 * hours and minutes, beyond days and hours. */
static const struct {
	unsigned long below, big, small;
	char bu, su;
} unit[] = {
	{ 3600, 60, 1, 'm', 's' },
	{ 86400, 3600, 60, 'h', 'm' },
	{ 0, 86400, 3600, 'd', 'h' },
};

/* Whole seconds of a duration (not negative), saturated where an
 * unsigned long ends. */
static unsigned long
whole_secs(double secs)
{
	return secs >= 1.8e19 ? 18000000000000000000ul : (unsigned long)secs;
}

/* unit's row for s whole seconds. */
static size_t
unit_for(unsigned long s)
{
	size_t i;

	for (i = 0; unit[i].below && s >= unit[i].below; i++)
		;
	return i;
}

char *
fmt_duration(char *buf, size_t n, double secs)
{
	/* As printf("%lum%02lus") would put them; done by hand, for every
	 * guest row of every frame. */
	unsigned long s;
	size_t at = 0, i;

	if (n == 0)
		return buf;
	if (secs < 0 || secs != secs) {
		snprintf(buf, n, "-");
		return buf;
	}
	s = whole_secs(secs);
	if (s < 60) {
		put_uint(buf, n, &at, s, 1);
		if (at + 1 < n)
			buf[at++] = 's';
	} else {
		i = unit_for(s);
		put_uint(buf, n, &at, s / unit[i].big, 1);
		if (at + 1 < n)
			buf[at++] = unit[i].bu;
		put_uint(buf, n, &at, s % unit[i].big / unit[i].small, 2);
		if (at + 1 < n)
			buf[at++] = unit[i].su;
	}
	buf[at] = '\0';
	return buf;
}

double
fmt_duration_steady(double secs)
{
	double step;

	if (secs < 0 || secs != secs || secs >= 1.8e19)
		return 0;
	step = (double)unit[unit_for((unsigned long)secs)].small; /* the smallest shown */
	return step - fmod(secs, step);
}

double
fmt_duration_late(double secs, double refresh_s)
{
	unsigned long step;

	if (secs < 0 || secs != secs)
		return 0;
	step = unit[unit_for(whole_secs(secs))].small;
	if (step == 1)
		return refresh_s > 0 && refresh_s <= 2 ? refresh_s + 0.5 : 0;
	return step / 30.0;
}

/* Columns s takes on the screen, marks not counted (UTF-8: one column per
 * character; the header's texts have no wide ones). */
static int
parts_width(const char *s)
{
	int w = 0;

	for (; *s; s++) {
		if (*s == FMT_PART[0]) {
			if (s[1] != '\0')
				s++;
			continue;
		}
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	}
	return w;
}

void
fmt_fit_parts(char *s, int width)
{
	char *p, *best, *end, *out;

	while (parts_width(s) > width) {
		best = NULL;
		for (p = strchr(s, FMT_PART[0]); p != NULL && p[1] != '\0';
		     p = strchr(p + 2, FMT_PART[0]))
			if (p[1] > '0' && (best == NULL || p[1] >= best[1]))
				best = p;
		if (best == NULL)
			break;
		end = strchr(best + 2, FMT_PART[0]);
		if (end == NULL)
			end = best + strlen(best);
		memmove(best, end, strlen(end) + 1);
	}
	for (p = out = s; *p; p++) {
		if (*p == FMT_PART[0]) {
			if (p[1] != '\0')
				p++;
			continue;
		}
		*out++ = *p;
	}
	*out = '\0';
}

size_t
fmt_wrap(const char *s, int width, const char **next)
{
	size_t i = 0, fit = 0, brk = 0, skip_to = 0, punct = 0, indent = strspn(s, " ");
	int cols = 0;

	if (width < 1)
		width = 1;
	/* Walk the characters while they fit, noting the last break. */
	while (s[i] && s[i] != '\n') {
		size_t c = i + 1;
		while ((s[c] & 0xC0) == 0x80)
			c++;
		if (cols == width)
			break;
		cols++;
		/* (an indent's spaces are no break: a line of them alone
		 * would be drawn empty) */
		if (s[i] == ' ' && i > indent) {
			brk = i;
			skip_to = i;
		} else if (s[i] == '/' || s[i] == ',' || s[i] == '-') {
			punct = c;
		}
		i = c;
		fit = i;
	}
	if (s[i] == '\0' || s[i] == '\n') {
		/* All of it up to the newline fits. */
		*next = s + i + (s[i] == '\n');
		return i;
	}
	if (s[i] == ' ') { /* the line ends just before a space */
		brk = i;
		skip_to = i;
	}
	if (brk == 0 && punct > 0) { /* no space: after a '/', ',' or '-' */
		brk = punct;
		skip_to = punct;
	}
	if (brk == 0) { /* no break: cut at the width */
		brk = fit;
		skip_to = fit;
	}
	while (brk > 0 && s[brk - 1] == ' ')
		brk--;
	while (s[skip_to] == ' ')
		skip_to++;
	if (s[skip_to] == '\n' && skip_to > brk)
		skip_to++;
	*next = s + skip_to;
	return brk;
}
