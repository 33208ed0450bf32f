-- The current version of each piece of a tenant's configuration (advertisers, offers, affiliates,
-- links) as JSON. Maintained by a subscribing processor in the transaction that appends the event,
-- so the command side can check references (an offer's advertiser, a link's offers) against it and
-- the API reads its own writes.
CREATE TABLE config_entity (
    tenant_id  VARCHAR(64) NOT NULL,
    kind       VARCHAR(16) NOT NULL,
    id         VARCHAR(64) NOT NULL,
    version    BIGINT      NOT NULL,
    body       JSONB       NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, kind, id)
);

-- Set-based validation: a link's public code is claimed here in the same transaction that appends
-- LinkCreatedEvent; codes are unique across tenants because a click URL names no tenant.
CREATE TABLE link_code (
    code      VARCHAR(32) PRIMARY KEY,
    tenant_id VARCHAR(64) NOT NULL,
    link_id   VARCHAR(64) NOT NULL UNIQUE
);
