-- Keys per principal: a label for people, who issued it, when it stops working after a rotation
-- (expires_at), which key replaced it, and when it was last used (written in batches, not per request).
ALTER TABLE api_key
    ADD COLUMN label        VARCHAR(100),
    ADD COLUMN issued_by    VARCHAR(64),
    ADD COLUMN expires_at   TIMESTAMPTZ,
    ADD COLUMN replaced_by  VARCHAR(64),
    ADD COLUMN last_used_at TIMESTAMPTZ;
CREATE INDEX api_key_tenant_principal ON api_key (tenant_id, principal_id);

-- Whether a tenant may work: read by authentication with every key lookup, written in the
-- transaction that appends TenantSuspended/Reactivated, so a suspension takes effect on every node
-- the moment it commits. A tenant without a row is active.
CREATE TABLE tenant_status (
    tenant_id  VARCHAR(64) PRIMARY KEY,
    status     VARCHAR(16) NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL
);
