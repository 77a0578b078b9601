/*
 * kentongand: the daemon.  One libevent loop drives everything: modem
 * workers' sockets, signals, and timers.  SQLite work happens on the loop
 * in short transactions.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>

#include "wire.h"
#include "balance.h"
#include "broadcast.h"
#include "conf.h"
#include "console.h"
#include "dlr.h"
#include "http.h"
#include "inbox.h"
#include "log.h"
#include "modems.h"
#include "outbox.h"
#include "polls.h"
#include "question.h"
#include "store.h"
#include "ussd_dial.h"
#include "ussd_http.h"
#include "worker.h"

#define MAIN_HOUSEKEEP_SECS	30

static struct {
	struct event_base	*base;
	struct conf		 conf;
	struct store		*store;
	int			 foreground;
	int			 verbose;
	int			 stopping;
	int			 pidfile_written;
	struct event		*ev_sig[4];
	struct event		*ev_housekeep;
} kt;

static void
main_usage(void)
{
	fprintf(stderr, "usage: kentongand -c FILE [-f] [-n] [-v]\n"
	    "  -c FILE  configuration file\n"
	    "  -f       stay in the foreground, log to stderr\n"
	    "  -n       check the configuration and exit\n"
	    "  -v       more verbose (twice: libgammu protocol trace)\n");
	exit(2);
}


/* The workers, as the outbox dispatches to them. */
static const struct outbox_modems main_modems = {
	worker_next_idle, worker_name, worker_send, worker_delivery_reports
};
/* Hook: a worker read a message part. */
static int
main_received(void *arg, const char *modem, const struct wire_sms_in *in)
{
	(void)arg;
	if (inbox_receive(kt.store, &kt.conf, modem, in) == -1)
		return -1;
	if (modems_received(kt.store, modem) == -1)
		log_warnx("modems table: %s", store_errmsg(kt.store));
	outbox_kick();
	return 0;
}

/* Hook: a send finished. */
static void
main_sent(void *arg, const char *modem, int64_t id, const struct wire_sent *r)
{
	(void)arg;
	outbox_sent(modem, id, r);
	if (modems_sent(kt.store, modem, r != NULL ? r->parts : 0,
	    r == NULL || !r->ok) == -1)
		log_warnx("modems table: %s", store_errmsg(kt.store));
}

/* Hook: a delivery report was read. */
static int
main_report(void *arg, const char *modem, const struct wire_report *r)
{
	(void)arg;
	return dlr_apply(kt.store, modem, r);
}

/* Hook: a worker is free. */
static void
main_idle(void *arg)
{
	(void)arg;
	outbox_kick();
}

/* Hook: record a modem's state and health for `kentongan modems`. */
static void
main_status(void *arg, const struct worker *w)
{
	const struct modems_state m = {
		.name = worker_name(w),
		.state = worker_state_name(worker_state(w)),
		.error = worker_error(w),
		.hello = worker_hello(w),
		.health = worker_health(w),
	};

	(void)arg;
	balance_modem_state(worker_name(w), worker_state(w) == WORKER_READY);
	if (modems_status(kt.store, &m) == -1)
		log_warnx("modems table: %s", store_errmsg(kt.store));
}

/* All workers are gone: leave the loop. */
static void
main_workers_stopped(void *arg)
{
	(void)arg;
	event_base_loopexit(kt.base, NULL);
}

/* Re-read configuration and content; keep the old on any error. */
static void
main_reload(void)
{
	static struct conf	fresh;
	char			err[CONF_ERR_MAX];

	if (conf_load(kt.conf.path, &fresh, err, sizeof(err)) == -1) {
		log_warnx("reload: %s; keeping the running configuration", err);
		return;
	}
	if (strcmp(fresh.database, kt.conf.database) != 0)
		log_warnx("reload: a new database path takes effect only "
		    "after a restart");
	snprintf(fresh.database, sizeof(fresh.database), "%s",
	    kt.conf.database);
	kt.conf = fresh;
	if (store_load_defaults(kt.store) == -1)
		log_warnx("reload: default texts not reloaded");
	worker_reload(&kt.conf);
	balance_reload();
	log_info("configuration reloaded from %s", kt.conf.path);
}

