/*
 * atsim: a simulated GSM modem speaking AT commands (3GPP TS 27.005/27.007,
 * PDU mode) on a pseudo-terminal, for kentongan's integration tests and
 * for trying things by hand with gammu.
 *
 * Build, from the top of the tree:
 *   cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
 *       -Wstrict-prototypes -Wmissing-prototypes -O2 -o build/atsim \
 *       tests/atsim/atsim*.c $(pkg-config --cflags --libs gammu) -lutil
 *
 * Usage:
 *   atsim -p LINK -s CTLSOCK [-d] [-M PROFILE] [-m MEMSIZE] [-P PIN]
 *       [-r RECORDFILE]
 *   atsim ctl CTLSOCK COMMAND [ARG...]
 *
 * DESIGN
 * One process and one poll() loop over the pty master, the control socket
 * listener and its clients; timers (reply delay, send delay, retrying a
 * pty nobody holds) are poll timeouts, never sleeps. Replies go through a
 * FIFO of chunks, each with the time it may be written; while a reply is
 * queued no further input is read, so commands are served one at a time
 * like a real modem. We keep the slave side open ourselves so the master
 * never sees EOF or EIO when a client (libgammu opens and closes the
 * device on every connection) goes away.
 *
 * Files: atsim.c (this: loop, pty, reply queue, helpers), atsim_at.c (AT
 * interpreter), atsim_sim.c (SIM storage, PDUs, record file), atsim_ctl.c
 * (control socket), atsim_text.c (UTF-8, GSM alphabet, hex),
 * atsim_profile.c (the modem families' names and noise, -M).
 */

#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "atsim.h"

#define ATSIM_POLLMAX	32
#define ATSIM_STALL_MS	100

/* A piece of output for the pty, not to be written before due. */
struct atsim_chunk {
	TAILQ_ENTRY(atsim_chunk) entry;
	uint64_t		 due;
	size_t			 len;
	size_t			 off;
	char			 data[];
};

struct atsim_knobs	 atsim_knobs;
struct atsim_stats	 atsim_stats;

static TAILQ_HEAD(atsim_chunk_q, atsim_chunk) atsim_outq =
    TAILQ_HEAD_INITIALIZER(atsim_outq);

static struct {
	int		 master;
	int		 slave;
	char		 path[PATH_MAX];
	const char	*link;
	uint64_t	 stalled;	/* do not poll the master before */
} atsim_tty = { -1, -1, "", NULL, 0 };

static volatile sig_atomic_t	 atsim_signalled;
static int			 atsim_done;

/* Return monotonic time in milliseconds. */
uint64_t
atsim_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Print a message to stderr with control characters made visible. */
static void
atsim_vlog(const char *fmt, va_list ap)
{
	char		 msg[ATSIM_HEXMAX * 2 + ATSIM_LINEMAX];
	char		 when[16];
	const char	*p;
	struct timespec	 ts;
	struct tm	 tm;

	vsnprintf(msg, sizeof msg, fmt, ap);
	/* The time of day to the millisecond, to line up with a daemon's log. */
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof when, "%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ld atsim %s: ", when, ts.tv_nsec / 1000000,
	    atsim_tty.link ? atsim_tty.link : "");
	for (p = msg; *p != '\0'; p++) {
		if (*p == '\r')
			fputs("\\r", stderr);
		else if (*p == '\n')
			fputs("\\n", stderr);
		else if ((unsigned char)*p < 0x20)
			fprintf(stderr, "\\x%02x", (unsigned char)*p);
		else
			fputc(*p, stderr);
	}
	fputc('\n', stderr);
}

/* Log a debug message (with -d). */
void
atsim_debug(const char *fmt, ...)
{
	va_list	ap;

	if (!atsim_knobs.debug)
		return;
	va_start(ap, fmt);
	atsim_vlog(fmt, ap);
	va_end(ap);
}

/* Log a warning. */
void
atsim_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	atsim_vlog(fmt, ap);
	va_end(ap);
}

