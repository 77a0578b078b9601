/*
 * The simulated SIM: message storage, SMS-DELIVER encoding for injected
 * messages, SMS-SUBMIT decoding for sent ones and the record file.
 *
 * PDUs are built and parsed with libgammu's exported functions
 * (GSM_EncodeSMSFrame lays an SMS out by PHONE_SMSDeliver, which we then
 * assemble into a PDU as the AT driver does; GSM_DecodePDUFrame parses).
 * Splitting, the choice of coding and the timestamps are ours.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gammu.h>

#include "atsim.h"

#define ATSIM_SIM_SMSC		"+6281100000"
#define ATSIM_SIM_PDUMAX	(ATSIM_HEXMAX / 2)
#define ATSIM_SIM_UNITSMAX	ATSIM_CTLMAX

enum atsim_sim_coding {
	ATSIM_SIM_GSM7,
	ATSIM_SIM_UCS2
};

struct atsim_sim_msg {
	int		 used;
	int		 stat;		/* 0 unread, 1 read, 2 unsent, 3 sent */
	size_t		 tpdulen;	/* octets after the SMSC address */
	char		 hex[ATSIM_HEXMAX + 1];
};

/* One part of a text being injected: code points [start, end). */
struct atsim_sim_part {
	size_t		 start;
	size_t		 end;
};

static struct atsim_sim_msg	 atsim_sim_msgs[ATSIM_SIMMAX + 1];
static int			 atsim_sim_max;
static FILE			*atsim_sim_record;
static int			 atsim_sim_mr;
static int			 atsim_sim_ref;

/* Set the storage size and open the record file (if any). */
int
atsim_sim_init(int size, const char *record)
{
	atsim_sim_max = size;
	atsim_sim_ref = time(NULL) % 200 + 1;
	if (record == NULL)
		return (0);
	if ((atsim_sim_record = fopen(record, "a")) == NULL)
		return (-1);
	return (0);
}

/* Close the record file. */
void
atsim_sim_close(void)
{
	if (atsim_sim_record != NULL)
		fclose(atsim_sim_record);
	atsim_sim_record = NULL;
}

/* Return the storage size. */
int
atsim_sim_size(void)
{
	return (atsim_sim_max);
}

/* Return how many messages are stored. */
int
atsim_sim_used(void)
{
	int	i, n = 0;

	for (i = 1; i <= atsim_sim_max; i++)
		n += atsim_sim_msgs[i].used;
	return (n);
}

/* Look up a stored message; 0 if found, 1 if empty, -1 if out of range. */
int
atsim_sim_get(int idx, int *stat, size_t *tpdulen, const char **hex)
{
	if (idx < 1 || idx > atsim_sim_max)
		return (-1);
	if (!atsim_sim_msgs[idx].used)
		return (1);
	*stat = atsim_sim_msgs[idx].stat;
	*tpdulen = atsim_sim_msgs[idx].tpdulen;
	*hex = atsim_sim_msgs[idx].hex;
	return (0);
}

/* Mark an unread message read, as listing or reading it does. */
void
atsim_sim_mark_read(int idx)
{
	if (idx >= 1 && idx <= atsim_sim_max && atsim_sim_msgs[idx].stat == 0)
		atsim_sim_msgs[idx].stat = 1;
}

/* Delete one message; -1 if the index is out of range. */
int
atsim_sim_delete(int idx)
{
	if (idx < 1 || idx > atsim_sim_max)
		return (-1);
	atsim_sim_msgs[idx].used = 0;
	return (0);
}

/* Return the first free index, or -1 when the SIM is full. */
static int
atsim_sim_free_slot(void)
{
	int	i;

	for (i = 1; i <= atsim_sim_max; i++)
		if (!atsim_sim_msgs[i].used)
			return (i);
	return (-1);
}

