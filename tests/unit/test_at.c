/*
 * Unit tests of the native AT engine's parts: the channel (at_chan.c) on
 * a real pseudo-terminal with a scripted modem on the other side (echo,
 * URCs between the lines of a reply, the > prompt, +CMS ERROR codes, a
 * two-line +CDS, a modem that stops answering, one that vanishes); the
 * PDU codec (at_pdu.c) through libgammu; profiles; and the engine
 * setting in a configuration file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <fcntl.h>

#include <cmocka.h>
#include <event2/event.h>

#include "at.h"
#include "wire.h"
#include "conf.h"

/* One exchange of the scripted modem: what it expects, what it says. */
struct step {
	const char	*expect;	/* prefix of the line (or PDU) */
	const char	*reply;		/* NULL: answer nothing */
};

struct modem_side {
	int			 master;
	struct event		*ev;
	const struct step	*script;
	int			 next;
	char			 buf[1024];
	size_t			 len;
};

struct results {
	struct event_base	*base;
	char			 lines[16][128];
	int			 nlines;
	char			 urcs[16][128];
	char			 pdus[16][128];
	int			 nurcs;
	enum at_result		 res[16];
	int			 codes[16];
	int			 ndone;
	int			 want;		/* results before stopping */
	int			 lost;
};

/* The scripted modem: read one command (CR) or PDU (Ctrl-Z), answer. */
static void
modem_read(evutil_socket_t fd, short ev, void *arg)
{
	struct modem_side	*m = arg;
	const struct step	*s;
	ssize_t			 n;
	size_t			 i;

	(void)ev;
	if ((n = read(fd, m->buf + m->len, sizeof(m->buf) - 1 - m->len)) <= 0)
		return;
	m->len += (size_t)n;
	for (i = 0; i < m->len; i++) {
		if (m->buf[i] != '\r' && m->buf[i] != 0x1a)
			continue;
		m->buf[i] = '\0';
		s = &m->script[m->next];
		if (m->buf[0] != '\0' && m->buf[0] != 0x1b && s->expect != NULL &&
		    strncmp(m->buf, s->expect, strlen(s->expect)) == 0) {
			m->next++;
			if (s->reply != NULL)
				assert_true(write(fd, s->reply,
				    strlen(s->reply)) ==
				    (ssize_t)strlen(s->reply));
		}
		memmove(m->buf, m->buf + i + 1, m->len - i - 1);
		m->len -= i + 1;
		i = (size_t)-1;
	}
}

static void
on_line(struct at_chan *c, const char *line, void *arg)
{
	struct results *r = arg;

	(void)c;
	snprintf(r->lines[r->nlines++ % 16], 128, "%s", line);
}

static void
on_done(struct at_chan *c, enum at_result res, int code, void *arg)
{
	struct results *r = arg;

	(void)c;
	r->res[r->ndone] = res;
	r->codes[r->ndone++] = code;
	if (r->ndone == r->want)
		event_base_loopbreak(r->base);
}

static void
on_urc(struct at_chan *c, const char *line, const char *pdu, void *arg)
{
	struct results *r = arg;

	(void)c;
	snprintf(r->urcs[r->nurcs], 128, "%s", line);
	snprintf(r->pdus[r->nurcs++], 128, "%s", pdu != NULL ? pdu : "");
}

static void
on_lost(struct at_chan *c, const char *why, void *arg)
{
	struct results *r = arg;

	(void)c;
	(void)why;
	r->lost++;
	event_base_loopbreak(r->base);
}

/* Open a pty; return the master, its slave's path in path. */
static int
pty(char *path, size_t len)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);

	assert_true(m != -1);
	assert_int_equal(grantpt(m), 0);
	assert_int_equal(unlockpt(m), 0);
	assert_int_equal(ptsname_r(m, path, len), 0);
	return m;
}

