/*
 * A stand-in for smsbox's sendsms HTTP interface, for the window test.
 *
 * It answers every GET "202 Accepted" after holding it HOLD_MS, so the
 * sends a client keeps in flight pile up here and can be counted.  A GET
 * without to= (the client's probe) is answered at once.  Each answered
 * send is appended to RECORD_FILE as "TO TEXT"; after each one, STATS_FILE
 * is rewritten as "inflight_max N same_to_max N sends N connections N":
 * the most sends held at once, the most held at once for one recipient,
 * the sends answered, and the TCP connections accepted.  HTTP/1.1
 * keep-alive: a connection serves requests one after another.
 *
 * usage: fakesendsms PORT HOLD_MS RECORD_FILE STATS_FILE
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FAKESENDSMS_CONNS	128
#define FAKESENDSMS_BUF		16384

/* One client connection and the request it has in hand. */
struct fakesendsms_conn {
	int		fd;		/* -1: free */
	char		buf[FAKESENDSMS_BUF];
	size_t		len;
	int		held;		/* a send waits for its answer */
	long long	due_ms;		/* when to answer it */
	char		to[64];
	char		text[1024];
};

static struct fakesendsms_conn	conns[FAKESENDSMS_CONNS];
static int			inflight_max, same_max, sends, accepted, hold_ms;

/* Monotonic milliseconds. */
static long long
fakesendsms_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Copy the percent-decoded value of name= in query q into out. */
static void
fakesendsms_param(const char *q, const char *name, char *out, size_t len)
{
	const char	*p = q;
	size_t		 n = strlen(name), o = 0;
	unsigned int	 c;

	out[0] = '\0';
	while ((p = strstr(p, name)) != NULL) {
		if ((p == q || p[-1] == '&' || p[-1] == '?') && p[n] == '=')
			break;
		p++;
	}
	if (p == NULL)
		return;
	for (p += n + 1; *p != '\0' && *p != '&' && *p != ' ' &&
	    o + 1 < len; p++) {
		if (*p == '%' && sscanf(p + 1, "%2x", &c) == 1) {
			out[o++] = (char)c;
			p += 2;
		} else
			out[o++] = *p == '+' ? ' ' : *p;
	}
	out[o] = '\0';
}

/* Count what is held now, overall and for the most crowded recipient. */
static void
fakesendsms_count(void)
{
	int i, j, n = 0, same;

	for (i = 0; i < FAKESENDSMS_CONNS; i++) {
		if (conns[i].fd == -1 || !conns[i].held)
			continue;
		n++;
		for (same = 0, j = 0; j < FAKESENDSMS_CONNS; j++)
			if (conns[j].fd != -1 && conns[j].held &&
			    strcmp(conns[j].to, conns[i].to) == 0)
				same++;
		if (same > same_max)
			same_max = same;
	}
	if (n > inflight_max)
		inflight_max = n;
}

/* Answer a connection's request 202 (keep-alive). */
static void
fakesendsms_answer(struct fakesendsms_conn *c)
{
	static const char ok[] = "HTTP/1.1 202 Accepted\r\nContent-Length: "
	    "26\r\nContent-Type: text/plain\r\n\r\n0: Accepted for delivery\r\n";

	if (write(c->fd, ok, sizeof(ok) - 1) == -1) {
		close(c->fd);
		c->fd = -1;
	}
}

/* Rewrite the stats file. */
static void
fakesendsms_stats(const char *path)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL)
		return;
	fprintf(f, "inflight_max %d same_to_max %d sends %d connections %d\n",
	    inflight_max, same_max, sends, accepted);
	fclose(f);
}

