/*
 * The control socket: a UNIX stream socket taking one command per line
 * and answering one line, "OK ..." or "ERR <why>". Tests use it to inject
 * messages, inject faults and read counters; "atsim ctl" is its client.
 */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atsim.h"

#define ATSIM_CTL_CLIENTS	16
#define ATSIM_CTL_TIMEOUT	10000	/* ms the client waits for a reply */

struct atsim_ctl_conn {
	int		 fd;
	int		 discard;	/* skipping an overlong line */
	size_t		 len;
	char		 buf[ATSIM_CTLMAX];
};

/* A command: its name, handler and whether it needs arguments. */
struct atsim_ctl_cmd {
	const char	*name;
	int		 needargs;
	int		(*fn)(const char *, char *, char *, size_t);
};

static struct atsim_ctl_conn	 atsim_ctl_conns[ATSIM_CTL_CLIENTS];
static int			 atsim_ctl_fd = -1;
static char			 atsim_ctl_path[sizeof(((struct sockaddr_un *)
				     0)->sun_path)];

/* Split the next space-separated word off *pp; NULL if none. */
static char *
atsim_ctl_word(char **pp)
{
	char	*p = *pp, *w;

	while (*p == ' ')
		p++;
	if (*p == '\0')
		return (NULL);
	w = p;
	while (*p != '\0' && *p != ' ')
		p++;
	if (*p == ' ')
		*p++ = '\0';
	while (*p == ' ')
		p++;
	*pp = p;
	return (w);
}

/* Send +CMTI for each index listed in an inject reply. */
static void
atsim_ctl_notify(const char *indexes)
{
	const char	*p = indexes;
	char		*end;
	long		 idx;

	for (;;) {
		idx = strtol(p, &end, 10);
		if (end == p)
			break;
		atsim_at_notify_sms(idx);
		p = end;
	}
}

/* inject and inject-ucs2 SENDER TEXT...: a text, split if long. */
static int
atsim_ctl_inject(const char *cmd, char *args, char *reply, size_t size)
{
	char	*sender = atsim_ctl_word(&args);

	if (sender == NULL || atsim_sim_inject(sender, args,
	    strcmp(cmd, "inject-ucs2") == 0, -1, NULL, reply, size) == -1)
		return (-1);
	atsim_ctl_notify(reply);
	return (0);
}

/* inject-multi SENDER REF ORDER TEXT...: parts stored in a given order. */
static int
atsim_ctl_inject_multi(const char *cmd, char *args, char *reply,
    size_t size)
{
	char	*sender, *ref, *order;
	long	 r;

	sender = atsim_ctl_word(&args);
	ref = atsim_ctl_word(&args);
	order = atsim_ctl_word(&args);
	if (order == NULL || atsim_number(ref, 0, 255, &r) == -1) {
		snprintf(reply, size, "usage: %s sender ref order text", cmd);
		return (-1);
	}
	if (atsim_sim_inject(sender, args, 0, r, order, reply, size) == -1)
		return (-1);
	atsim_ctl_notify(reply);
	return (0);
}

/* inject-pdu HEX and inject-8bit SENDER HEXDATA: raw PDUs and data. */
static int
atsim_ctl_inject_raw(const char *cmd, char *args, char *reply, size_t size)
{
	char	*sender;
	int	 rc;

	if (strcmp(cmd, "inject-pdu") == 0)
		rc = atsim_sim_store_hex(args, reply, size);
	else if ((sender = atsim_ctl_word(&args)) == NULL)
		rc = -1;
	else
		rc = atsim_sim_inject_8bit(sender, args, reply, size);
	if (rc == -1)
		return (-1);
	atsim_ctl_notify(reply);
	return (0);
}

/* send-delay MS and delay MS: time before AT+CMGS and every reply. */
static int
atsim_ctl_delay(const char *cmd, char *args, char *reply, size_t size)
{
	long	v;

	if (atsim_number(args, 0, 600000, &v) == -1) {
		snprintf(reply, size, "milliseconds from 0 to 600000");
		return (-1);
	}
	if (strcmp(cmd, "delay") == 0)
		atsim_knobs.reply_delay = v;
	else
		atsim_knobs.send_delay = v;
	return (0);
}

