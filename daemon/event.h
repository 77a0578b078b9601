/* Events people register for (DAFTAR), with a quota and a waitlist. */
#ifndef KT_EVENT_H
#define KT_EVENT_H

#include <stddef.h>
#include <stdint.h>

struct conf;
struct store;

#define EVENT_CODE_MAX	16
#define EVENT_QUOTA_MAX	100000
#define EVENT_REMIND_AGAIN	(6 * 3600)	/* a second reminder is asked about */

struct event_row {
	int64_t	id;
	char	code[32];
	char	title[96];
	char	deadline[16];		/* YYYY-MM-DD, "" for none */
	char	date[20];		/* YYYY-MM-DD[ HH:MM], "" for none */
	char	place[64];
	int	open;			/* 0 once closed */
	int	quota;
	int64_t	reminded_at;		/* the last reminder, 0 for none */
	int	reminded;		/* how many it went to */
};

/* What `event create` gives; NULL deadline or date for none. */
struct event_spec {
	const char	*code;
	const char	*title;
	const char	*deadline;	/* YYYY-MM-DD */
	const char	*date;
	const char	*place;
	long		 quota;
};

/* A contact's registration for an event. */
enum event_reg {
	EVENT_REG_NONE,			/* never registered */
	EVENT_REG_CONFIRMED,
	EVENT_REG_WAITLISTED,
	EVENT_REG_CANCELLED
};

/* What event_register did or why it did not. */
enum event_outcome {
	EVENT_CONFIRMED,		/* a place */
	EVENT_WAITLISTED,		/* on the waitlist, *position set */
	EVENT_ALREADY,			/* had a place */
	EVENT_ALREADY_WAITING,		/* was on the waitlist */
	EVENT_CLOSED,
	EVENT_PAST_DEADLINE
};

int	event_find(struct store *, const char *code, struct event_row *);
int	event_create(struct store *, const struct event_spec *, char *why,
	    size_t whylen);
int	event_close(struct store *, const char *code);
int	event_update(struct store *, const struct conf *,
	    const struct event_spec *, char *why, size_t whylen);
/* What event_remind did or why it did not. */
enum event_remind {
	EVENT_REMINDED,			/* queued; counted in event_reminders */
	EVENT_REMIND_TOO_SOON,		/* the last one went < AGAIN ago */
	EVENT_REMIND_PAST,		/* the event's day is over */
	EVENT_REMIND_NOBODY		/* no confirmed registrant takes SMS */
};

struct event_reminders {
	int	sent;			/* reminders queued */
	int	opted_out;		/* confirmed, but sent BERHENTI */
};

int	event_register(struct store *, const struct event_row *, int64_t contact,
	    const char *name, int *position);
int	event_cancel(struct store *, const struct conf *,
	    const struct event_row *, int64_t contact);
int	event_remind(struct store *, const struct conf *,
	    const struct event_row *, int force, const char *who,
	    struct event_reminders *);
void	event_remind_refusal(const struct event_row *, enum event_remind,
	    char *buf, size_t len);
int	event_forget_contact(struct store *, int64_t contact, char *events,
	    size_t len);

void	event_when_text(const char *when, const char *lang, char *out,
	    size_t len);
int	event_guess(struct store *, const char *word, const char *next,
	    struct event_row *, int *used);
int	event_open_codes(struct store *, char *buf, size_t len);

#endif
