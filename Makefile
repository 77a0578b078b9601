# kentongan: SMS/USSD gateway daemon.  `make run` starts the demo,
# `make check` runs the tests.  CC=clang and SANITIZE=address,undefined work.

CC	?= cc
CLI_PKGS = libevent sqlite3 libconfig jansson libcrypto libxcrypt
PKGS	 = gammu libevent_openssl libssl $(CLI_PKGS)
SANITIZE ?=
BUILD	?= build$(if $(SANITIZE),/sanitize)

WARN	 = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wformat=2 \
	   -Wno-format-nonliteral
# gcc warns about snprintf truncation, which our bounded buffers do on purpose.
IS_CLANG := $(shell $(CC) --version 2>/dev/null | grep -q clang && echo 1)
WARN	+= $(if $(IS_CLANG),,-Wno-format-truncation)
CFLAGS	?= -O2 -g
CFLAGS	+= -std=c11 -D_GNU_SOURCE $(WARN) -MMD -MP -Idaemon -Idaemon/cli -Imodem
CFLAGS	+= $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS	+= $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv
CLI_LDLIBS = $(shell pkg-config --libs $(CLI_PKGS) 2>/dev/null) -lcsv
ifneq ($(SANITIZE),)
CFLAGS	+= -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS	+= -fsanitize=$(SANITIZE)
endif

# What both programs share: the store, the owners of the tables, the
# commands and the router (the CLI's `phone` verb runs it), the codecs.
# Neither libgammu nor the modem workers are in it.
CORE_SRCS = daemon/log.c daemon/conf.c daemon/store.c daemon/phone.c \
	    daemon/text.c daemon/match.c daemon/price.c daemon/router.c \
	    daemon/cmd_price.c daemon/inbox.c daemon/outbox.c daemon/dlr.c \
	    modem/sms.c modem/at_speed.c daemon/broadcast.c daemon/cmd_siar.c \
	    daemon/contact.c daemon/group.c daemon/info.c daemon/alert.c \
	    daemon/alias.c daemon/lexicon.c daemon/norm.c daemon/csvin.c \
	    daemon/keyword.c daemon/cmd_keyword.c \
	    daemon/cmd_sub.c daemon/cmd_info.c daemon/admin.c daemon/sub.c \
	    daemon/modems.c daemon/event.c daemon/ussd_menu.c \
	    daemon/cmd_event.c daemon/cmd_group.c daemon/cmd_contact.c \
	    daemon/cmd_report.c daemon/ussd.c daemon/balance.c \
	    daemon/user.c daemon/ussd_dial.c daemon/ctl_client.c \
	    daemon/polls.c daemon/cmd_poll.c daemon/question.c \
	    daemon/cmd_question.c
# kentongand alone: the loop, the modem workers (libgammu, Kannel), HTTP,
# the console, the control socket.
DAEMON_SRCS = daemon/main.c daemon/worker.c modem/modem.c \
	    modem/modem_ussd.c modem/kannel.c daemon/http.c daemon/http_tls.c \
	    daemon/metrics.c daemon/ussd_http.c daemon/console.c \
	    daemon/console_inbox.c daemon/console_dash.c daemon/console_live.c \
	    daemon/console_contacts.c daemon/console_broadcast.c \
	    daemon/console_events.c daemon/console_prices.c \
	    daemon/console_content.c daemon/console_ussd.c \
	    daemon/console_settings.c daemon/console_csv.c \
	    daemon/console_polls.c \
	    daemon/ctl.c daemon/lag.c modem/at_chan.c modem/at_pdu.c \
	    modem/at_profile.c modem/at_worker.c modem/at_probe.c
# kentongan alone: main() in kentongan.c, one file per noun.
CLI_MAIN  = daemon/cli/kentongan.c
CLI_SRCS  = daemon/cli/cli.c daemon/cli/print.c daemon/cli/price.c \
	    daemon/cli/phone.c daemon/cli/modems.c daemon/cli/broadcast.c \
	    daemon/cli/outbox.c daemon/cli/info.c daemon/cli/group.c \
	    daemon/cli/reporter.c daemon/cli/alias.c daemon/cli/keyword.c daemon/cli/event.c daemon/cli/csv.c \
	    daemon/cli/status.c daemon/cli/inbox.c daemon/cli/contact.c \
	    daemon/cli/ussd.c daemon/cli/user.c daemon/cli/reload.c \
	    daemon/cli/poll.c daemon/cli/question.c
