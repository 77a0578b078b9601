/* Custom keywords: an auto-reply, a group to join, a question for staff. */
#ifndef KT_KEYWORD_H
#define KT_KEYWORD_H

#include <stddef.h>

struct store;

#define KEYWORD_REPLY_MAX	480	/* bytes: three SMS at most */

enum keyword_action {
	KEYWORD_REPLY,		/* answer with a text */
	KEYWORD_JOIN,		/* join a group, then answer */
	KEYWORD_ASK		/* to the staff's "needs a person" queue */
};

struct keyword_custom {
	char			word[32];
	enum keyword_action	action;
	char			reply_id[KEYWORD_REPLY_MAX + 1];
	char			reply_en[KEYWORD_REPLY_MAX + 1];
	char			group[32];
};

const char *keyword_action_name(enum keyword_action);
int	keyword_add(struct store *, const struct keyword_custom *, char *err,
	    size_t errlen);
int	keyword_remove(struct store *, const char *word);
int	keyword_get(struct store *, const char *word, struct keyword_custom *);

#endif
