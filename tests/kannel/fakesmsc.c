/*
 * A tiny SMSC for Kannel's `smsc = fake` connection, for tests.
 *
 * Kannel's bearerbox listens on the fake SMSC's port; this program
 * connects to it and speaks its line protocol: every line is
 * "SENDER RECEIVER TYPE DATA" with TYPE "text" (DATA as it is) or "data"
 * (DATA percent-encoded, e.g. UCS-2 bytes).  Lines from bearerbox (MT
 * messages) are appended to the record file; lines written into the
 * inject FIFO (MO messages) are passed to bearerbox, held while it is not
 * connected.  It reconnects when bearerbox goes away and comes back, and
 * says "connected" / "disconnected" on stderr.
 *
 * usage: fakesmsc PORT RECORD_FILE INJECT_FIFO
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FAKESMSC_BUF	65536

struct fakesmsc_line {
	char	buf[FAKESMSC_BUF];
	size_t	len;
};

static volatile sig_atomic_t fakesmsc_quit;

/* SIGTERM: leave the loop. */
static void
fakesmsc_on_signal(int sig)
{
	(void)sig;
	fakesmsc_quit = 1;
}

/* Try to connect to bearerbox's fake SMSC port; -1 if it is not there. */
static int
fakesmsc_connect(int port)
{
	struct sockaddr_in	sin;
	int			s;

	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(s);
		return -1;
	}
	fprintf(stderr, "fakesmsc: connected\n");
	return s;
}

/* Write all of buf to fd; -1 on error. */
static int
fakesmsc_write(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read what fd has into l; 0 at end of file, -1 on error. */
static ssize_t
fakesmsc_read(int fd, struct fakesmsc_line *l)
{
	ssize_t n;

	if (l->len == sizeof(l->buf))
		l->len = 0;	/* a line that long is garbage */
	n = read(fd, l->buf + l->len, sizeof(l->buf) - l->len);
	if (n > 0)
		l->len += (size_t)n;
	return n;
}

/* Move the complete lines of l to fd (or keep them while fd is -1). */
static int
fakesmsc_flush(struct fakesmsc_line *l, int fd)
{
	char	*nl;
	size_t	 n;

	while (fd != -1 && (nl = memchr(l->buf, '\n', l->len)) != NULL) {
		n = (size_t)(nl - l->buf) + 1;
		if (fakesmsc_write(fd, l->buf, n) == -1)
			return -1;
		memmove(l->buf, l->buf + n, l->len - n);
		l->len -= n;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static struct fakesmsc_line	from_bb, to_bb;
	struct pollfd			pfd[2];
	int				port, rec, fifo, bb = -1, n;

	if (argc != 4 || (port = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: fakesmsc PORT RECORD_FILE "
		    "INJECT_FIFO\n");
		return 2;
	}
	signal(SIGTERM, fakesmsc_on_signal);
	signal(SIGPIPE, SIG_IGN);
	if ((rec = open(argv[2], O_WRONLY | O_CREAT | O_APPEND, 0644)) == -1 ||
	    (mkfifo(argv[3], 0600) == -1 && errno != EEXIST) ||
	    (fifo = open(argv[3], O_RDWR | O_NONBLOCK)) == -1) {
		perror("fakesmsc");
		return 1;
	}
	while (!fakesmsc_quit) {
		if (bb == -1 && (bb = fakesmsc_connect(port)) != -1 &&
		    fakesmsc_flush(&to_bb, bb) == -1) {
			close(bb);
			bb = -1;
		}
		pfd[0].fd = fifo;
		pfd[0].events = POLLIN;
		pfd[1].fd = bb;
		pfd[1].events = POLLIN;
		/* Without bearerbox, look for it again every 100 ms. */
		if ((n = poll(pfd, 2, bb == -1 ? 100 : -1)) <= 0)
			continue;
		if ((pfd[0].revents & POLLIN) && fakesmsc_read(fifo, &to_bb) > 0 &&
		    fakesmsc_flush(&to_bb, bb) == -1) {
			close(bb);
			bb = -1;
			fprintf(stderr, "fakesmsc: disconnected\n");
		}
		if (bb != -1 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			if (fakesmsc_read(bb, &from_bb) <= 0) {
				close(bb);
				bb = -1;
				fprintf(stderr, "fakesmsc: disconnected\n");
			} else
				fakesmsc_flush(&from_bb, rec);
		}
	}
	if (bb != -1)
		close(bb);
	return 0;
}
