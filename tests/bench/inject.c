/*
 * inject: put N messages on a simulated modem's SIM at once.
 *
 * One connection to atsim's control socket carries all N "inject"
 * commands, so a burst arrives in milliseconds rather than at the pace
 * of N `atsim ctl` processes.  Senders are PREFIX followed by a
 * five-digit serial (1..N), so every message comes from its own number.
 * Exits 0 when atsim answered OK to all of them.
 *
 * usage: inject CTLSOCK PREFIX N TEXT
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Connect to the control socket; -1 on error. */
static int
inject_connect(const char *path)
{
	struct sockaddr_un	sun;
	int			fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return -1;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Write a whole buffer; -1 on error. */
static int
inject_write(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read n reply lines; return how many started with "OK". */
static long
inject_replies(int fd, long n)
{
	char	buf[4096];
	long	lines = 0, ok = 0;
	int	bol = 1;
	ssize_t	got, i;

	while (lines < n && (got = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < got; i++) {
			if (bol && buf[i] == 'O')
				ok++;
			bol = buf[i] == '\n';
			lines += bol;
		}
	return ok;
}

int
main(int argc, char **argv)
{
	char	line[512];
	long	n, i, ok;
	int	fd, len;

	if (argc != 5 || (n = strtol(argv[3], NULL, 10)) < 1 || n > 99999) {
		fprintf(stderr, "usage: inject CTLSOCK PREFIX N TEXT\n");
		return 2;
	}
	if ((fd = inject_connect(argv[1])) == -1) {
		perror(argv[1]);
		return 1;
	}
	for (i = 1; i <= n; i++) {
		len = snprintf(line, sizeof(line), "inject %s%05ld %s\n",
		    argv[2], i, argv[4]);
		if (len < 0 || (size_t)len >= sizeof(line) ||
		    inject_write(fd, line, (size_t)len) == -1) {
			fprintf(stderr, "inject: cannot send message %ld\n", i);
			return 1;
		}
	}
	ok = inject_replies(fd, n);
	close(fd);
	if (ok != n) {
		fprintf(stderr, "inject: %ld of %ld accepted\n", ok, n);
		return 1;
	}
	return 0;
}
