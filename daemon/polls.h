/* Polls and surveys: questions sent as broadcasts, answers by SMS. */
#ifndef KT_POLLS_H
#define KT_POLLS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define POLL_CODE_MAX		17	/* bytes of a code, NUL included */
#define POLL_TITLE_MAX		96
#define POLL_TEXT_MAX		480	/* bytes of a question */
#define POLL_KEY_MAX		8	/* "1", "A" */
#define POLL_LABEL_MAX		48	/* "Ya" */
#define POLL_OPTIONS_MAX	9
#define POLL_QUESTIONS_MAX	10
#define POLL_OPEN_MAX		8	/* open asks looked at for one answer */
#define POLL_FREE_MAX		200	/* free-text answers in poll_json */

struct store;
struct conf;
struct event_base;
struct router_tokens;

struct poll_option {
	char	key[POLL_KEY_MAX];
	char	label[POLL_LABEL_MAX];
	int	count;			/* answers, in a tally */
};

struct poll_question {
	int64_t			id;
	int			position;
	char			text[POLL_TEXT_MAX];
	int			nopt;	/* 0: free text */
	struct poll_option	opt[POLL_OPTIONS_MAX];
	int			answered;
	int			free;	/* answers that are free text */
};

/* A poll or survey with its questions and, from poll_get, the tally. */
struct poll_info {
	int64_t			id;
	char			code[POLL_CODE_MAX];
	char			kind[8];	/* "poll" or "survey" */
	char			title[POLL_TITLE_MAX];
	char			state[8];	/* draft, open, closed */
	int			asked;		/* people asked */
	int			done;		/* people who answered all */
	int			reminded;
	int			nq;
	struct poll_question	q[POLL_QUESTIONS_MAX];
};

/* A question someone was asked and has not answered yet. */
struct poll_ask {
	int64_t	id;
	int64_t	question_id;
	char	code[POLL_CODE_MAX];
	int	repeated;	/* the question was sent again already */
	int	nopt;
};

int	poll_option_parse(const char *spec, struct poll_option *, char *err,
	    size_t errlen);
int64_t	poll_create(struct store *, const char *code, const char *kind,
	    const char *title, char *err, size_t errlen);
int	poll_question_add(struct store *, const char *code, const char *text,
	    const struct poll_option *, int nopt, char *err, size_t errlen);
int	poll_get(struct store *, const char *code, struct poll_info *);
json_t	*poll_json(struct store *, const struct poll_info *);
int	poll_question_text(struct store *, int64_t question_id, char *buf,
	    size_t len);
int	poll_send(struct store *, const char *code, const char *target,
	    const char *created_by, int64_t *broadcast_id, char *err,
	    size_t errlen);
int	poll_close(struct store *, const char *code);
int	poll_after_event(struct store *, const char *code, const char *event,
	    int after);
int	poll_event_tick(struct store *);
int	poll_open_asks(struct store *, int64_t contact_id, struct poll_ask *,
	    int max);
int	poll_match(struct store *, int64_t question_id,
	    const struct router_tokens *, int from, char *key, size_t keylen);
int	poll_answer(struct store *, const struct poll_ask *, const char *key,
	    const char *text, int64_t inbox_id, int64_t *next_question);
int	poll_repeat(struct store *, int64_t ask_id);
int	poll_tick(struct store *, const struct conf *);
int	poll_init(struct event_base *, struct store *, const struct conf *);
void	poll_free(void);

#endif