/*
 * fail-send N [CODE [AFTER]]: after AFTER more sends go through, the next
 * N AT+CMGS fail with +CMS ERROR: CODE.
 */
static int
atsim_ctl_fail_send(const char *cmd, char *args, char *reply, size_t size)
{
	char	*n = atsim_ctl_word(&args), *code = atsim_ctl_word(&args);
	char	*after = atsim_ctl_word(&args);
	long	 vn, vcode = 500, vafter = 0;

	if (n == NULL || atsim_number(n, 0, 1000000, &vn) == -1 ||
	    (code != NULL && atsim_number(code, 0, 999, &vcode) == -1) ||
	    (after != NULL && atsim_number(after, 0, 1000000, &vafter) ==
	    -1)) {
		snprintf(reply, size, "usage: %s count [code [after]]", cmd);
		return (-1);
	}
	atsim_knobs.fail_send = vn;
	atsim_knobs.fail_code = vcode;
	atsim_knobs.fail_after = vafter;
	return (0);
}

/* hang, unhang, drop, return, quit: the modem's and our own state. */
static int
atsim_ctl_state(const char *cmd, char *args, char *reply, size_t size)
{
	(void)args;
	if (strcmp(cmd, "hang") == 0 || strcmp(cmd, "unhang") == 0) {
		atsim_knobs.hang = cmd[0] == 'h';
		atsim_tty_flushq();
		atsim_at_abort();
	} else if (strcmp(cmd, "drop") == 0) {
		if (atsim_tty_drop() == -1) {
			snprintf(reply, size, "already dropped");
			return (-1);
		}
	} else if (strcmp(cmd, "return") == 0) {
		if (atsim_tty_return() == -1) {
			snprintf(reply, size, "not dropped, or no pty");
			return (-1);
		}
		snprintf(reply, size, "%s", atsim_tty_path());
	} else
		atsim_quit();
	return (0);
}

/* ussd-reply TEXT...: the text of every later +CUSD answer. */
static int
atsim_ctl_ussd_reply(const char *cmd, char *args, char *reply, size_t size)
{
	static uint32_t	cps[ATSIM_TEXTMAX];
	size_t		n;

	(void)cmd;
	if (strlen(args) >= sizeof atsim_knobs.ussd_reply ||
	    atsim_text_utf8_decode(args, cps, ATSIM_TEXTMAX, &n) == -1) {
		snprintf(reply, size, "text too long or not UTF-8");
		return (-1);
	}
	atsim_strlcpy(atsim_knobs.ussd_reply, args,
	    sizeof atsim_knobs.ussd_reply);
	return (0);
}

/* stats and list: counters and stored indexes for tests. */
static int
atsim_ctl_query(const char *cmd, char *args, char *reply, size_t size)
{
	const char	*hex;
	size_t		 len, off = 0;
	int		 i, stat;

	(void)args;
	reply[0] = '\0';
	if (strcmp(cmd, "stats") == 0) {
		snprintf(reply, size, "stored=%d received_submits=%lu cmgs=%lu "
		    "cmgd=%lu pin_attempts=%lu commands=%lu ussd=%lu noise=%lu "
		    "quieted=%lu", atsim_sim_used(),
		    atsim_stats.received_submits, atsim_stats.cmgs,
		    atsim_stats.cmgd, atsim_stats.pin_attempts,
		    atsim_stats.commands, atsim_stats.ussd, atsim_stats.noise,
		    atsim_stats.quieted);
		return (0);
	}
	for (i = 1; i <= atsim_sim_size() && off + 5 < size; i++)
		if (atsim_sim_get(i, &stat, &len, &hex) == 0)
			off += snprintf(reply + off, size - off, "%s%d",
			    off ? " " : "", i);
	return (0);
}

