-- The web console (issue 15): staff accounts and their sessions, failed
-- logins for the lock-out, the "needs a person" queue of the inbox, and
-- who sent a message typed in the console.  Owners: user.c (users,
-- sessions, login_failures), inbox.c (inbox.needs_person), outbox.c
-- (outbox.created_by).

CREATE TABLE users (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE COLLATE NOCASE,
	role		TEXT NOT NULL
			CHECK (role IN ('admin', 'operator', 'viewer')),
	hash		TEXT NOT NULL,		-- crypt(3), yescrypt
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL
);

-- A login: the SHA-256 of the cookie's random token (never the token),
-- and the session's CSRF token that every state-changing request repeats.
CREATE TABLE sessions (
	token_hash	TEXT NOT NULL PRIMARY KEY,
	user_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf		TEXT NOT NULL,
	address		TEXT NOT NULL DEFAULT '',
	created_at	INTEGER NOT NULL,
	last_seen	INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed logins, by the name tried and by the address it came from.
CREATE TABLE login_failures (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL COLLATE NOCASE,
	address		TEXT NOT NULL,
	at		INTEGER NOT NULL
);
CREATE INDEX login_failures_name ON login_failures(name, at);
CREATE INDEX login_failures_address ON login_failures(address, at);

-- 1 while a message no command understood waits for a person.
ALTER TABLE inbox ADD COLUMN needs_person INTEGER NOT NULL DEFAULT 0;
CREATE INDEX inbox_needs_person ON inbox(needs_person, id)
	WHERE needs_person = 1;

-- The console user who typed a message ('' = kentongan itself).
ALTER TABLE outbox ADD COLUMN created_by TEXT NOT NULL DEFAULT '';

-- The dashboard's counts of today and of the last 14 days: range scans.
CREATE INDEX inbox_received ON inbox(received_at);
CREATE INDEX outbox_sent ON outbox(sent_at);
CREATE INDEX outbox_delivered ON outbox(delivered_at);
