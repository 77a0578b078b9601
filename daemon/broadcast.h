/* Broadcasts: one text to a group, everyone, subscribers, an event, a list. */
#ifndef KT_BROADCAST_H
#define KT_BROADCAST_H

#include <stddef.h>
#include <stdint.h>

#include "modem.h"

#define BROADCAST_TARGET_MAX	96

struct store;
struct conf;
struct event_base;
struct outbox_audience_size;

enum broadcast_kind {
	BROADCAST_GROUP,	/* group:NAME */
	BROADCAST_ALL,		/* all */
	BROADCAST_SUBSCRIBERS,	/* subscribers:COMMODITY */
	BROADCAST_EVENT,	/* event:CODE[:confirmed|waitlisted|both] */
	BROADCAST_NUMBERS,	/* numbers: an explicit list */
};

enum broadcast_which {
	BROADCAST_CONFIRMED,
	BROADCAST_WAITLISTED,
	BROADCAST_BOTH,
};

struct broadcast_target {
	enum broadcast_kind	kind;
	enum broadcast_which	which;
	char			name[64];
};

/* What a broadcast costs, before it is made. */
struct broadcast_cost {
	int64_t		recipients;	/* after opt-outs; 0 for numbers */
	struct sms_cost	sms;		/* the text as written */
	int		worst_parts;	/* with {nama} and {desa} filled */
};

struct broadcast_progress {
	int	queued;		/* queued or sending */
	int	sent;
	int	delivered;
	int	failed;
	int	cancelled;
};

int	broadcast_parse_target(const char *spec, struct broadcast_target *,
	    char *err, size_t errlen);
void	broadcast_target_format(const struct broadcast_target *, char *buf,
	    size_t len);
int64_t	broadcast_parse_when(const char *);
int	broadcast_target_exists(struct store *,
	    const struct broadcast_target *);
int	broadcast_audience(struct store *, const struct broadcast_target *,
	    struct outbox_audience_size *);
int64_t	broadcast_new(struct store *, const struct broadcast_target *,
	    const char *text, const char *created_by, const char *notify,
	    int64_t scheduled_at);
int	broadcast_add_number(struct store *, int64_t id, const char *phone);
int	broadcast_start(struct store *, int64_t id);
int	broadcast_fill(struct store *, int64_t id, int *n);
int	broadcast_cancel(struct store *, int64_t id, int *rows);
int	broadcast_measure(struct store *, const struct broadcast_target *,
	    const char *text, struct broadcast_cost *);
int	broadcast_progress(struct store *, int64_t id,
	    struct broadcast_progress *);
int	broadcast_tick(struct store *, const struct conf *);
int	broadcast_init(struct event_base *, struct store *,
	    const struct conf *);
void	broadcast_kick(void);
void	broadcast_free(void);

#endif
