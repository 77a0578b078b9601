-- A long reply whose part failed is retried from that part (issue 18):
-- the parts already sent, their concatenation reference and the modem
-- that sent them (another modem's number could not join them).
ALTER TABLE outbox ADD COLUMN parts_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN concat_ref INTEGER NOT NULL DEFAULT -1;
ALTER TABLE outbox ADD COLUMN parts_modem TEXT;