static const struct step chan_script[] = {
	/* Echo on, a URC between the info line and OK. */
	{ "AT+CSQ", "AT+CSQ\r\r\n+CSQ: 21,99\r\n\r\n+CMTI: \"SM\",3\r\n"
	    "\r\nOK\r\n" },
	/* The prompt, then the PDU; +CMGS and OK. */
	{ "AT+CMGS=5", "\r\n> " },
	{ "0011", "\r\n+CMGS: 7\r\n\r\nOK\r\n" },
	/* Refused, with a code; then a two-line +CDS. */
	{ "AT+CMGS=6", "\r\n> " },
	{ "0022", "\r\n+CMS ERROR: 38\r\n\r\n+CDS: 6\r\n07DEADBEEF\r\n" },
	/* The reply of AT+CREG? is a reply, not a URC. */
	{ "AT+CREG?", "\r\n+CREG: 0,1\r\n\r\nOK\r\n" },
	{ "AT+CUSD=1", "\r\n+CME ERROR: 4\r\n" },
	{ "AT+SILENT", NULL },
	{ NULL, NULL },
};

static void
test_chan(void **state)
{
	struct modem_side	 m;
	struct results		 r;
	struct at_chan		*c;
	char			 path[64], err[128];

	(void)state;
	memset(&m, 0, sizeof(m));
	memset(&r, 0, sizeof(r));
	r.base = event_base_new();
	m.master = pty(path, sizeof(path));
	m.script = chan_script;
	m.ev = event_new(r.base, m.master, EV_READ | EV_PERSIST, modem_read,
	    &m);
	event_add(m.ev, NULL);
	c = at_chan_open(r.base, path, B115200, err, sizeof(err));
	assert_non_null(c);
	/* A second opener is refused: the port is ours. */
	assert_null(at_chan_open(r.base, path, B115200, err, sizeof(err)));
	at_chan_set_urc(c, on_urc, on_lost, &r);
	assert_int_equal(at_chan_cmd(c, "AT+CSQ", NULL, 2000, on_line,
	    on_done, &r), 0);
	assert_int_equal(at_chan_cmd(c, "AT+CMGS=5", "0011AABBCC", 2000,
	    on_line, on_done, &r), 0);
	assert_int_equal(at_chan_cmd(c, "AT+CMGS=6", "0022AABBCC", 2000,
	    on_line, on_done, &r), 0);
	assert_int_equal(at_chan_cmd(c, "AT+CREG?", NULL, 2000, on_line,
	    on_done, &r), 0);
	assert_int_equal(at_chan_cmd(c, "AT+CUSD=1,\"*888#\",15", NULL,
	    2000, on_line, on_done, &r), 0);
	assert_int_equal(at_chan_cmd(c, "AT+SILENT", NULL, 300, on_line,
	    on_done, &r), 0);
	assert_false(at_chan_idle(c));
	r.want = 6;
	event_base_dispatch(r.base);
	assert_int_equal(r.ndone, 6);
	assert_int_equal(r.res[0], AT_OK);
	assert_int_equal(r.res[1], AT_OK);
	assert_int_equal(r.res[2], AT_CMS);
	assert_int_equal(r.codes[2], 38);
	assert_int_equal(r.res[3], AT_OK);
	assert_int_equal(r.res[4], AT_CME);
	assert_int_equal(r.codes[4], 4);
	assert_int_equal(r.res[5], AT_TIMEOUT);
	assert_true(at_chan_idle(c));
	/* Info lines: no echo, no URC among them. */
	assert_int_equal(r.nlines, 3);
	assert_string_equal(r.lines[0], "+CSQ: 21,99");
	assert_string_equal(r.lines[1], "+CMGS: 7");
	assert_string_equal(r.lines[2], "+CREG: 0,1");
	assert_int_equal(r.nurcs, 2);
	assert_string_equal(r.urcs[0], "+CMTI: \"SM\",3");
	assert_string_equal(r.pdus[0], "");
	assert_string_equal(r.urcs[1], "+CDS: 6");
	assert_string_equal(r.pdus[1], "07DEADBEEF");
	/* The modem vanishes: the command in flight ends AT_GONE. */
	assert_int_equal(at_chan_cmd(c, "AT", NULL, 5000, on_line, on_done,
	    &r), 0);
	event_del(m.ev);
	close(m.master);
	r.want = 7;
	event_base_dispatch(r.base);
	assert_int_equal(r.res[6], AT_GONE);
	assert_int_equal(r.lost, 1);
	assert_int_equal(at_chan_cmd(c, "AT", NULL, 5000, NULL, NULL, &r),
	    -1);
	at_chan_close(c);
	event_free(m.ev);
	event_base_free(r.base);
}