static const struct atsim_ctl_cmd atsim_ctl_cmds[] = {
	{ "inject",		1,	atsim_ctl_inject },
	{ "inject-ucs2",	1,	atsim_ctl_inject },
	{ "inject-multi",	1,	atsim_ctl_inject_multi },
	{ "inject-pdu",		1,	atsim_ctl_inject_raw },
	{ "inject-8bit",	1,	atsim_ctl_inject_raw },
	{ "send-delay",		1,	atsim_ctl_delay },
	{ "delay",		1,	atsim_ctl_delay },
	{ "fail-send",		1,	atsim_ctl_fail_send },
	{ "hang",		0,	atsim_ctl_state },
	{ "unhang",		0,	atsim_ctl_state },
	{ "drop",		0,	atsim_ctl_state },
	{ "return",		0,	atsim_ctl_state },
	{ "quit",		0,	atsim_ctl_state },
	{ "ussd-reply",		1,	atsim_ctl_ussd_reply },
	{ "stats",		0,	atsim_ctl_query },
	{ "list",		0,	atsim_ctl_query },
};

/* Run one command line and send its one-line reply. */
static void
atsim_ctl_dispatch(struct atsim_ctl_conn *c, char *line)
{
	char		 reply[ATSIM_CTLMAX], out[ATSIM_CTLMAX + 8];
	char		*name;
	size_t		 i;
	int		 rc = -1, n;

	reply[0] = '\0';
	atsim_debug("ctl < %s", line);
	if ((name = atsim_ctl_word(&line)) == NULL)
		return;
	for (i = 0; i < sizeof atsim_ctl_cmds / sizeof atsim_ctl_cmds[0]; i++)
		if (strcmp(atsim_ctl_cmds[i].name, name) == 0)
			break;
	if (i == sizeof atsim_ctl_cmds / sizeof atsim_ctl_cmds[0])
		snprintf(reply, sizeof reply, "unknown command %s", name);
	else if (atsim_ctl_cmds[i].needargs && *line == '\0')
		snprintf(reply, sizeof reply, "%s needs arguments", name);
	else
		rc = atsim_ctl_cmds[i].fn(name, line, reply, sizeof reply);
	n = snprintf(out, sizeof out, "%s%s%s\n", rc == 0 ? "OK" : "ERR",
	    reply[0] != '\0' ? " " : "", reply);
	if (n < 0 || (size_t)n >= sizeof out)
		n = snprintf(out, sizeof out, "ERR reply too long\n");
	atsim_debug("ctl > %.*s", n - 1, out);
	if (send(c->fd, out, n, MSG_NOSIGNAL) != n)
		atsim_warnx("control client: short write");
}

/* Close a control connection. */
static void
atsim_ctl_conn_close(struct atsim_ctl_conn *c)
{
	close(c->fd);
	c->fd = -1;
	c->len = 0;
	c->discard = 0;
}

/* Read from a control connection and run each complete line. */
static void
atsim_ctl_conn_read(struct atsim_ctl_conn *c)
{
	char	*nl, *start;
	ssize_t	 n;

	n = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len - 1, 0);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		atsim_ctl_conn_close(c);
		return;
	}
	c->len += n;
	c->buf[c->len] = '\0';
	start = c->buf;
	while (c->fd != -1 && (nl = strchr(start, '\n')) != NULL) {
		*nl = '\0';
		if (nl > start && nl[-1] == '\r')
			nl[-1] = '\0';
		if (!c->discard)
			atsim_ctl_dispatch(c, start);
		c->discard = 0;
		start = nl + 1;
	}
	c->len -= start - c->buf;
	memmove(c->buf, start, c->len);
	if (c->len == sizeof c->buf - 1) {
		send(c->fd, "ERR line too long\n", 18, MSG_NOSIGNAL);
		c->discard = 1;
		c->len = 0;
	}
}

