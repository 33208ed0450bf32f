-- Tamper evidence (docs/audit.md). Every event appended to domainevententry gets one link here, written
-- by the storage engine in the appending transaction: the event's tenant, its place in that tenant's
-- chain and hash = SHA-256(previous hash || canonical bytes of the event). The head row of a tenant is
-- locked by every append that carries one of its events, so a tenant's links follow its global order.
CREATE TABLE audit_chain (
    global_index BIGINT       PRIMARY KEY,
    tenant_id    VARCHAR(255) NOT NULL,
    seq          BIGINT       NOT NULL,
    hash         BYTEA        NOT NULL
);
-- Per-tenant reads of the history go through this index (tenant, global index). No unique (tenant, seq):
-- the head lock already orders a tenant's links, and every index costs the click path's appends.
CREATE INDEX audit_chain_tenant_position ON audit_chain (tenant_id, global_index);

CREATE TABLE audit_chain_head (
    tenant_id        VARCHAR(255) PRIMARY KEY,
    seq              BIGINT       NOT NULL,
    hash             BYTEA        NOT NULL,
    global_index     BIGINT       NOT NULL,
    -- whether the newest link is a signed checkpoint (nothing new to sign since)
    head_checkpoint  BOOLEAN      NOT NULL DEFAULT FALSE
);
