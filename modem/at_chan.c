/*
 * The AT channel: one serial port, driven from a libevent loop.
 *
 * DESIGN: commands wait in a queue and exactly one is in flight; its
 * information lines and its final result (OK, ERROR, +CME/+CMS ERROR)
 * are handed to its callbacks, and a timer per command turns a silent
 * modem into AT_TIMEOUT instead of a hang.  Nothing here sleeps: the time
 * a send takes is the modem's own.  Unsolicited result codes (+CMTI,
 * +CDS, +CUSD, ^RSSI ...) may arrive anywhere, even between the lines of
 * a reply, and are told apart by their prefix; the "> " prompt of
 * AT+CMGS has no line end and is recognised as a partial line.  Echo is
 * tolerated (the command or PDU coming back is dropped), so the first
 * commands work before ATE0.
 */
#include <sys/queue.h>
#include <sys/file.h>
#include <sys/ioctl.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "log.h"
#include "at.h"

#define AT_QUEUE_MAX	1024	/* commands waiting at most: every delete of
				   a full SIM, health, a scan, a send */

enum at_cmd_state {
	AT_CMD_QUEUED,
	AT_CMD_SENT,		/* command written, waiting for its reply */
	AT_CMD_PROMPT,		/* PDU written after "> " */
};

struct at_cmd {
	TAILQ_ENTRY(at_cmd)	 entry;
	enum at_cmd_state	 state;
	char			 text[AT_CMD_MAX];
	char			 pdu[AT_PDU_HEX_MAX + 1];	/* "" if none */
	int			 timeout_ms;
	at_line_fn		*on_line;
	at_done_fn		*on_done;
	void			*arg;
};

TAILQ_HEAD(at_cmdq, at_cmd);

struct at_chan {
	int			 fd;
	struct event_base	*base;
	struct event		*rd;
	struct event		*wr;
	struct event		*timer;
	struct evbuffer		*out;
	struct at_cmdq		 queue;
	int			 nqueue;
	char			 line[AT_LINE_MAX];
	size_t			 linelen;
	int			 overflow;
	char			 urc_head[AT_LINE_MAX];	/* +CMT/+CDS header */
	int			 gone;
	const char *const	*noise;
	at_urc_fn		*on_urc;
	at_lost_fn		*on_lost;
	void			*arg;
};

/* URCs every modem may send; the rest come from its profile. */
static const char *const at_chan_urcs[] = {
	"+CMTI:", "+CMT:", "+CDS:", "+CDSI:", "+CUSD:", "RING", "+CRING:",
	"+CLIP:", "+CREG:", "+CGREG:", "+CEREG:", "+CIEV:", "+CBM:",
	"+CPIN:", "NO CARRIER", NULL
};

static void	at_chan_next(struct at_chan *);
static int	at_chan_queue(struct at_chan *, int, const char *,
		    const char *, int, at_line_fn *, at_done_fn *, void *);

/* Name a result for logs and errors: "OK", "+CMS ERROR: 304" ... */
const char *
at_chan_result(enum at_result r, int code, char *buf, size_t len)
{
	switch (r) {
	case AT_OK:
		return "OK";
	case AT_ERROR:
		return "ERROR";
	case AT_CME:
		snprintf(buf, len, "+CME ERROR: %d", code);
		return buf;
	case AT_CMS:
		snprintf(buf, len, "+CMS ERROR: %d", code);
		return buf;
	case AT_TIMEOUT:
		return "no answer (the modem stopped answering)";
	case AT_GONE:
		return "the device went away";
	default:
		fatalx("%s: bad result %d", __func__, (int)r);
	}
}

/* Set the port raw at speed, with or without RTS/CTS flow control. */
static int
at_chan_termios(int fd, int speed)
{
	struct termios t;

	if (tcgetattr(fd, &t) == -1)
		return -1;
	cfmakeraw(&t);
	t.c_cflag |= CLOCAL | CREAD;
	t.c_cflag &= ~(CRTSCTS | HUPCL);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (cfsetspeed(&t, (speed_t)speed) == -1)
		return -1;
	return tcsetattr(fd, TCSANOW, &t);
}

/* Drop the command at the head of the queue. */
static struct at_cmd *
at_chan_pop(struct at_chan *c)
{
	struct at_cmd *cmd;

	if ((cmd = TAILQ_FIRST(&c->queue)) == NULL)
		return NULL;
	TAILQ_REMOVE(&c->queue, cmd, entry);
	c->nqueue--;
	evtimer_del(c->timer);
	return cmd;
}

/* End the command in flight with a result and start the next one. */
static void
at_chan_finish(struct at_chan *c, enum at_result r, int code)
{
	struct at_cmd *cmd;

	if ((cmd = at_chan_pop(c)) == NULL)
		return;
	if (cmd->on_done != NULL)
		cmd->on_done(c, r, code, cmd->arg);
	free(cmd);
	if (!c->gone)
		at_chan_next(c);
}

