-- SIM balance checks (issue 7): a modem with balance_code dials it every
-- balance_interval; the answer's amount (matched by balance_pattern) is
-- kept beside the modem.  modems.balance (from 001) holds the last answer
-- as the network wrote it, matched or not.
ALTER TABLE modems ADD COLUMN balance_amount INTEGER;	-- rupiah, last match
ALTER TABLE modems ADD COLUMN balance_at INTEGER;	-- when it was read
ALTER TABLE modems ADD COLUMN balance_checked_at INTEGER; -- last answer
ALTER TABLE modems ADD COLUMN balance_alert_day TEXT NOT NULL DEFAULT '';
						-- admins told, local date

-- The amount read from a balance request's answer; NULL = none matched.
ALTER TABLE ussd_requests ADD COLUMN amount INTEGER;

-- The SMS to the admins when a balance falls under balance_low.  Like
-- config/texts.sql: edits made in the database win.
INSERT OR IGNORE INTO texts (key, language, body) VALUES
	('balance.low', 'id', 'Pulsa modem {modem} tinggal Rp{amount} (batas Rp{low}). Mohon isi ulang.'),
	('balance.low', 'en', 'Modem {modem} balance is Rp{amount} (limit Rp{low}). Please top up.');