static const struct step order_script[] = {
	{ "AT+FIRST", "\r\nOK\r\n" },
	{ "AT+CMGS=5", "\r\n> " },
	{ "00AA", "\r\n+CMGS: 9\r\n\r\nOK\r\n" },
	{ "AT+CMGD=1", "\r\nOK\r\n" },
	{ "AT+CMGD=2", "\r\nOK\r\n" },
	{ NULL, NULL },
};

/* A send queued with at_chan_cmd_next goes before the deletes waiting. */
static void
test_chan_next(void **state)
{
	struct modem_side	 m;
	struct results		 r;
	struct at_chan		*c;
	char			 path[64], err[128];

	(void)state;
	memset(&m, 0, sizeof(m));
	memset(&r, 0, sizeof(r));
	r.base = event_base_new();
	m.master = pty(path, sizeof(path));
	m.script = order_script;
	m.ev = event_new(r.base, m.master, EV_READ | EV_PERSIST, modem_read,
	    &m);
	event_add(m.ev, NULL);
	assert_non_null(c = at_chan_open(r.base, path, B115200, err,
	    sizeof(err)));
	assert_int_equal(at_chan_cmd(c, "AT+FIRST", NULL, 2000, on_line,
	    on_done, &r), 0);
	assert_int_equal(at_chan_cmd(c, "AT+CMGD=1", NULL, 2000, on_line,
	    on_done, &r), 0);
	assert_int_equal(at_chan_cmd(c, "AT+CMGD=2", NULL, 2000, on_line,
	    on_done, &r), 0);
	assert_int_equal(at_chan_cmd_next(c, "AT+CMGS=5", "00AA", 2000,
	    on_line, on_done, &r), 0);
	r.want = 4;
	event_base_dispatch(r.base);
	/* The scripted modem answers only in its order: all four did. */
	assert_int_equal(r.ndone, 4);
	assert_int_equal(m.next, 5);
	assert_string_equal(r.lines[0], "+CMGS: 9");
	at_chan_close(c);
	event_del(m.ev);
	close(m.master);
	event_free(m.ev);
	event_base_free(r.base);
}

/* Hex of a GSM_DecodePDUFrame-able octet string, for the codec tests. */
static size_t
unhex(const char *hex, unsigned char *out)
{
	size_t		i, n = strlen(hex) / 2;
	unsigned int	v;

	for (i = 0; i < n; i++) {
		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (unsigned char)v;
	}
	return n;
}

/* Encode text to number as the worker does; return the parts. */
static int
encode(const char *number, const char *text, int report,
    GSM_MultiSMSMessage *msms)
{
	GSM_MultiPartSMSInfo	info;
	unsigned char		ucs2[2048];
	int			i;

	EncodeUnicode(ucs2, text, strlen(text));
	GSM_ClearMultiPartSMSInfo(&info);
	info.Class = -1;
	info.EntriesNum = 1;
	info.Entries[0].ID = SMS_ConcatenatedAutoTextLong;
	info.Entries[0].Buffer = ucs2;
	memset(msms, 0, sizeof(*msms));
	assert_int_equal(GSM_EncodeMultiPartSMS(NULL, &info, msms), ERR_NONE);
	for (i = 0; i < msms->Number; i++) {
		EncodeUnicode(msms->SMS[i].Number, number, strlen(number));
		msms->SMS[i].PDU = report ? SMS_Status_Report : SMS_Submit;
	}
	return msms->Number;
}

static void
test_pdu_submit(void **state)
{
	static GSM_MultiSMSMessage	msms;
	static GSM_SMSMessage		back;
	char				hex[AT_PDU_HEX_MAX + 1];
	unsigned char			pdu[300];
	char				long_text[400];
	size_t				n, pos = 0;
	int				len, i;

	(void)state;
	assert_int_equal(encode("+6281234567", "hello", 1, &msms), 1);
	assert_int_equal(at_pdu_submit(&msms.SMS[0], hex, sizeof(hex), &len),
	    0);
	/* "00": the modem's own SMSC; TP-SRR set; the TPDU length. */
	assert_memory_equal(hex, "00", 2);
	n = unhex(hex, pdu);
	assert_int_equal((int)n - 1, len);
	assert_true(pdu[1] & 0x20);
	memset(&back, 0, sizeof(back));
	assert_int_equal(GSM_DecodePDUFrame(NULL, &back, pdu, n, &pos, TRUE),
	    ERR_NONE);
	assert_int_equal(back.PDU, SMS_Submit);
	assert_string_equal(DecodeUnicodeString(back.Number), "+6281234567");
	assert_string_equal(DecodeUnicodeString(back.Text), "hello");

	/* A long text: concatenated parts, one reference, each laid out. */
	memset(long_text, 'a', 300);
	long_text[300] = '\0';
	assert_int_equal(encode("+6281234567", long_text, 0, &msms), 2);
	for (i = 0; i < 2; i++) {
		assert_int_equal(at_pdu_submit(&msms.SMS[i], hex, sizeof(hex),
		    &len), 0);
		assert_true(len <= 140 + 20);
		n = unhex(hex, pdu);
		pos = 0;
		memset(&back, 0, sizeof(back));
		assert_int_equal(GSM_DecodePDUFrame(NULL, &back, pdu, n, &pos,
		    TRUE), ERR_NONE);
		assert_int_equal(back.UDH.PartNumber, i + 1);
		assert_int_equal(back.UDH.AllParts, 2);
		assert_false(pdu[1] & 0x20);
	}
}

