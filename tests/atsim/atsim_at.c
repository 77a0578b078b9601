/*
 * The AT command interpreter. Bytes from the pty become command lines
 * (or, after the AT+CMGS prompt, a PDU ended by Ctrl-Z); each line is run
 * against the modem state and its reply is queued with atsim_tty_send().
 * Replies follow V.25ter with ATV1: "\r\n<info lines>\r\n" then
 * "\r\nOK\r\n" (or ERROR, +CME ERROR, +CMS ERROR). Unsolicited result
 * codes that arrive while a PDU is being typed wait until it is done.
 */

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "atsim.h"

#define ATSIM_AT_REVISION	"atsim-1.0"
#define ATSIM_AT_IMEI		"356938035643809"
#define ATSIM_AT_IMSI		"510101234567890"
#define ATSIM_AT_OPERATOR	"TELKOMSEL"
#define ATSIM_AT_OPERATOR_NUM	"51010"

enum atsim_at_state {
	ATSIM_AT_COMMAND,
	ATSIM_AT_PDU
};

/* The kinds of extended command; the order indexes atsim_at_cmd.fixed. */
enum atsim_at_kind {
	ATSIM_AT_EXEC,		/* AT+X */
	ATSIM_AT_READ,		/* AT+X? */
	ATSIM_AT_TEST,		/* AT+X=? */
	ATSIM_AT_SET		/* AT+X=args */
};

enum atsim_at_result {
	ATSIM_AT_OK,
	ATSIM_AT_ERROR,
	ATSIM_AT_CME,
	ATSIM_AT_CMS,
	ATSIM_AT_NONE		/* no final result yet (the > prompt) */
};

enum atsim_at_pin {
	ATSIM_AT_READY,
	ATSIM_AT_SIMPIN,
	ATSIM_AT_SIMPUK
};

enum atsim_at_charset {
	ATSIM_AT_IRA,
	ATSIM_AT_GSM,
	ATSIM_AT_UCS2
};

/* One command being run. */
struct atsim_at_req {
	const char		*name;
	enum atsim_at_kind	 kind;
	const char		*args;
	struct atsim_buf	*info;
	struct atsim_buf	*after;		/* unsolicited, after the reply */
	int			 code;		/* for +CME/+CMS ERROR */
	int			 delay;		/* extra ms before the reply */
};

/*
 * A command of the table: sim says which error a locked SIM gives. Without
 * a handler fn, the command has fixed replies by kind (exec, read, test,
 * set): an information line, "" for a bare OK, or NULL for ERROR.
 */
struct atsim_at_cmd {
	const char		*name;
	enum atsim_at_result	 sim;
	enum atsim_at_result	(*fn)(struct atsim_at_req *);
	const char		*fixed[4];
};

static struct {
	enum atsim_at_state	 state;
	char			 line[ATSIM_LINEMAX];
	size_t			 linelen;
	int			 overflow;
	char			 pdu[ATSIM_HEXMAX + 1];
	size_t			 pdulen;
	int			 pdusize;	/* length given to AT+CMGS */
	struct atsim_buf	 echo;
	struct atsim_buf	 pending;
	int			 echo_on;
	int			 cmee;
	int			 creg;
	int			 cgreg;
	int			 copsfmt;
	int			 cnmi[5];
	int			 cusd;
	enum atsim_at_charset	 charset;
	char			 smsc[32];
	enum atsim_at_pin	 pin;
	int			 pin_wrong;
} at;

static const char *atsim_at_charsets[] = { "IRA", "GSM", "UCS2" };

/* Queue bytes for the tty, after any pending echo. */
static void
atsim_at_out(const char *data, size_t len, int delay)
{
	if (at.echo.len > 0) {
		atsim_tty_send(at.echo.data, at.echo.len, 0);
		at.echo.len = 0;
	}
	if (len > 0)
		atsim_tty_send(data, len, delay);
}

/* Reset settings as ATZ does; power on also resets input and the SIM. */
void
atsim_at_reset(int power)
{
	at.echo_on = 1;
	at.cmee = 0;
	at.creg = at.cgreg = 0;
	at.copsfmt = 0;
	memset(at.cnmi, 0, sizeof at.cnmi);
	at.cusd = 0;
	at.charset = ATSIM_AT_IRA;
	if (at.smsc[0] == '\0')
		atsim_strlcpy(at.smsc, "+6281100000", sizeof at.smsc);
	if (!power)
		return;
	atsim_at_abort();
	if (at.pin_wrong >= 3)
		at.pin = ATSIM_AT_SIMPUK;
	else if (atsim_knobs.pin[0] != '\0')
		at.pin = ATSIM_AT_SIMPIN;
	else
		at.pin = ATSIM_AT_READY;
	atsim_profile_boot();
}

/* Append one information line to a reply. */
static void
atsim_at_info(struct atsim_at_req *r, const char *fmt, ...)
{
	struct atsim_buf	*b = r->info;
	char			 line[ATSIM_LINEMAX];
	va_list			 ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (b->len > 0)
		atsim_buf_add(b, "\r\n", 2);
	atsim_buf_add(b, line, strlen(line));
}

