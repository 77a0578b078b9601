-- USSD (issue 7): menus served to aggregators, their sessions, and the
-- modem's own USSD (balance checks) asked for by the CLI.

-- A menu is a tree.  The root has no parent.  A 'static' node shows its
-- body and, if it has children, lists their labels by position; an
-- 'action' node runs a command (price, info, event, sub, stop, lang) that
-- asks for what it needs and answers with the very text an SMS would get.
CREATE TABLE ussd_nodes (
	id		INTEGER PRIMARY KEY,
	parent_id	INTEGER REFERENCES ussd_nodes(id) ON DELETE CASCADE,
	position	INTEGER NOT NULL CHECK (position BETWEEN 1 AND 99),
	kind		TEXT NOT NULL DEFAULT 'static'
			CHECK (kind IN ('static', 'action')),
	label_id	TEXT NOT NULL,			-- Indonesian
	label_en	TEXT NOT NULL DEFAULT '',	-- '' = same as label_id
	body_id		TEXT NOT NULL DEFAULT '',	-- shown above the choices
	body_en		TEXT NOT NULL DEFAULT '',
	action		TEXT NOT NULL DEFAULT '',	-- for kind 'action'
	args		TEXT NOT NULL DEFAULT '',	-- fixed first answers
	UNIQUE (parent_id, position)
);

-- One row per aggregator session: where the caller is in the menu.
CREATE TABLE ussd_sessions (
	session_id	TEXT NOT NULL PRIMARY KEY,
	phone		TEXT NOT NULL,
	service_code	TEXT NOT NULL DEFAULT '',
	language	TEXT NOT NULL,
	path		TEXT NOT NULL DEFAULT '',	-- choices from the root, '*'-joined
	page		INTEGER NOT NULL DEFAULT 0,	-- of the current screen
	steps		INTEGER NOT NULL DEFAULT 0,	-- inputs processed
	screen		TEXT NOT NULL DEFAULT '',	-- current screen, unpaged
	screen_end	INTEGER NOT NULL DEFAULT 0,	-- it closes the session
	last_reply	TEXT NOT NULL DEFAULT '',	-- for a repeated request
	last_end	INTEGER NOT NULL DEFAULT 0,
	ended		INTEGER NOT NULL DEFAULT 0,
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX ussd_sessions_updated ON ussd_sessions(updated_at);

-- `kentongan ussd dial MODEM CODE`: the CLI queues a row, the daemon hands
-- it to the modem's worker and writes the network's answer back.
CREATE TABLE ussd_requests (
	id		INTEGER PRIMARY KEY,
	modem		TEXT NOT NULL,
	code		TEXT NOT NULL,
	state		TEXT NOT NULL DEFAULT 'queued'
			CHECK (state IN ('queued', 'running', 'done', 'failed')),
	reply		TEXT NOT NULL DEFAULT '',
	error		TEXT NOT NULL DEFAULT '',
	source		TEXT NOT NULL DEFAULT 'cli',	-- cli or balance
	created_at	INTEGER NOT NULL,
	done_at		INTEGER
);
CREATE INDEX ussd_requests_state ON ussd_requests(state, id);
