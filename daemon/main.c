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
#include "at.h"
#include "balance.h"
#include "broadcast.h"
#include "conf.h"
#include "console.h"
#include "ctl.h"
#include "dlr.h"
#include "http.h"
#include "inbox.h"
#include "lag.h"
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
#define MAIN_BUSY_MS		100	/* the loop's longest wait for SQLite */

static struct {
	struct event_base	*base;
	struct conf		 conf;
	struct store		*store;
	int			 foreground;
	int			 verbose;
	int			 stopping;
	int			 pidfd;		/* -1: none written */
	struct event		*ev_sig[4];
	struct event		*ev_housekeep;
} kt;

static void
main_usage(void)
{
	fprintf(stderr, "usage: kentongand -c FILE [-f] [-n] [-v]\n"
	    "       kentongand -P DEVICE [-C CONNECTION]\n"
	    "  -c FILE  configuration file\n"
	    "  -f       stay in the foreground, log to stderr\n"
	    "  -n       check the configuration and exit\n"
	    "  -v       more verbose (twice: libgammu protocol trace)\n"
	    "  -P DEV   probe an AT modem (kentongan modem probe runs this;\n"
	    "           the PIN, if any, in $KENTONGAN_PROBE_PIN)\n");
	exit(2);
}

/* One finding of a probe, as "label<TAB>value" for the CLI to format. */
static void
main_probe_out(const char *label, const char *value, void *arg)
{
	(void)arg;
	printf("%s\t%s\n", label, value);
}

/*
 * kentongand -P DEVICE: the native AT engine's start-up on a device, its
 * findings printed.  The CLI links no modem code; it runs this instead.
 */
static int
main_probe(const char *device, const char *conn)
{
	const char *pin = getenv("KENTONGAN_PROBE_PIN");

	log_init(1, 0, "kentongand");
	if (at_speed(conn) == -1) {
		fprintf(stderr, "kentongand: connection \"%s\" is not an AT "
		    "serial one (at, at19200 ...)\n", conn);
		return 2;
	}
	return at_probe(device, conn, pin != NULL ? pin : "", 30,
	    main_probe_out, NULL) == 0 ? 0 : 1;
}


/* The console's live streams, as its routes reach them. */
static const struct console_live_hooks main_live = {
	console_live_open, console_live_logout
};