/* Write a UTF-8 string in the current charset (UCS2: hex UTF-16BE). */
static void
atsim_at_str(const char *s, char *out, size_t size)
{
	uint32_t	cps[ATSIM_TEXTMAX];
	size_t		n, i, off = 0;

	if (at.charset != ATSIM_AT_UCS2 ||
	    atsim_text_utf8_decode(s, cps, ATSIM_TEXTMAX, &n) == -1) {
		atsim_strlcpy(out, s, size);
		return;
	}
	out[0] = '\0';
	for (i = 0; i < n && off + 9 < size; i++) {
		if (cps[i] >= 0x10000) {
			off += snprintf(out + off, size - off, "%04X%04X",
			    0xd800 + ((cps[i] - 0x10000) >> 10),
			    0xdc00 + ((cps[i] - 0x10000) & 0x3ff));
		} else
			off += snprintf(out + off, size - off, "%04X",
			    cps[i]);
	}
}

/* Extract argument n (from 0), unquoted; 0 if absent or empty. */
static int
atsim_at_arg(const char *args, int n, char *out, size_t size)
{
	const char	*p = args;
	size_t		 len = 0;
	int		 i = 0, quoted = 0, present = 0;

	while (i < n && *p != '\0') {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == ',' && !quoted)
			i++;
		p++;
	}
	if (i < n)
		return (0);
	while (*p == ' ')
		p++;
	quoted = 0;
	for (; *p != '\0' && (quoted || *p != ','); p++) {
		if (*p == '"') {
			quoted = !quoted;
			present = 1;
		} else if (len + 1 < size) {
			out[len++] = *p;
			present = 1;
		}
	}
	while (len > 0 && out[len - 1] == ' ' && !quoted)
		len--;
	out[len] = '\0';
	return (present);
}

/* Read integer argument n into v, def if absent; -1 if out of range. */
static int
atsim_at_iarg(const char *args, int n, int def, int min, int max, int *v)
{
	char	 buf[32], *end;
	long	 l;

	if (!atsim_at_arg(args, n, buf, sizeof buf)) {
		*v = def;
		return (0);
	}
	l = strtol(buf, &end, 10);
	if (*end != '\0' || l < min || l > max)
		return (-1);
	*v = l;
	return (0);
}

/* AT+CMEE: error reporting mode. */
static enum atsim_at_result
atsim_at_cmee(struct atsim_at_req *r)
{
	if (r->kind == ATSIM_AT_TEST)
		atsim_at_info(r, "+CMEE: (0-2)");
	else if (r->kind == ATSIM_AT_READ)
		atsim_at_info(r, "+CMEE: %d", at.cmee);
	else if (atsim_at_iarg(r->args, 0, 0, 0, 2, &at.cmee) == -1)
		return (ATSIM_AT_ERROR);
	return (ATSIM_AT_OK);
}

/* AT+CPIN: SIM lock state and PIN entry. */
static enum atsim_at_result
atsim_at_cpin(struct atsim_at_req *r)
{
	static const char	*states[] = { "READY", "SIM PIN", "SIM PUK" };
	char			 pin[32];

	if (r->kind == ATSIM_AT_TEST)
		return (ATSIM_AT_OK);
	if (r->kind == ATSIM_AT_READ) {
		atsim_at_info(r, "+CPIN: %s", states[at.pin]);
		return (ATSIM_AT_OK);
	}
	if (r->kind != ATSIM_AT_SET)
		return (ATSIM_AT_ERROR);
	atsim_stats.pin_attempts++;
	r->code = 16;
	if (!atsim_at_arg(r->args, 0, pin, sizeof pin))
		return (ATSIM_AT_CME);
	switch (at.pin) {
	case ATSIM_AT_READY:
		r->code = 3;
		return (ATSIM_AT_CME);
	case ATSIM_AT_SIMPUK:
		return (ATSIM_AT_CME);
	case ATSIM_AT_SIMPIN:
		if (strcmp(pin, atsim_knobs.pin) == 0) {
			at.pin = ATSIM_AT_READY;
			at.pin_wrong = 0;
			return (ATSIM_AT_OK);
		}
		if (++at.pin_wrong >= 3)
			at.pin = ATSIM_AT_SIMPUK;
		atsim_debug("wrong PIN %s (%d wrong)", pin, at.pin_wrong);
		return (ATSIM_AT_CME);
	default:
		atsim_fatalx("%s: bad PIN state %d", __func__, at.pin);
	}
}

/* AT+CREG and AT+CGREG: registered at home once the SIM is unlocked. */
static enum atsim_at_result
atsim_at_reg(struct atsim_at_req *r)
{
	const char	*name = r->name;
	int		*n = strcmp(name, "+CREG") == 0 ? &at.creg : &at.cgreg;
	int		 stat = at.pin == ATSIM_AT_READY;

	if (r->kind == ATSIM_AT_TEST)
		atsim_at_info(r, "%s: (0-2)", name);
	else if (r->kind == ATSIM_AT_SET) {
		if (atsim_at_iarg(r->args, 0, 0, 0, 2, n) == -1)
			return (ATSIM_AT_ERROR);
	} else if (r->kind != ATSIM_AT_READ)
		return (ATSIM_AT_ERROR);
	else if (*n == 2 && stat)
		atsim_at_info(r, "%s: 2,1,\"1A2B\",\"00C3F1\"", name);
	else
		atsim_at_info(r, "%s: %d,%d", name, *n, stat);
	return (ATSIM_AT_OK);
}

