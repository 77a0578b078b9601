/* Unit tests of polls.c's rules: options, answer spellings, surveys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "polls.h"
#include "router.h"
#include "store.h"

static struct conf test_conf;

static int
setup(void **state)
{
	char		 path[] = "/tmp/kt-test-poll-XXXXXX", err[256];
	struct store	*s;
	int		 fd;

	memset(&test_conf, 0, sizeof(test_conf));
	snprintf(test_conf.language, sizeof(test_conf.language), "id");
	test_conf.survey_remind_after = 60;
	if ((fd = mkstemp(path)) == -1)
		return -1;
	close(fd);
	unlink(path);
	if (store_open(path, &s, err, sizeof(err)) == -1)
		return -1;
	unlink(path);
	if (store_load_defaults(s) == -1)
		return -1;
	store_begin(s);
	*state = s;
	return 0;
}

static int
teardown(void **state)
{
	store_rollback(*state);
	store_close(*state);
	return 0;
}

/* Make a poll CODE with options 1=Ya 2=Tidak (or labels given). */
static int64_t
mkpoll(struct store *s, const char *code, const char *o1, const char *o2)
{
	struct poll_option	opt[2];
	char			err[160];
	int64_t			id;

	assert_int_equal(poll_option_parse(o1, &opt[0], err, sizeof(err)), 0);
	assert_int_equal(poll_option_parse(o2, &opt[1], err, sizeof(err)), 0);
	id = poll_create(s, code, "poll", "", err, sizeof(err));
	assert_true(id > 0);
	assert_int_equal(poll_question_add(s, code, "Q?", opt, 2, err,
	    sizeof(err)), 1);
	return id;
}

/* The key a text answers, "" when none. */
static const char *
answer(struct store *s, int64_t qid, const char *text)
{
	static char		key[POLL_KEY_MAX];
	struct router_tokens	tok;

	key[0] = '\0';
	router_tokenize(text, &tok);
	assert_int_not_equal(poll_match(s, qid, &tok, 0, key, sizeof(key)),
	    -1);
	return key;
}

static void
test_option_parse(void **state)
{
	struct poll_option	o;
	char			err[160];

	(void)state;
	assert_int_equal(poll_option_parse("1=Ya", &o, err, sizeof(err)), 0);
	assert_string_equal(o.key, "1");
	assert_string_equal(o.label, "Ya");
	assert_int_equal(poll_option_parse("a=Naik sedikit", &o, err,
	    sizeof(err)), 0);
	assert_string_equal(o.key, "A");
	assert_int_equal(poll_option_parse("Ya", &o, err, sizeof(err)), -1);
	assert_int_equal(poll_option_parse("=Ya", &o, err, sizeof(err)), -1);
	assert_int_equal(poll_option_parse("1=", &o, err, sizeof(err)), -1);
	assert_int_equal(poll_option_parse("1 2=Ya", &o, err, sizeof(err)),
	    -1);
	assert_int_equal(poll_option_parse("123456789=Ya", &o, err,
	    sizeof(err)), -1);
}

static void
test_spellings(void **state)
{
	struct store		*s = *state;
	struct poll_info	 p;

	mkpoll(s, "PUPUK", "1=Ya", "2=Tidak");
	assert_int_equal(poll_get(s, "PUPUK", &p), 1);
	assert_int_equal(p.nq, 1);
	assert_int_equal(p.q[0].nopt, 2);
	const char *yes[] = { "1", "ya", "YA pak", "iya", "y", "1.", "Iya bu",
	    "pak, ya", "yes", "inggih", "1)", NULL };
	const char *no[] = { "2", "tidak", "tdk", "gak", "2.", "nggak",
	    "Tidak pak", "bu gak", "no", NULL };
	const char *none[] = { "3", "entahlah", "mungkin", "", "12", NULL };
	for (int i = 0; yes[i] != NULL; i++)
		assert_string_equal(answer(s, p.q[0].id, yes[i]), "1");
	for (int i = 0; no[i] != NULL; i++)
		assert_string_equal(answer(s, p.q[0].id, no[i]), "2");
	for (int i = 0; none[i] != NULL; i++)
		assert_string_equal(answer(s, p.q[0].id, none[i]), "");
}

static void
test_labels(void **state)
{
	struct store		*s = *state;
	struct poll_info	 p;

	mkpoll(s, "HARGA2", "A=Naik sedikit", "B=Turun");
	assert_int_equal(poll_get(s, "HARGA2", &p), 1);
	assert_string_equal(answer(s, p.q[0].id, "naik sedikit"), "A");
	assert_string_equal(answer(s, p.q[0].id, "b"), "B");
	assert_string_equal(answer(s, p.q[0].id, "turun pak"), "B");
	/* Yes and no mean nothing when no label says yes or no. */
	assert_string_equal(answer(s, p.q[0].id, "ya"), "");
	assert_string_equal(answer(s, p.q[0].id, "naik"), "");
}

