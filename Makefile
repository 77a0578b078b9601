# kentongan: SMS/USSD gateway daemon.  `make run` starts the demo,
# `make check` runs the tests.  CC=clang and SANITIZE=address,undefined work.

CC	?= cc
PKGS	 = gammu libevent sqlite3 libconfig jansson
SANITIZE ?=
BUILD	?= build$(if $(SANITIZE),/sanitize)

WARN	 = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wformat=2 \
	   -Wno-format-nonliteral
# gcc warns about snprintf truncation, which our bounded buffers do on purpose.
IS_CLANG := $(shell $(CC) --version 2>/dev/null | grep -q clang && echo 1)
WARN	+= $(if $(IS_CLANG),,-Wno-format-truncation)
CFLAGS	?= -O2 -g
CFLAGS	+= -std=c11 -D_GNU_SOURCE $(WARN) -MMD -MP
CFLAGS	+= $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS	+= $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv
ifneq ($(SANITIZE),)
CFLAGS	+= -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS	+= -fsanitize=$(SANITIZE)
endif

# Code shared by the daemon, the CLI and the unit tests.
CORE_SRCS = daemon/log.c daemon/conf.c daemon/store.c daemon/phone.c \
	    daemon/text.c daemon/match.c daemon/price.c daemon/router.c \
	    daemon/cmd_price.c daemon/inbox.c daemon/outbox.c daemon/dlr.c \
	    daemon/worker.c modem/modem.c modem/sms.c \
	    daemon/broadcast.c daemon/cmd_siar.c \
	    daemon/contact.c daemon/alert.c daemon/cmd_sub.c daemon/cmd_info.c \
	    daemon/cmd_event.c daemon/cmd_group.c daemon/cmd_contact.c \
	    daemon/cmd_report.c
DAEMON_SRCS = daemon/main.c daemon/http.c daemon/metrics.c
CLI_SRCS  = daemon/cli.c daemon/cli_price.c daemon/cli_phone.c \
	    daemon/cli_modems.c daemon/cli_broadcast.c \
	    daemon/cli_content.c daemon/cli_event.c daemon/cli_csv.c
GEN_SRCS  = $(BUILD)/gen/schema.c $(BUILD)/gen/defaults.c
SCHEMA	  = $(sort $(wildcard daemon/schema/*.sql))
DEFAULTS  = config/texts.sql config/texts-broadcast.sql

UNIT_TESTS = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
CORE_OBJS = $(call obj,$(CORE_SRCS)) $(patsubst %.c,%.o,$(GEN_SRCS))

all: deps $(BUILD)/kentongand $(BUILD)/kentongan

deps:
	@scripts/deps.sh

$(BUILD)/gen/schema.c: $(SCHEMA) scripts/embed.sh | deps
	@mkdir -p $(@D)
	scripts/embed.sh store_migrations $(SCHEMA) > $@

$(BUILD)/gen/defaults.c: $(DEFAULTS) scripts/embed.sh
	@mkdir -p $(@D)
	scripts/embed.sh store_defaults $(DEFAULTS) > $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) -std=c11 -c -o $@ $<

# Order-only on deps: with -j, nothing compiles before the headers exist.
$(BUILD)/obj/%.o: %.c | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/libkt.a: $(CORE_OBJS)
	$(AR) rcs $@ $^

$(BUILD)/kentongand: $(call obj,$(DAEMON_SRCS)) $(BUILD)/libkt.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/kentongan: $(call obj,$(CLI_SRCS)) $(BUILD)/libkt.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libkt.a | test-deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idaemon -Imodem $(LDFLAGS) -o $@ $< $(BUILD)/libkt.a \
	    $(LDLIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/atsim: $(wildcard tests/atsim/*.c tests/atsim/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(wildcard tests/atsim/*.c) \
	    $(shell pkg-config --cflags --libs gammu) -lutil

test-deps:
	@scripts/deps.sh --test

# The demo: a dummy phone, sample prices, the daemon in the foreground.
run: all
	scripts/demo.sh $(BUILD)

check: test-deps all $(UNIT_TESTS) $(if $(wildcard tests/atsim/*.c),$(BUILD)/atsim)
	tests/run.sh $(BUILD)

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

.PHONY: all deps test-deps run check clean install uninstall

-include $(shell find build -name '*.d' 2>/dev/null)
