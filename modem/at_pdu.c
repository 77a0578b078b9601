/*
 * PDUs for the native AT engine, through libgammu's public codec.
 *
 * DESIGN: libgammu stays the codec (GSM_DecodePDUFrame, GSM_EncodeSMSFrame,
 * GSM_EncodeMultiPartSMS); this file only moves octets between its
 * structures and the hex the modem speaks.  libgammu 1.42's decoder
 * overflows its buffers on fields longer than GSM 03.40 allows (see
 * tests/fuzz/fuzz_pdu.c), so every PDU read from a modem is checked by
 * at_pdu_sane() first; one that fails is "undecodable" and is kept raw.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gammu.h>

#include "at.h"
#include "modem.h"
#include "wire.h"

#define AT_PDU_OCTETS	300	/* libgammu's AT driver decodes from this */

/* Decode hex into octets; -1 unless it is whole, even-length hex. */
static int
at_pdu_unhex(const char *hex, unsigned char *out, size_t outlen, size_t *n)
{
	size_t	len = strlen(hex), i;
	char	two[3] = { 0, 0, 0 };

	if (len == 0 || len % 2 != 0 || len / 2 > outlen ||
	    strspn(hex, "0123456789abcdefABCDEF") != len)
		return -1;
	for (i = 0; i < len / 2; i++) {
		two[0] = hex[2 * i];
		two[1] = hex[2 * i + 1];
		out[i] = (unsigned char)strtoul(two, NULL, 16);
	}
	*n = len / 2;
	return 0;
}

/*
 * Tell whether libgammu may be given this PDU: an SMS-DELIVER or
 * SMS-STATUS-REPORT whose addresses and user data fit GSM 03.40's limits
 * and the octets present.
 */
int
at_pdu_sane(const unsigned char *pdu, size_t len, int smsc)
{
	size_t	pos = 0, udl, octets;
	int	dcs, gsm7, mti;

	if (smsc) {
		if (len < 1 || pdu[0] > 12)
			return 0;
		pos = 1 + (size_t)pdu[0];
	}
	if (pos + 2 >= len)
		return 0;
	mti = pdu[pos] & 3;
	if (mti == 2) {
		/* First octet, MR, recipient, SCTS, DT, status. */
		if (pdu[pos + 2] > 20)
			return 0;
		pos += 3 + 1 + (size_t)(pdu[pos + 2] + 1) / 2;
		return pos + 7 + 7 + 1 <= len;
	}
	/* SMS-DELIVER: the sender in up to 20 digits. */
	if (mti != 0 || pdu[pos + 1] > 20)
		return 0;
	pos += 2 + 1 + (size_t)(pdu[pos + 1] + 1) / 2;
	/* PID, DCS, the 7-octet time stamp, then the data length. */
	if (pos + 9 >= len)
		return 0;
	dcs = pdu[pos + 1];
	udl = pdu[pos + 9];
	gsm7 = ((dcs & 0xc0) == 0 && (dcs & 0x0c) == 0) ||
	    ((dcs & 0xf0) == 0xf0 && (dcs & 0x04) == 0);
	if (udl > (gsm7 ? 160U : 140U))
		return 0;
	octets = gsm7 ? (udl * 7 + 7) / 8 : udl;
	return pos + 10 + octets <= len;
}

/*
 * Read an SMS-STATUS-REPORT (GSM 03.40 9.2.2.3) ourselves: libgammu
 * 1.42's decoder overflows its stack on some that are well within the
 * lengths (found by tests/fuzz/fuzz_pdu.c).  Only what the loop uses is
 * kept: the reference, the status and the recipient's digits.
 */
static int
at_pdu_status_report(const unsigned char *pdu, size_t n, GSM_SMSMessage *sms)
{
	static const char	 digits[] = "0123456789*#abc";
	char			 num[2 + 20 + 1];
	size_t			 pos = 1 + (size_t)pdu[0], i, o = 0;
	int			 ndigits, type, d;

	/* at_pdu_sane() checked that every field is there. */
	sms->PDU = SMS_Status_Report;
	sms->MessageReference = pdu[pos + 1];
	ndigits = pdu[pos + 2];
	type = pdu[pos + 3];
	if ((type & 0x70) == 0x10)
		num[o++] = '+';
	/* Alphanumeric (0x50) recipients are left out: digits only. */
	for (i = 0; (type & 0x70) != 0x50 && (int)i < ndigits; i++) {
		d = (pdu[pos + 4 + i / 2] >> (i % 2 ? 4 : 0)) & 15;
		if (d == 15)
			break;
		num[o++] = digits[d];
	}
	num[o] = '\0';
	EncodeUnicode(sms->Number, num, strlen(num));
	pos += 4 + (size_t)(ndigits + 1) / 2 + 7 + 7;
	if (pos >= n)
		return -1;
	sms->DeliveryStatus = pdu[pos];
	return 0;
}