/* The workers, as the outbox dispatches to them. */
static const struct outbox_modems main_modems = {
	worker_next_idle, worker_name, worker_send, worker_delivery_reports,
	worker_room
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

/* Hook: a send finished (the outbox counts it in the modems table). */
static void
main_sent(void *arg, const char *modem, int64_t id, const struct wire_sent *r)
{
	(void)arg;
	outbox_sent(modem, id, r);
}

/*
 * Hook: around one read of a worker's socket.  Its parts, results and
 * reports are one transaction; one fsync for all of them.  When BEGIN is
 * refused (the CLI writing), each is written on its own as before.
 */
static int
main_batch(void *arg, int end)
{
	int ok;

	(void)arg;
	if (!end) {
		if (store_begin(kt.store) == -1)
			log_warnx("batch: %s", store_errmsg(kt.store));
		return 0;
	}
	if (!store_in_tx(kt.store))
		return 0;
	ok = store_commit(kt.store) == 0;
	if (!ok)
		log_warnx("batch not committed: %s", store_errmsg(kt.store));
	outbox_committed(ok);
	return ok ? 0 : -1;
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

/* Warn when a configuration holding tokens or PINs is readable by all. */
static void
main_warn_readable(const struct conf *conf)
{
	struct stat	st;
	int		i, secrets;

	secrets = conf->http.enabled || conf->nadmins > 0 ||
	    conf->ussd.token[0] != '\0';
	for (i = 0; i < conf->nmodems; i++)
		secrets |= conf->modems[i].pin[0] != '\0' ||
		    conf->modems[i].password[0] != '\0';
	if (secrets && stat(conf->path, &st) == 0 && (st.st_mode & S_IROTH))
		log_warnx("%s holds tokens or PINs and every user can read "
		    "it: chmod o-r %s (0640, group kentongan)", conf->path,
		    conf->path);
}

/*
 * Say which changed settings a reload cannot apply: the listener is bound
 * and the callbacks registered when the daemon starts.  The token and
 * metrics_auth are read per request, so they apply at once.
 */
static void
main_reload_listeners(const struct conf *old, const struct conf *new)
{
	const struct conf_http	*a = &old->http, *b = &new->http;
	const struct conf_ussd	*u = &old->ussd, *v = &new->ussd;

	if (a->enabled != b->enabled || strcmp(a->listen, b->listen) != 0 ||
	    a->max_body != b->max_body || strcmp(a->tls_cert,
	    b->tls_cert) != 0 || strcmp(a->tls_key, b->tls_key) != 0)
		log_warnx("reload: the http group's listen, max_body and TLS "
		    "settings take effect after a restart (its token and "
		    "metrics_auth apply now)");
	if (u->enabled != v->enabled || strcmp(u->path, v->path) != 0 ||
	    strcmp(u->json_path, v->json_path) != 0)
		log_warnx("reload: the ussd group's paths take effect after a "
		    "restart");
}

/* Re-read configuration and content; keep the old on any error. */
static int
main_reload(char *err, size_t errlen)
{
	static struct conf	fresh;

	if (conf_load(kt.conf.path, &fresh, err, errlen) == -1) {
		log_warnx("reload: %s; keeping the running configuration", err);
		return -1;
	}
	if (strcmp(fresh.database, kt.conf.database) != 0)
		log_warnx("reload: a new database path takes effect only "
		    "after a restart");
	snprintf(fresh.database, sizeof(fresh.database), "%s",
	    kt.conf.database);
	main_reload_listeners(&kt.conf, &fresh);
	kt.conf = fresh;
	if (store_load_defaults(kt.store) == -1)
		log_warnx("reload: default texts not reloaded");
	worker_reload(&kt.conf);
	balance_reload();
	log_info("configuration reloaded from %s", kt.conf.path);
	main_warn_readable(&kt.conf);
	return 0;
}

/* Control socket: tables changed, look at them now (not at the sweep). */
static void
main_poke(void)
{
	outbox_kick();
	broadcast_kick();
	ussd_dial_kick();
}

/* Control socket: a USSD request to start now; 1 when already finished. */
static int
main_ussd(int64_t id)
{
	ussd_dial_kick();
	return ussd_dial_finished(kt.store, id);
}

/* Signal events, delivered by libevent on the loop. */
static void
main_on_signal(evutil_socket_t sig, short ev, void *arg)
{
	char err[CONF_ERR_MAX];

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
		main_reload(err, sizeof(err));
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
 * Check an open file is a plain file with one name: a hard link planted
 * beside the database must not make us hand over or write a system file.
 */
static int
main_plain(int fd, const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_nlink != 1) {
		snprintf(err, errlen, "%s: not a plain file with one link; "
		    "refusing it", path);
		return -1;
	}
	return 0;
}

/*
 * Started as root, refuse a folder that someone other than root or the
 * service user (uid, gid) can write: they could plant links in it.
 */
static int
main_safe_dir(const char *file, uid_t uid, gid_t gid, char *err,
    size_t errlen)
{
	char		 dir[CONF_PATH_MAX];
	char		*slash;
	struct stat	 st;

	snprintf(dir, sizeof(dir), "%s", file);
	if ((slash = strrchr(dir, '/')) == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (stat(dir, &st) == -1)
		return 0;	/* the open that follows names the error */
	if ((st.st_uid != 0 && st.st_uid != uid) || (st.st_mode & S_IWOTH) ||
	    ((st.st_mode & S_IWGRP) && st.st_gid != 0 && st.st_gid != gid)) {
		snprintf(err, errlen, "%s: folder writable by other users; "
		    "refusing to start as root with files in it", dir);
		return -1;
	}
	return 0;
}

/*
 * Before root opens the database, refuse a planted link in its place or
 * its journal's: SQLite would follow it and write through it.
 */
static int
main_check_files(const struct conf *conf, char *err, size_t errlen)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", ".lock",
	    NULL };
	struct passwd	*pw;
	struct stat	 st;
	char		 p[CONF_PATH_MAX + 8];
	uid_t		 uid = 0;
	gid_t		 gid = 0;
	int		 i;

	if (geteuid() != 0)
		return 0;
	if (conf->user[0] != '\0') {
		if ((pw = getpwnam(conf->user)) == NULL) {
			snprintf(err, errlen, "user %s: no such user",
			    conf->user);
			return -1;
		}
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	}
	if (main_safe_dir(conf->database, uid, gid, err, errlen) == -1 ||
	    main_safe_dir(conf->pidfile, uid, gid, err, errlen) == -1)
		return -1;
	for (i = 0; suffixes[i] != NULL; i++) {
		snprintf(p, sizeof(p), "%s%s", conf->database, suffixes[i]);
		if (lstat(p, &st) == 0 && (!S_ISREG(st.st_mode) ||
		    st.st_nlink != 1)) {
			snprintf(err, errlen, "%s: not a plain file with one "
			    "link; refusing it", p);
			return -1;
		}
	}
	return 0;
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
	if ((fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC, 0600)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (main_plain(fd, path, err, errlen) == -1) {
		close(fd);
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

/*
 * Give a file of ours to the user we are about to become, if it exists,
 * through a descriptor that refuses a symlink and a hard link.
 */
static int
main_chown(const char *path, const char *suffix, uid_t uid, gid_t gid)
{
	char	p[CONF_PATH_MAX + 8], err[CONF_ERR_MAX];
	int	fd, rc = 0;

	snprintf(p, sizeof(p), "%s%s", path, suffix);
	if ((fd = open(p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		log_warn("open %s", p);
		return -1;
	}
	if (main_plain(fd, p, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		rc = -1;
	} else if (fchown(fd, uid, gid) == -1) {
		log_warn("chown %s", p);
		rc = -1;
	}
	close(fd);
	return rc;
}

/*
 * Started as root with a user configured: hand that user the database,
 * then become it (with its groups, e.g. dialout for the modems) before
 * any modem worker, HTTP listener or SQL on content runs, so nothing that
 * reads SMS or HTTP ever runs as root.  The pid file stays root's: a
 * root tool that kills the pid in it must not trust the service user.
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
	if (initgroups(pw->pw_name, pw->pw_gid) == -1 ||
	    setgid(pw->pw_gid) == -1 || setuid(pw->pw_uid) == -1)
		fatal("cannot become %s", conf->user);
	if (setuid(0) != -1)
		fatalx("still able to regain root after becoming %s",
		    conf->user);
	log_info("running as %s", conf->user);
}

/*
 * Write the pid file (the database lock keeps a second daemon out)
 * through a descriptor kept open, so stop can empty it if the folder no
 * longer lets us remove it.
 */
static int
main_pidfile(const char *path)
{
	char	buf[32], err[CONF_ERR_MAX];
	int	fd, n;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC, 0644)) == -1) {
		log_warn("pid file %s", path);
		return -1;
	}
	if (main_plain(fd, path, err, sizeof(err)) == -1) {
		log_warnx("pid file %s", err);
		close(fd);
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || write(fd, buf, (size_t)n) != n) {
		close(fd);
		return -1;
	}
	kt.pidfd = fd;
	return 0;
}

/* Remove the pid file, or empty it when its folder is root's. */
static void
main_pidfile_remove(void)
{
	if (kt.pidfd == -1)
		return;
	if (unlink(kt.conf.pidfile) == -1 && ftruncate(kt.pidfd, 0) == -1)
		log_warn("pid file %s", kt.conf.pidfile);
	close(kt.pidfd);
	kt.pidfd = -1;
}

/* libevent's own warnings go through our log, escaped like the rest. */
static void
main_on_libevent_log(int severity, const char *msg)
{
	if (severity >= EVENT_LOG_WARN)
		log_warnx("libevent: %s", msg);
	else
		log_debug("libevent: %s", msg);
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

	console_live_free();
	console_free();
	lag_free();
	ctl_free();
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
	main_pidfile_remove();
}

int
main(int argc, char *argv[])
{
	struct worker_hooks	 hooks = { main_received, main_sent,
				    main_report, main_idle, main_status, NULL,
				    ussd_dial_reply, main_batch };
	struct ussd_dial_hooks	 dial_hooks = { worker_ussd, ctl_ussd_done,
				    balance_record };
	struct ctl_hooks	 ctl_hooks = { main_poke, main_reload,
				    main_ussd };
	struct timeval		 tv = { MAIN_HOUSEKEEP_SECS, 0 };
	const char		*path = NULL;
	char			 err[CONF_ERR_MAX];
	const char		*probe = NULL, *conn = "at";
	int			 ch, check = 0;

	while ((ch = getopt(argc, argv, "c:fnvP:C:")) != -1) {
		switch (ch) {
		case 'P': probe = optarg; break;
		case 'C': conn = optarg; break;
		case 'c': path = optarg; break;
		case 'f': kt.foreground = 1; break;
		case 'n': check = 1; break;
		case 'v': kt.verbose++; break;
		default: main_usage();
		}
	}
	if (probe != NULL && optind == argc)
		return main_probe(probe, conn);
	if (path == NULL || optind != argc)
		main_usage();
	umask(077);
	kt.pidfd = -1;
	main_load(path, check);
	log_init(kt.foreground, kt.verbose, "kentongand");
	event_set_log_callback(main_on_libevent_log);
	main_warn_readable(&kt.conf);

	/* Open once to report errors on the terminal, then again after
	 * daemon(): an SQLite connection must not cross a fork. */
	if (main_check_files(&kt.conf, err, sizeof(err)) == -1 ||
	    store_open(kt.conf.database, &kt.store, err, sizeof(err)) == -1 ||
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
	/* The loop waits for the CLI's writes briefly, then retries later. */
	store_set_busy(kt.store, MAIN_BUSY_MS);
	if ((kt.base = event_base_new()) == NULL)
		fatalx("event_base_new");
	main_signals();
	if (outbox_init(kt.base, kt.store, &kt.conf) == -1 ||
	    broadcast_init(kt.base, kt.store, &kt.conf) == -1 ||
	    poll_init(kt.base, kt.store, &kt.conf) == -1 ||
	    question_init(kt.base, kt.store, &kt.conf) == -1)
		fatalx("outbox_init");
	outbox_set_modems(&main_modems);
	console_set_live(&main_live);
	outbox_recover(kt.store);
	inbox_process_pending(kt.store, &kt.conf);
	kt.ev_housekeep = event_new(kt.base, -1, EV_PERSIST, main_on_housekeep,
	    NULL);
	if (kt.ev_housekeep == NULL)
		fatalx("event_new");
	event_add(kt.ev_housekeep, &tv);
	if (worker_init(kt.base, &kt.conf, &hooks, kt.verbose) == -1)
		fatalx("worker_init");
	if (ussd_dial_init(kt.base, kt.store, &kt.conf, &dial_hooks) == -1)
		fatalx("ussd_dial_init");
	if (balance_init(kt.base, kt.store, &kt.conf) == -1)
		fatalx("balance_init");
	if (http_init(kt.base, kt.store, &kt.conf) == -1)
		fatalx("http: cannot listen on %s", kt.conf.http.listen);
	if (ussd_http_init(http_server(), kt.store, &kt.conf) == -1)
		fatalx("ussd: cannot serve the callbacks");
	if (console_init(http_server(), kt.store, &kt.conf) == -1 ||
	    (http_server() != NULL && console_live_init(kt.base) == -1))
		fatalx("console: cannot serve the pages");
	if (ctl_init(kt.base, kt.conf.database, &kt.conf, &ctl_hooks) == -1)
		log_warnx("no control socket: the CLI's changes wait for the "
		    "sweeps; phone, ussd dial and reload will not work");
	if (lag_init(kt.base) == -1)
		fatalx("lag_init");
	log_info("kentongand started: %d modem(s), database %s",
	    kt.conf.nmodems, kt.conf.database);
	if (kt.conf.nmodems == 0)
		log_warnx("no modems configured: nothing will be received");

	event_base_dispatch(kt.base);

	log_info("stopped");
	main_cleanup();
	return 0;
}