/* AT+COPS: the operator, by name or numerically. */
static enum atsim_at_result
atsim_at_cops(struct atsim_at_req *r)
{
	char	name[128];
	int	mode, fmt;

	switch (r->kind) {
	case ATSIM_AT_TEST:
		atsim_at_info(r, "+COPS: (2,\"%s\",\"TSEL\",\"%s\",2),,"
		    "(0-4),(0-2)", ATSIM_AT_OPERATOR, ATSIM_AT_OPERATOR_NUM);
		return (ATSIM_AT_OK);
	case ATSIM_AT_SET:
		if (atsim_at_iarg(r->args, 0, 0, 0, 4, &mode) == -1 ||
		    atsim_at_iarg(r->args, 1, at.copsfmt, 0, 2, &fmt) == -1)
			return (ATSIM_AT_ERROR);
		at.copsfmt = fmt;
		return (ATSIM_AT_OK);
	case ATSIM_AT_READ:
		if (at.pin != ATSIM_AT_READY)
			atsim_at_info(r, "+COPS: 0");
		else if (at.copsfmt == 2)
			atsim_at_info(r, "+COPS: 0,2,\"%s\",2",
			    ATSIM_AT_OPERATOR_NUM);
		else {
			atsim_at_str(ATSIM_AT_OPERATOR, name, sizeof name);
			atsim_at_info(r, "+COPS: 0,%d,\"%s\",2", at.copsfmt,
			    name);
		}
		return (ATSIM_AT_OK);
	default:
		return (ATSIM_AT_ERROR);
	}
}

/* AT+CMGF: message format; only PDU mode (0) is supported. */
static enum atsim_at_result
atsim_at_cmgf(struct atsim_at_req *r)
{
	int	mode;

	if (r->kind == ATSIM_AT_TEST)
		atsim_at_info(r, "+CMGF: (0)");
	else if (r->kind == ATSIM_AT_READ)
		atsim_at_info(r, "+CMGF: 0");
	else if (atsim_at_iarg(r->args, 0, 0, 0, 1, &mode) == -1)
		return (ATSIM_AT_ERROR);
	else if (mode != 0) {
		r->code = 303;
		return (ATSIM_AT_CMS);
	}
	return (ATSIM_AT_OK);
}

/* AT+CSCS: TE character set. */
static enum atsim_at_result
atsim_at_cscs(struct atsim_at_req *r)
{
	char	cs[16];
	size_t	i;

	if (r->kind == ATSIM_AT_TEST)
		atsim_at_info(r, "+CSCS: (\"IRA\",\"GSM\",\"UCS2\")");
	else if (r->kind == ATSIM_AT_READ)
		atsim_at_info(r, "+CSCS: \"%s\"", atsim_at_charsets[at.charset]);
	else if (r->kind == ATSIM_AT_SET) {
		atsim_at_arg(r->args, 0, cs, sizeof cs);
		for (i = 0; i < 3; i++)
			if (strcasecmp(cs, atsim_at_charsets[i]) == 0)
				break;
		if (i == 3)
			return (ATSIM_AT_ERROR);
		at.charset = i;
	}
	return (ATSIM_AT_OK);
}

/* AT+CPMS: message storage; only the SIM ("SM") exists. */
static enum atsim_at_result
atsim_at_cpms(struct atsim_at_req *r)
{
	char	mem[16];
	int	i, u = atsim_sim_used(), t = atsim_sim_size();

	switch (r->kind) {
	case ATSIM_AT_TEST:
		atsim_at_info(r, "+CPMS: (\"SM\"),(\"SM\"),(\"SM\")");
		return (ATSIM_AT_OK);
	case ATSIM_AT_READ:
		atsim_at_info(r, "+CPMS: \"SM\",%d,%d,\"SM\",%d,%d,"
		    "\"SM\",%d,%d", u, t, u, t, u, t);
		return (ATSIM_AT_OK);
	case ATSIM_AT_SET:
		for (i = 0; i < 3; i++) {
			if (atsim_at_arg(r->args, i, mem, sizeof mem) &&
			    strcasecmp(mem, "SM") != 0) {
				r->code = 302;
				return (ATSIM_AT_CMS);
			}
		}
		atsim_at_info(r, "+CPMS: %d,%d,%d,%d,%d,%d", u, t, u, t, u, t);
		return (ATSIM_AT_OK);
	default:
		return (ATSIM_AT_ERROR);
	}
}

/*
 * AT+CNMI: new message indications. Any mt > 0 stores the message and
 * sends +CMTI (no direct +CMT); any ds > 0 sends +CDS (no +CDSI).
 */
