-- The ledger (one row per posting line) and the payout read models; written only by LedgerProjection
-- and PayoutProjection (replayable: every row's key is a natural key of the event it comes from).
CREATE TABLE ledger_line (
    tenant_id    VARCHAR(64)  NOT NULL,
    entry_id     VARCHAR(255) NOT NULL,
    line_no      INT          NOT NULL,
    currency     CHAR(3)      NOT NULL,
    affiliate_id VARCHAR(128) NOT NULL,
    account      VARCHAR(32)  NOT NULL,
    qualifier    VARCHAR(16)  NOT NULL,
    amount_minor BIGINT       NOT NULL,
    kind         VARCHAR(32)  NOT NULL,
    reference    VARCHAR(255) NOT NULL,
    posted_at    TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (tenant_id, entry_id, line_no)
);
CREATE INDEX ledger_line_affiliate ON ledger_line (tenant_id, affiliate_id, currency, posted_at);
CREATE INDEX ledger_line_cursor ON ledger_line (tenant_id, affiliate_id, posted_at, entry_id);

CREATE TABLE payout (
    payout_id       VARCHAR(255) PRIMARY KEY,
    tenant_id       VARCHAR(64)  NOT NULL,
    affiliate_id    VARCHAR(128) NOT NULL,
    run_id          VARCHAR(64)  NOT NULL,
    processor       VARCHAR(16),
    method_id       VARCHAR(64),
    destination     VARCHAR(255),
    amount_minor    BIGINT,
    amount_currency CHAR(3),
    paid_minor      BIGINT,
    paid_currency   CHAR(3),
    fx_rate         VARCHAR(40),
    fx_source       VARCHAR(64),
    fx_quoted_at    TIMESTAMPTZ,
    state           VARCHAR(16)  NOT NULL,
    reference       VARCHAR(255),
    batch_reference VARCHAR(255),
    reason          VARCHAR(500),
    updated_at      TIMESTAMPTZ  NOT NULL
);
CREATE INDEX payout_by_run ON payout (tenant_id, run_id);
CREATE INDEX payout_affiliate ON payout (tenant_id, affiliate_id);
CREATE INDEX payout_reference ON payout (tenant_id, reference);
CREATE INDEX payout_batch_reference ON payout (tenant_id, batch_reference);

CREATE TABLE payout_run (
    run_id       VARCHAR(64) PRIMARY KEY,
    tenant_id    VARCHAR(64) NOT NULL,
    status       VARCHAR(16) NOT NULL,
    period_from  DATE,
    period_to    DATE,
    filter       TEXT,
    created_by   VARCHAR(128),
    approved_by  VARCHAR(128),
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX payout_run_tenant ON payout_run (tenant_id, created_at);

CREATE TABLE payout_run_item (
    run_id          VARCHAR(64)  NOT NULL,
    payout_id       VARCHAR(255) NOT NULL,
    tenant_id       VARCHAR(64)  NOT NULL,
    affiliate_id    VARCHAR(128) NOT NULL,
    processor       VARCHAR(16)  NOT NULL,
    amount_minor    BIGINT       NOT NULL,
    amount_currency CHAR(3)      NOT NULL,
    paid_minor      BIGINT       NOT NULL,
    paid_currency   CHAR(3)      NOT NULL,
    fx_rate         VARCHAR(40),
    fx_source       VARCHAR(64),
    PRIMARY KEY (run_id, payout_id)
);

CREATE TABLE payout_method (
    tenant_id      VARCHAR(64)  NOT NULL,
    method_id      VARCHAR(64)  NOT NULL,
    affiliate_id   VARCHAR(128) NOT NULL,
    processor      VARCHAR(16)  NOT NULL,
    destination    VARCHAR(255) NOT NULL,
    recipient_type VARCHAR(16)  NOT NULL,
    currency       CHAR(3)      NOT NULL,
    country        CHAR(2)      NOT NULL,
    status         VARCHAR(24)  NOT NULL,
    is_default     BOOLEAN      NOT NULL,
    requested_by   VARCHAR(128),
    confirmed_by   VARCHAR(128),
    updated_at     TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (tenant_id, method_id)
);
CREATE INDEX payout_method_affiliate ON payout_method (tenant_id, affiliate_id);

CREATE TABLE payout_terms (
    tenant_id            VARCHAR(64) PRIMARY KEY,
    default_hold_millis BIGINT      NOT NULL,
    offer_holds          TEXT        NOT NULL,
    schedule             VARCHAR(16) NOT NULL,
    net_days             INT         NOT NULL,
    minimums             TEXT        NOT NULL,
    negative_blocks      BOOLEAN     NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