/* Remove what we created in the file system. */
static void
atsim_cleanup(void)
{
	if (atsim_tty.link != NULL && atsim_tty.master != -1)
		unlink(atsim_tty.link);
	atsim_ctl_close();
	atsim_sim_close();
}

/* Log an error, clean up and exit. */
void
atsim_fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	atsim_vlog(fmt, ap);
	va_end(ap);
	atsim_cleanup();
	exit(1);
}

/* Append bytes to a buffer, growing it. */
void
atsim_buf_add(struct atsim_buf *b, const void *data, size_t len)
{
	char	*p;
	size_t	 size;

	if (b->len + len + 1 > b->size) {
		size = (b->len + len + 1) * 2;
		if ((p = realloc(b->data, size)) == NULL)
			atsim_fatalx("out of memory");
		b->data = p;
		b->size = size;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

/* Append formatted text to a buffer. */
void
atsim_buf_printf(struct atsim_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n == -1)
		atsim_fatalx("out of memory");
	atsim_buf_add(b, s, n);
	free(s);
}

/* Free a buffer's memory. */
void
atsim_buf_free(struct atsim_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->size = 0;
}

/* Copy a string with truncation, like BSD strlcpy. */
size_t
atsim_strlcpy(char *dst, const char *src, size_t size)
{
	size_t	len = strlen(src);

	if (size > 0) {
		memcpy(dst, src, len < size ? len : size - 1);
		dst[len < size ? len : size - 1] = '\0';
	}
	return (len);
}

/* Parse a whole decimal number within [min, max]; -1 if it is not. */
int
atsim_number(const char *s, long min, long max, long *v)
{
	char	*end;

	errno = 0;
	*v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || *v < min || *v > max)
		return (-1);
	return (0);
}

/* Queue bytes for the pty, delayed by the reply delay plus extra ms. */
void
atsim_tty_send(const char *data, size_t len, int extra)
{
	struct atsim_chunk	*c, *last;

	if (atsim_tty.master == -1 || atsim_knobs.hang) {
		atsim_debug("(not sent: %s)", atsim_knobs.hang ? "hung" :
		    "dropped");
		return;
	}
	if ((c = malloc(sizeof *c + len)) == NULL)
		atsim_fatalx("out of memory");
	c->due = atsim_now() + atsim_knobs.reply_delay + extra;
	if ((last = TAILQ_LAST(&atsim_outq, atsim_chunk_q)) != NULL &&
	    last->due > c->due)
		c->due = last->due;
	c->len = len;
	c->off = 0;
	memcpy(c->data, data, len);
	TAILQ_INSERT_TAIL(&atsim_outq, c, entry);
}

/* Throw away all queued output. */
void
atsim_tty_flushq(void)
{
	struct atsim_chunk	*c;

	while ((c = TAILQ_FIRST(&atsim_outq)) != NULL) {
		TAILQ_REMOVE(&atsim_outq, c, entry);
		free(c);
	}
}

/* Return the path of the pty slave (empty when dropped). */
const char *
atsim_tty_path(void)
{
	return (atsim_tty.path);
}