static void
test_pdu_decode(void **state)
{
	static GSM_SMSMessage	sms;
	struct wire_sms_in	in;
	unsigned char		pdu[300];

	(void)state;
	assert_int_equal(at_pdu_decode("00040B912143658709F100006211229100"
	    "000005E8329BFD06", &sms), 0);
	assert_int_equal(sms.PDU, SMS_Deliver);
	memset(&in, 0, sizeof(in));
	at_pdu_sms_in(&sms, &in);
	assert_string_equal(in.sender, "+12345678901");
	assert_string_equal(in.text, "hello");
	assert_int_equal(in.coding, WIRE_CODING_GSM7);
	assert_int_equal(in.concat_ref, -1);
	assert_string_equal(in.smsc_time, "2026-11-22 19:00:00 +0000");
	/* A status report: read by at_pdu.c itself, not by libgammu. */
	assert_int_equal(at_pdu_decode("00062A0B912143658709F1621122910000"
	    "0062112291000000" "00", &sms), 0);
	assert_int_equal(sms.PDU, SMS_Status_Report);
	assert_int_equal(sms.MessageReference, 42);
	assert_int_equal(sms.DeliveryStatus, 0);
	assert_string_equal(DecodeUnicodeString(sms.Number), "+12345678901");
	assert_int_equal(at_pdu_decode("00062A0B912143658709F1621122910000"
	    "006211229100", &sms), -1);	/* cut short */
	/* One that overflows libgammu 1.42's decoder (fuzz_pdu found it). */
	assert_int_equal(at_pdu_decode("0891536174000000F88E040DD1263EBCBC"
	    "BCBCBCBCBCBCBCBCBCBCBCBCBCBCBCBCBCBCBCBCBCBCBCBCBCBCBCBCBCBC"
	    "BCBCBCBCBCBC", &sms), 0);
	assert_int_equal(sms.PDU, SMS_Status_Report);
	assert_int_equal(sms.MessageReference, 4);
	/* What libgammu must not be given: kept raw by the caller. */
	assert_int_equal(at_pdu_decode("00041E9121436587092143658709214365"
	    "8709000062112291000000", &sms), -1);	/* 30 digits */
	assert_int_equal(at_pdu_decode("0E912143658709214365870921436504"
	    "0B912143658709F100006211229100000005E8329BFD06", &sms), -1);
	assert_int_equal(at_pdu_decode("0004", &sms), -1);
	assert_int_equal(at_pdu_decode("00DEADBEEF", &sms), -1);
	assert_int_equal(at_pdu_decode("00040B912143658709F10000621122910"
	    "0000005E832", &sms), -1);	/* user data cut short */
	assert_int_equal(at_pdu_decode("XYZ", &sms), -1);
	assert_int_equal(at_pdu_decode("", &sms), -1);
	/*
	 * A full 160-character SMS (161 octets): decoded, not kept raw
	 * (the hex limit once counted half the buffer).
	 */
	assert_int_equal(at_pdu_decode(
	    "00040D91261832547698F0000062112291000000A0C8B0FC1C068DC3"
	    "E2701A444E83E0E179580E5A96C969791A840ECBD3A0B43B0D7287D3"
	    "6B16A8FD46BFDDA0B4DBFC06A1C3F27318442FCBC561791D5477D3EB"
	    "6BD0382C0EA741F2F03D4D0791C36ED0382C0EA741EDB23C8C0689CB"
	    "F3B01C444E83E0E179580E8286E56590BA7E0E83F261103CBC6681E8"
	    "6579BA1D06ADC3F3341A240EBBF3E1752884C7E3F1", &sms), 0);
	memset(&in, 0, sizeof(in));
	at_pdu_sms_in(&sms, &in);
	assert_int_equal((int)strlen(in.text), 160);
	assert_string_equal(in.sender, "+6281234567890");
	assert_memory_equal(in.text, "Harga cabai di pasar Kediri hari ini nai", 40);
	/* More user data than an SMS holds (161 septets), all present. */
	memset(pdu, 0, sizeof(pdu));
	assert_int_equal(unhex("00040B912143658709F10000621122910000"
	    "00A1", pdu), 20);
	assert_int_equal(at_pdu_sane(pdu, 20 + 141, 1), 0);
	pdu[19] = 160;
	assert_int_equal(at_pdu_sane(pdu, 20 + 140, 1), 1);
}

