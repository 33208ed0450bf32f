-- Payout state changes go through the outbound delivery outbox (docs/payouts.md, Payout notifications):
-- a delivery's subject is then a payout id (run id + affiliate id + currency, longer than 64), and an
-- endpoint's owner may be the tenant itself ('tenant:' + tenant id). Widening a VARCHAR rewrites nothing.
ALTER TABLE outbound_delivery ALTER COLUMN conversion_id TYPE VARCHAR(255), ALTER COLUMN affiliate_id TYPE VARCHAR(128);
ALTER TABLE outbound_attempt ALTER COLUMN conversion_id TYPE VARCHAR(255), ALTER COLUMN affiliate_id TYPE VARCHAR(128);
ALTER TABLE outbound_endpoint ALTER COLUMN affiliate_id TYPE VARCHAR(128);
ALTER TABLE outbound_endpoint_health ALTER COLUMN affiliate_id TYPE VARCHAR(128);
