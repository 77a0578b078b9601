/*
 * Text helpers for the simulator: UTF-8 decoding, the GSM 03.38 alphabet
 * (to decide between GSM-7 and UCS-2 and to count septets), UTF-16BE to
 * UTF-8 conversion and hex coding. Every output is bounded by its caller.
 */

#include <string.h>

#include "atsim.h"

/* GSM 03.38 default alphabet, as Unicode code points; 0x1b is the escape. */
static const uint16_t atsim_text_gsm[128] = {
	0x0040, 0x00a3, 0x0024, 0x00a5, 0x00e8, 0x00e9, 0x00f9, 0x00ec,
	0x00f2, 0x00c7, 0x000a, 0x00d8, 0x00f8, 0x000d, 0x00c5, 0x00e5,
	0x0394, 0x005f, 0x03a6, 0x0393, 0x039b, 0x03a9, 0x03a0, 0x03a8,
	0x03a3, 0x0398, 0x039e, 0xffff, 0x00c6, 0x00e6, 0x00df, 0x00c9,
	0x0020, 0x0021, 0x0022, 0x0023, 0x00a4, 0x0025, 0x0026, 0x0027,
	0x0028, 0x0029, 0x002a, 0x002b, 0x002c, 0x002d, 0x002e, 0x002f,
	0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
	0x0038, 0x0039, 0x003a, 0x003b, 0x003c, 0x003d, 0x003e, 0x003f,
	0x00a1, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
	0x0048, 0x0049, 0x004a, 0x004b, 0x004c, 0x004d, 0x004e, 0x004f,
	0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057,
	0x0058, 0x0059, 0x005a, 0x00c4, 0x00d6, 0x00d1, 0x00dc, 0x00a7,
	0x00bf, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067,
	0x0068, 0x0069, 0x006a, 0x006b, 0x006c, 0x006d, 0x006e, 0x006f,
	0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,
	0x0078, 0x0079, 0x007a, 0x00e4, 0x00f6, 0x00f1, 0x00fc, 0x00e0
};

/* Characters of the GSM 03.38 extension table (escape + one septet). */
static const uint16_t atsim_text_gsmext[] = {
	0x000c, 0x005e, 0x007b, 0x007d, 0x005c, 0x005b, 0x007e, 0x005d,
	0x007c, 0x20ac
};

/* Decode UTF-8 into at most max code points; -1 if invalid or too long. */
int
atsim_text_utf8_decode(const char *s, uint32_t *cps, size_t max, size_t *n)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp, min;
	int			 more;

	*n = 0;
	while (*p != '\0') {
		if (*p < 0x80) {
			cp = *p++;
			more = 0;
			min = 0;
		} else if ((*p & 0xe0) == 0xc0) {
			cp = *p++ & 0x1f;
			more = 1;
			min = 0x80;
		} else if ((*p & 0xf0) == 0xe0) {
			cp = *p++ & 0x0f;
			more = 2;
			min = 0x800;
		} else if ((*p & 0xf8) == 0xf0) {
			cp = *p++ & 0x07;
			more = 3;
			min = 0x10000;
		} else
			return (-1);
		for (; more > 0; more--) {
			if ((*p & 0xc0) != 0x80)
				return (-1);
			cp = (cp << 6) | (*p++ & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return (-1);
		if (*n == max)
			return (-1);
		cps[(*n)++] = cp;
	}
	return (0);
}

/* Return the septets a code point takes in GSM-7, or 0 if it has none. */
int
atsim_text_gsm_septets(uint32_t cp)
{
	size_t	i;

	for (i = 0; i < sizeof atsim_text_gsm / sizeof atsim_text_gsm[0]; i++)
		if (atsim_text_gsm[i] == cp)
			return (1);
	for (i = 0; i < sizeof atsim_text_gsmext / sizeof atsim_text_gsmext[0];
	    i++)
		if (atsim_text_gsmext[i] == cp)
			return (2);
	return (0);
}

/* Append one code point as UTF-8 if it fits, escaping if asked. */
static size_t
atsim_text_put(uint32_t cp, char *out, size_t len, size_t size, int esc)
{
	char	tmp[4];
	size_t	n;

	if (esc && (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\\')) {
		tmp[0] = '\\';
		tmp[1] = cp == '\t' ? 't' : cp == '\n' ? 'n' :
		    cp == '\r' ? 'r' : '\\';
		n = 2;
	} else if (cp < 0x80) {
		tmp[0] = cp;
		n = 1;
	} else if (cp < 0x800) {
		tmp[0] = 0xc0 | (cp >> 6);
		tmp[1] = 0x80 | (cp & 0x3f);
		n = 2;
	} else if (cp < 0x10000) {
		tmp[0] = 0xe0 | (cp >> 12);
		tmp[1] = 0x80 | ((cp >> 6) & 0x3f);
		tmp[2] = 0x80 | (cp & 0x3f);
		n = 3;
	} else {
		tmp[0] = 0xf0 | (cp >> 18);
		tmp[1] = 0x80 | ((cp >> 12) & 0x3f);
		tmp[2] = 0x80 | ((cp >> 6) & 0x3f);
		tmp[3] = 0x80 | (cp & 0x3f);
		n = 4;
	}
	if (len + n >= size)
		return (len);
	memcpy(out + len, tmp, n);
	return (len + n);
}

/* Convert n UTF-16BE units to NUL-terminated UTF-8, truncating to fit. */
void
atsim_text_utf16_to_utf8(const unsigned char *u, size_t n, char *out,
    size_t size, int esc)
{
	size_t		i, len = 0;
	uint32_t	cp, lo;

	if (size == 0)
		return;
	for (i = 0; i < n; i++) {
		cp = (u[2 * i] << 8) | u[2 * i + 1];
		if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
			lo = (u[2 * i + 2] << 8) | u[2 * i + 3];
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				i++;
			}
		}
		if (cp >= 0xd800 && cp <= 0xdfff)
			cp = 0xfffd;
		len = atsim_text_put(cp, out, len, size, esc);
	}
	out[len] = '\0';
}

/* Return the value of one hex digit, or -1. */
static int
atsim_text_xdigit(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Decode a hex string into at most size bytes; -1 if not even-length hex. */
int
atsim_text_hex_decode(const char *hex, unsigned char *out, size_t size,
    size_t *n)
{
	size_t	i, len = strlen(hex);
	int	hi, lo;

	if (len % 2 != 0 || len / 2 > size)
		return (-1);
	for (i = 0; i < len / 2; i++) {
		hi = atsim_text_xdigit(hex[2 * i]);
		lo = atsim_text_xdigit(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return (-1);
		out[i] = (hi << 4) | lo;
	}
	*n = len / 2;
	return (0);
}

/* Encode bytes as upper-case hex, truncating to fit size. */
void
atsim_text_hex_encode(const unsigned char *in, size_t n, char *out,
    size_t size)
{
	static const char	 digits[] = "0123456789ABCDEF";
	size_t			 i;

	if (size == 0)
		return;
	for (i = 0; i < n && 2 * i + 2 < size; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * i] = '\0';
}
