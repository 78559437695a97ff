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
