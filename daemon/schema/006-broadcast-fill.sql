-- A broadcast's recipients are queued in chunks of contacts, each its own
-- transaction (daemon/broadcast.c): the highest contact id queued so far,
-- where the next chunk, or a fill resumed after a crash, goes on from.
ALTER TABLE broadcasts ADD COLUMN filled_to INTEGER NOT NULL DEFAULT 0;
