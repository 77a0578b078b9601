/*
 * Fuzz SMS PDU decoding as a modem delivers it: libgammu's
 * GSM_DecodePDUFrame, the UCS-2 to UTF-8 conversion of modem/sms.c, and
 * the part handed to the inbox (a real SQLite file), which stores it,
 * reassembles concatenated parts and routes the message.  The first input
 * byte says whether the PDU starts with the SMSC address.
 *
 * The part is filled from the decoded message the way modem_announce()
 * in modem/modem.c does (those helpers are static there).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gammu.h>

#include "conf.h"
#include "inbox.h"
#include "store.h"
#include "modem.h"
#include "wire.h"
#include "fuzz.h"

#define FUZZ_RESET_EVERY	256

/* The part a worker would announce for a decoded message. */
static void
fuzz_pdu_part(const GSM_SMSMessage *m, struct wire_sms_in *in)
{
	static const char	hex[] = "0123456789ABCDEF";
	const GSM_DateTime	*t = &m->DateTime;
	size_t			 i, o = 0;
	int			 tz = t->Timezone / 60;

	memset(in, 0, sizeof(*in));
	in->coding = m->Coding == SMS_Coding_8bit ? WIRE_CODING_8BIT :
	    (m->Coding == SMS_Coding_Unicode_No_Compression ||
	    m->Coding == SMS_Coding_Unicode_Compression) ? WIRE_CODING_UCS2 :
	    WIRE_CODING_GSM7;
	in->concat_ref = -1;
	in->concat_part = in->concat_total = 1;
	if ((m->UDH.Type == UDH_ConcatenatedMessages ||
	    m->UDH.Type == UDH_ConcatenatedMessages16bit) &&
	    m->UDH.AllParts >= 1 && m->UDH.PartNumber >= 1 &&
	    m->UDH.PartNumber <= m->UDH.AllParts) {
		in->concat_ref = m->UDH.Type == UDH_ConcatenatedMessages ?
		    m->UDH.ID8bit : m->UDH.ID16bit;
		in->concat_part = m->UDH.PartNumber;
		in->concat_total = m->UDH.AllParts;
	}
	sms_ucs2_to_utf8(m->Number, in->sender, sizeof(in->sender));
	snprintf(in->smsc_time, sizeof(in->smsc_time),
	    "%04d-%02d-%02d %02d:%02d:%02d %c%02d%02d", t->Year, t->Month,
	    t->Day, t->Hour, t->Minute, t->Second, tz < 0 ? '-' : '+',
	    abs(tz) / 60 % 100, abs(tz) % 60);
	if (in->coding != WIRE_CODING_8BIT) {
		sms_ucs2_to_utf8(m->Text, in->text, sizeof(in->text));
		return;
	}
	for (i = 0; i < (size_t)m->Length && i < sizeof(m->Text) &&
	    o + 2 < sizeof(in->text); i++) {
		in->text[o++] = hex[m->Text[i] >> 4];
		in->text[o++] = hex[m->Text[i] & 15];
	}
	in->text[o] = '\0';
}

/*
 * libgammu 1.42's decoder overflows stack buffers on fields longer than
 * GSM 03.40 allows (tests/fuzz/corpus/pdu/regress-libgammu-*): an SMSC or
 * sender address too long, or more user data than one SMS holds.  That is
 * a libgammu bug outside our code, and would only kill a modem worker.
 * Skip such PDUs (and all but SMS-DELIVER, the only kind routed) here so
 * that fuzzing goes on to find our own bugs.
 */
static int
fuzz_pdu_sane(const unsigned char *pdu, size_t len, int smsc)
{
	size_t	pos = 0, udl;
	int	dcs, gsm7;

	if (smsc) {
		if (len < 1 || pdu[0] > 12)
			return 0;
		pos = 1 + (size_t)pdu[0];
	}
	/* First octet (SMS-DELIVER), the sender in up to 20 digits. */
	if (pos + 2 >= len || (pdu[pos] & 3) != 0 || pdu[pos + 1] > 20)
		return 0;
	pos += 2 + 1 + (size_t)(pdu[pos + 1] + 1) / 2;
	/* PID, DCS, the 7-octet time stamp, then the data length. */
	if (pos + 9 >= len)
		return 0;
	dcs = pdu[pos + 1];
	udl = pdu[pos + 9];
	gsm7 = ((dcs & 0xc0) == 0 && (dcs & 0x0c) == 0) ||
	    ((dcs & 0xf0) == 0xf0 && (dcs & 0x04) == 0);
	return udl <= (gsm7 ? 160U : 140U);
}

/* libFuzzer entry point: run one input, abort on a broken invariant. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct store	*s;
	static struct conf	 conf;
	static unsigned		 runs;
	static GSM_SMSMessage	 m;
	struct wire_sms_in	 in;
	unsigned char		 ucs2[2 * WIRE_PART_TEXT_MAX], pdu[300];
	size_t			 pos = 0;

	if (size < 2)
		return 0;
	if (s == NULL) {
		s = fuzz_store("pdu");
		fuzz_conf(&conf);
	}
	/*
	 * As libgammu's AT driver does: the PDU in a zeroed 300-byte buffer.
	 * (Its decoder may read, and report, a little past the length.)
	 */
	if (size - 1 > sizeof(pdu))
		return 0;
	memset(pdu, 0, sizeof(pdu));
	memcpy(pdu, data + 1, size - 1);
	if (!fuzz_pdu_sane(pdu, size - 1, data[0] & 1))
		return 0;
	memset(&m, 0, sizeof(m));
	if (GSM_DecodePDUFrame(GSM_GetGlobalDebug(), &m, pdu, size - 1, &pos,
	    (data[0] & 1) ? TRUE : FALSE) != ERR_NONE)
		return 0;
	fuzz_pdu_part(&m, &in);
	if (!sms_utf8_valid(in.sender) || !sms_utf8_valid(in.text))
		fuzz_fail("sms_ucs2_to_utf8: produced invalid UTF-8");
	/* Back to UCS-2 (as a reply would go) must fit and terminate. */
	sms_utf8_to_ucs2(in.text, ucs2, sizeof(ucs2) / 2);
	if (inbox_receive(s, &conf, "fuzz", &in) == -1)
		fuzz_fail("inbox_receive: could not store a decoded part");
	if (++runs % FUZZ_RESET_EVERY == 0)
		fuzz_store_reset(s);
	return 0;
}
