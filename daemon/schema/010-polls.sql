-- Polls and surveys (issue 19), owned by poll.c: a poll is a survey of
-- one question.  Questions to experts, owned by question.c: the experts
-- and their topics, the tickets, and which expert was asked which ticket.

CREATE TABLE polls (
	id		INTEGER PRIMARY KEY,
	code		TEXT NOT NULL UNIQUE COLLATE NOCASE,	-- upper case
	kind		TEXT NOT NULL CHECK (kind IN ('poll', 'survey')),
	title		TEXT NOT NULL DEFAULT '',
	state		TEXT NOT NULL DEFAULT 'draft'
			CHECK (state IN ('draft', 'open', 'closed')),
	-- An event's feedback survey: sent by itself to the confirmed
	-- participants event_after seconds after the event's date.
	event_code	TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
	event_after	INTEGER NOT NULL DEFAULT 0,
	created_at	INTEGER NOT NULL,
	closed_at	INTEGER
);

-- A survey's questions in the order they are asked (a poll has one).
CREATE TABLE poll_questions (
	id		INTEGER PRIMARY KEY,
	poll_id		INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
	position	INTEGER NOT NULL,	-- 1, 2, ...
	text		TEXT NOT NULL,
	UNIQUE (poll_id, position)
);

-- The answers offered ("1" = "Ya"); a question without any takes free text.
CREATE TABLE poll_options (
	question_id	INTEGER NOT NULL REFERENCES poll_questions(id)
			ON DELETE CASCADE,
	key		TEXT NOT NULL COLLATE NOCASE,	-- what is typed: 1
	label		TEXT NOT NULL,			-- what it means: Ya
	position	INTEGER NOT NULL,
	PRIMARY KEY (question_id, key)
) WITHOUT ROWID;

-- Who was asked a poll, the question they are on, and when: open while
-- done_at is NULL.  outbox_id is the broadcast message that asked (the
-- reminder waits until it was sent); repeated is 1 once an off-option
-- answer got the question again.
CREATE TABLE poll_asks (
	id		INTEGER PRIMARY KEY,
	poll_id		INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
	contact_id	INTEGER NOT NULL REFERENCES contacts(id)
			ON DELETE CASCADE,
	question_id	INTEGER NOT NULL REFERENCES poll_questions(id)
			ON DELETE CASCADE,
	outbox_id	INTEGER,
	asked_at	INTEGER NOT NULL,
	reminded_at	INTEGER,
	repeated	INTEGER NOT NULL DEFAULT 0,
	done_at		INTEGER,
	UNIQUE (poll_id, contact_id)
);
CREATE INDEX poll_asks_open ON poll_asks(contact_id, done_at);

-- One answer per person and question: an option's key, or '' and the
-- free text.
CREATE TABLE poll_answers (
	question_id	INTEGER NOT NULL REFERENCES poll_questions(id)
			ON DELETE CASCADE,
	contact_id	INTEGER NOT NULL REFERENCES contacts(id)
			ON DELETE CASCADE,
	option_key	TEXT NOT NULL DEFAULT '',
	text		TEXT NOT NULL,
	inbox_id	INTEGER,
	answered_at	INTEGER NOT NULL,
	PRIMARY KEY (question_id, contact_id)
) WITHOUT ROWID;

-- Experts are contacts with topics (CABAI, PUPUK); '*' for any topic.
CREATE TABLE expert_topics (
	contact_id	INTEGER NOT NULL REFERENCES contacts(id)
			ON DELETE CASCADE,
	topic		TEXT NOT NULL COLLATE NOCASE,	-- upper case
	created_at	INTEGER NOT NULL,
	PRIMARY KEY (contact_id, topic)
) WITHOUT ROWID;

-- A farmer's question (TANYA); its id is the ticket number.
CREATE TABLE questions (
	id		INTEGER PRIMARY KEY,
	contact_id	INTEGER NOT NULL REFERENCES contacts(id)
			ON DELETE CASCADE,
	inbox_id	INTEGER,
	text		TEXT NOT NULL,
	topic		TEXT NOT NULL DEFAULT '',
	state		TEXT NOT NULL DEFAULT 'open'
			CHECK (state IN ('open', 'answered')),
	created_at	INTEGER NOT NULL,
	overdue_at	INTEGER,		-- raised: unanswered too long
	answer		TEXT NOT NULL DEFAULT '',
	answered_by	TEXT NOT NULL DEFAULT '',	-- expert phone or user
	answered_at	INTEGER
);
CREATE INDEX questions_state ON questions(state, created_at);

-- Which experts a ticket was forwarded to.
CREATE TABLE question_forwards (
	question_id	INTEGER NOT NULL REFERENCES questions(id)
			ON DELETE CASCADE,
	contact_id	INTEGER NOT NULL REFERENCES contacts(id)
			ON DELETE CASCADE,
	forwarded_at	INTEGER NOT NULL,
	PRIMARY KEY (question_id, contact_id)
) WITHOUT ROWID;
