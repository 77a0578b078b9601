/*
 * Fuzz multipart reassembly in the inbox on a real SQLite file.  Each
 * input line is one part as a worker announces it:
 *   SENDER REF PART TOTAL CODING text
 * (SENDER 0..3, CODING g, u or 8).  Parts are stored in any order and
 * repeated; then every set still waiting is expired (timeout 0) and what
 * is left routed.  Afterwards no part may be left waiting and no message
 * left unrouted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "inbox.h"
#include "store.h"
#include "wire.h"
#include "fuzz.h"

#define FUZZ_PARTS_MAX	24

static const char *const fuzz_senders[] = {
	"+6281100000001", "081234567890", "+6285712345678", "INFO",
};

/* Parse one line into a part; -1 when it is not one. */
static int
fuzz_inbox_part(const char *line, struct wire_sms_in *in)
{
	int	who, ref, part, total, n = -1;
	char	coding;

	if (sscanf(line, "%d %d %d %d %c %n", &who, &ref, &part, &total,
	    &coding, &n) != 5 || n < 0 || who < 0 || who > 3)
		return -1;
	memset(in, 0, sizeof(*in));
	in->coding = coding == 'u' ? WIRE_CODING_UCS2 : coding == '8' ?
	    WIRE_CODING_8BIT : WIRE_CODING_GSM7;
	in->concat_ref = ref;
	in->concat_part = part;
	in->concat_total = total;
	snprintf(in->sender, sizeof(in->sender), "%s", fuzz_senders[who]);
	snprintf(in->smsc_time, sizeof(in->smsc_time),
	    "2026-11-21 08:00:00 +0700");
	snprintf(in->text, sizeof(in->text), "%s", line + n);
	return 0;
}

/* Count rows with a fixed query. */
static int
fuzz_count(struct store *s, const char *sql)
{
	sqlite3_stmt	*st;
	int		 n = -1;

	if ((st = store_stmt(s, sql)) == NULL)
		fuzz_fail("store_stmt");
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

/* libFuzzer entry point: run one input, abort on a broken invariant. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	 sql_waiting[] = "SELECT count(*) FROM "
	    "inbox_parts WHERE inbox_id IS NULL";
	static const char	 sql_new[] = "SELECT count(*) FROM inbox "
	    "WHERE state = 'new'";
	static struct store	*s;
	static struct conf	 conf, now;
	struct wire_sms_in	 in;
	char			*text, *line, *next;
	int			 n = 0;

	if (s == NULL) {
		s = fuzz_store("inbox");
		fuzz_conf(&conf);
		now = conf;
		now.multipart_timeout = 0;
		/* Let every part through: this target is about assembly. */
		conf.reply_limit = now.reply_limit = 0;
		conf.repeat_limit = now.repeat_limit = 0;
	}
	text = fuzz_cstr(data, size);
	for (line = text; line != NULL && n < FUZZ_PARTS_MAX; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (fuzz_inbox_part(line, &in) == -1)
			continue;
		n++;
		/* Text that is not UTF-8 is refused, and that is all. */
		inbox_receive(s, &conf, "fuzz", &in);
	}
	free(text);
	if (inbox_expire_parts(s, &now) < 0)
		fuzz_fail("inbox_expire_parts failed");
	if (inbox_process_pending(s, &conf) < 0)
		fuzz_fail("inbox_process_pending failed");
	if (fuzz_count(s, sql_waiting) != 0)
		fuzz_fail("a part is still waiting after expiry");
	if (fuzz_count(s, sql_new) != 0)
		fuzz_fail("a message was left unrouted");
	fuzz_store_reset(s);
	return 0;
}
