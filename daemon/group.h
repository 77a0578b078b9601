/* Groups people join (GABUNG) and broadcasts target. */
#ifndef KT_GROUP_H
#define KT_GROUP_H

#include <stddef.h>
#include <stdint.h>

struct store;

#define GROUP_NAMES_MAX	256	/* "PETANI;IBU" */

int64_t	group_find(struct store *, const char *name);
int	group_create(struct store *, const char *name, const char *desc);
int	group_delete(struct store *, const char *name);
int	group_join(struct store *, int64_t group, int64_t contact);
int	group_join_name(struct store *, int64_t contact, const char *name,
	    int create);
int	group_names_parse(const char *in, char *out, size_t len);
int	group_leave(struct store *, int64_t group, int64_t contact);

#endif
