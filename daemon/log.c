/*
 * Logging: stderr in the foreground, syslog otherwise.  log_warn appends
 * strerror(errno); the x variants do not.  fatal* never return.
 *
 * Messages carry text from outside (SMS, HTTP, USSD, modems), so every
 * line is escaped here, in the one place all of them pass: a control
 * character is written \xNN and cannot start a forged line or drive a
 * terminal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int	log_fg = 1;
static int	log_level;
static char	log_pfx[64];

/* Choose where messages go and how chatty we are. */
void
log_init(int foreground, int verbose, const char *ident)
{
	log_fg = foreground;
	log_level = verbose;
	if (!foreground)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

/* Set a prefix such as "modem m1" for a worker process. */
void
log_setprefix(const char *prefix)
{
	snprintf(log_pfx, sizeof(log_pfx), "%s", prefix ? prefix : "");
}

/* Return the verbosity given with -v. */
int
log_verbose(void)
{
	return log_level;
}

/*
 * Copy src to dst (size len) with C0 controls, DEL and the C1 controls
 * (UTF-8 C2 80..C2 9F) written as \xNN; cut at a whole escape.
 */
void
log_escape(char *dst, size_t len, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char	*p = (const unsigned char *)src;
	size_t			 o = 0;
	int			 esc;

	if (len == 0)
		return;
	for (; *p != '\0'; p++) {
		esc = *p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 &&
		    p[1] <= 0x9f) || (p > (const unsigned char *)src &&
		    p[-1] == 0xc2 && *p >= 0x80 && *p <= 0x9f);
		if (o + (esc ? 4 : 1) >= len)
			break;
		if (esc) {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[*p >> 4];
			dst[o++] = hex[*p & 0xf];
		} else
			dst[o++] = (char)*p;
	}
	dst[o] = '\0';
}

/* Format one line, escape it, and send it to the chosen sink. */
static void
log_emit(int pri, const char *fmt, va_list ap, int with_errno)
{
	char	raw[1024], msg[1024];
	int	saved = errno, n;

	n = vsnprintf(raw, sizeof(raw), fmt, ap);
	if (n < 0)
		return;
	if (with_errno && (size_t)n < sizeof(raw))
		snprintf(raw + n, sizeof(raw) - (size_t)n, ": %s",
		    strerror(saved));
	log_escape(msg, sizeof(msg), raw);
	if (log_fg) {
		struct timespec ts;
		struct tm	tm;
		char		when[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ld %s%s%s\n", when, ts.tv_nsec / 1000000,
		    log_pfx, log_pfx[0] ? ": " : "", msg);
		fflush(stderr);
	} else
		syslog(pri, "%s%s%s", log_pfx, log_pfx[0] ? ": " : "", msg);
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, fmt, ap, 1);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, fmt, ap, 0);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_INFO, fmt, ap, 0);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_level < 1)
		return;
	va_start(ap, fmt);
	log_emit(LOG_DEBUG, fmt, ap, 0);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_CRIT, fmt, ap, 1);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_CRIT, fmt, ap, 0);
	va_end(ap);
	exit(1);
}