/* Signal events, delivered by libevent on the loop. */
static void
main_on_signal(evutil_socket_t sig, short ev, void *arg)
{
	(void)ev;
	(void)arg;
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		if (kt.stopping)
			return;
		kt.stopping = 1;
		log_info("stopping: finishing sends in hand");
		outbox_pause(1);
		worker_shutdown(main_workers_stopped, NULL);
		break;
	case SIGHUP:
		main_reload();
		break;
	case SIGCHLD:
		worker_reap();
		break;
	default:
		fatalx("unexpected signal %d", (int)sig);
	}
}

/* Periodic work: overdue multipart sets, messages left unrouted. */
static void
main_on_housekeep(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	if (inbox_expire_parts(kt.store, &kt.conf) > 0 ||
	    inbox_process_pending(kt.store, &kt.conf) > 0)
		outbox_kick();
}

/*
 * Hold a lock beside the database for the daemon's life: two daemons on
 * one database would fight over the same modems and queue.
 */
static int
main_lock(const char *database, char *err, size_t errlen)
{
	char	path[CONF_PATH_MAX + 8];
	int	fd;

	snprintf(path, sizeof(path), "%s.lock", database);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		snprintf(err, errlen, "another kentongand is running on %s "
		    "(%s is locked)", database, path);
		close(fd);
		return -1;
	}
	return fd;	/* kept open, so locked, until exit */
}

/* Give a file of ours to the user we are about to become, if it exists. */
static int
main_chown(const char *path, const char *suffix, uid_t uid, gid_t gid)
{
	char	p[CONF_PATH_MAX + 8];

	snprintf(p, sizeof(p), "%s%s", path, suffix);
	if (chown(p, uid, gid) == -1 && errno != ENOENT) {
		log_warn("chown %s", p);
		return -1;
	}
	return 0;
}

/*
 * Started as root with a user configured: hand that user the database
 * and pid file, then become it (with its groups, e.g. dialout for the
 * modems) before any modem worker, HTTP listener or SQL on content
 * runs, so nothing that reads SMS or HTTP ever runs as root.
 */
static void
main_drop_root(const struct conf *conf)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", ".lock",
	    NULL };
	struct passwd	*pw;
	int		 i;

	if (geteuid() != 0)
		return;
	if (conf->user[0] == '\0') {
		log_warnx("running as root: set user = \"kentongan\"; (or start "
		    "it as that user) so SMS and HTTP input is not handled "
		    "as root");
		return;
	}
	if ((pw = getpwnam(conf->user)) == NULL)
		fatalx("user %s: no such user", conf->user);
	for (i = 0; suffixes[i] != NULL; i++)
		if (main_chown(conf->database, suffixes[i], pw->pw_uid,
		    pw->pw_gid) == -1)
			fatalx("cannot hand the database to %s", conf->user);
	if (kt.pidfile_written)
		main_chown(conf->pidfile, "", pw->pw_uid, pw->pw_gid);
	if (initgroups(pw->pw_name, pw->pw_gid) == -1 ||
	    setgid(pw->pw_gid) == -1 || setuid(pw->pw_uid) == -1)
		fatal("cannot become %s", conf->user);
	if (setuid(0) != -1)
		fatalx("still able to regain root after becoming %s",
		    conf->user);
	log_info("running as %s", conf->user);
}

/* Write the pid file (the database lock keeps a second daemon out). */
static int
main_pidfile(const char *path)
{
	char	buf[32];
	int	fd, n;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1) {
		log_warn("pid file %s", path);
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (write(fd, buf, (size_t)n) != n) {
		close(fd);
		return -1;
	}
	close(fd);
	kt.pidfile_written = 1;
	return 0;
}

/* Set up signal events. */
static void
main_signals(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGCHLD };
	size_t i;

	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		kt.ev_sig[i] = evsignal_new(kt.base, sigs[i], main_on_signal,
		    NULL);
		if (kt.ev_sig[i] == NULL || evsignal_add(kt.ev_sig[i], NULL))
			fatalx("cannot set up signal %d", sigs[i]);
	}
}

/* Load configuration, or explain why not and exit 1. */
static void
main_load(const char *path, int check_only)
{
	char err[CONF_ERR_MAX];

	if (conf_load(path, &kt.conf, err, sizeof(err)) == -1 ||
	    conf_check_devices(&kt.conf, err, sizeof(err)) == -1) {
		fprintf(stderr, "kentongand: %s\n", err);
		exit(1);
	}
	if (check_only) {
		printf("%s: configuration OK (%d modem%s)\n", path,
		    kt.conf.nmodems, kt.conf.nmodems == 1 ? "" : "s");
		exit(0);
	}
}