GEN_SRCS  = $(BUILD)/gen/schema.c $(BUILD)/gen/defaults.c
SCHEMA	  = $(sort $(wildcard daemon/schema/*.sql))
# The web console's pages, embedded as they are and gzipped.
WEB	  = $(sort $(wildcard daemon/web/*.html daemon/web/*.js daemon/web/*.css))
WEB_GZ	  = $(patsubst daemon/web/%,$(BUILD)/gen/web/%.gz,$(WEB))
DEFAULTS  = config/texts.sql config/texts-broadcast.sql config/ussd-menu.sql

UNIT_TESTS = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
CORE_OBJS = $(call obj,$(CORE_SRCS)) $(patsubst %.c,%.o,$(GEN_SRCS))

# Building installs nothing: `make run` and `make check` first install
# what is missing (scripts/deps.sh), then build.
all: $(BUILD)/kentongand $(BUILD)/kentongan

$(BUILD)/gen/schema.c: $(SCHEMA) scripts/embed.sh
	@mkdir -p $(@D)
	scripts/embed.sh store_migrations $(SCHEMA) > $@

$(BUILD)/gen/defaults.c: $(DEFAULTS) scripts/embed.sh
	@mkdir -p $(@D)
	scripts/embed.sh store_defaults $(DEFAULTS) > $@

$(BUILD)/gen/web/%.gz: daemon/web/%
	@mkdir -p $(@D)
	gzip -9 -n -c $< > $@

$(BUILD)/gen/web.c: $(WEB) $(WEB_GZ) scripts/embed.sh
	scripts/embed.sh console_web $(WEB) $(WEB_GZ) > $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) -std=c11 -c -o $@ $<

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/libkt.a: $(CORE_OBJS)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/kentongand: $(call obj,$(DAEMON_SRCS)) $(BUILD)/gen/web.o \
    $(BUILD)/libkt.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The CLI links no libgammu: what needs a modem, it asks the daemon.
$(BUILD)/kentongan: $(call obj,$(CLI_MAIN) $(CLI_SRCS)) $(BUILD)/libkt.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CLI_LDLIBS)

# The daemon's modules without its main(), for unit tests of the engines.
$(BUILD)/libktd.a: $(call obj,$(filter-out daemon/main.c,$(DAEMON_SRCS)))
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libktd.a $(BUILD)/libkt.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libktd.a $(BUILD)/libkt.a \
	    $(LDLIBS) $(shell pkg-config --libs cmocka)

# Fuzz targets (tests/fuzz/fuzz_NAME.c): plain binaries test_fuzz_NAME that
# `make check` runs over tests/fuzz/corpus/NAME, and libFuzzer binaries
# for `make fuzz` (clang, ASan+UBSan, FUZZ_SECONDS each from that corpus).
FUZZ_TARGETS = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAYS = $(patsubst %,$(BUILD)/tests/test_fuzz_%,$(FUZZ_TARGETS))
FUZZ_LIB_SRCS = tests/fuzz/fuzz.c \
	    $(filter-out daemon/main.c daemon/http.c,$(DAEMON_SRCS)) $(CLI_SRCS)
FUZZ_SECONDS ?= 60

FUZZ_REPLAY_OBJ = $(call obj,tests/fuzz/replay.c)

$(BUILD)/libfuzz.a: $(call obj,$(FUZZ_LIB_SRCS)) $(BUILD)/gen/web.o
	rm -f $@ && $(AR) rcs $@ $^

.SECONDARY: $(FUZZ_REPLAY_OBJ)
$(BUILD)/tests/test_fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_REPLAY_OBJ) \
    $(BUILD)/libfuzz.a $(BUILD)/libkt.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(FUZZ_REPLAY_OBJ) \
	    $(BUILD)/libfuzz.a $(BUILD)/libkt.a $(LDLIBS)

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(BUILD)/libfuzz.a $(BUILD)/libkt.a
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< \
	    $(BUILD)/libfuzz.a $(BUILD)/libkt.a $(LDLIBS)

fuzz-bins: $(patsubst %,$(BUILD)/fuzz_%,$(FUZZ_TARGETS))

# New inputs go to the build folder; the seed corpus stays small.
fuzz:
	@scripts/deps.sh --fuzz
	$(MAKE) BUILD=$(BUILD)/libfuzzer CC=clang \
	    SANITIZE=fuzzer-no-link,address,undefined fuzz-bins
	@f=$(BUILD)/libfuzzer; mkdir -p $$f/crashes; failed=""; \
	for t in $(FUZZ_TARGETS); do \
		mkdir -p $$f/corpus/$$t; \
		$$f/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		    -max_len=4096 -close_fd_mask=3 -print_final_stats=1 \
		    -artifact_prefix=$$f/crashes/$$t- \
		    $$f/corpus/$$t tests/fuzz/corpus/$$t > $$f/$$t.log 2>&1; \
		rc=$$?; echo "== fuzz $$t: $(FUZZ_SECONDS) s, $$(sed -n \
		    's/^stat::number_of_executed_units: *//p' $$f/$$t.log) runs"; \
		[ $$rc -eq 0 ] && continue; \
		grep -E 'ERROR|SUMMARY|Test unit written' $$f/$$t.log; \
		echo "fuzz: $$t failed; log $$f/$$t.log"; failed="$$failed $$t"; \
	done; [ -z "$$failed" ] || { echo "fuzz: crashes in$$failed"; \
	exit 1; }; echo "fuzz: no crash in $(FUZZ_TARGETS)"

# The daemon's integration test with kentongand under valgrind: any memory
# error or definite leak fails it.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
	   --show-leak-kinds=definite --errors-for-leak-kinds=definite \
	   --track-fds=no
valgrind:
	@scripts/deps.sh --test --valgrind
	$(MAKE) all
	KT_BUILD=$(BUILD) KTD_WRAPPER="$(VALGRIND)" sh tests/integ/dummy_reply.sh

$(BUILD)/atsim: $(wildcard tests/atsim/*.c tests/atsim/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(wildcard tests/atsim/*.c) \
	    $(shell pkg-config --cflags --libs gammu) -lutil

# The fake SMSC that tests/integ/kannel.sh connects Kannel's bearerbox to.
$(BUILD)/fakesmsc: tests/kannel/fakesmsc.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

# A sendsms that holds each send, for the Kannel window test.
$(BUILD)/fakesendsms: tests/kannel/fakesendsms.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

# make bench: an optimised build of its own, then tests/bench/bench.sh,
# which prints the figures (BENCHMARKS.md says how to read them), and
# tests/bench/stall.sh: the loop's worst stall under a big CLI import and
# broadcast, and the CLI -> subscriber poke latency; tests/bench/kannel.sh:
# sending and replies through Debian's Kannel beside smsbox's own ceiling.
# BENCH_QUICK=1 is a short smoke run; not part of make check.
BENCH_BUILD ?= build/bench-O2
bench:
	@scripts/deps.sh --bench
	CFLAGS="-O2 -DNDEBUG" $(MAKE) -s BUILD=$(BENCH_BUILD) all \
	    $(BENCH_BUILD)/atsim $(BENCH_BUILD)/bench/core \
	    $(BENCH_BUILD)/bench/floor $(BENCH_BUILD)/bench/inject \
	    $(BENCH_BUILD)/fakesmsc $(BENCH_BUILD)/fakesendsms
	tests/bench/bench.sh $(BENCH_BUILD)
	tests/bench/stall.sh $(BENCH_BUILD)
	tests/bench/kannel.sh $(BENCH_BUILD)

$(BUILD)/bench/%: tests/bench/%.c $(BUILD)/libkt.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libkt.a \
	    $(LDLIBS)

# The demo: a dummy phone, sample prices, the daemon in the foreground.
run:
	@scripts/deps.sh
	$(MAKE) all
	scripts/demo.sh $(BUILD)

check:
	@scripts/deps.sh --test
	$(MAKE) check-build
	tests/run.sh $(BUILD)

check-build: all $(UNIT_TESTS) $(FUZZ_REPLAYS) \
    $(if $(wildcard tests/atsim/*.c),$(BUILD)/atsim) $(BUILD)/fakesmsc \
    $(BUILD)/fakesendsms

# The crash test of make check, with 50 kill -9 rounds instead of 10.
crashtest:
	@scripts/deps.sh --test
	$(MAKE) all $(BUILD)/atsim
	KT_CRASH_ROUNDS=50 tests/run.sh $(BUILD) crash

# make install [PREFIX=/usr/local] [DESTDIR=staging]: binaries, man pages,
# example configuration, systemd unit and sysusers entry.
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
SBINDIR	?= $(PREFIX)/sbin
MANDIR	?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
UNITDIR	?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d

install: $(BUILD)/kentongand $(BUILD)/kentongan
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(SYSCONFDIR)/kentongan $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)$(SYSUSERSDIR)
	install -m 755 $(BUILD)/kentongand $(DESTDIR)$(SBINDIR)/kentongand
	install -m 755 $(BUILD)/kentongan $(DESTDIR)$(BINDIR)/kentongan
	install -m 644 docs/kentongand.8 $(DESTDIR)$(MANDIR)/man8/kentongand.8
	install -m 644 docs/kentongan.1 $(DESTDIR)$(MANDIR)/man1/kentongan.1
	install -m 644 config/kentongan.conf \
	    $(DESTDIR)$(SYSCONFDIR)/kentongan/kentongan.conf.example
	[ -e $(DESTDIR)$(SYSCONFDIR)/kentongan/kentongan.conf ] || \
	    install -m 640 config/kentongan.conf \
	    $(DESTDIR)$(SYSCONFDIR)/kentongan/kentongan.conf
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	    scripts/kentongand.service > $(DESTDIR)$(UNITDIR)/kentongand.service
	chmod 644 $(DESTDIR)$(UNITDIR)/kentongand.service
	install -m 644 scripts/kentongan.sysusers \
	    $(DESTDIR)$(SYSUSERSDIR)/kentongan.conf

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/kentongand $(DESTDIR)$(BINDIR)/kentongan \
	    $(DESTDIR)$(MANDIR)/man8/kentongand.8 \
	    $(DESTDIR)$(MANDIR)/man1/kentongan.1 \
	    $(DESTDIR)$(SYSCONFDIR)/kentongan/kentongan.conf.example \
	    $(DESTDIR)$(UNITDIR)/kentongand.service \
	    $(DESTDIR)$(SYSUSERSDIR)/kentongan.conf

clean:
	rm -rf build

.PHONY: all run check check-build crashtest clean install uninstall fuzz fuzz-bins \
	valgrind bench

-include $(shell find build -name '*.d' 2>/dev/null)
