/*
 * The client side of kentongand's control socket (daemon/ctl.c has the
 * protocol).  Every call is bounded in time: a connect that does not
 * complete within CTL_CONNECT_MS, or an answer that does not come within
 * the caller's timeout, is given up.  A daemon that is not running is not
 * an error for a poke: its sweeps find the change when it starts.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ctl_client.h"

#define CTL_BUSY_TRIES		100	/* a busy daemon: tries again ... */
#define CTL_BUSY_NAP_MS		50	/* ... this far apart (5 s in all) */

/* Write the socket's path for a database; -1 when it does not fit. */
int
ctl_client_path(const char *database, char *buf, size_t len)
{
	struct sockaddr_un sun;

	if (len > sizeof(sun.sun_path))
		len = sizeof(sun.sun_path);
	if ((size_t)snprintf(buf, len, "%s%s", database, CTL_SUFFIX) >= len)
		return -1;
	return 0;
}

/* Return a monotonic clock in milliseconds. */
static long long
ctl_client_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until fd is ready for events, at most ms; 1 ready, 0 timed out. */
static int
ctl_client_wait(int fd, short events, long long ms)
{
	struct pollfd	pfd = { fd, events, 0 };
	long long	end = ctl_client_now_ms() + ms, left;
	int		rc;

	for (;;) {
		left = end - ctl_client_now_ms();
		rc = poll(&pfd, 1, left > 0 ? (int)left : 0);
		if (rc >= 0 || errno != EINTR)
			return rc > 0 ? 1 : rc;
	}
}

/*
 * Connect to the daemon of a database; the descriptor (non-blocking), or
 * -1 with errno set (ENOENT, ECONNREFUSED: no daemon is running).
 */
int
ctl_client_open(const char *database)
{
	struct sockaddr_un	sun;
	int			fd, e;
	socklen_t		elen = sizeof(e);

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (ctl_client_path(database, sun.sun_path,
	    sizeof(sun.sun_path)) == -1) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		return fd;
	if (errno != EINPROGRESS && errno != EAGAIN)
		goto fail;
	if (ctl_client_wait(fd, POLLOUT, CTL_CONNECT_MS) != 1) {
		errno = ETIMEDOUT;
		goto fail;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen) == -1)
		goto fail;
	if (e != 0) {
		errno = e;
		goto fail;
	}
	return fd;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

/* Send one request line (without its newline); 0 or -1. */
int
ctl_client_send(int fd, const char *line)
{
	char	buf[CTL_LINE_MAX + 1];
	size_t	n, off = 0;
	ssize_t	w;

	if (strchr(line, '\n') != NULL || (n = (size_t)snprintf(buf,
	    sizeof(buf), "%s\n", line)) >= sizeof(buf)) {
		errno = EMSGSIZE;
		return -1;
	}
	while (off < n) {
		if ((w = send(fd, buf + off, n - off, MSG_NOSIGNAL)) > 0) {
			off += (size_t)w;
			continue;
		}
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1 && errno == EAGAIN &&
		    ctl_client_wait(fd, POLLOUT, CTL_CONNECT_MS) == 1)
			continue;
		return -1;
	}
	return 0;
}

/*
 * Read one answer line into buf (newline removed) within timeout_ms:
 * 1 read, 0 timed out, -1 the daemon closed or failed.
 */
int
ctl_client_read(int fd, char *buf, size_t len, int timeout_ms)
{
	long long	end = ctl_client_now_ms() + timeout_ms;
	size_t		off = 0;
	ssize_t		r;
	char		c;

	while (off + 1 < len) {
		if ((r = recv(fd, &c, 1, 0)) == 1) {
			if (c == '\n')
				break;
			buf[off++] = c;
			continue;
		}
		if (r == 0) {
			errno = ECONNRESET;
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -1;
		if (ctl_client_wait(fd, POLLIN, end - ctl_client_now_ms()) != 1)
			return 0;
	}
	buf[off] = '\0';
	return 1;
}

/*
 * Ask the daemon one thing and read its answer: 0 with the answer in
 * buf, -1 when no daemon answered (errno says why; ETIMEDOUT for slow).
 */
int
ctl_client_ask(const char *database, const char *line, char *answer,
    size_t len, int timeout_ms)
{
	struct timespec	nap = { 0, CTL_BUSY_NAP_MS * 1000000L };
	int		fd, rc, e, tries;

	for (tries = 0;; tries++) {
		if ((fd = ctl_client_open(database)) == -1)
			return -1;
		if (ctl_client_send(fd, line) == -1)
			rc = -1;
		else if ((rc = ctl_client_read(fd, answer, len,
		    timeout_ms)) == 0) {
			errno = ETIMEDOUT;
			rc = -1;
		}
		e = errno;
		close(fd);
		errno = e;
		/* The daemon has all the clients it takes: a moment later. */
		if ((rc == 1 && strcmp(answer, "busy") == 0) || (rc == -1 &&
		    (e == ENOTCONN || e == ECONNRESET || e == EPIPE))) {
			if (tries == CTL_BUSY_TRIES) {
				errno = EBUSY;
				return -1;
			}
			nanosleep(&nap, NULL);
			continue;
		}
		return rc == 1 ? 0 : -1;
	}
}

/*
 * Tell a running daemon that tables changed, so it looks now instead of
 * at its next sweep; 0 told, -1 no daemon (the sweep will find it).
 */
int
ctl_client_poke(const char *database)
{
	char answer[CTL_LINE_MAX];

	if (ctl_client_ask(database, "poke", answer, sizeof(answer),
	    CTL_CONNECT_MS) == -1)
		return -1;
	return strcmp(answer, "ok") == 0 ? 0 : -1;
}
