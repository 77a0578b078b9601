-- Broadcasts, pacing and admin PINs.

-- Who to tell when a broadcast is settled ('' = nobody), and when it began.
ALTER TABLE broadcasts ADD COLUMN notify TEXT NOT NULL DEFAULT '';
ALTER TABLE broadcasts ADD COLUMN started_at INTEGER;
CREATE INDEX broadcasts_state ON broadcasts(state, scheduled_at);

-- An explicit list of numbers (target 'numbers'), deduplicated by the key.
CREATE TABLE broadcast_numbers (
	broadcast_id	INTEGER NOT NULL REFERENCES broadcasts(id)
			ON DELETE CASCADE,
	phone		TEXT NOT NULL,
	PRIMARY KEY (broadcast_id, phone)
) WITHOUT ROWID;

-- Parts sent today per modem (daily caps): a range scan, not a table scan.
CREATE INDEX outbox_modem_sent ON outbox(modem, sent_at);

-- Failed admin PIN attempts per number, for the lock-out.
CREATE TABLE admin_attempts (
	id		INTEGER PRIMARY KEY,
	phone		TEXT NOT NULL,
	at		INTEGER NOT NULL
);
CREATE INDEX admin_attempts_phone ON admin_attempts(phone, at);
