-- kentongan schema, version 1.  Times are unix seconds (UTC); dates that
-- people type are TEXT 'YYYY-MM-DD'.  Phone numbers are stored normalised
-- with a leading '+' and the country code.

CREATE TABLE contacts (
	id		INTEGER PRIMARY KEY,
	phone		TEXT NOT NULL UNIQUE,
	name		TEXT NOT NULL DEFAULT '',
	village		TEXT NOT NULL DEFAULT '',
	language	TEXT NOT NULL DEFAULT '',	-- '' = configured default
	opted_out	INTEGER NOT NULL DEFAULT 0,
	is_reporter	INTEGER NOT NULL DEFAULT 0,
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL
);

CREATE TABLE groups (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE COLLATE NOCASE,
	description	TEXT NOT NULL DEFAULT '',
	created_at	INTEGER NOT NULL
);

CREATE TABLE group_members (
	group_id	INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
	contact_id	INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	joined_at	INTEGER NOT NULL,
	PRIMARY KEY (group_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX group_members_contact ON group_members(contact_id);

CREATE TABLE commodities (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE COLLATE NOCASE,	-- keyword, e.g. CABAI
	display		TEXT NOT NULL DEFAULT '',		-- e.g. Cabai rawit
	unit		TEXT NOT NULL DEFAULT 'kg'
);

CREATE TABLE markets (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE COLLATE NOCASE,	-- keyword, e.g. KEDIRI
	display		TEXT NOT NULL DEFAULT ''		-- e.g. Pasar Kediri
);

CREATE TABLE prices (
	id		INTEGER PRIMARY KEY,
	commodity_id	INTEGER NOT NULL REFERENCES commodities(id),
	market_id	INTEGER NOT NULL REFERENCES markets(id),
	price		INTEGER NOT NULL CHECK (price > 0),	-- rupiah
	unit		TEXT NOT NULL,
	reported_on	TEXT NOT NULL,				-- YYYY-MM-DD
	status		TEXT NOT NULL DEFAULT 'published'
			CHECK (status IN ('published', 'pending', 'rejected')),
	source		TEXT NOT NULL DEFAULT 'cli',
	reporter_id	INTEGER REFERENCES contacts(id),
	created_at	INTEGER NOT NULL
);
CREATE INDEX prices_latest ON prices(commodity_id, market_id, status,
	reported_on, id);

CREATE TABLE subscriptions (
	id		INTEGER PRIMARY KEY,
	contact_id	INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	commodity_id	INTEGER NOT NULL REFERENCES commodities(id),
	market_id	INTEGER REFERENCES markets(id),		-- NULL = any market
	created_at	INTEGER NOT NULL,
	UNIQUE (contact_id, commodity_id, market_id)
);
CREATE INDEX subscriptions_commodity ON subscriptions(commodity_id);

CREATE TABLE info_pages (
	topic		TEXT NOT NULL COLLATE NOCASE,
	language	TEXT NOT NULL,
	body		TEXT NOT NULL,
	updated_at	INTEGER NOT NULL,
	PRIMARY KEY (topic, language)
);

CREATE TABLE events (
	id		INTEGER PRIMARY KEY,
	code		TEXT NOT NULL UNIQUE COLLATE NOCASE,
	title		TEXT NOT NULL,
	quota		INTEGER NOT NULL CHECK (quota >= 0),
	deadline	TEXT,					-- YYYY-MM-DD, inclusive
	event_date	TEXT,
	place		TEXT NOT NULL DEFAULT '',
	status		TEXT NOT NULL DEFAULT 'open'
			CHECK (status IN ('open', 'closed')),
	created_at	INTEGER NOT NULL
);

CREATE TABLE registrations (
	id		INTEGER PRIMARY KEY,
	event_id	INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	contact_id	INTEGER NOT NULL REFERENCES contacts(id),
	name		TEXT NOT NULL DEFAULT '',
	status		TEXT NOT NULL
			CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL,
	UNIQUE (event_id, contact_id)
);
CREATE INDEX registrations_event ON registrations(event_id, status, created_at);

-- Every message read from a modem, committed before the SIM copy is deleted.
-- dedup_key makes a second read of the same message a no-op.
CREATE TABLE inbox (
	id		INTEGER PRIMARY KEY,
	modem		TEXT NOT NULL,
	sender		TEXT NOT NULL,
	smsc_time	TEXT NOT NULL DEFAULT '',
	received_at	INTEGER NOT NULL,
	coding		TEXT NOT NULL DEFAULT 'gsm7',		-- gsm7, ucs2, 8bit
	text		TEXT NOT NULL,
	dedup_key	TEXT NOT NULL UNIQUE,
	parts		INTEGER NOT NULL DEFAULT 1,
	incomplete	INTEGER NOT NULL DEFAULT 0,
	state		TEXT NOT NULL DEFAULT 'new'
			CHECK (state IN ('new', 'done', 'ignored')),
	note		TEXT NOT NULL DEFAULT '',
	processed_at	INTEGER
);
CREATE INDEX inbox_state ON inbox(state, id);
CREATE INDEX inbox_sender ON inbox(sender, received_at);

-- Parts of concatenated messages.  Rows stay after assembly (inbox_id set)
-- so that a part read again after a crash is recognised as a duplicate.
CREATE TABLE inbox_parts (
	id		INTEGER PRIMARY KEY,
	modem		TEXT NOT NULL,
	sender		TEXT NOT NULL,
	concat_ref	INTEGER NOT NULL,
	part		INTEGER NOT NULL,
	total		INTEGER NOT NULL,
	smsc_time	TEXT NOT NULL DEFAULT '',
	coding		TEXT NOT NULL DEFAULT 'gsm7',
	text		TEXT NOT NULL,
	dedup_key	TEXT NOT NULL UNIQUE,
	received_at	INTEGER NOT NULL,
	inbox_id	INTEGER REFERENCES inbox(id)	-- set once assembled
);
CREATE INDEX inbox_parts_set ON inbox_parts(modem, sender, concat_ref, total,
	part);
CREATE INDEX inbox_parts_waiting ON inbox_parts(inbox_id, received_at);

CREATE TABLE broadcasts (
	id		INTEGER PRIMARY KEY,
	target		TEXT NOT NULL,		-- group:NAME, all, numbers, ...
	text		TEXT NOT NULL,
	created_by	TEXT NOT NULL DEFAULT 'cli',
	state		TEXT NOT NULL DEFAULT 'queued'
			CHECK (state IN ('scheduled', 'queued', 'done',
				'cancelled')),
	scheduled_at	INTEGER,
	recipients	INTEGER NOT NULL DEFAULT 0,
	created_at	INTEGER NOT NULL,
	finished_at	INTEGER
);

-- The single path for every outgoing SMS.  priority: 0 reply, 1 alert,
-- 2 broadcast; lower goes first.
CREATE TABLE outbox (
	id		INTEGER PRIMARY KEY,
	recipient	TEXT NOT NULL,
	text		TEXT NOT NULL,
	priority	INTEGER NOT NULL DEFAULT 0,
	state		TEXT NOT NULL DEFAULT 'queued'
			CHECK (state IN ('queued', 'sending', 'sent',
				'delivered', 'failed', 'cancelled')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	last_error	TEXT NOT NULL DEFAULT '',
	next_attempt_at	INTEGER NOT NULL DEFAULT 0,
	modem		TEXT NOT NULL DEFAULT '',
	msg_ref		INTEGER,
	parts		INTEGER NOT NULL DEFAULT 0,
	inbox_id	INTEGER REFERENCES inbox(id),
	broadcast_id	INTEGER REFERENCES broadcasts(id),
	created_at	INTEGER NOT NULL,
	sent_at		INTEGER,
	delivered_at	INTEGER
);
CREATE INDEX outbox_due ON outbox(state, priority, next_attempt_at, id);
CREATE INDEX outbox_inbox ON outbox(inbox_id);
CREATE INDEX outbox_broadcast ON outbox(broadcast_id, state);

-- Reply texts per language, editable without a rebuild.  Placeholders are
-- {name}; defaults are loaded with INSERT OR IGNORE so edits survive.
CREATE TABLE texts (
	key		TEXT NOT NULL,
	language	TEXT NOT NULL,
	body		TEXT NOT NULL,
	PRIMARY KEY (key, language)
) WITHOUT ROWID;

-- Keywords and their aliases: word -> command.
CREATE TABLE keywords (
	word		TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
	command		TEXT NOT NULL,
	language	TEXT NOT NULL DEFAULT ''	-- language the word implies
) WITHOUT ROWID;

CREATE TABLE modems (
	name		TEXT NOT NULL PRIMARY KEY,
	state		TEXT NOT NULL DEFAULT 'starting',
	manufacturer	TEXT NOT NULL DEFAULT '',
	model		TEXT NOT NULL DEFAULT '',
	imei		TEXT NOT NULL DEFAULT '',
	signal		INTEGER,
	battery		INTEGER,
	network		TEXT NOT NULL DEFAULT '',
	operator	TEXT NOT NULL DEFAULT '',
	sim_used	INTEGER,
	sim_total	INTEGER,
	balance		TEXT NOT NULL DEFAULT '',
	received	INTEGER NOT NULL DEFAULT 0,
	sent		INTEGER NOT NULL DEFAULT 0,
	errors		INTEGER NOT NULL DEFAULT 0,
	last_error	TEXT NOT NULL DEFAULT '',
	updated_at	INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE audit (
	id		INTEGER PRIMARY KEY,
	at		INTEGER NOT NULL,
	actor		TEXT NOT NULL,
	action		TEXT NOT NULL,
	detail		TEXT NOT NULL DEFAULT ''
);
