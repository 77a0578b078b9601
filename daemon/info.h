/* INFO pages: the topics INFO answers, one text per language. */
#ifndef KT_INFO_H
#define KT_INFO_H

#include <stddef.h>

struct store;

#define INFO_TEXT_MAX	1000	/* bytes of a page */
#define INFO_TOPIC_MAX	32

int	info_check(const char *topic, const char *lang, const char *body,
	    char *err, size_t errlen);
int	info_set(struct store *, const char *topic, const char *lang,
	    const char *body);
int	info_remove(struct store *, const char *topic, const char *lang);

#endif
