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
#include "store.h"

#define DLR_TEMPORARY	0x20	/* TP-Status 0x20..0x3f: still trying */
#define DLR_PERMANENT	0x40	/* 0x40 and above: given up */

/* Apply one report; 0 once it is handled (even when it matches nothing). */
int
dlr_apply(struct store *s, const char *modem, const struct wire_report *r)
{
	static const char sql[] = "UPDATE outbox SET state = ?1, "
	    "delivered_at = CASE WHEN ?1 = 'delivered' THEN ?2 END, "
	    "last_error = ?3 WHERE id = (SELECT id FROM outbox WHERE "
	    "modem = ?4 AND msg_ref = ?5 AND recipient = ?6 AND state = 'sent' "
	    "ORDER BY id DESC LIMIT 1)";
	sqlite3_stmt	*st;
	const char	*state;
	char		 why[64] = "";
	int		 rc;

	if (r->status >= DLR_TEMPORARY && r->status < DLR_PERMANENT)
		return 0;
	if (r->status < DLR_TEMPORARY)
		state = "delivered";
	else {
		state = "failed";
		snprintf(why, sizeof(why), "not delivered (status 0x%02x)",
		    r->status);
	}
	if ((st = store_stmt(s, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, store_now());
	sqlite3_bind_text(st, 3, why, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, modem, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, r->msg_ref);
	sqlite3_bind_text(st, 6, r->recipient, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_warnx("modem %s: delivery report: %s", modem,
		    store_errmsg(s));
		return -1;
	}
	if (sqlite3_changes(store_db(s)) == 0)
		log_debug("modem %s: report for reference %d to %s matches "
		    "no sent message", modem, r->msg_ref, r->recipient);
	return 0;
}
