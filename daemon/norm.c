/*
 * Normalisation of inbound text before it is matched.  Phones and apps
 * send what looks like plain words but is not: fullwidth letters from an
 * Asian keyboard, zero-width joiners and bidi controls pasted from chat
 * apps, typographic quotes.  norm_text maps them to what a keypad would
 * have sent, so HARGA typed in fullwidth is HARGA, and a bidi control can
 * never reach a reply; an emoji separates words like a space.  norm_echo picks what a reply may quote back: plain
 * ASCII only, so an echo never turns a one-part GSM-7 reply into UCS-2.
 */
#include <string.h>

#include "norm.h"

/* Decode one UTF-8 sequence at p; its length, or 0 when it is invalid. */
static size_t
norm_decode(const unsigned char *p, unsigned int *cp)
{
	size_t	n, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0)
		n = 2, *cp = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 3, *cp = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		n = 4, *cp = p[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	return n;
}

/* Tell whether a code point is invisible formatting to drop. */
static int
norm_invisible(unsigned int cp)
{
	return (cp >= 0x200b && cp <= 0x200f) ||	/* zero-width, LRM/RLM */
	    (cp >= 0x202a && cp <= 0x202e) ||		/* bidi embeddings */
	    (cp >= 0x2060 && cp <= 0x2069) ||		/* joiners, isolates */
	    cp == 0xfeff || cp == 0x00ad ||		/* BOM, soft hyphen */
	    (cp >= 0xfe00 && cp <= 0xfe0f);		/* variation selectors */
}

/* The ASCII a keypad would have sent for cp, or 0 to keep cp as it is. */
static int
norm_ascii(unsigned int cp)
{
	if (cp >= 0xff01 && cp <= 0xff5e)		/* fullwidth forms */
		return (int)(cp - 0xff01 + 0x21);
	if ((cp >= 0x1f000 && cp <= 0x1faff) ||	/* emoji and pictographs */
	    (cp >= 0x2600 && cp <= 0x27bf) || (cp >= 0x2b00 && cp <= 0x2bff))
		return ' ';
	switch (cp) {
	case 0x3000: case 0x00a0: case 0x2007: case 0x202f:
		return ' ';
	case 0x2018: case 0x2019: case 0x201a: case 0x2032:
		return '\'';
	case 0x201c: case 0x201d: case 0x201e: case 0x2033:
		return '"';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
		return '-';
	default:
		return 0;
	}
}

/*
 * Copy in to out, normalised (see above); invalid bytes are kept (the
 * inbox made the text valid UTF-8 already), and a character is never cut.
 */
void
norm_text(const char *in, char *out, size_t outlen)
{
	const unsigned char	*p = (const unsigned char *)in;
	unsigned int		 cp;
	size_t			 n, o = 0;
	int			 a;

	if (outlen == 0)
		return;
	while (*p != '\0') {
		if ((n = norm_decode(p, &cp)) == 0)
			n = 1, cp = 0xfffd;
		if (norm_invisible(cp)) {
			p += n;
			continue;
		}
		if ((a = norm_ascii(cp)) != 0) {
			if (o + 1 >= outlen)
				break;
			out[o++] = (char)a;
		} else {
			if (o + n >= outlen)
				break;
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
	}
	out[o] = '\0';
}

/*
 * Copy at most maxchars characters of in that a reply may quote: printable
 * ASCII, with anything else left out, and "..." when it was cut.
 */
void
norm_echo(const char *in, size_t maxchars, char *out, size_t outlen)
{
	const unsigned char	*p = (const unsigned char *)in;
	size_t			 o = 0, kept = 0;

	if (outlen == 0)
		return;
	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p > 0x7e)
			continue;
		if (kept == maxchars || o + 1 >= outlen) {
			if (o + 4 <= outlen && o >= 3)
				memcpy(out + o - 3, "...", 3);
			break;
		}
		out[o++] = (char)*p;
		kept++;
	}
	out[o] = '\0';
}

/*
 * Fold only the typographic marks a word processor puts in (quotes,
 * dashes, the ellipsis, no-break spaces) into ASCII, keeping everything
 * else, so a text pasted from Word stays GSM-7 (broadcast --ascii).
 */
void
norm_fold(const char *in, char *out, size_t outlen)
{
	const unsigned char	*p = (const unsigned char *)in;
	unsigned int		 cp;
	size_t			 n, o = 0;
	int			 a;

	if (outlen == 0)
		return;
	while (*p != '\0') {
		if ((n = norm_decode(p, &cp)) == 0)
			n = 1, cp = 0xfffd;
		a = cp >= 0x2000 || cp == 0x00a0 ? norm_ascii(cp) : 0;
		if (cp == 0x2026 && o + 3 < outlen) {
			memcpy(out + o, "...", 3);
			o += 3;
		} else if (a != 0 && a != ' ' ? o + 1 < outlen : 0) {
			out[o++] = (char)a;
		} else if ((cp == 0x00a0 || cp == 0x202f || cp == 0x2007) &&
		    o + 1 < outlen) {
			out[o++] = ' ';
		} else if (o + n < outlen) {
			memcpy(out + o, p, n);
			o += n;
		} else
			break;
		p += n;
	}
	out[o] = '\0';
}