/* Accept a new control connection if there is a free slot. */
static void
atsim_ctl_accept(void)
{
	int	fd, i;

	if ((fd = accept4(atsim_ctl_fd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) == -1)
		return;
	for (i = 0; i < ATSIM_CTL_CLIENTS; i++) {
		if (atsim_ctl_conns[i].fd == -1) {
			atsim_ctl_conns[i].fd = fd;
			return;
		}
	}
	send(fd, "ERR too many clients\n", 21, MSG_NOSIGNAL);
	close(fd);
}

/* Listen on the control socket path, replacing a stale socket. */
int
atsim_ctl_listen(const char *path)
{
	struct sockaddr_un	sun;
	struct stat		st;
	int			i;

	for (i = 0; i < ATSIM_CTL_CLIENTS; i++)
		atsim_ctl_conns[i].fd = -1;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (atsim_strlcpy(sun.sun_path, path, sizeof sun.sun_path) >=
	    sizeof sun.sun_path)
		return (-1);
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
	atsim_ctl_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (atsim_ctl_fd == -1 ||
	    bind(atsim_ctl_fd, (struct sockaddr *)&sun, sizeof sun) == -1 ||
	    listen(atsim_ctl_fd, 8) == -1) {
		atsim_warnx("%s: %s", path, strerror(errno));
		return (-1);
	}
	atsim_strlcpy(atsim_ctl_path, path, sizeof atsim_ctl_path);
	return (0);
}

/* Close the listener and all connections; remove the socket. */
void
atsim_ctl_close(void)
{
	int	i;

	for (i = 0; i < ATSIM_CTL_CLIENTS; i++)
		if (atsim_ctl_conns[i].fd != -1)
			atsim_ctl_conn_close(&atsim_ctl_conns[i]);
	if (atsim_ctl_fd != -1) {
		close(atsim_ctl_fd);
		unlink(atsim_ctl_path);
	}
	atsim_ctl_fd = -1;
}

/* Fill pollfds: the listener first, then the connections. */
int
atsim_ctl_pollfds(struct pollfd *pfd, int max)
{
	int	i, n = 0;

	if (atsim_ctl_fd == -1 || max < 1)
		return (0);
	pfd[n].fd = atsim_ctl_fd;
	pfd[n].events = POLLIN;
	pfd[n++].revents = 0;
	for (i = 0; i < ATSIM_CTL_CLIENTS && n < max; i++) {
		if (atsim_ctl_conns[i].fd == -1)
			continue;
		pfd[n].fd = atsim_ctl_conns[i].fd;
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
	}
	return (n);
}

/* Act on the poll results filled in by atsim_ctl_pollfds(). */
void
atsim_ctl_handle(struct pollfd *pfd, int n)
{
	int	i, j;

	for (i = 1; i < n; i++) {
		if (pfd[i].revents == 0)
			continue;
		for (j = 0; j < ATSIM_CTL_CLIENTS; j++)
			if (atsim_ctl_conns[j].fd == pfd[i].fd)
				atsim_ctl_conn_read(&atsim_ctl_conns[j]);
	}
	if (n > 0 && (pfd[0].revents & POLLIN))
		atsim_ctl_accept();
}

/* Client mode: send one command, print the reply; 0 if it was OK. */
int
atsim_ctl_client(const char *path, int argc, char **argv)
{
	struct sockaddr_un	 sun;
	struct pollfd		 pfd;
	char			 line[ATSIM_CTLMAX + 2], *nl;
	size_t			 len = 0;
	ssize_t			 n;
	int			 fd, i;

	for (i = 0; i < argc; i++)
		len += snprintf(line + len, sizeof line - len - 1, "%s%s",
		    i ? " " : "", argv[i]);
	if (argc == 0 || len >= sizeof line - 2) {
		fprintf(stderr, "atsim ctl: no command, or too long\n");
		return (1);
	}
	line[len++] = '\n';
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (atsim_strlcpy(sun.sun_path, path, sizeof sun.sun_path) >=
	    sizeof sun.sun_path ||
	    (fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1 ||
	    write(fd, line, len) != (ssize_t)len) {
		fprintf(stderr, "atsim ctl: %s: %s\n", path, strerror(errno));
		return (1);
	}
	for (len = 0; len < sizeof line - 1; len += n) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, ATSIM_CTL_TIMEOUT) <= 0 ||
		    (n = read(fd, line + len, sizeof line - 1 - len)) <= 0)
			break;
		line[len + n] = '\0';
		if ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			printf("%s\n", line);
			close(fd);
			return (strncmp(line, "OK", 2) != 0);
		}
	}
	fprintf(stderr, "atsim ctl: no reply\n");
	close(fd);
	return (1);
}
