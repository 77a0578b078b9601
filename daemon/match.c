/*
 * Typo tolerance.  People type on feature-phone keypads: one wrong,
 * missing, extra or swapped letter (HAGRA for HARGA) is accepted when only
 * one known word is that close.  The distance is optimal string alignment
 * (Levenshtein plus adjacent transposition), case-insensitive, on bytes;
 * words are short, so the O(n*m) table is tiny and bounded.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "match.h"

#define MATCH_WORD_MAX	64

/* Copy in to out upper-casing ASCII letters. */
void
match_upper(const char *in, char *out, size_t outlen)
{
	size_t i;

	if (outlen == 0)
		return;
	for (i = 0; in[i] != '\0' && i + 1 < outlen; i++)
		out[i] = (char)toupper((unsigned char)in[i]);
	out[i] = '\0';
}

/*
 * Tidy a name as people type it ("  bawang  merah" -> "BAWANG MERAH"):
 * upper case, one space between words.  Return the number of words, or -1
 * when a word has other than letters, digits, - and _, there are more
 * than MATCH_PHRASE_WORDS, or it does not fit out.
 */
int
match_phrase_clean(const char *in, char *out, size_t outlen)
{
	size_t	o = 0;
	int	words = 0, inword = 0;

	for (; *in != '\0'; in++) {
		if (*in == ' ' || *in == '\t') {
			inword = 0;
			continue;
		}
		if (!isalnum((unsigned char)*in) && *in != '-' && *in != '_')
			return -1;
		if (!inword) {
			if (++words > MATCH_PHRASE_WORDS)
				return -1;
			if (words > 1) {
				if (o + 1 >= outlen)
					return -1;
				out[o++] = ' ';
			}
			inword = 1;
		}
		if (o + 1 >= outlen)
			return -1;
		out[o++] = (char)toupper((unsigned char)*in);
	}
	if (outlen > 0)
		out[o] = '\0';
	return words > 0 ? words : -1;
}

/*
 * Tell whether a typed word is a known one, or one keypad slip from it:
 * words of four letters or more may differ by one edit, shorter ones not
 * at all (on three letters one edit makes another word).
 */
int
match_word_close(const char *typed, const char *known)
{
	if (strcasecmp(typed, known) == 0)
		return 1;
	if (strlen(typed) < 4 || strlen(known) < 4)
		return 0;
	return match_distance(typed, known, 1) <= 1;
}

static int
match_min3(int a, int b, int c)
{
	int m = a < b ? a : b;

	return m < c ? m : c;
}

/*
 * Return the edit distance between a and b, or limit + 1 when it is
 * larger than limit (or the words are too long to compare).
 */
int
match_distance(const char *a, const char *b, int limit)
{
	int	d[MATCH_WORD_MAX + 1][MATCH_WORD_MAX + 1];
	size_t	la = strlen(a), lb = strlen(b), i, j;
	int	cost, ca, cb, pa, pb;

	if (la > MATCH_WORD_MAX || lb > MATCH_WORD_MAX)
		return limit + 1;
	if ((la > lb ? la - lb : lb - la) > (size_t)limit)
		return limit + 1;
	for (i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			ca = toupper((unsigned char)a[i - 1]);
			cb = toupper((unsigned char)b[j - 1]);
			cost = ca != cb;
			d[i][j] = match_min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
			    d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1) {
				pa = toupper((unsigned char)a[i - 2]);
				pb = toupper((unsigned char)b[j - 2]);
				if (ca == pb && pa == cb &&
				    d[i - 2][j - 2] + 1 < d[i][j])
					d[i][j] = d[i - 2][j - 2] + 1;
			}
		}
	}
	return d[la][lb] > limit ? limit + 1 : d[la][lb];
}

/* Start a new search for the closest candidate. */
void
match_best_init(struct match_best *mb)
{
	mb->name[0] = '\0';
	mb->distance = -1;
	mb->ties = 0;
}

/* Consider one candidate name for the typed word. */
void
match_best_offer(struct match_best *mb, const char *typed,
    const char *candidate, int limit)
{
	int d = match_distance(typed, candidate, limit);

	if (d > limit)
		return;
	if (mb->distance == -1 || d < mb->distance) {
		snprintf(mb->name, sizeof(mb->name), "%s", candidate);
		mb->distance = d;
		mb->ties = 0;
	} else if (d == mb->distance && strcasecmp(mb->name, candidate) != 0)
		mb->ties++;
}

/* Tell whether one candidate alone is within limit and closest. */
int
match_best_unique(const struct match_best *mb, int limit)
{
	return mb->distance != -1 && mb->distance <= limit && mb->ties == 0;
}
