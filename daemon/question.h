/* Questions to experts: TANYA tickets, the experts and their topics. */
#ifndef KT_QUESTION_H
#define KT_QUESTION_H

#include <stddef.h>
#include <stdint.h>

#define QUESTION_TOPIC_MAX	64
#define QUESTION_ANY		"*"	/* an expert for every topic */

struct store;
struct conf;
struct event_base;
struct router_tokens;

int	question_expert_add(struct store *, int64_t contact_id,
	    const char *topic);
int	question_expert_remove(struct store *, int64_t contact_id);
int	question_is_expert(struct store *, int64_t contact_id);
int	question_topic(struct store *, const struct router_tokens *, int from,
	    char *topic, size_t len);
int64_t	question_new(struct store *, int64_t contact_id, int64_t inbox_id,
	    const char *text, const char *topic);
int	question_forward(struct store *, const struct conf *, int64_t ticket);
int	question_answer(struct store *, const struct conf *, int64_t ticket,
	    const char *answer, const char *by);
int	question_publish(struct store *, int64_t ticket, const char *topic,
	    char *err, size_t errlen);
int	question_tick(struct store *, const struct conf *);
int	question_init(struct event_base *, struct store *,
	    const struct conf *);
void	question_free(void);

#endif
