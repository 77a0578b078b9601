/*
 * Delivery reports.  When a modem asks for status reports, the network
 * later sends an SMS-STATUS-REPORT naming the message reference the modem
 * gave at send time.  The newest 'sent' row with that modem, reference and
 * recipient becomes 'delivered' or 'failed'.  A concatenated message keeps
 * the reference of its last part, so the report of that part settles it.
 * Temporary statuses (the SMSC is still trying) change nothing.
 */
#include <stdio.h>
#include <string.h>

#include "wire.h"
#include "dlr.h"
#include "log.h"
#include "outbox.h"
#include "store.h"

#define DLR_TEMPORARY	0x20	/* TP-Status 0x20..0x3f: still trying */
#define DLR_PERMANENT	0x40	/* 0x40 and above: given up */

/* Apply one report; 0 once it is handled (even when it matches nothing). */
int
dlr_apply(struct store *s, const char *modem, const struct wire_report *r)
{
	char	why[64] = "";
	int	rc;

	if (r->status >= DLR_TEMPORARY && r->status < DLR_PERMANENT)
		return 0;
	if (r->status >= DLR_PERMANENT)
		snprintf(why, sizeof(why), "not delivered (status 0x%02x)",
		    r->status);
	if ((rc = outbox_report(s, modem, r->msg_ref, r->recipient,
	    r->status < DLR_TEMPORARY, why)) == -1) {
		log_warnx("modem %s: delivery report: %s", modem,
		    store_errmsg(s));
		return -1;
	}
	if (rc == 0)
		log_debug("modem %s: report for reference %d to %s matches "
		    "no sent message", modem, r->msg_ref, r->recipient);
	return 0;
}