/* Store a PDU given as binary; return its index. */
static int
atsim_sim_store(const unsigned char *pdu, size_t len)
{
	struct atsim_sim_msg	*m;
	int			 idx;

	if ((idx = atsim_sim_free_slot()) == -1)
		return (-1);
	m = &atsim_sim_msgs[idx];
	m->used = 1;
	m->stat = 0;
	m->tpdulen = (len > 0 && (size_t)pdu[0] + 1 < len) ?
	    len - pdu[0] - 1 : len;
	atsim_text_hex_encode(pdu, len, m->hex, sizeof m->hex);
	return (idx);
}

/* Store a raw PDU as hex, verbatim; the reply gets its index. */
int
atsim_sim_store_hex(const char *hex, char *reply, size_t size)
{
	unsigned char	pdu[ATSIM_SIM_PDUMAX];
	size_t		len;
	int		idx;

	if (atsim_text_hex_decode(hex, pdu, sizeof pdu, &len) == -1 ||
	    len == 0) {
		snprintf(reply, size, "bad hex");
		return (-1);
	}
	if ((idx = atsim_sim_store(pdu, len)) == -1) {
		snprintf(reply, size, "SIM full");
		return (-1);
	}
	snprintf(reply, size, "%d", idx);
	return (idx);
}

/* Encode a time as a TP-SCTS: swapped BCD with the local time zone. */
static void
atsim_sim_scts(time_t t, unsigned char *out)
{
	struct tm	tm;
	int		v[6], i, q;

	localtime_r(&t, &tm);
	v[0] = tm.tm_year % 100;
	v[1] = tm.tm_mon + 1;
	v[2] = tm.tm_mday;
	v[3] = tm.tm_hour;
	v[4] = tm.tm_min;
	v[5] = tm.tm_sec;
	for (i = 0; i < 6; i++)
		out[i] = ((v[i] % 10) << 4) | (v[i] / 10);
	q = tm.tm_gmtoff / 900;
	out[6] = (((q < 0 ? -q : q) % 10) << 4) | ((q < 0 ? -q : q) / 10);
	if (q < 0)
		out[6] |= 0x08;
}

/* Copy an ASCII string into libgammu's UTF-16BE form. */
static void
atsim_sim_unicode(unsigned char *dst, size_t size, const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0' && 2 * i + 3 < size; i++) {
		dst[2 * i] = 0;
		dst[2 * i + 1] = (unsigned char)s[i];
	}
	dst[2 * i] = dst[2 * i + 1] = 0;
}

/* Assemble an SMS-DELIVER PDU from an SMS filled in by the caller. */
static int
atsim_sim_deliver(GSM_SMSMessage *sms, unsigned char *pdu, size_t *len)
{
	GSM_SMSMessageLayout	 l = PHONE_SMSDeliver;
	unsigned char		 buf[1024];
	int			 n = 0, i, cur = 0, numlen;

	sms->PDU = SMS_Deliver;
	sms->Class = -1;
	atsim_sim_unicode(sms->SMSC.Number, sizeof sms->SMSC.Number,
	    ATSIM_SIM_SMSC);
	memset(buf, 0, sizeof buf);
	if (GSM_EncodeSMSFrame(GSM_GetGlobalDebug(), sms, buf, l, &n,
	    TRUE) != ERR_NONE || n <= l.Text)
		return (-1);
	n -= l.Text;
	numlen = (buf[l.Number] + 1) / 2 + 2;
	if ((size_t)buf[l.SMSCNumber] + 1 + 1 + numlen + 2 + 7 + 1 + n >
	    ATSIM_SIM_PDUMAX)
		return (-1);
	for (i = 0; i < buf[l.SMSCNumber] + 1; i++)
		pdu[cur++] = buf[l.SMSCNumber + i];
	pdu[cur++] = buf[l.firstbyte];
	for (i = 0; i < numlen; i++)
		pdu[cur++] = buf[l.Number + i];
	pdu[cur++] = buf[l.TPPID];
	pdu[cur++] = buf[l.TPDCS];
	atsim_sim_scts(time(NULL), pdu + cur);
	cur += 7;
	pdu[cur++] = buf[l.TPUDL];
	memcpy(pdu + cur, buf + l.Text, n);
	*len = cur + n;
	return (0);
}

