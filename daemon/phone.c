/*
 * Phone number normalisation.  Subscribers write numbers in local form
 * (0812...), operators deliver them as 62812... or +62812...; all become
 * +62812....  Short codes and alphanumeric senders (operator promotions,
 * banks) are kept verbatim and classed as PHONE_SHORT so that the router
 * never answers them.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "phone.h"

#define PHONE_MIN_DIGITS	7

/* Normalise in into out; return what kind of address it is. */
enum phone_kind
phone_normalize(const char *in, const char *country_code, char *out,
    size_t outlen)
{
	char		digits[PHONE_MAX];
	size_t		n = 0;
	int		plus = 0, alpha = 0;
	const char	*p;

	if (outlen < PHONE_MAX)
		return PHONE_INVALID;
	out[0] = '\0';
	while (*in == ' ')
		in++;
	if (*in == '+') {
		plus = 1;
		in++;
	}
	for (p = in; *p != '\0'; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n + 1 >= sizeof(digits))
				return PHONE_INVALID;
			digits[n++] = *p;
		} else if (strchr(" -().", *p) == NULL)
			alpha = 1;
	}
	digits[n] = '\0';
	if (alpha || (!plus && n < PHONE_MIN_DIGITS)) {
		if (*in == '\0' || strlen(in) >= PHONE_MAX)
			return PHONE_INVALID;
		snprintf(out, outlen, "%s%s", plus ? "+" : "", in);
		return PHONE_SHORT;
	}
	if (n < PHONE_MIN_DIGITS)
		return PHONE_INVALID;
	if (plus)
		snprintf(out, outlen, "+%s", digits);
	else if (strncmp(digits, "00", 2) == 0)
		snprintf(out, outlen, "+%s", digits + 2);
	else if (digits[0] == '0')
		snprintf(out, outlen, "+%s%s", country_code, digits + 1);
	else if (strncmp(digits, country_code, strlen(country_code)) == 0)
		snprintf(out, outlen, "+%s", digits);
	else
		snprintf(out, outlen, "+%s%s", country_code, digits);
	if (strlen(out) > 16)
		return PHONE_INVALID;
	return PHONE_NUMBER;
}

/*
 * Write a normalised +CC... number grouped as "+62 812-3456-7890": a
 * spreadsheet keeps that as text (not 6,28123E+12, not a formula), and
 * phone_normalize reads it back.  Anything else is copied unchanged.
 */
void
phone_grouped(const char *number, const char *country_code, char *out,
    size_t outlen)
{
	size_t	cc = strlen(country_code), o, i, n;
	const char *nat;

	n = strlen(number);
	if (number[0] != '+' || n < 2 || strspn(number + 1, "0123456789") !=
	    n - 1) {
		snprintf(out, outlen, "%s", number);
		return;
	}
	if (strncmp(number + 1, country_code, cc) != 0 || n - 1 <= cc)
		cc = n - 1 > 2 ? 2 : 1;		/* another country's */
	nat = number + 1 + cc;
	o = (size_t)snprintf(out, outlen, "+%.*s ", (int)cc, number + 1);
	for (i = 0; nat[i] != '\0' && o + 2 < outlen; i++) {
		if (i == 3 || (i > 3 && (i - 3) % 4 == 0))
			out[o++] = '-';
		out[o++] = nat[i];
	}
	if (o < outlen)
		out[o] = '\0';
}
