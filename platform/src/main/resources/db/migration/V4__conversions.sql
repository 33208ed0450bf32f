-- Postback tokens (read model, written in the same transaction as their events; hash only).
CREATE TABLE postback_token (
    token_id   VARCHAR(64)  PRIMARY KEY,
    token_hash VARCHAR(128) NOT NULL UNIQUE,
    prefix     VARCHAR(32)  NOT NULL,
    tenant_id  VARCHAR(64)  NOT NULL,
    issued_at  TIMESTAMPTZ  NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX postback_token_tenant ON postback_token (tenant_id);

-- A tenant's postback settings (status words, fraud rules), same-transaction read model.
CREATE TABLE tenant_postback_settings (
    tenant_id VARCHAR(64) PRIMARY KEY,
    settings  JSONB       NOT NULL
);

-- Set-based deduplication: an advertiser's transaction id credits one conversion per offer and goal,
-- across all clicks. Claimed in the transaction that appends the conversion.
CREATE TABLE conversion_txn (
    tenant_id      VARCHAR(64)  NOT NULL,
    offer_id       VARCHAR(64)  NOT NULL,
    goal           VARCHAR(64)  NOT NULL,
    transaction_id VARCHAR(255) NOT NULL,
    click_id       VARCHAR(64)  NOT NULL,
    conversion_id  VARCHAR(64)  NOT NULL,
    PRIMARY KEY (tenant_id, offer_id, goal, transaction_id)
);

-- Exact caps: one row per cap counter (key layout of CapKeys), locked and incremented in the
-- transaction that appends the conversion, so concurrent postbacks can never pass a cap.
CREATE TABLE cap_counter (
    counter_key VARCHAR(300) PRIMARY KEY,
    count       BIGINT       NOT NULL
);

-- Commissions per conversion (projection); balances are sums over it.
CREATE TABLE affiliate_commission (
    conversion_id VARCHAR(64) PRIMARY KEY,
    tenant_id     VARCHAR(64) NOT NULL,
    affiliate_id  VARCHAR(64) NOT NULL,
    offer_id      VARCHAR(64) NOT NULL,
    currency      CHAR(3)     NOT NULL,
    amount_minor  BIGINT      NOT NULL,
    status        VARCHAR(16) NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX affiliate_commission_affiliate ON affiliate_commission (tenant_id, affiliate_id);