/*
 * The device is gone: every command, queued or in flight, ends with
 * AT_GONE, and the owner hears of it once.
 */
static void
at_chan_lost(struct at_chan *c, const char *why)
{
	if (c->gone)
		return;
	c->gone = 1;
	event_del(c->rd);
	event_del(c->wr);
	while (!TAILQ_EMPTY(&c->queue))
		at_chan_finish(c, AT_GONE, -1);
	if (c->on_lost != NULL)
		c->on_lost(c, why, c->arg);
}

/* Queue bytes for the port. */
static void
at_chan_write(struct at_chan *c, const char *s, size_t n)
{
	evbuffer_add(c->out, s, n);
	event_add(c->wr, NULL);
}

/* Write the command at the head of the queue, if none is in flight. */
static void
at_chan_next(struct at_chan *c)
{
	struct at_cmd	*cmd = TAILQ_FIRST(&c->queue);
	struct timeval	 tv;

	if (cmd == NULL || cmd->state != AT_CMD_QUEUED || c->gone)
		return;
	cmd->state = AT_CMD_SENT;
	/* A SIM PIN stays out of the debug log. */
	log_debug("AT> %s", strncmp(cmd->text, "AT+CPIN=", 8) == 0 ?
	    "AT+CPIN=****" : cmd->text);
	at_chan_write(c, cmd->text, strlen(cmd->text));
	at_chan_write(c, "\r", 1);
	tv.tv_sec = cmd->timeout_ms / 1000;
	tv.tv_usec = (cmd->timeout_ms % 1000) * 1000;
	evtimer_add(c->timer, &tv);
}

/* libevent: the command in flight took too long. */
static void
at_chan_on_timeout(evutil_socket_t fd, short ev, void *arg)
{
	struct at_chan	*c = arg;
	struct at_cmd	*cmd = TAILQ_FIRST(&c->queue);

	(void)fd;
	(void)ev;
	if (cmd == NULL)
		return;
	log_debug("AT: %s: no answer in %d ms", cmd->text, cmd->timeout_ms);
	/* A half-typed PDU must not swallow the next command. */
	if (cmd->state == AT_CMD_PROMPT || cmd->state == AT_CMD_SENT)
		at_chan_write(c, "\x1b", 1);
	at_chan_finish(c, AT_TIMEOUT, -1);
}

/* Tell whether line starts with one of the prefixes. */
static int
at_chan_match(const char *const *list, const char *line)
{
	if (list == NULL)
		return 0;
	for (; *list != NULL; list++)
		if (strncasecmp(line, *list, strlen(*list)) == 0)
			return 1;
	return 0;
}

/*
 * Tell whether a line is unsolicited.  A prefix that is also the reply
 * of the command in flight (+CREG: to AT+CREG?, +CPIN: to AT+CPIN?) is
 * the reply, except +CUSD, whose answer always comes as a URC.
 */
static int
at_chan_is_urc(const struct at_chan *c, const struct at_cmd *cmd,
    const char *line)
{
	size_t n;

	if (!at_chan_match(at_chan_urcs, line) &&
	    !at_chan_match(c->noise, line))
		return 0;
	if (cmd == NULL || strncasecmp(line, "+CUSD:", 6) == 0)
		return 1;
	n = strcspn(line, ":");
	return !(line[n] == ':' && strncasecmp(cmd->text + 2, line, n) == 0 &&
	    !isalnum((unsigned char)cmd->text[2 + n]));
}

/* Parse a final result line; 1 if it is one. */
static int
at_chan_final(const char *line, enum at_result *r, int *code)
{
	*code = -1;
	if (strcmp(line, "OK") == 0)
		*r = AT_OK;
	else if (strcmp(line, "ERROR") == 0 ||
	    strcmp(line, "COMMAND NOT SUPPORT") == 0 ||
	    strcmp(line, "TOO MANY PARAMETERS") == 0 ||
	    strcmp(line, "NO DIALTONE") == 0 || strcmp(line, "BUSY") == 0 ||
	    strcmp(line, "NO ANSWER") == 0)
		*r = AT_ERROR;
	else if (strncmp(line, "+CME ERROR:", 11) == 0) {
		*r = AT_CME;
		if (isdigit((unsigned char)line[strspn(line + 11, " ") + 11]))
			*code = atoi(line + 11);
	} else if (strncmp(line, "+CMS ERROR:", 11) == 0) {
		*r = AT_CMS;
		if (isdigit((unsigned char)line[strspn(line + 11, " ") + 11]))
			*code = atoi(line + 11);
	} else
		return 0;
	return 1;
}

