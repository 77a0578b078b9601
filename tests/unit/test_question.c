/* Unit tests of question.c's rules: topics, forwarding, closing. */
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
#include "price.h"
#include "question.h"
#include "router.h"
#include "store.h"

static struct conf test_conf;

static int
setup(void **state)
{
	char		 path[] = "/tmp/kt-test-question-XXXXXX", err[256];
	struct store	*s;
	int		 fd;

	memset(&test_conf, 0, sizeof(test_conf));
	snprintf(test_conf.language, sizeof(test_conf.language), "id");
	test_conf.question_overdue_after = 3600;
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
	price_set(s, "CABAI", "KEDIRI", 45000, "kg", "2026-11-21", "test",
	    NULL);
	/* Contacts 1 farmer; 2 CABAI expert; 3 PUPUK expert; 4 farmer. */
	store_exec(s, "INSERT INTO contacts (phone, created_at, updated_at) "
	    "VALUES ('+6281', 0, 0), ('+6282', 0, 0), ('+6283', 0, 0), "
	    "('+6284', 0, 0)");
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

/* The topic question_topic finds in a text, "" for none. */
static const char *
topic(struct store *s, const char *text)
{
	static char		t[QUESTION_TOPIC_MAX];
	struct router_tokens	tok;

	t[0] = '\0';
	router_tokenize(text, &tok);
	assert_int_not_equal(question_topic(s, &tok, 0, t, sizeof(t)), -1);
	return t;
}

/* How many messages went to a phone whose text is like a pattern. */
static int
sent(struct store *s, const char *phone, const char *like)
{
	sqlite3_stmt	*st;
	int		 n;

	st = store_stmt(s, "SELECT COUNT(*) FROM outbox WHERE recipient = ? "
	    "AND text LIKE ?");
	assert_non_null(st);
	sqlite3_bind_text(st, 1, phone, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, like, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

static void
test_topics(void **state)
{
	struct store *s = *state;

	assert_int_equal(question_expert_add(s, 3, "pupuk"), 1);
	assert_int_equal(question_expert_add(s, 3, "PUPUK"), 0);
	assert_string_equal(topic(s, "cabai daun keriting"), "CABAI");
	assert_string_equal(topic(s, "daun cabe saya keriting"), "CABAI");
	assert_string_equal(topic(s, "kapan pupuk urea"), "PUPUK");
	assert_string_equal(topic(s, "bagaimana cara daftar"), "");
	assert_int_equal(question_is_expert(s, 3), 1);
	assert_int_equal(question_is_expert(s, 1), 0);
}

static void
test_forward_and_answer(void **state)
{
	struct store	*s = *state;
	char		 err[160];
	int64_t		 t1, t2;

	question_expert_add(s, 2, "CABAI");
	question_expert_add(s, 3, "PUPUK");
	/* A topic with experts goes to them only. */
	assert_true((t1 = question_new(s, 1, 0, "cabai keriting", "CABAI")) >
	    0);
	assert_int_equal(question_forward(s, &test_conf, t1), 1);
	assert_int_equal(sent(s, "+6282", "TANYA 1 CABAI: cabai keriting%"),
	    1);
	assert_int_equal(sent(s, "+6283", "TANYA 1 %"), 0);
	/* No topic, or one nobody takes: every expert but the asker. */
	assert_true((t2 = question_new(s, 2, 0, "cara daftar", "")) > 0);
	assert_int_equal(question_forward(s, &test_conf, t2), 1);
	assert_int_equal(sent(s, "+6283", "TANYA 2 -: cara daftar%"), 1);
	assert_int_equal(sent(s, "+6282", "TANYA 2 %"), 0);
	/* Publishing needs an answer; the first answer closes the ticket. */
	assert_int_equal(question_publish(s, t1, "CABAI", err, sizeof(err)),
	    -2);
	assert_int_equal(question_answer(s, &test_conf, t1, "Semprot", "+6282"),
	    1);
	assert_int_equal(sent(s, "+6281", "Jawaban pertanyaan 1: Semprot"), 1);
	assert_int_equal(question_answer(s, &test_conf, t1, "Lain", "+6283"),
	    2);
	assert_int_equal(sent(s, "+6281", "Jawaban pertanyaan 1:%"), 1);
	assert_int_equal(question_answer(s, &test_conf, 99, "x", "cli"), 0);
	assert_int_equal(question_publish(s, t1, "CABAI", err, sizeof(err)),
	    1);
	assert_int_equal(question_publish(s, 99, "CABAI", err, sizeof(err)),
	    0);
	assert_int_equal(question_expert_remove(s, 3), 1);
	assert_int_equal(question_is_expert(s, 3), 0);
}

static void
test_overdue(void **state)
{
	struct store *s = *state;

	assert_true(question_new(s, 1, 0, "lama", "") > 0);
	assert_true(question_new(s, 4, 0, "baru", "") > 0);
	assert_int_equal(question_tick(s, &test_conf), 0);
	assert_int_equal(store_exec(s, "UPDATE questions SET created_at = 0 "
	    "WHERE text = 'lama'"), 0);
	assert_int_equal(question_tick(s, &test_conf), 1);
	/* Raised once; an answered one never. */
	assert_int_equal(question_tick(s, &test_conf), 0);
	test_conf.question_overdue_after = 0;
	assert_int_equal(store_exec(s, "UPDATE questions SET created_at = 0"),
	    0);
	assert_int_equal(question_tick(s, &test_conf), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_topics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forward_and_answer, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_overdue, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