/* Create a raw pty and point the link at its slave. */
static int
atsim_tty_open(void)
{
	struct termios	tio;
	char		tmp[PATH_MAX];
	int		m, s;

	memset(&tio, 0, sizeof tio);
	cfmakeraw(&tio);
	cfsetspeed(&tio, B115200);
	if (openpty(&m, &s, NULL, &tio, NULL) == -1) {
		atsim_warnx("openpty: %s", strerror(errno));
		return (-1);
	}
	if (ptsname_r(m, atsim_tty.path, sizeof atsim_tty.path) != 0 ||
	    fcntl(m, F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(m, F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(s, F_SETFD, FD_CLOEXEC) == -1 ||
	    (size_t)snprintf(tmp, sizeof tmp, "%s.tmp", atsim_tty.link) >=
	    sizeof tmp) {
		atsim_warnx("pty setup failed");
		goto fail;
	}
	unlink(tmp);
	if (symlink(atsim_tty.path, tmp) == -1 ||
	    rename(tmp, atsim_tty.link) == -1) {
		atsim_warnx("link %s: %s", atsim_tty.link, strerror(errno));
		unlink(tmp);
		goto fail;
	}
	atsim_tty.master = m;
	atsim_tty.slave = s;
	atsim_tty.stalled = 0;
	atsim_debug("serving %s", atsim_tty.path);
	return (0);
fail:
	close(m);
	close(s);
	atsim_tty.path[0] = '\0';
	return (-1);
}

/* Close the pty and remove the link. */
static void
atsim_tty_close(void)
{
	atsim_tty_flushq();
	atsim_at_abort();
	if (atsim_tty.master == -1)
		return;
	close(atsim_tty.master);
	close(atsim_tty.slave);
	atsim_tty.master = atsim_tty.slave = -1;
	atsim_tty.path[0] = '\0';
	unlink(atsim_tty.link);
}

/* Simulate the modem vanishing; -1 if it already has. */
int
atsim_tty_drop(void)
{
	if (atsim_tty.master == -1)
		return (-1);
	atsim_tty_close();
	atsim_debug("dropped");
	return (0);
}

/* Bring a vanished modem back on a new pty; -1 if not dropped or failed. */
int
atsim_tty_return(void)
{
	if (atsim_tty.master != -1 || atsim_tty_open() == -1)
		return (-1);
	atsim_at_reset(1);
	return (0);
}

/* Stop the main loop after the current iteration. */
void
atsim_quit(void)
{
	atsim_done = 1;
}

/* Read what the client wrote and feed the interpreter. */
static void
atsim_tty_read(void)
{
	char	buf[4096];
	ssize_t	n;

	n = read(atsim_tty.master, buf, sizeof buf);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		atsim_tty.stalled = atsim_now() + ATSIM_STALL_MS;
		return;
	}
	if (atsim_knobs.hang) {
		atsim_debug("(hung, ignored %zd bytes)", n);
		return;
	}
	atsim_at_input(buf, n);
}

/* Write the head of the queue if it is due. */
static void
atsim_tty_write(void)
{
	struct atsim_chunk	*c = TAILQ_FIRST(&atsim_outq);
	ssize_t			 n;

	if (c == NULL || c->due > atsim_now())
		return;
	n = write(atsim_tty.master, c->data + c->off, c->len - c->off);
	if (n == -1) {
		if (errno != EAGAIN && errno != EINTR)
			atsim_tty.stalled = atsim_now() + ATSIM_STALL_MS;
		return;
	}
	c->off += n;
	if (c->off == c->len) {
		TAILQ_REMOVE(&atsim_outq, c, entry);
		free(c);
	}
}

/* Fill in the pty's pollfd; update the timeout for queued output. */
static int
atsim_tty_pollfd(struct pollfd *pfd, int *timeout)
{
	struct atsim_chunk	*c = TAILQ_FIRST(&atsim_outq);
	uint64_t		 now = atsim_now();

	if (atsim_tty.master == -1)
		return (0);
	if (now < atsim_tty.stalled) {
		*timeout = atsim_tty.stalled - now;
		return (0);
	}
	pfd->fd = atsim_tty.master;
	pfd->events = 0;
	pfd->revents = 0;
	if (c == NULL || atsim_knobs.hang)
		pfd->events |= POLLIN;
	else if (c->due <= now)
		pfd->events |= POLLOUT;
	else
		*timeout = c->due - now;
	return (1);
}

/* Act on the pty's poll result. */
static void
atsim_tty_handle(short revents)
{
	if (revents & POLLIN)
		atsim_tty_read();
	else if (revents & (POLLHUP | POLLERR | POLLNVAL))
		atsim_tty.stalled = atsim_now() + ATSIM_STALL_MS;
	if (atsim_tty.master != -1 && (revents & POLLOUT))
		atsim_tty_write();
}

/* Note a terminating signal. */
static void
atsim_signal(int sig)
{
	(void)sig;
	atsim_signalled = 1;
}

/* Block the terminating signals; return the mask to wait with. */
static void
atsim_signals(sigset_t *waitmask)
{
	struct sigaction	sa;
	sigset_t		block;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = atsim_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, waitmask);
	sigdelset(waitmask, SIGTERM);
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGHUP);
}