/* Handle one complete line from the modem. */
static void
at_chan_line(struct at_chan *c, const char *line)
{
	struct at_cmd	*cmd = TAILQ_FIRST(&c->queue);
	enum at_result	 r;
	int		 code;

	if (cmd != NULL && cmd->state == AT_CMD_QUEUED)
		cmd = NULL;
	log_debug("AT< %s", line);
	if (c->urc_head[0] != '\0') {
		/* The second line of +CMT or +CDS: the PDU. */
		if (c->on_urc != NULL)
			c->on_urc(c, c->urc_head, line, c->arg);
		c->urc_head[0] = '\0';
		return;
	}
	if (cmd != NULL && (strcasecmp(line, cmd->text) == 0 ||
	    (cmd->pdu[0] != '\0' && strstr(line, cmd->pdu) != NULL)))
		return;		/* echo */
	if (cmd != NULL && at_chan_final(line, &r, &code)) {
		at_chan_finish(c, r, code);
		return;
	}
	if (at_chan_is_urc(c, cmd, line)) {
		if (strncasecmp(line, "+CMT:", 5) == 0 ||
		    strncasecmp(line, "+CDS:", 5) == 0) {
			snprintf(c->urc_head, sizeof(c->urc_head), "%s", line);
			return;
		}
		if (c->on_urc != NULL && !at_chan_match(c->noise, line))
			c->on_urc(c, line, NULL, c->arg);
		return;
	}
	if (cmd != NULL && cmd->on_line != NULL)
		cmd->on_line(c, line, cmd->arg);
	else if (cmd == NULL && c->on_urc != NULL)
		c->on_urc(c, line, NULL, c->arg);
}

/* The "> " prompt arrived: type the PDU and end it with Ctrl-Z. */
static void
at_chan_prompt(struct at_chan *c, struct at_cmd *cmd)
{
	log_debug("AT> %s^Z", cmd->pdu);
	cmd->state = AT_CMD_PROMPT;
	at_chan_write(c, cmd->pdu, strlen(cmd->pdu));
	at_chan_write(c, "\x1a", 1);
}

/* Split the bytes read into lines; spot the prompt. */
static void
at_chan_input(struct at_chan *c, const char *buf, size_t n)
{
	struct at_cmd	*cmd;
	size_t		 i;

	for (i = 0; i < n && !c->gone; i++) {
		if (buf[i] == '\r' || buf[i] == '\n') {
			c->line[c->linelen] = '\0';
			if (c->linelen > 0 && !c->overflow)
				at_chan_line(c, c->line);
			c->linelen = 0;
			c->overflow = 0;
			continue;
		}
		if (c->linelen + 1 >= sizeof(c->line)) {
			c->overflow = 1;
			continue;
		}
		c->line[c->linelen++] = buf[i];
		cmd = TAILQ_FIRST(&c->queue);
		if (cmd != NULL && cmd->state == AT_CMD_SENT &&
		    cmd->pdu[0] != '\0' && c->linelen == 2 &&
		    c->line[0] == '>' && c->line[1] == ' ') {
			c->linelen = 0;
			at_chan_prompt(c, cmd);
		}
	}
}

/* libevent: the port is readable. */
static void
at_chan_on_read(evutil_socket_t fd, short ev, void *arg)
{
	struct at_chan	*c = arg;
	char		 buf[4096];
	ssize_t		 n;

	(void)ev;
	n = read(fd, buf, sizeof(buf));
	if (n > 0) {
		at_chan_input(c, buf, (size_t)n);
		return;
	}
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	at_chan_lost(c, n == 0 ? "the device went away" : strerror(errno));
}

/* libevent: the port can take more bytes. */
static void
at_chan_on_write(evutil_socket_t fd, short ev, void *arg)
{
	struct at_chan *c = arg;

	(void)ev;
	if (evbuffer_write(c->out, fd) == -1 && errno != EAGAIN &&
	    errno != EINTR) {
		at_chan_lost(c, strerror(errno));
		return;
	}
	if (evbuffer_get_length(c->out) == 0)
		event_del(c->wr);
}

/*
 * Open a serial port: non-blocking, exclusive (no second kentongan, and
 * no other program opening it meanwhile), raw at the given speed.
 */