static enum atsim_at_result
atsim_at_cnmi(struct atsim_at_req *r)
{
	static const int	max[5] = { 2, 3, 2, 2, 1 };
	int			i, v[5];

	if (r->kind == ATSIM_AT_TEST)
		atsim_at_info(r, "+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)");
	else if (r->kind == ATSIM_AT_READ)
		atsim_at_info(r, "+CNMI: %d,%d,%d,%d,%d", at.cnmi[0],
		    at.cnmi[1], at.cnmi[2], at.cnmi[3], at.cnmi[4]);
	else if (r->kind == ATSIM_AT_SET) {
		for (i = 0; i < 5; i++) {
			if (atsim_at_iarg(r->args, i, at.cnmi[i], 0, max[i],
			    &v[i]) == -1) {
				r->code = 303;
				return (ATSIM_AT_CMS);
			}
		}
		memcpy(at.cnmi, v, sizeof at.cnmi);
	}
	return (ATSIM_AT_OK);
}

/* AT+CSCA: service centre address. */
static enum atsim_at_result
atsim_at_csca(struct atsim_at_req *r)
{
	char	num[64];

	if (r->kind == ATSIM_AT_READ) {
		atsim_at_str(at.smsc, num, sizeof num);
		atsim_at_info(r, "+CSCA: \"%s\",145", num);
	} else if (r->kind == ATSIM_AT_SET) {
		if (!atsim_at_arg(r->args, 0, num, sizeof num))
			return (ATSIM_AT_ERROR);
		atsim_strlcpy(at.smsc, num, sizeof at.smsc);
	}
	return (ATSIM_AT_OK);
}

/* AT+CMGL: list messages with a status (4: all). */
static enum atsim_at_result
atsim_at_cmgl(struct atsim_at_req *r)
{
	const char	*hex;
	size_t		 len;
	int		 i, want, stat;

	if (r->kind == ATSIM_AT_TEST) {
		atsim_at_info(r, "+CMGL: (0-4)");
		return (ATSIM_AT_OK);
	}
	if (atsim_at_iarg(r->kind == ATSIM_AT_SET ? r->args : "", 0, 0, 0, 4,
	    &want) == -1) {
		r->code = 302;
		return (ATSIM_AT_CMS);
	}
	for (i = 1; i <= atsim_sim_size(); i++) {
		if (atsim_sim_get(i, &stat, &len, &hex) != 0 ||
		    (want != 4 && want != stat))
			continue;
		atsim_at_info(r, "+CMGL: %d,%d,,%zu", i, stat, len);
		atsim_at_info(r, "%s", hex);
		atsim_sim_mark_read(i);
	}
	return (ATSIM_AT_OK);
}

/* AT+CMGR: read one message; an empty slot answers a bare OK. */
static enum atsim_at_result
atsim_at_cmgr(struct atsim_at_req *r)
{
	const char	*hex;
	size_t		 len;
	int		 idx, stat;

	if (r->kind == ATSIM_AT_TEST)
		return (ATSIM_AT_OK);
	r->code = 321;
	if (r->kind != ATSIM_AT_SET ||
	    atsim_at_iarg(r->args, 0, -1, 0, 100000, &idx) == -1 ||
	    atsim_sim_get(idx, &stat, &len, &hex) == -1)
		return (ATSIM_AT_CMS);
	if (atsim_sim_get(idx, &stat, &len, &hex) == 0) {
		atsim_at_info(r, "+CMGR: %d,,%zu", stat, len);
		atsim_at_info(r, "%s", hex);
		atsim_sim_mark_read(idx);
	}
	return (ATSIM_AT_OK);
}

/* AT+CMGD: delete one message, or by status with a flag. */
static enum atsim_at_result
atsim_at_cmgd(struct atsim_at_req *r)
{
	const char	*hex;
	size_t		 len;
	int		 idx, flag, i, stat;

	if (r->kind == ATSIM_AT_TEST) {
		atsim_at_info(r, "+CMGD: (1-%d),(0-4)", atsim_sim_size());
		return (ATSIM_AT_OK);
	}
	r->code = 321;
	if (r->kind != ATSIM_AT_SET ||
	    atsim_at_iarg(r->args, 0, -1, 0, 100000, &idx) == -1 ||
	    atsim_at_iarg(r->args, 1, 0, 0, 4, &flag) == -1)
		return (ATSIM_AT_CMS);
	if (flag == 0 && atsim_sim_delete(idx) == -1)
		return (ATSIM_AT_CMS);
	for (i = 1; flag > 0 && i <= atsim_sim_size(); i++) {
		if (atsim_sim_get(i, &stat, &len, &hex) == 0 &&
		    (flag == 4 || (stat == 1) || (flag >= 2 && stat == 3) ||
		    (flag >= 3 && stat == 2)))
			atsim_sim_delete(i);
	}
	atsim_stats.cmgd++;
	return (ATSIM_AT_OK);
}