/* Serve until a signal or the quit command. */
static void
atsim_loop(const sigset_t *waitmask)
{
	struct pollfd	pfd[ATSIM_POLLMAX];
	struct timespec	ts;
	int		n, ntty, timeout;

	while (!atsim_done && !atsim_signalled) {
		timeout = -1;
		ntty = atsim_tty_pollfd(&pfd[0], &timeout);
		n = atsim_ctl_pollfds(pfd + ntty, ATSIM_POLLMAX - ntty);
		ts.tv_sec = timeout / 1000;
		ts.tv_nsec = (timeout % 1000) * 1000000L;
		if (ppoll(pfd, ntty + n, timeout == -1 ? NULL : &ts,
		    waitmask) == -1) {
			if (errno == EINTR)
				continue;
			atsim_fatalx("ppoll: %s", strerror(errno));
		}
		if (ntty)
			atsim_tty_handle(pfd[0].revents);
		atsim_ctl_handle(pfd + ntty, n);
	}
}

/* Print usage and exit. */
static void __attribute__((noreturn))
atsim_usage(void)
{
	fprintf(stderr, "usage: atsim -p link -s ctlsock [-d] [-M profile] "
	    "[-m memsize] [-P pin] [-r recordfile]\n"
	    "       atsim ctl ctlsock command [arg ...]\n");
	exit(2);
}

/* Parse the options into the knobs. */
static void
atsim_options(int argc, char **argv, const char **ctl, const char **record,
    long *memsize)
{
	int	ch;

	while ((ch = getopt(argc, argv, "dM:m:P:p:r:s:")) != -1) {
		switch (ch) {
		case 'd':
			atsim_knobs.debug = 1;
			break;
		case 'M':
			if (atsim_profile_set(optarg) == -1)
				atsim_fatalx("-M: generic, huawei, simcom, "
				    "wavecom, zte or quectel");
			break;
		case 'm':
			if (atsim_number(optarg, 1, ATSIM_SIMMAX, memsize) == -1)
				atsim_fatalx("-m: 1 to %d", ATSIM_SIMMAX);
			break;
		case 'P':
			if (strlen(optarg) < 4 || strlen(optarg) > 8 ||
			    strspn(optarg, "0123456789") != strlen(optarg))
				atsim_fatalx("-P: 4 to 8 digits");
			atsim_strlcpy(atsim_knobs.pin, optarg,
			    sizeof atsim_knobs.pin);
			break;
		case 'p':
			atsim_tty.link = optarg;
			break;
		case 'r':
			*record = optarg;
			break;
		case 's':
			*ctl = optarg;
			break;
		default:
			atsim_usage();
		}
	}
	if (optind != argc || atsim_tty.link == NULL || *ctl == NULL)
		atsim_usage();
}

/* Run the simulator, or with "ctl" send one control command. */
int
main(int argc, char **argv)
{
	sigset_t	 waitmask;
	const char	*ctl = NULL, *record = NULL;
	long		 memsize = 30;

	if (argc >= 3 && strcmp(argv[1], "ctl") == 0)
		return (atsim_ctl_client(argv[2], argc - 3, argv + 3));
	atsim_knobs.fail_code = 500;
	atsim_strlcpy(atsim_knobs.ussd_reply, "Sisa pulsa Anda Rp12.345. "
	    "Berlaku s/d 31-12-2026", sizeof atsim_knobs.ussd_reply);
	atsim_options(argc, argv, &ctl, &record, &memsize);
	atsim_signals(&waitmask);
	if (atsim_sim_init(memsize, record) == -1)
		atsim_fatalx("%s: %s", record, strerror(errno));
	if (atsim_ctl_listen(ctl) == -1)
		atsim_fatalx("cannot listen on %s", ctl);
	if (atsim_tty_open() == -1)
		atsim_fatalx("cannot create the pty");
	atsim_at_reset(1);
	atsim_loop(&waitmask);
	atsim_debug("exiting");
	atsim_tty_close();
	atsim_cleanup();
	return (0);
}
