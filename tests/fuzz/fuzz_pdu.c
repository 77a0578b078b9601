/*
 * Fuzz SMS PDU decoding as a modem delivers it: the native engine's
 * at_pdu_decode() (its own status-report reader, libgammu's
 * GSM_DecodePDUFrame for the rest), the UCS-2 to UTF-8 conversion of
 * modem/sms.c, and the part handed to the inbox (a real SQLite file),
 * which stores it, reassembles concatenated parts and routes the message.  The first input
 * byte says whether the PDU starts with the SMSC address.
 *
 * The part is filled from the decoded message by at_pdu_sms_in(), as
 * both engines' workers do; at_pdu_sane() first turns away the PDUs that
 * overflow libgammu 1.42's decoder (tests/fuzz/corpus/pdu/regress-
 * libgammu-*), as the native engine does: a libgammu bug outside our
 * code, which would only kill a modem worker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gammu.h>

#include "conf.h"
#include "inbox.h"
#include "store.h"
#include "at.h"
#include "modem.h"
#include "wire.h"
#include "fuzz.h"

#define FUZZ_RESET_EVERY	256

/* libFuzzer entry point: run one input, abort on a broken invariant. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	 digits[] = "0123456789ABCDEF";
	static struct store	*s;
	static struct conf	 conf;
	static unsigned		 runs;
	static GSM_SMSMessage	 m;
	struct wire_sms_in	 in;
	struct wire_report	 r;
	unsigned char		 ucs2[2 * WIRE_PART_TEXT_MAX];
	char			 hex[2 * 300 + 3];
	size_t			 i, o = 0;

	if (size < 2 || size - 1 > 300)
		return 0;
	if (s == NULL) {
		s = fuzz_store("pdu");
		fuzz_conf(&conf);
	}
	/* As a modem hands it over: hex, with an SMSC address ("00"). */
	if (!(data[0] & 1)) {
		hex[o++] = '0';
		hex[o++] = '0';
	}
	for (i = 1; i < size; i++) {
		hex[o++] = digits[data[i] >> 4];
		hex[o++] = digits[data[i] & 15];
	}
	hex[o] = '\0';
	if (at_pdu_decode(hex, &m) == -1)
		return 0;
	if (m.PDU == SMS_Status_Report) {
		memset(&r, 0, sizeof(r));
		at_pdu_report(&m, &r);
		if (!sms_utf8_valid(r.recipient))
			fuzz_fail("at_pdu_report: invalid UTF-8 recipient");
		return 0;
	}
	memset(&in, 0, sizeof(in));
	at_pdu_sms_in(&m, &in);
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
