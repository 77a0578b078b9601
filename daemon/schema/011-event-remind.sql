-- Reminders of an event (event.c): when the last one was queued, and to
-- how many people, so a second one within a few hours is asked about.
ALTER TABLE events ADD COLUMN reminded_at INTEGER;
ALTER TABLE events ADD COLUMN reminded INTEGER NOT NULL DEFAULT 0;