/* Check a sender: +digits, digits, or up to 11 alphanumerics. */
static int
atsim_sim_sender_ok(const char *s)
{
	size_t	i, len = strlen(s);

	if (len == 0 || len > 20)
		return (0);
	for (i = (s[0] == '+'); i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			break;
	if (i == len && len > (size_t)(s[0] == '+'))
		return (1);
	return (len <= 11);
}

/* Build the PDU of one text part; udh is {ref, part, total} or NULL. */
static int
atsim_sim_text_pdu(const char *sender, const uint32_t *cps, size_t n,
    enum atsim_sim_coding coding, const int *udh, unsigned char *pdu,
    size_t *len)
{
	GSM_SMSMessage	 sms;
	size_t		 i, u = 0;
	uint32_t	 c;

	memset(&sms, 0, sizeof sms);
	GSM_SetDefaultReceivedSMSData(&sms);
	atsim_sim_unicode(sms.Number, sizeof sms.Number, sender);
	for (i = 0; i < n && 2 * u + 6 < sizeof sms.Text; i++) {
		c = cps[i];
		if (c >= 0x10000) {
			c -= 0x10000;
			sms.Text[2 * u] = (0xd800 | (c >> 10)) >> 8;
			sms.Text[2 * u + 1] = (0xd800 | (c >> 10)) & 0xff;
			u++;
			c = 0xdc00 | (c & 0x3ff);
		}
		sms.Text[2 * u] = c >> 8;
		sms.Text[2 * u + 1] = c & 0xff;
		u++;
	}
	sms.Text[2 * u] = sms.Text[2 * u + 1] = 0;
	sms.Length = u;
	sms.Coding = coding == ATSIM_SIM_GSM7 ?
	    SMS_Coding_Default_No_Compression :
	    SMS_Coding_Unicode_No_Compression;
	if (udh != NULL) {
		sms.UDH.Type = UDH_ConcatenatedMessages;
		sms.UDH.Text[0] = 5;
		sms.UDH.Text[1] = 0;
		sms.UDH.Text[2] = 3;
		sms.UDH.Text[3] = udh[0];
		sms.UDH.Text[4] = udh[2];
		sms.UDH.Text[5] = udh[1];
		sms.UDH.Length = 6;
	}
	return (atsim_sim_deliver(&sms, pdu, len));
}

/* Return how many units a code point takes in a coding. */
static size_t
atsim_sim_units(uint32_t cp, enum atsim_sim_coding coding)
{
	if (coding == ATSIM_SIM_GSM7)
		return (atsim_text_gsm_septets(cp));
	return (cp >= 0x10000 ? 2 : 1);
}

/* Split greedily into parts of at most cap units; return the count. */
static int
atsim_sim_split(const uint32_t *cps, size_t n, enum atsim_sim_coding coding,
    size_t cap, struct atsim_sim_part *parts, int max)
{
	size_t	i, used = 0;
	int	np = 0;

	parts[0].start = 0;
	for (i = 0; i < n; i++) {
		if (used + atsim_sim_units(cps[i], coding) > cap) {
			if (np + 1 >= max)
				return (-1);
			parts[np++].end = i;
			parts[np].start = i;
			used = 0;
		}
		used += atsim_sim_units(cps[i], coding);
	}
	parts[np++].end = n;
	return (np);
}

/* Split evenly into np parts by units; -1 if a part would exceed cap. */
static int
atsim_sim_split_even(const uint32_t *cps, size_t n,
    enum atsim_sim_coding coding, size_t cap, struct atsim_sim_part *parts,
    int np)
{
	size_t	i, total = 0, off = 0, k;
	int	p;

	for (i = 0; i < n; i++)
		total += atsim_sim_units(cps[i], coding);
	if ((total + np - 1) / np + 1 > cap)
		return (-1);
	for (p = 0; p < np; p++)
		parts[p].start = parts[p].end = n;
	for (i = 0; i < n; i++) {
		k = off * np / total;
		if (parts[k].start == n)
			parts[k].start = i;
		parts[k].end = i + 1;
		off += atsim_sim_units(cps[i], coding);
	}
	for (p = np - 1; p > 0; p--)
		if (parts[p - 1].start == n)
			parts[p - 1].start = parts[p - 1].end = parts[p].start;
	return (np);
}

/* Parse an order list like "3,1,2"; return its length or -1. */
static int
atsim_sim_order(const char *s, int *order, int max, int *hi)
{
	char	*end;
	long	 v;
	int	 n = 0;

	*hi = 0;
	for (;;) {
		v = strtol(s, &end, 10);
		if (end == s || v < 1 || v > 255 || n == max)
			return (-1);
		order[n++] = v;
		if (v > *hi)
			*hi = v;
		if (*end == '\0')
			return (n);
		if (*end != ',')
			return (-1);
		s = end + 1;
	}
}

/* Store the given parts in order; the reply lists their indexes. */
static int
atsim_sim_store_parts(const char *sender, const uint32_t *cps,
    enum atsim_sim_coding coding, struct atsim_sim_part *parts, int np,
    int ref, const int *order, int norder, char *reply, size_t size)
{
	unsigned char	pdu[ATSIM_SIM_PDUMAX];
	size_t		len, off = 0;
	int		i, p, idx, udh[3], nfree = 0;

	for (i = 1; i <= atsim_sim_max; i++)
		nfree += !atsim_sim_msgs[i].used;
	if (nfree < norder) {
		snprintf(reply, size, "SIM full (%d free, %d needed)", nfree,
		    norder);
		return (-1);
	}
	reply[0] = '\0';
	for (i = 0; i < norder; i++) {
		p = order[i] - 1;
		udh[0] = ref;
		udh[1] = p + 1;
		udh[2] = np;
		if (atsim_sim_text_pdu(sender, cps + parts[p].start,
		    parts[p].end - parts[p].start, coding,
		    np > 1 || ref >= 0 ? udh : NULL, pdu, &len) == -1) {
			snprintf(reply, size, "cannot encode part %d", p + 1);
			return (-1);
		}
		idx = atsim_sim_store(pdu, len);
		off += snprintf(reply + off, size - off, "%s%d",
		    i == 0 ? "" : " ", idx);
		if (off >= size)
			off = size - 1;
	}
	return (0);
}

/*
 * Inject a text from sender: GSM-7 if every character has a septet, else
 * UCS-2 (always if ucs2 is set). With order (e.g. "3,1,2") the text is
 * split into concatenated parts with reference ref and stored in that
 * order; otherwise a long text is split as a network would.
 */
int
atsim_sim_inject(const char *sender, const char *text, int ucs2, int ref,
    const char *order, char *reply, size_t size)
{
	static uint32_t		 cps[ATSIM_SIM_UNITSMAX];
	struct atsim_sim_part	 parts[256];
	enum atsim_sim_coding	 coding = ATSIM_SIM_GSM7;
	size_t			 n, i, cap1, capn;
	int			 np, ord[256], norder, hi = 0;

	if (!atsim_sim_sender_ok(sender)) {
		snprintf(reply, size, "bad sender");
		return (-1);
	}
	if (atsim_text_utf8_decode(text, cps, ATSIM_SIM_UNITSMAX, &n) == -1) {
		snprintf(reply, size, "invalid UTF-8");
		return (-1);
	}
	for (i = 0; i < n && !ucs2; i++)
		if (atsim_text_gsm_septets(cps[i]) == 0)
			ucs2 = 1;
	if (ucs2)
		coding = ATSIM_SIM_UCS2;
	cap1 = coding == ATSIM_SIM_GSM7 ? 160 : 70;
	capn = coding == ATSIM_SIM_GSM7 ? 153 : 67;
	if (order != NULL &&
	    (norder = atsim_sim_order(order, ord, 256, &hi)) == -1) {
		snprintf(reply, size, "bad order");
		return (-1);
	}
	np = atsim_sim_split(cps, n, coding, order == NULL ? cap1 : capn,
	    parts, 256);
	if (np > 1 && order == NULL)
		np = atsim_sim_split(cps, n, coding, capn, parts, 256);
	if (np == -1 || np > 255) {
		snprintf(reply, size, "text too long");
		return (-1);
	}
	if (order != NULL && hi > np && n > 0 &&
	    atsim_sim_split_even(cps, n, coding, capn, parts, hi) != -1)
		np = hi;
	if (order != NULL && hi > np) {
		snprintf(reply, size, "order names part %d of %d", hi, np);
		return (-1);
	}
	if (order == NULL) {
		for (norder = 0; norder < np; norder++)
			ord[norder] = norder + 1;
		ref = np > 1 ? atsim_sim_ref++ % 256 : -1;
	}
	return (atsim_sim_store_parts(sender, cps, coding, parts, np, ref, ord,
	    norder, reply, size));
}

/* Inject an 8-bit data message from sender with hex data. */
int
atsim_sim_inject_8bit(const char *sender, const char *hex, char *reply,
    size_t size)
{
	GSM_SMSMessage	sms;
	unsigned char	pdu[ATSIM_SIM_PDUMAX];
	size_t		len;
	int		idx;

	memset(&sms, 0, sizeof sms);
	GSM_SetDefaultReceivedSMSData(&sms);
	if (!atsim_sim_sender_ok(sender) ||
	    atsim_text_hex_decode(hex, sms.Text, 140, &len) == -1) {
		snprintf(reply, size, "bad sender or data (max 140 bytes)");
		return (-1);
	}
	atsim_sim_unicode(sms.Number, sizeof sms.Number, sender);
	sms.Coding = SMS_Coding_8bit;
	sms.Length = len;
	if (atsim_sim_deliver(&sms, pdu, &len) == -1) {
		snprintf(reply, size, "cannot encode");
		return (-1);
	}
	if ((idx = atsim_sim_store(pdu, len)) == -1) {
		snprintf(reply, size, "SIM full");
		return (-1);
	}
	snprintf(reply, size, "%d", idx);
	return (0);
}

/* Return the length in UTF-16 units of a NUL-terminated gammu string. */
static size_t
atsim_sim_unilen(const unsigned char *u, size_t max)
{
	size_t	n = 0;

	while (n < max && (u[2 * n] != 0 || u[2 * n + 1] != 0))
		n++;
	return (n);
}

/* Append one line describing a decoded SMS-SUBMIT to the record file. */
static void
atsim_sim_record_submit(GSM_SMSMessage *sms, const char *hex)
{
	static char	 text[4 * 2 * (GSM_MAX_SMS_LENGTH + 1)];
	char		 dest[128];
	const char	*coding;
	struct timespec	 ts;
	int		 ref = 0, part = 1, total = 1;

	atsim_text_utf16_to_utf8(sms->Number, atsim_sim_unilen(sms->Number,
	    GSM_MAX_NUMBER_LENGTH), dest, sizeof dest, 1);
	switch (sms->Coding) {
	case SMS_Coding_8bit:
		coding = "8bit";
		atsim_text_hex_encode(sms->Text, sms->Length, text,
		    sizeof text);
		break;
	case SMS_Coding_Unicode_No_Compression:
		coding = "ucs2";
		atsim_text_utf16_to_utf8(sms->Text, atsim_sim_unilen(sms->Text,
		    GSM_MAX_SMS_LENGTH), text, sizeof text, 1);
		break;
	default:
		coding = "gsm7";
		atsim_text_utf16_to_utf8(sms->Text, atsim_sim_unilen(sms->Text,
		    GSM_MAX_SMS_LENGTH), text, sizeof text, 1);
		break;
	}
	if (sms->UDH.Type == UDH_ConcatenatedMessages ||
	    sms->UDH.Type == UDH_ConcatenatedMessages16bit) {
		ref = sms->UDH.Type == UDH_ConcatenatedMessages ?
		    sms->UDH.ID8bit : sms->UDH.ID16bit;
		part = sms->UDH.PartNumber;
		total = sms->UDH.AllParts;
	}
	atsim_debug("submit to %s (%s %d/%d/%d): %s", dest, coding, ref, part,
	    total, text);
	if (atsim_sim_record == NULL)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(atsim_sim_record, "%lld\t%s\t%s\t%d/%d/%d\t%s\t%s\n",
	    (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, dest, coding,
	    ref, part, total, text, hex);
	fflush(atsim_sim_record);
}

/* Build an SMS-STATUS-REPORT (delivered) for a submit PDU, as hex. */
static void
atsim_sim_status_report(const unsigned char *pdu, size_t len, int mr,
    char *out, size_t size)
{
	unsigned char	rep[64];
	size_t		p = (size_t)pdu[0] + 1, da, n = 0;
	time_t		now = time(NULL);

	out[0] = '\0';
	if (p + 4 > len)
		return;
	da = 2 + (pdu[p + 2] + 1) / 2;
	if (p + 2 + da > len || da > 14)
		return;
	rep[n++] = 0x00;		/* no SMSC address */
	rep[n++] = 0x06;		/* SMS-STATUS-REPORT */
	rep[n++] = mr;
	memcpy(rep + n, pdu + p + 2, da);
	n += da;
	atsim_sim_scts(now, rep + n);
	n += 7;
	atsim_sim_scts(now, rep + n);
	n += 7;
	rep[n++] = 0x00;		/* delivered */
	atsim_text_hex_encode(rep, n, out, size);
}

/*
 * Take an SMS-SUBMIT PDU in hex as sent with AT+CMGS: decode it, record
 * it and assign a message reference; tpdulen is what AT+CMGS said. If a status report was asked for,
 * sr gets one as hex (else ""). Returns the reference or -1.
 */
int
atsim_sim_submit(const char *hex, int tpdulen, char *sr, size_t srsize)
{
	GSM_SMSMessage	sms;
	unsigned char	pdu[ATSIM_SIM_PDUMAX];
	size_t		len, pos = 0;
	int		mr;

	sr[0] = '\0';
	if (atsim_text_hex_decode(hex, pdu, sizeof pdu, &len) == -1 ||
	    len < 2) {
		atsim_warnx("submit: bad hex");
		return (-1);
	}
	memset(&sms, 0, sizeof sms);
	if (GSM_DecodePDUFrame(GSM_GetGlobalDebug(), &sms, pdu, len, &pos,
	    TRUE) != ERR_NONE || sms.PDU != SMS_Submit) {
		atsim_warnx("submit: PDU not understood: %s", hex);
		return (-1);
	}
	if (pos != len)
		atsim_warnx("submit: %zu trailing octets", len - pos);
	if ((size_t)tpdulen + pdu[0] + 1 != len)
		atsim_warnx("submit: AT+CMGS=%d but the TPDU has %zu octets",
		    tpdulen, len - pdu[0] - 1);
	mr = atsim_sim_mr++ % 256;
	atsim_stats.received_submits++;
	atsim_sim_record_submit(&sms, hex);
	if ((size_t)pdu[0] + 1 < len && (pdu[pdu[0] + 1] & 0x20))
		atsim_sim_status_report(pdu, len, mr, sr, srsize);
	return (mr);
}