/*
 * Read the concatenation reference in a part's UDH, and set it to ref
 * when ref >= 0; -1 when the part has none.
 */
int
at_pdu_concat_ref(GSM_UDHHeader *udh, int ref)
{
	unsigned char	*t = udh->Text;
	int		 pos, old;

	for (pos = 1; pos + 1 < udh->Length && pos + 2 + t[pos + 1] <=
	    udh->Length; pos += 2 + t[pos + 1]) {
		if (t[pos] == 0x00 && t[pos + 1] == 3) {
			old = t[pos + 2];
			if (ref >= 0)
				t[pos + 2] = (unsigned char)(udh->ID8bit =
				    ref & 0xff);
			return old;
		}
		if (t[pos] == 0x08 && t[pos + 1] == 4) {
			old = t[pos + 2] << 8 | t[pos + 3];
			if (ref >= 0) {
				udh->ID16bit = ref & 0xffff;
				t[pos + 2] = (unsigned char)(ref >> 8 & 0xff);
				t[pos + 3] = (unsigned char)(ref & 0xff);
			}
			return old;
		}
	}
	return -1;
}

/* Decode a PDU as read with +CMGL/+CMGR/+CDS; -1 if undecodable. */
int
at_pdu_decode(const char *hex, GSM_SMSMessage *sms)
{
	unsigned char	pdu[AT_PDU_OCTETS];
	size_t		n, pos = 0;

	memset(pdu, 0, sizeof(pdu));
	if (at_pdu_unhex(hex, pdu, sizeof(pdu), &n) == -1 ||
	    !at_pdu_sane(pdu, n, 1))
		return -1;
	memset(sms, 0, sizeof(*sms));
	if ((pdu[1 + pdu[0]] & 3) == 2)
		return at_pdu_status_report(pdu, n, sms);
	if (GSM_DecodePDUFrame(GSM_GetGlobalDebug(), sms, pdu, n, &pos,
	    TRUE) != ERR_NONE || pos > n)
		return -1;
	return 0;
}

/* Append octets as hex. */
static int
at_pdu_put(char *hex, size_t hexlen, size_t *o, const unsigned char *b,
    size_t n)
{
	static const char	digits[] = "0123456789ABCDEF";
	size_t			i;

	if (*o + 2 * n + 1 > hexlen)
		return -1;
	for (i = 0; i < n; i++) {
		hex[(*o)++] = digits[b[i] >> 4];
		hex[(*o)++] = digits[b[i] & 15];
	}
	hex[*o] = '\0';
	return 0;
}

/*
 * Lay one SMS-SUBMIT out as the hex AT+CMGS takes, as libgammu's own AT
 * driver does: GSM_EncodeSMSFrame fills PHONE_SMSSubmit's fixed places,
 * and the fields are taken in PDU order.  An empty SMSC is "00" (the
 * modem's own).  tpdu_len is the length AT+CMGS= wants.
 */
int
at_pdu_submit(const GSM_SMSMessage *sms, char *hex, size_t hexlen,
    int *tpdu_len)
{
	GSM_SMSMessageLayout	 l = PHONE_SMSSubmit;
	GSM_SMSMessage		 s = *sms;
	unsigned char		 buf[1024], zero = 0;
	size_t			 o = 0, smsc;
	int			 len = 0, text, vp;

	memset(buf, 0, sizeof(buf));
	if (GSM_EncodeSMSFrame(GSM_GetGlobalDebug(), &s, buf, l, &len,
	    TRUE) != ERR_NONE)
		return -1;
	text = len - l.Text;
	if (text < 0 || text > 140 || buf[l.Number] > 20)
		return -1;
	if (s.SMSC.Number[0] == 0 && s.SMSC.Number[1] == 0) {
		smsc = 1;
		at_pdu_put(hex, hexlen, &o, &zero, 1);
	} else {
		smsc = (size_t)buf[l.SMSCNumber] + 1;
		if (smsc > 12 || at_pdu_put(hex, hexlen, &o,
		    buf + l.SMSCNumber, smsc) == -1)
			return -1;
	}
	/* TP-VPF: 0x10 relative (1 octet); others are not made here. */
	vp = (buf[l.firstbyte] & 0x18) == 0x10;
	if ((buf[l.firstbyte] & 0x18) == 0x08 ||
	    (buf[l.firstbyte] & 0x18) == 0x18)
		return -1;
	if (at_pdu_put(hex, hexlen, &o, buf + l.firstbyte, 1) == -1 ||
	    at_pdu_put(hex, hexlen, &o, buf + l.TPMR, 1) == -1 ||
	    at_pdu_put(hex, hexlen, &o, buf + l.Number,
	    (size_t)(buf[l.Number] + 1) / 2 + 2) == -1 ||
	    at_pdu_put(hex, hexlen, &o, buf + l.TPPID, 1) == -1 ||
	    at_pdu_put(hex, hexlen, &o, buf + l.TPDCS, 1) == -1 ||
	    (vp && at_pdu_put(hex, hexlen, &o, buf + l.TPVP, 1) == -1) ||
	    at_pdu_put(hex, hexlen, &o, buf + l.TPUDL, 1) == -1 ||
	    at_pdu_put(hex, hexlen, &o, buf + l.Text, (size_t)text) == -1)
		return -1;
	*tpdu_len = (int)(o / 2 - smsc);
	return 0;
}

