/*
 * The client side of the daemon's control socket: what the CLI (and later
 * the web console) uses to tell kentongand about a change.
 */
#ifndef KT_CTL_CLIENT_H
#define KT_CTL_CLIENT_H

#include <stddef.h>

#define CTL_SUFFIX		".ctl"	/* the socket: the database path + */
#define CTL_LINE_MAX		2048	/* bytes in a request or answer line */
#define CTL_CONNECT_MS		1000	/* a daemon slower than this is gone */

int	ctl_client_path(const char *database, char *buf, size_t len);
int	ctl_client_open(const char *database);
int	ctl_client_send(int fd, const char *line);
int	ctl_client_read(int fd, char *buf, size_t len, int timeout_ms);
int	ctl_client_ask(const char *database, const char *line, char *answer,
	    size_t len, int timeout_ms);
int	ctl_client_poke(const char *database);

#endif