/* AT+CMGS=<length>: answer the > prompt and wait for the PDU. */
static enum atsim_at_result
atsim_at_cmgs(struct atsim_at_req *r)
{
	if (r->kind == ATSIM_AT_TEST)
		return (ATSIM_AT_OK);
	if (r->kind != ATSIM_AT_SET ||
	    atsim_at_iarg(r->args, 0, -1, 1, 255, &at.pdusize) == -1) {
		r->code = 304;
		return (ATSIM_AT_CMS);
	}
	atsim_stats.cmgs++;
	at.state = ATSIM_AT_PDU;
	at.pdulen = 0;
	atsim_buf_add(r->info, "> ", 2);
	return (ATSIM_AT_NONE);
}

/* Decode a USSD string sent in the current charset, for the log. */
static void
atsim_at_ussd_request(const char *s, char *out, size_t size)
{
	unsigned char	u[ATSIM_LINEMAX / 2];
	size_t		n;

	if (at.charset == ATSIM_AT_UCS2 &&
	    atsim_text_hex_decode(s, u, sizeof u, &n) == 0)
		atsim_text_utf16_to_utf8(u, n / 2, out, size, 0);
	else
		atsim_strlcpy(out, s, size);
}

/* AT+CUSD: USSD; a request is answered OK then +CUSD with the reply. */
static enum atsim_at_result
atsim_at_cusd(struct atsim_at_req *r)
{
	char	str[ATSIM_LINEMAX], req[ATSIM_LINEMAX];
	char	reply[4 * ATSIM_TEXTMAX + 1];
	int	n, dcs;

	if (r->kind == ATSIM_AT_TEST)
		atsim_at_info(r, "+CUSD: (0-2)");
	else if (r->kind == ATSIM_AT_READ)
		atsim_at_info(r, "+CUSD: %d", at.cusd);
	else if (r->kind != ATSIM_AT_SET)
		return (ATSIM_AT_ERROR);
	if (r->kind != ATSIM_AT_SET)
		return (ATSIM_AT_OK);
	if (atsim_at_iarg(r->args, 0, 0, 0, 2, &n) == -1 ||
	    atsim_at_iarg(r->args, 2, 15, 0, 255, &dcs) == -1)
		return (ATSIM_AT_ERROR);
	if (n != 2)
		at.cusd = n;
	if (!atsim_at_arg(r->args, 1, str, sizeof str))
		return (ATSIM_AT_OK);
	if (at.pin != ATSIM_AT_READY) {
		r->code = at.pin == ATSIM_AT_SIMPIN ? 11 : 12;
		return (ATSIM_AT_CME);
	}
	atsim_stats.ussd++;
	atsim_at_ussd_request(str, req, sizeof req);
	atsim_debug("USSD request \"%s\" (dcs %d)", req, dcs);
	atsim_at_str(atsim_knobs.ussd_reply, reply, sizeof reply);
	atsim_buf_printf(r->after, "\r\n+CUSD: 0,\"%s\",15\r\n", reply);
	return (ATSIM_AT_OK);
}

/* AT+CGMI, AT+CGMM (and +GMI, +GMM): the profile's names. */
static enum atsim_at_result
atsim_at_ident(struct atsim_at_req *r)
{
	if (r->kind == ATSIM_AT_TEST)
		return (ATSIM_AT_OK);
	if (r->kind != ATSIM_AT_EXEC)
		return (ATSIM_AT_ERROR);
	atsim_at_info(r, "%s", strstr(r->name, "MI") != NULL ?
	    atsim_profile_manufacturer() : atsim_profile_model());
	return (ATSIM_AT_OK);
}

/* AT^CURC=n, AT+WIND=n: the profile's noise on or off. */
static enum atsim_at_result
atsim_at_quiet(struct atsim_at_req *r)
{
	int v;

	if (r->kind != ATSIM_AT_SET ||
	    atsim_at_iarg(r->args, 0, 0, 0, 1 << 20, &v) == -1 ||
	    atsim_profile_command(r->name, v) == -1)
		return (ATSIM_AT_ERROR);
	return (ATSIM_AT_OK);
}

#define ATSIM_AT_FN(name, sim, fn)	{ name, sim, fn, { NULL } }
#define ATSIM_AT_FIXED(name, sim, e, r, t, s) \
	{ name, sim, NULL, { e, r, t, s } }