/* Describe the coding of a part for the wire. */
static int
at_pdu_coding(const GSM_SMSMessage *s)
{
	switch (s->Coding) {
	case SMS_Coding_Unicode_No_Compression:
	case SMS_Coding_Unicode_Compression:
		return WIRE_CODING_UCS2;
	case SMS_Coding_8bit:
		return WIRE_CODING_8BIT;
	default:
		return WIRE_CODING_GSM7;
	}
}

/* Fill a part for the loop from a decoded SMS-DELIVER (both engines). */
void
at_pdu_sms_in(const GSM_SMSMessage *s, struct wire_sms_in *in)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const GSM_DateTime	*t = &s->DateTime;
	size_t			 i, o = 0;
	int			 tz = t->Timezone / 60;

	in->folder = s->Folder;
	in->location = s->Location;
	in->coding = at_pdu_coding(s);
	in->concat_ref = -1;
	in->concat_part = 1;
	in->concat_total = 1;
	if ((s->UDH.Type == UDH_ConcatenatedMessages ||
	    s->UDH.Type == UDH_ConcatenatedMessages16bit) &&
	    s->UDH.AllParts >= 1 && s->UDH.PartNumber >= 1 &&
	    s->UDH.PartNumber <= s->UDH.AllParts) {
		in->concat_ref = s->UDH.Type == UDH_ConcatenatedMessages ?
		    s->UDH.ID8bit : s->UDH.ID16bit;
		in->concat_part = s->UDH.PartNumber;
		in->concat_total = s->UDH.AllParts;
	}
	sms_ucs2_to_utf8(s->Number, in->sender, sizeof(in->sender));
	snprintf(in->smsc_time, sizeof(in->smsc_time),
	    "%04d-%02d-%02d %02d:%02d:%02d %c%02d%02d", t->Year, t->Month,
	    t->Day, t->Hour, t->Minute, t->Second, tz < 0 ? '-' : '+',
	    abs(tz) / 60 % 100, abs(tz) % 60);
	if (in->coding != WIRE_CODING_8BIT) {
		/* By length: a U+0000 in the text must not cut it. */
		sms_ucs2n_to_utf8(s->Text, (size_t)s->Length > sizeof(s->Text) /
		    2 - 1 ? sizeof(s->Text) / 2 - 1 : (size_t)s->Length,
		    in->text, sizeof(in->text));
		return;
	}
	for (i = 0; i < (size_t)s->Length && i < sizeof(s->Text) &&
	    o + 2 < sizeof(in->text); i++) {
		in->text[o++] = hex[s->Text[i] >> 4];
		in->text[o++] = hex[s->Text[i] & 15];
	}
	in->text[o] = '\0';
}

/* Fill a delivery report for the loop from a decoded status report. */
void
at_pdu_report(const GSM_SMSMessage *s, struct wire_report *r)
{
	r->folder = s->Folder;
	r->location = s->Location;
	r->msg_ref = s->MessageReference;
	r->status = s->DeliveryStatus;
	sms_ucs2_to_utf8(s->Number, r->recipient, sizeof(r->recipient));
}

/*
 * The text of a +CUSD answer as UTF-8: UCS-2 data coding (DCS 72, or
 * 0x48-style 0x08 bits) arrives as hex UTF-16; anything else is taken as
 * it came.  -1 if UCS-2 hex is malformed.
 */
int
at_pdu_ussd_text(const char *s, int dcs, char *out, size_t outlen)
{
	unsigned char	u[2 * 200 + 2];
	size_t		n;

	if (dcs == 72 || (dcs >= 0 && (dcs & 0xcc) == 0x48)) {
		if (at_pdu_unhex(s, u, sizeof(u) - 2, &n) == -1 || n % 2 != 0)
			return -1;
		u[n] = u[n + 1] = 0;
		sms_ucs2_to_utf8(u, out, outlen);
		return 0;
	}
	snprintf(out, outlen, "%s", s);
	return 0;
}
