/* Contacts: everyone who ever texted us, with their choices. */
#ifndef KT_CONTACT_H
#define KT_CONTACT_H

#include <stddef.h>
#include <stdint.h>

struct store;

#define CONTACT_NAME_MAX	48

int64_t	contact_ensure(struct store *, const char *phone);
int64_t	contact_find(struct store *, const char *phone);
int	contact_set(struct store *, int64_t id, const char *column,
	    const char *value);
int	contact_set_int(struct store *, int64_t id, const char *column,
	    int value);
int	contact_get_int(struct store *, int64_t id, const char *column);
int	contact_get_text(struct store *, int64_t id, const char *column,
	    char *buf, size_t len);
void	contact_clean(const char *in, size_t inlen, char *out, size_t outlen);

#endif