struct at_chan *
at_chan_open(struct event_base *base, const char *device, int speed,
    char *err, size_t errlen)
{
	struct at_chan	*c;
	int		 fd;

	if ((fd = open(device, O_RDWR | O_NOCTTY | O_NONBLOCK |
	    O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "cannot open %s: %s", device,
		    strerror(errno));
		return NULL;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		snprintf(err, errlen, "%s is in use by another program",
		    device);
		close(fd);
		return NULL;
	}
	if (isatty(fd) && at_chan_termios(fd, speed) == -1) {
		snprintf(err, errlen, "%s: cannot set the serial port up: %s",
		    device, strerror(errno));
		close(fd);
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->fd = fd;
	c->base = base;
	TAILQ_INIT(&c->queue);
	c->out = evbuffer_new();
	c->rd = event_new(base, fd, EV_READ | EV_PERSIST, at_chan_on_read, c);
	c->wr = event_new(base, fd, EV_WRITE | EV_PERSIST, at_chan_on_write,
	    c);
	c->timer = evtimer_new(base, at_chan_on_timeout, c);
	if (c->out == NULL || c->rd == NULL || c->wr == NULL ||
	    c->timer == NULL || event_add(c->rd, NULL) == -1) {
		at_chan_close(c);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	tcflush(fd, TCIOFLUSH);
	/* ESC ends a PDU a previous program left half-typed. */
	at_chan_write(c, "\x1b\r", 2);
	return c;
}

/* Say who hears unsolicited lines and the loss of the device. */
void
at_chan_set_urc(struct at_chan *c, at_urc_fn *urc, at_lost_fn *lost,
    void *arg)
{
	c->on_urc = urc;
	c->on_lost = lost;
	c->arg = arg;
}

/* Set the profile's URC prefixes that carry nothing for us. */
void
at_chan_set_noise(struct at_chan *c, const char *const *noise)
{
	c->noise = noise;
}

/*
 * Queue a command (without the trailing CR).  With a pdu, it is typed
 * after the "> " prompt and ended with Ctrl-Z.  -1 if the queue is full
 * or the device is gone; the callbacks are then not called.
 */
int
at_chan_cmd(struct at_chan *c, const char *text, const char *pdu,
    int timeout_ms, at_line_fn *on_line, at_done_fn *on_done, void *arg)
{
	return at_chan_queue(c, 0, text, pdu, timeout_ms, on_line, on_done,
	    arg);
}

/*
 * Queue a command to run next, before those already waiting: a send
 * should not wait behind the deletes of a backlog.
 */
int
at_chan_cmd_next(struct at_chan *c, const char *text, const char *pdu,
    int timeout_ms, at_line_fn *on_line, at_done_fn *on_done, void *arg)
{
	return at_chan_queue(c, 1, text, pdu, timeout_ms, on_line, on_done,
	    arg);
}

/* Queue a command at the end, or right after the one in flight. */
static int
at_chan_queue(struct at_chan *c, int next, const char *text, const char *pdu,
    int timeout_ms, at_line_fn *on_line, at_done_fn *on_done, void *arg)
{
	struct at_cmd *cmd, *head;

	if (c->gone || c->nqueue >= AT_QUEUE_MAX ||
	    strlen(text) >= sizeof(cmd->text) ||
	    (pdu != NULL && strlen(pdu) >= sizeof(cmd->pdu)))
		return -1;
	if ((cmd = calloc(1, sizeof(*cmd))) == NULL)
		return -1;
	snprintf(cmd->text, sizeof(cmd->text), "%s", text);
	if (pdu != NULL)
		snprintf(cmd->pdu, sizeof(cmd->pdu), "%s", pdu);
	cmd->timeout_ms = timeout_ms;
	cmd->on_line = on_line;
	cmd->on_done = on_done;
	cmd->arg = arg;
	cmd->state = AT_CMD_QUEUED;
	head = TAILQ_FIRST(&c->queue);
	if (next && head != NULL && head->state != AT_CMD_QUEUED)
		TAILQ_INSERT_AFTER(&c->queue, head, cmd, entry);
	else if (next)
		TAILQ_INSERT_HEAD(&c->queue, cmd, entry);
	else
		TAILQ_INSERT_TAIL(&c->queue, cmd, entry);
	c->nqueue++;
	at_chan_next(c);
	return 0;
}

/* Tell whether no command is queued or in flight. */
int
at_chan_idle(const struct at_chan *c)
{
	return TAILQ_EMPTY(&c->queue);
}

/* Close the port; queued commands are dropped without callbacks. */
void
at_chan_close(struct at_chan *c)
{
	struct at_cmd *cmd;

	if (c == NULL)
		return;
	while ((cmd = TAILQ_FIRST(&c->queue)) != NULL) {
		TAILQ_REMOVE(&c->queue, cmd, entry);
		free(cmd);
	}
	if (c->out != NULL && evbuffer_get_length(c->out) > 0)
		evbuffer_write(c->out, c->fd);
	if (c->rd != NULL)
		event_free(c->rd);
	if (c->wr != NULL)
		event_free(c->wr);
	if (c->timer != NULL)
		event_free(c->timer);
	if (c->out != NULL)
		evbuffer_free(c->out);
	close(c->fd);
	free(c);
}
