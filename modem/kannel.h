/* A "modem" that is a Kannel smsbox, reached over HTTP (modem/kannel.c). */
#ifndef KT_KANNEL_H
#define KT_KANNEL_H

#include <stddef.h>

struct modem_params;

int	kannel_main(int fd, const struct modem_params *);
size_t	kannel_query_get(const char *query, const char *name, char *out,
	    size_t outlen, int *found);

#endif