/* Release everything, in reverse order of creation. */
static void
main_cleanup(void)
{
	size_t i;

	console_free();
	http_free();
	balance_free();
	ussd_dial_free();
	worker_free_all();
	outbox_free();
	poll_free();
	question_free();
	broadcast_free();
	for (i = 0; i < sizeof(kt.ev_sig) / sizeof(kt.ev_sig[0]); i++)
		if (kt.ev_sig[i] != NULL)
			event_free(kt.ev_sig[i]);
	if (kt.ev_housekeep != NULL)
		event_free(kt.ev_housekeep);
	store_close(kt.store);
	event_base_free(kt.base);
	if (kt.pidfile_written)
		unlink(kt.conf.pidfile);
}

int
main(int argc, char *argv[])
{
	struct worker_hooks	 hooks = { main_received, main_sent,
				    main_report, main_idle, main_status, NULL,
				    ussd_dial_reply };
	struct timeval		 tv = { MAIN_HOUSEKEEP_SECS, 0 };
	const char		*path = NULL;
	char			 err[CONF_ERR_MAX];
	int			 ch, check = 0;

	while ((ch = getopt(argc, argv, "c:fnv")) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'f': kt.foreground = 1; break;
		case 'n': check = 1; break;
		case 'v': kt.verbose++; break;
		default: main_usage();
		}
	}
	if (path == NULL || optind != argc)
		main_usage();
	umask(077);
	main_load(path, check);
	log_init(kt.foreground, kt.verbose, "kentongand");

	/* Open once to report errors on the terminal, then again after
	 * daemon(): an SQLite connection must not cross a fork. */
	if (store_open(kt.conf.database, &kt.store, err, sizeof(err)) == -1 ||
	    main_lock(kt.conf.database, err, sizeof(err)) == -1) {
		fprintf(stderr, "kentongand: %s\n", err);
		return 1;
	}
	if (!kt.foreground) {
		store_close(kt.store);
		if (daemon(0, 0) == -1)
			fatal("daemon");
		if (main_pidfile(kt.conf.pidfile) == -1)
			fatalx("cannot write pid file %s", kt.conf.pidfile);
		if (store_open(kt.conf.database, &kt.store, err,
		    sizeof(err)) == -1)
			fatalx("%s", err);
	}
	main_drop_root(&kt.conf);
	if ((kt.base = event_base_new()) == NULL)
		fatalx("event_base_new");
	main_signals();
	if (outbox_init(kt.base, kt.store, &kt.conf) == -1 ||
	    broadcast_init(kt.base, kt.store, &kt.conf) == -1 ||
	    poll_init(kt.base, kt.store, &kt.conf) == -1 ||
	    question_init(kt.base, kt.store, &kt.conf) == -1)
		fatalx("outbox_init");
	outbox_set_modems(&main_modems);
	outbox_recover(kt.store);
	inbox_process_pending(kt.store, &kt.conf);
	kt.ev_housekeep = event_new(kt.base, -1, EV_PERSIST, main_on_housekeep,
	    NULL);
	if (kt.ev_housekeep == NULL)
		fatalx("event_new");
	event_add(kt.ev_housekeep, &tv);
	if (worker_init(kt.base, &kt.conf, &hooks, kt.verbose) == -1)
		fatalx("worker_init");
	if (ussd_dial_init(kt.base, kt.store, &kt.conf) == -1)
		fatalx("ussd_dial_init");
	if (balance_init(kt.base, kt.store, &kt.conf) == -1)
		fatalx("balance_init");
	if (http_init(kt.base, kt.store, &kt.conf) == -1)
		fatalx("http: cannot listen on %s", kt.conf.http.listen);
	if (ussd_http_init(http_server(), kt.store, &kt.conf) == -1)
		fatalx("ussd: cannot serve the callbacks");
	if (console_init(kt.base, http_server(), kt.store, &kt.conf) == -1)
		fatalx("console: cannot serve the pages");
	log_info("kentongand started: %d modem(s), database %s",
	    kt.conf.nmodems, kt.conf.database);
	if (kt.conf.nmodems == 0)
		log_warnx("no modems configured: nothing will be received");

	event_base_dispatch(kt.base);

	log_info("stopped");
	main_cleanup();
	return 0;
}