static const struct atsim_at_cmd atsim_at_cmds[] = {
	ATSIM_AT_FIXED("+CBC", ATSIM_AT_OK, "+CBC: 0,100", NULL, "", NULL),
	ATSIM_AT_FIXED("+CFUN", ATSIM_AT_OK, NULL, "+CFUN: 1",
	    "+CFUN: (0,1,4),(0,1)", ""),
	ATSIM_AT_FIXED("+CGATT", ATSIM_AT_OK, NULL, "+CGATT: 1",
	    "+CGATT: (0,1)", ""),
	ATSIM_AT_FN("+CGMI", ATSIM_AT_OK, atsim_at_ident),
	ATSIM_AT_FN("+CGMM", ATSIM_AT_OK, atsim_at_ident),
	ATSIM_AT_FIXED("+CGMR", ATSIM_AT_OK, ATSIM_AT_REVISION, NULL, "",
	    NULL),
	ATSIM_AT_FN("+CGREG", ATSIM_AT_OK, atsim_at_reg),
	ATSIM_AT_FIXED("+CGSN", ATSIM_AT_OK, ATSIM_AT_IMEI, NULL, "", NULL),
	ATSIM_AT_FIXED("+CIMI", ATSIM_AT_CME, ATSIM_AT_IMSI, NULL, "", NULL),
	ATSIM_AT_FN("+CMEE", ATSIM_AT_OK, atsim_at_cmee),
	ATSIM_AT_FN("+CMGD", ATSIM_AT_CMS, atsim_at_cmgd),
	ATSIM_AT_FN("+CMGF", ATSIM_AT_OK, atsim_at_cmgf),
	ATSIM_AT_FN("+CMGL", ATSIM_AT_CMS, atsim_at_cmgl),
	ATSIM_AT_FN("+CMGR", ATSIM_AT_CMS, atsim_at_cmgr),
	ATSIM_AT_FN("+CMGS", ATSIM_AT_CMS, atsim_at_cmgs),
	ATSIM_AT_FN("+CNMI", ATSIM_AT_OK, atsim_at_cnmi),
	ATSIM_AT_FN("+COPS", ATSIM_AT_OK, atsim_at_cops),
	ATSIM_AT_FN("+CPIN", ATSIM_AT_OK, atsim_at_cpin),
	ATSIM_AT_FN("+CPMS", ATSIM_AT_CMS, atsim_at_cpms),
	ATSIM_AT_FN("+CREG", ATSIM_AT_OK, atsim_at_reg),
	ATSIM_AT_FN("+CSCA", ATSIM_AT_CMS, atsim_at_csca),
	ATSIM_AT_FN("+CSCS", ATSIM_AT_OK, atsim_at_cscs),
	ATSIM_AT_FIXED("+CSMS", ATSIM_AT_OK, NULL, "+CSMS: 0,1,1,1",
	    "+CSMS: (0)", "+CSMS: 1,1,1"),
	ATSIM_AT_FIXED("+CSQ", ATSIM_AT_OK, "+CSQ: 21,99", NULL,
	    "+CSQ: (0-31,99),(0-7,99)", NULL),
	ATSIM_AT_FN("+CUSD", ATSIM_AT_OK, atsim_at_cusd),
	ATSIM_AT_FN("+WIND", ATSIM_AT_OK, atsim_at_quiet),
	ATSIM_AT_FN("^CURC", ATSIM_AT_OK, atsim_at_quiet),
	ATSIM_AT_FN("+GMI", ATSIM_AT_OK, atsim_at_ident),
	ATSIM_AT_FN("+GMM", ATSIM_AT_OK, atsim_at_ident),
	ATSIM_AT_FIXED("+GMR", ATSIM_AT_OK, ATSIM_AT_REVISION, NULL, "",
	    NULL),
	ATSIM_AT_FIXED("+GSN", ATSIM_AT_OK, ATSIM_AT_IMEI, NULL, "", NULL),
};

/* Answer a command with fixed replies. */
static enum atsim_at_result
atsim_at_fixed(struct atsim_at_req *r, const struct atsim_at_cmd *c)
{
	const char	*s = c->fixed[r->kind];

	if (s == NULL)
		return (ATSIM_AT_ERROR);
	if (*s != '\0')
		atsim_at_info(r, "%s", s);
	return (ATSIM_AT_OK);
}

/* Run one extended command (+XXX...) up to ';'; advance *pp past it. */
static enum atsim_at_result
atsim_at_extended(struct atsim_at_req *r, const char **pp)
{
	const struct atsim_at_cmd	*c = NULL;
	const char			*p = *pp;
	char				 name[16], args[ATSIM_LINEMAX];
	size_t				 n = 0, i;
	int				 quoted = 0;

	name[n++] = *p++;
	while (isalnum((unsigned char)*p) && n + 1 < sizeof name)
		name[n++] = toupper((unsigned char)*p++);
	name[n] = '\0';
	r->kind = ATSIM_AT_EXEC;
	if (strncmp(p, "=?", 2) == 0) {
		r->kind = ATSIM_AT_TEST;
		p += 2;
	} else if (*p == '?') {
		r->kind = ATSIM_AT_READ;
		p++;
	} else if (*p == '=') {
		r->kind = ATSIM_AT_SET;
		p++;
	}
	for (n = 0; *p != '\0' && (quoted || *p != ';'); p++) {
		quoted ^= *p == '"';
		if (n + 1 < sizeof args)
			args[n++] = *p;
	}
	args[n] = '\0';
	*pp = *p == ';' ? p + 1 : p;
	r->args = args;
	r->name = name;
	for (i = 0; i < sizeof atsim_at_cmds / sizeof atsim_at_cmds[0]; i++)
		if (strcmp(atsim_at_cmds[i].name, name) == 0)
			c = &atsim_at_cmds[i];
	r->code = 4;
	if (c == NULL)
		return (at.cmee ? ATSIM_AT_CME : ATSIM_AT_ERROR);
	if (c->sim != ATSIM_AT_OK && at.pin != ATSIM_AT_READY &&
	    r->kind != ATSIM_AT_TEST) {
		if (c->sim == ATSIM_AT_CMS)
			r->code = at.pin == ATSIM_AT_SIMPIN ? 311 : 316;
		else
			r->code = at.pin == ATSIM_AT_SIMPIN ? 11 : 12;
		return (c->sim);
	}
	return (c->fn != NULL ? c->fn(r) : atsim_at_fixed(r, c));
}

