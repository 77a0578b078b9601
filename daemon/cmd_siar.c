/*
 * SIAR / BC <PIN> <group|SEMUA> <text>: an admin's broadcast by SMS.
 *
 * Only numbers listed in the configuration's admins, with their PIN, may
 * broadcast.  Anyone else, and a wrong PIN, gets the same refusal, and the
 * attempt is recorded; too many failures lock that number out for a
 * while (the rule lives in admin.c).
 * The broadcast is queued in the inbound message's transaction; the admin
 * gets the recipient count now and a summary once every row is settled.
 */
#include <stdio.h>
#include <string.h>

#include "admin.h"
#include "broadcast.h"
#include "conf.h"
#include "router.h"
#include "store.h"

/* Record a failed attempt and refuse (locked once there are too many). */
static int
cmd_siar_refuse(struct router_ctx *cx)
{
	int locked;

	if ((locked = admin_failed(cx->store, cx->out->to)) < 0 ||
	    store_audit(cx->store, cx->out->to, "siar refused", "") == -1)
		return -1;
	router_reply(cx, locked ? "siar.locked" : "siar.denied", NULL);
	return 0;
}

/* Handle SIAR. */
int
cmd_siar(struct router_ctx *cx)
{
	const struct router_tokens	*tok = cx->tok;
	const struct conf_admin		*admin;
	struct broadcast_target		 t;
	const char			*text;
	char				 spec[80], err[128], ids[24];
	char				 count[16];
	char				 by[40];
	int64_t				 id;
	int				 a = cx->arg0, n;

	if ((n = admin_locked(cx->store, cx->out->to)) < 0)
		return -1;
	if (n) {
		router_reply(cx, "siar.locked", NULL);
		return 0;
	}
	/* A message stored masked and routed again: refused, not counted. */
	if (tok->n > a && strcmp(tok->t[a].s, ROUTER_PIN_MASK) == 0) {
		router_reply(cx, "siar.denied", NULL);
		return 0;
	}
	admin = conf_admin_find(cx->conf, cx->out->to);
	if (admin == NULL || tok->n <= a ||
	    !conf_admin_pin_ok(admin, tok->t[a].s))
		return cmd_siar_refuse(cx);
	if (admin_forgive(cx->store, cx->out->to) == -1)
		return -1;
	if (tok->n < a + 3) {
		router_reply(cx, "siar.usage", NULL);
		return 0;
	}
	text = cx->in->text + tok->t[a + 2].off;
	if (strcmp(tok->t[a + 1].s, "SEMUA") == 0 ||
	    strcmp(tok->t[a + 1].s, "ALL") == 0)
		snprintf(spec, sizeof(spec), "all");
	else
		snprintf(spec, sizeof(spec), "group:%s", tok->t[a + 1].s);
	if (broadcast_parse_target(spec, &t, err, sizeof(err)) == -1 ||
	    (n = broadcast_target_exists(cx->store, &t)) == 0) {
		router_reply(cx, "siar.nogroup", (const char *const[]){
		    "group", tok->t[a + 1].s, NULL });
		return 0;
	}
	if (n < 0)
		return -1;
	snprintf(by, sizeof(by), "sms:%s", cx->out->to);
	if ((id = broadcast_new(cx->store, &t, text, by, cx->out->to,
	    0)) == -1 || (n = broadcast_start(cx->store, id)) == -1 ||
	    store_audit(cx->store, cx->out->to, "siar", t.name) == -1)
		return -1;
	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	snprintf(count, sizeof(count), "%d", n);
	router_reply(cx, "siar.ok", (const char *const[]){ "id", ids,
	    "count", count, NULL });
	return 0;
}
