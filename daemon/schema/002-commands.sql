-- Keyword commands (issue 4).  The tables they use are in 001; this adds
-- what the loop guard and the admin's review of held prices look up.

-- Replies to one number within the loop-guard window: a range scan.
CREATE INDEX outbox_recipient ON outbox(recipient, created_at);

-- Held field reports waiting for an admin.
CREATE INDEX prices_status ON prices(status, id);

-- Subscribers of a commodity in a market, for the alert fan-out.
CREATE INDEX subscriptions_market ON subscriptions(commodity_id, market_id);
