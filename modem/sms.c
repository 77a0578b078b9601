/*
 * Text conversion between UTF-8 (what the rest of kentongan speaks) and
 * the UCS-2 strings libgammu keeps in GSM_SMSMessage.Text.  Written here
 * rather than taken from libgammu's EncodeUTF8/DecodeUTF8 because we must
 * guarantee valid output from any input: surrogate pairs become one code
 * point (emoji), and lone surrogates or broken UTF-8 become U+FFFD.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "modem.h"

#define SMS_REPLACEMENT	0xfffdU

/* Encode code point cp as UTF-8 into out if room; return bytes needed. */
static size_t
sms_put_utf8(uint32_t cp, char *out, size_t room)
{
	unsigned char	b[4];
	size_t		n, i;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (n > room)
		return 0;
	for (i = 0; i < n; i++)
		out[i] = (char)b[i];
	return n;
}

/* Convert a NUL-terminated UCS-2 string to UTF-8; return bytes written. */
size_t
sms_ucs2_to_utf8(const unsigned char *u, char *out, size_t outlen)
{
	size_t n = 0;

	while (u[2 * n] != 0 || u[2 * n + 1] != 0)
		n++;
	return sms_ucs2n_to_utf8(u, n, out, outlen);
}

/*
 * Convert nchars UCS-2 characters to UTF-8; a U+0000 inside (which an
 * SMS may carry) becomes a space instead of cutting the text there.
 */
size_t
sms_ucs2n_to_utf8(const unsigned char *u, size_t nchars, char *out,
    size_t outlen)
{
	const unsigned char	*end = u + 2 * nchars;
	size_t			 o = 0, n;
	uint32_t		 c, lo;

	if (outlen == 0)
		return 0;
	while (u + 1 < end) {
		c = (uint32_t)(u[0] << 8 | u[1]);
		u += 2;
		if (c == 0)
			c = ' ';
		if (c >= 0xd800 && c <= 0xdbff) {
			lo = u + 1 < end ? (uint32_t)(u[0] << 8 | u[1]) : 0;
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				u += 2;
			} else
				c = SMS_REPLACEMENT;
		} else if (c >= 0xdc00 && c <= 0xdfff)
			c = SMS_REPLACEMENT;
		if ((n = sms_put_utf8(c, out + o, outlen - 1 - o)) == 0)
			break;
		o += n;
	}
	out[o] = '\0';
	return o;
}

/*
 * Decode one UTF-8 sequence at s; store the code point (U+FFFD when
 * malformed) and return the bytes consumed (at least 1).
 */
static size_t
sms_get_utf8(const unsigned char *s, uint32_t *cp)
{
	uint32_t	c = s[0], min;
	size_t		n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 2; c &= 0x1f; min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3; c &= 0x0f; min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4; c &= 0x07; min = 0x10000;
	} else {
		*cp = SMS_REPLACEMENT;
		return 1;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = SMS_REPLACEMENT;
			return i;
		}
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		c = SMS_REPLACEMENT;
	*cp = c;
	return n;
}

/* Tell whether s is valid UTF-8. */
int
sms_utf8_valid(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp;
	size_t			 n;

	while (*p != '\0') {
		n = sms_get_utf8(p, &cp);
		if (cp == SMS_REPLACEMENT && !(n == 3 && p[0] == 0xef &&
		    p[1] == 0xbf && p[2] == 0xbd))
			return 0;
		p += n;
	}
	return 1;
}

/*
 * Convert UTF-8 to a NUL-terminated UCS-2 string of at most outunits
 * units including the terminator; code points above U+FFFF become
 * surrogate pairs.  Return the units written, without the terminator.
 */
size_t
sms_utf8_to_ucs2(const char *utf8, unsigned char *out, size_t outunits)
{
	const unsigned char	*p = (const unsigned char *)utf8;
	size_t			 o = 0;
	uint32_t		 cp, hi, lo;

	if (outunits == 0)
		return 0;
	while (*p != '\0') {
		p += sms_get_utf8(p, &cp);
		if (cp >= 0x10000) {
			if (o + 3 > outunits)
				break;
			hi = 0xd800 + ((cp - 0x10000) >> 10);
			lo = 0xdc00 + ((cp - 0x10000) & 0x3ff);
			out[2 * o] = (unsigned char)(hi >> 8);
			out[2 * o + 1] = (unsigned char)hi;
			out[2 * o + 2] = (unsigned char)(lo >> 8);
			out[2 * o + 3] = (unsigned char)lo;
			o += 2;
			continue;
		}
		if (o + 2 > outunits)
			break;
		out[2 * o] = (unsigned char)(cp >> 8);
		out[2 * o + 1] = (unsigned char)cp;
		o++;
	}
	out[2 * o] = 0;
	out[2 * o + 1] = 0;
	return o;
}

/* GSM 03.38's default alphabet, beyond printable ASCII (which it holds but
 * for ` and the extension characters below). */
static const uint32_t sms_gsm7_extra[] = {
	0x00a3, 0x00a5, 0x00e8, 0x00e9, 0x00f9, 0x00ec, 0x00f2, 0x00c7,
	0x00d8, 0x00f8, 0x00c5, 0x00e5, 0x0394, 0x03a6, 0x0393, 0x039b,
	0x03a9, 0x03a0, 0x03a8, 0x03a3, 0x0398, 0x039e, 0x00c6, 0x00e6,
	0x00df, 0x00c9, 0x00a4, 0x00a1, 0x00c4, 0x00d6, 0x00d1, 0x00dc,
	0x00a7, 0x00bf, 0x00e4, 0x00f6, 0x00f1, 0x00fc, 0x00e0, 0x0040
};

/* Septets a code point takes in GSM-7: 1, 2 (extension table), or 0. */
static int
sms_gsm7_septets(uint32_t cp)
{
	size_t i;

	if (cp > 0 && cp < 0x80 && strchr("^{}\\[~]|", (int)cp) != NULL)
		return 2;
	if (cp == 0x20ac || cp == 0x0c)			/* euro, form feed */
		return 2;
	if ((cp >= 0x20 && cp < 0x7f && cp != 0x60) || cp == 0x0a ||
	    cp == 0x0d)
		return 1;
	for (i = 0; i < sizeof(sms_gsm7_extra) / sizeof(sms_gsm7_extra[0]);
	    i++)
		if (sms_gsm7_extra[i] == cp)
			return 1;
	return 0;
}

/*
 * Count what a text costs: GSM-7 when every character allows it, else
 * UCS-2 (with the first character that forced it), and the SMS parts
 * (one of 160 septets or 70 units, else concatenated parts of 153 or 67).
 */
void
sms_count(const char *utf8, struct sms_cost *c)
{
	const unsigned char	*p = (const unsigned char *)utf8;
	uint32_t		 cp;
	size_t			 n;
	int			 septets = 0, units = 0, w;

	memset(c, 0, sizeof(*c));
	while (*p != '\0') {
		n = sms_get_utf8(p, &cp);
		if ((w = sms_gsm7_septets(cp)) == 0 && c->ucs2 == 0) {
			c->ucs2 = 1;
			memcpy(c->culprit, p, n < sizeof(c->culprit) ? n : 0);
		}
		septets += w;
		units += cp > 0xffff ? 2 : 1;
		c->chars++;
		p += n;
	}
	c->units = c->ucs2 ? units : septets;
	if (c->ucs2)
		c->parts = units <= 70 ? 1 : (units + 66) / 67;
	else
		c->parts = septets <= 160 ? 1 : (septets + 152) / 153;
	if (c->chars == 0)
		c->parts = 0;
}