static void
test_ussd_text(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(at_pdu_ussd_text("Sisa pulsa Rp 5.000", 15, out,
	    sizeof(out)), 0);
	assert_string_equal(out, "Sisa pulsa Rp 5.000");
	assert_int_equal(at_pdu_ussd_text("00480069", 72, out, sizeof(out)),
	    0);
	assert_string_equal(out, "Hi");
	assert_int_equal(at_pdu_ussd_text("004", 72, out, sizeof(out)), -1);
}

static void
test_profiles(void **state)
{
	(void)state;
	assert_string_equal(at_profile_find("huawei", "E173")->name,
	    "huawei");
	assert_string_equal(at_profile_find("SIMCOM_Ltd", "SIMCOM_SIM800L")->
	    name, "simcom");
	assert_string_equal(at_profile_find("Quectel", "EC25")->name,
	    "quectel");
	assert_string_equal(at_profile_find("Kentongan", "ATSIM-1")->name,
	    "generic");
	assert_string_equal(at_profile_find("huawei", "E173")->init[0],
	    "AT^CURC=0");
	assert_int_equal(at_speed("at"), B115200);
	assert_int_equal(at_speed("at19200"), B19200);
	assert_int_equal(at_speed("at12345"), -1);
	assert_int_equal(at_speed("none"), -1);
}

/* Load a configuration with one modem entry; 0 or -1 with err. */
static int
load(const char *modem, struct conf *c, char *err, size_t errlen)
{
	char	path[] = "/tmp/kt-test-at.XXXXXX";
	FILE	*f;
	int	fd, rc;

	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	fprintf(f, "database = \"/tmp/x.db\";\nmodems = (\n%s\n);\n", modem);
	fclose(f);
	rc = conf_load(path, c, err, errlen);
	unlink(path);
	return rc;
}

static void
test_conf_engine(void **state)
{
	static struct conf	c;
	char			err[256];

	(void)state;
	assert_int_equal(load("{ name = \"m1\"; device = \"/dev/null\"; "
	    "connection = \"at\"; }", &c, err, sizeof(err)), 0);
	assert_string_equal(c.modems[0].engine, "native");
	assert_int_equal(load("{ name = \"m1\"; device = \"/tmp/d\"; "
	    "connection = \"none\"; model = \"dummy\"; }", &c, err,
	    sizeof(err)), 0);
	assert_string_equal(c.modems[0].engine, "gammu");
	assert_int_equal(load("{ name = \"m1\"; device = \"/dev/null\"; "
	    "connection = \"at\"; engine = \"gammu\"; }", &c, err,
	    sizeof(err)), 0);
	assert_string_equal(c.modems[0].engine, "gammu");
	assert_int_equal(load("{ name = \"m1\"; device = \"/dev/null\"; "
	    "connection = \"blueat\";\n engine = \"native\"; }", &c, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, ":3: modem m1: engine = \"native\""));
	assert_int_equal(load("{ name = \"m1\"; device = \"/dev/null\"; "
	    "connection = \"at\";\n\n engine = \"fast\"; }", &c, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, ":5: engine"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chan),
		cmocka_unit_test(test_chan_next),
		cmocka_unit_test(test_pdu_submit),
		cmocka_unit_test(test_pdu_decode),
		cmocka_unit_test(test_ussd_text),
		cmocka_unit_test(test_profiles),
		cmocka_unit_test(test_conf_engine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
