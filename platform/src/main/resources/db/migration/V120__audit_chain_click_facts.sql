-- The audit replay's light read model (docs/audit.md, "Replay speed"): a click's link also carries the four
-- facts the replayed figures read of it (offer, affiliate, click time) and the event's stored time, written by
-- the storage engine in the appending transaction from the click it is appending. A replay then reads a
-- tenant's clicks from these narrow rows instead of each click's whole payload. Every other link, and a
-- click's link written before this migration, has none (NULL): the replay reads that event's payload.
ALTER TABLE audit_chain
    ADD COLUMN click_offer     VARCHAR(255),
    ADD COLUMN click_affiliate VARCHAR(255),
    ADD COLUMN click_at        TIMESTAMPTZ,
    ADD COLUMN event_at        TIMESTAMPTZ;