static void
test_rules(void **state)
{
	struct store		*s = *state;
	struct poll_option	 o[2];
	char			 err[160], text[ROUTER_REPLY_MAX];
	struct poll_info	 p;

	assert_int_equal(poll_create(s, "X", "poll", "", err, sizeof(err)), -2);
	assert_int_equal(poll_create(s, "A B", "poll", "", err, sizeof(err)),
	    -2);
	mkpoll(s, "PUPUK", "1=Ya", "2=Tidak");
	assert_int_equal(poll_create(s, "pupuk", "survey", "", err,
	    sizeof(err)), 0);
	/* A poll takes one question; options are unique. */
	assert_int_equal(poll_question_add(s, "PUPUK", "Lagi?", NULL, 0, err,
	    sizeof(err)), -2);
	assert_int_equal(poll_question_add(s, "NOPE", "Q?", NULL, 0, err,
	    sizeof(err)), 0);
	assert_true(poll_create(s, "S1", "survey", "", err, sizeof(err)) > 0);
	poll_option_parse("1=Ya", &o[0], err, sizeof(err));
	poll_option_parse("1=Tidak", &o[1], err, sizeof(err));
	assert_int_equal(poll_question_add(s, "S1", "Q?", o, 2, err,
	    sizeof(err)), -2);
	assert_int_equal(poll_get(s, "PUPUK", &p), 1);
	assert_int_equal(poll_question_text(s, p.q[0].id, text, sizeof(text)),
	    0);
	assert_string_equal(text, "PUPUK: Q? (1=Ya, 2=Tidak)");
	/* Closing twice: the second finds nothing open. */
	assert_int_equal(poll_close(s, "PUPUK"), 1);
	assert_int_equal(poll_close(s, "PUPUK"), 0);
}

/* A survey moves each person on, is reminded once, and ends. */
static void
test_survey_flow(void **state)
{
	struct store		*s = *state;
	struct poll_ask		 a[POLL_OPEN_MAX];
	struct poll_option	 o[2];
	char			 err[160];
	int64_t			 next;

	assert_true(poll_create(s, "S2", "survey", "", err, sizeof(err)) > 0);
	poll_option_parse("1=Ya", &o[0], err, sizeof(err));
	poll_option_parse("2=Tidak", &o[1], err, sizeof(err));
	assert_int_equal(poll_question_add(s, "S2", "Satu?", o, 2, err,
	    sizeof(err)), 1);
	assert_int_equal(poll_question_add(s, "S2", "Dua?", NULL, 0, err,
	    sizeof(err)), 2);
	assert_int_equal(store_exec(s, "INSERT INTO contacts (phone, "
	    "created_at, updated_at) VALUES ('+6281', 0, 0), ('+6282', 0, 0);"
	    "INSERT INTO poll_asks (poll_id, contact_id, question_id, "
	    "asked_at) SELECT p.id, c.id, q.id, 0 FROM polls p, contacts c, "
	    "poll_questions q WHERE p.code = 'S2' AND q.poll_id = p.id AND "
	    "q.position = 1; UPDATE polls SET state = 'open'"), 0);
	assert_int_equal(poll_open_asks(s, 1, a, POLL_OPEN_MAX), 1);
	assert_int_equal(a[0].nopt, 2);
	assert_int_equal(poll_answer(s, &a[0], "1", "ya", 0, &next), 1);
	assert_true(next > 0);
	/* Both are due: contact 2 on question 1, contact 1 not yet. */
	assert_int_equal(poll_tick(s, &test_conf), 1);
	assert_int_equal(poll_tick(s, &test_conf), 0);
	assert_int_equal(poll_open_asks(s, 1, a, POLL_OPEN_MAX), 1);
	assert_int_equal(a[0].question_id, next);
	assert_int_equal(a[0].nopt, 0);
	assert_int_equal(poll_answer(s, &a[0], "", "bagus", 0, &next), 0);
	assert_int_equal(poll_open_asks(s, 1, a, POLL_OPEN_MAX), 0);
	assert_int_equal(store_exec(s, "UPDATE poll_asks SET asked_at = 0"),
	    0);
	/* Reminded once a survey: contact 2 never again, 1 is done. */
	assert_int_equal(poll_tick(s, &test_conf), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_option_parse),
		cmocka_unit_test_setup_teardown(test_spellings, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_survey_flow, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