/* Take a complete request out of c's buffer, if there is one. */
static void
fakesendsms_request(struct fakesendsms_conn *c)
{
	char	*end, *line;
	size_t	 used;

	if (c->held || (end = strstr(c->buf, "\r\n\r\n")) == NULL)
		return;
	line = c->buf;
	if (strncmp(line, "GET ", 4) == 0) {
		fakesendsms_param(line + 4, "to", c->to, sizeof(c->to));
		fakesendsms_param(line + 4, "text", c->text, sizeof(c->text));
	} else
		c->to[0] = '\0';
	used = (size_t)(end + 4 - c->buf);
	memmove(c->buf, end + 4, c->len - used);
	c->len -= used;
	c->buf[c->len] = '\0';
	if (c->to[0] == '\0') {
		fakesendsms_answer(c);	/* the probe */
		return;
	}
	c->held = 1;
	c->due_ms = fakesendsms_ms() + hold_ms;
	fakesendsms_count();
}

/* Accept a new connection into a free slot. */
static void
fakesendsms_accept(int ls)
{
	int fd, i;

	if ((fd = accept(ls, NULL, NULL)) == -1)
		return;
	for (i = 0; i < FAKESENDSMS_CONNS; i++)
		if (conns[i].fd == -1) {
			memset(&conns[i], 0, sizeof(conns[i]));
			conns[i].fd = fd;
			accepted++;
			return;
		}
	close(fd);
}

/* Answer the held sends that are due; record them. */
static void
fakesendsms_due(FILE *rec, const char *stats)
{
	long long	now = fakesendsms_ms();
	int		i;

	for (i = 0; i < FAKESENDSMS_CONNS; i++) {
		if (conns[i].fd == -1 || !conns[i].held || conns[i].due_ms > now)
			continue;
		fprintf(rec, "%s %s\n", conns[i].to, conns[i].text);
		fflush(rec);
		conns[i].held = 0;
		sends++;
		fakesendsms_answer(&conns[i]);
		fakesendsms_stats(stats);
		if (conns[i].fd != -1)
			fakesendsms_request(&conns[i]);
	}
}

/* Listen on 127.0.0.1:port. */
static int
fakesendsms_listen(int port)
{
	struct sockaddr_in	sin;
	int			s, on = 1;

	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(s, 64) == -1) {
		close(s);
		return -1;
	}
	return s;
}

int
main(int argc, char *argv[])
{
	struct pollfd	pfd[FAKESENDSMS_CONNS + 1];
	int		ls, i, n, slot[FAKESENDSMS_CONNS + 1];
	ssize_t		r;
	FILE		*rec;

	if (argc != 5) {
		fprintf(stderr, "usage: fakesendsms PORT HOLD_MS RECORD STATS\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	hold_ms = atoi(argv[2]);
	if ((ls = fakesendsms_listen(atoi(argv[1]))) == -1 ||
	    (rec = fopen(argv[3], "a")) == NULL) {
		perror("fakesendsms");
		return 1;
	}
	for (i = 0; i < FAKESENDSMS_CONNS; i++)
		conns[i].fd = -1;
	fakesendsms_stats(argv[4]);
	for (;;) {
		pfd[0].fd = ls;
		pfd[0].events = POLLIN;
		for (n = 1, i = 0; i < FAKESENDSMS_CONNS; i++)
			if (conns[i].fd != -1) {
				pfd[n].fd = conns[i].fd;
				pfd[n].events = POLLIN;
				slot[n++] = i;
			}
		if (poll(pfd, (nfds_t)n, 5) == -1 && errno != EINTR)
			return 1;
		if (pfd[0].revents & POLLIN)
			fakesendsms_accept(ls);
		for (i = 1; i < n; i++) {
			struct fakesendsms_conn *c = &conns[slot[i]];

			if (!(pfd[i].revents & (POLLIN | POLLHUP)))
				continue;
			r = read(c->fd, c->buf + c->len, sizeof(c->buf) - 1 -
			    c->len);
			if (r <= 0) {
				close(c->fd);
				c->fd = -1;
				continue;
			}
			c->len += (size_t)r;
			c->buf[c->len] = '\0';
			fakesendsms_request(c);
		}
		fakesendsms_due(rec, argv[4]);
	}
}