/* Run one basic command (E1, Z, I, &F, S0=0...); advance *pp past it. */
static enum atsim_at_result
atsim_at_basic(struct atsim_at_req *r, const char **pp)
{
	const char	*p = *pp;
	char		 c, amp = 0;
	int		 v = 0;

	if (*p == '&')
		amp = *p++;
	c = toupper((unsigned char)*p++);
	if (c == 'S') {
		while (isdigit((unsigned char)*p))
			p++;
		if (*p == '?') {
			atsim_at_info(r, "000");
			p++;
		} else if (*p == '=')
			for (p++; isdigit((unsigned char)*p); p++)
				;
		*pp = p;
		return (ATSIM_AT_OK);
	}
	while (isdigit((unsigned char)*p))
		v = v * 10 + (*p++ - '0');
	*pp = p;
	if (amp)
		return (c == 'F' || c == 'C' || c == 'D' || c == 'K' ||
		    c == 'W' ? ATSIM_AT_OK : ATSIM_AT_ERROR);
	switch (c) {
	case 'E':
		at.echo_on = v != 0;
		return (ATSIM_AT_OK);
	case 'Z':
		atsim_at_reset(0);
		return (ATSIM_AT_OK);
	case 'I':
		atsim_at_info(r, "%s %s %s", atsim_profile_manufacturer(),
		    atsim_profile_model(), ATSIM_AT_REVISION);
		return (ATSIM_AT_OK);
	case 'V':
	case 'Q':
	case 'X':
	case 'H':
	case 'L':
	case 'M':
		return (ATSIM_AT_OK);
	default:
		return (ATSIM_AT_ERROR);
	}
}

/* Queue the reply of a command line: info, then the final result. */
static void
atsim_at_reply(struct atsim_at_req *r, enum atsim_at_result res)
{
	struct atsim_buf	out = { NULL, 0, 0 };

	if (res == ATSIM_AT_NONE)
		atsim_buf_printf(&out, "\r\n%.*s", (int)r->info->len,
		    r->info->data);
	else if (r->info->len > 0)
		atsim_buf_printf(&out, "\r\n%.*s\r\n", (int)r->info->len,
		    r->info->data);
	/* The profile's noise, between the information and the result. */
	if (res != ATSIM_AT_NONE)
		atsim_profile_noise(&out);
	if (res == ATSIM_AT_OK)
		atsim_buf_printf(&out, "\r\nOK\r\n");
	else if (res == ATSIM_AT_ERROR || (res == ATSIM_AT_CME && !at.cmee))
		atsim_buf_printf(&out, "\r\nERROR\r\n");
	else if (res == ATSIM_AT_CME)
		atsim_buf_printf(&out, "\r\n+CME ERROR: %d\r\n", r->code);
	else if (res == ATSIM_AT_CMS)
		atsim_buf_printf(&out, "\r\n+CMS ERROR: %d\r\n", r->code);
	if (r->after->len > 0)
		atsim_buf_add(&out, r->after->data, r->after->len);
	atsim_debug("> %.*s", (int)out.len, out.data);
	atsim_at_out(out.data, out.len, r->delay);
	atsim_buf_free(&out);
}

/* Run one command line (without the trailing CR). */
static void
atsim_at_line(const char *line)
{
	struct atsim_buf	 info = { NULL, 0, 0 }, after = { NULL, 0, 0 };
	struct atsim_at_req	 r;
	enum atsim_at_result	 res = ATSIM_AT_OK;
	const char		*p = line;

	while (*p != '\0' && !(toupper((unsigned char)p[0]) == 'A' &&
	    toupper((unsigned char)p[1]) == 'T'))
		p++;
	if (*p == '\0') {
		atsim_at_out(NULL, 0, 0);
		return;
	}
	atsim_stats.commands++;
	atsim_debug("< %s", p);
	memset(&r, 0, sizeof r);
	r.info = &info;
	r.after = &after;
	for (p += 2; *p != '\0' && res == ATSIM_AT_OK;) {
		if (*p == ' ' || *p == ';')
			p++;
		else if (*p == '+' || *p == '^' || *p == '$' || *p == '%')
			res = atsim_at_extended(&r, &p);
		else
			res = atsim_at_basic(&r, &p);
	}
	if (at.overflow)
		res = ATSIM_AT_ERROR;
	atsim_at_reply(&r, res);
	atsim_buf_free(&info);
	atsim_buf_free(&after);
}

/* Flush unsolicited codes that waited for the PDU to be typed. */
static void
atsim_at_flush_pending(void)
{
	if (at.pending.len > 0) {
		atsim_at_out(at.pending.data, at.pending.len, 0);
		at.pending.len = 0;
	}
}

