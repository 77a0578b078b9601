/* Phone numbers: one canonical form so 0812…, 62812… and +62812… match. */
#ifndef KT_PHONE_H
#define KT_PHONE_H

#include <stddef.h>

#define PHONE_MAX	24

enum phone_kind {
	PHONE_INVALID = -1,
	PHONE_NUMBER = 0,	/* a full international number, +CC... */
	PHONE_SHORT,		/* short code or alphanumeric sender */
};

enum phone_kind	phone_normalize(const char *in, const char *country_code,
		    char *out, size_t outlen);
void		phone_grouped(const char *number, const char *country_code,
		    char *out, size_t outlen);

#endif