/* Tell whether this AT+CMGS is one fail-send asked to refuse. */
static int
atsim_at_fail_now(void)
{
	if (atsim_knobs.fail_send == 0)
		return (0);
	if (atsim_knobs.fail_after > 0) {
		atsim_knobs.fail_after--;
		return (0);
	}
	atsim_knobs.fail_send--;
	return (1);
}

/* The PDU after the prompt is complete: submit it and answer. */
static void
atsim_at_pdu_done(void)
{
	struct atsim_buf	 info = { NULL, 0, 0 }, after = { NULL, 0, 0 };
	struct atsim_at_req	 r;
	enum atsim_at_result	 res = ATSIM_AT_CMS;
	char			 sr[ATSIM_HEXMAX + 1];
	int			 mr;

	at.state = ATSIM_AT_COMMAND;
	at.pdu[at.pdulen] = '\0';
	memset(&r, 0, sizeof r);
	r.info = &info;
	r.after = &after;
	r.delay = atsim_knobs.send_delay;
	atsim_debug("< PDU %s", at.pdu);
	if (atsim_at_fail_now())
		r.code = atsim_knobs.fail_code;
	else if ((mr = atsim_sim_submit(at.pdu, at.pdusize, sr,
	    sizeof sr)) == -1)
		r.code = 304;
	else {
		atsim_at_info(&r, "+CMGS: %d", mr);
		res = ATSIM_AT_OK;
		if (sr[0] != '\0' && at.cnmi[3] > 0)
			atsim_buf_printf(&after, "\r\n+CDS: %zu\r\n%s\r\n",
			    strlen(sr) / 2 - 1, sr);
	}
	atsim_at_reply(&r, res);
	atsim_buf_free(&info);
	atsim_buf_free(&after);
	atsim_at_flush_pending();
}

/* Take one byte while a PDU is being typed. */
static void
atsim_at_pdu_byte(char c)
{
	if (c == 0x1a) {
		atsim_at_pdu_done();
		return;
	}
	if (c == 0x1b) {
		atsim_debug("< ESC (send cancelled)");
		at.state = ATSIM_AT_COMMAND;
		atsim_at_out("\r\nOK\r\n", 6, 0);
		atsim_at_flush_pending();
		return;
	}
	if (at.echo_on)
		atsim_buf_add(&at.echo, &c, 1);
	if (isxdigit((unsigned char)c) && at.pdulen < ATSIM_HEXMAX)
		at.pdu[at.pdulen++] = c;
}

/* Take one byte of a command line. */
static void
atsim_at_command_byte(char c)
{
	if (c == 0x1b || c == 0x1a) {
		at.linelen = 0;
		at.overflow = 0;
		return;
	}
	if (at.echo_on)
		atsim_buf_add(&at.echo, &c, 1);
	if (c == '\r') {
		at.line[at.linelen] = '\0';
		atsim_at_line(at.line);
		at.linelen = 0;
		at.overflow = 0;
	} else if (c == '\b' || c == 0x7f) {
		if (at.linelen > 0)
			at.linelen--;
	} else if (c == '\n') {
		/* ignored */
	} else if (at.linelen + 1 < sizeof at.line)
		at.line[at.linelen++] = c;
	else
		at.overflow = 1;
}

/* Feed bytes read from the pty. */
void
atsim_at_input(const char *buf, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		switch (at.state) {
		case ATSIM_AT_COMMAND:
			atsim_at_command_byte(buf[i]);
			break;
		case ATSIM_AT_PDU:
			atsim_at_pdu_byte(buf[i]);
			break;
		default:
			atsim_fatalx("%s: bad state %d", __func__, at.state);
		}
	}
	atsim_at_out(NULL, 0, 0);
}

/* Send an unsolicited result code, or hold it while a PDU is typed. */
void
atsim_at_unsolicited(const char *fmt, ...)
{
	struct atsim_buf	b = { NULL, 0, 0 };
	char			line[ATSIM_HEXMAX + 64];
	va_list			ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	atsim_buf_printf(&b, "\r\n%s\r\n", line);
	atsim_debug("> %s", line);
	if (at.state == ATSIM_AT_PDU)
		atsim_buf_add(&at.pending, b.data, b.len);
	else
		atsim_at_out(b.data, b.len, 0);
	atsim_buf_free(&b);
}

/* Announce a newly stored message with +CMTI if AT+CNMI asked for it. */
void
atsim_at_notify_sms(int idx)
{
	struct atsim_buf b = { NULL, 0, 0 };

	atsim_profile_noise(&b);
	if (b.len > 4) {
		/* "\r\nLINE\r\n" without its frame */
		atsim_at_unsolicited("%.*s", (int)b.len - 4, b.data + 2);
	}
	atsim_buf_free(&b);
	if (at.cnmi[0] > 0 && at.cnmi[1] > 0)
		atsim_at_unsolicited("+CMTI: \"SM\",%d", idx);
}

/* Forget a half-typed line or PDU (after hang or drop). */
void
atsim_at_abort(void)
{
	at.state = ATSIM_AT_COMMAND;
	at.linelen = at.pdulen = 0;
	at.overflow = 0;
	at.echo.len = at.pending.len = 0;
}
