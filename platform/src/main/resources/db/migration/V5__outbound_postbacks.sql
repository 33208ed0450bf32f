-- Outbound postbacks to affiliates (docs/outbound-postbacks.md).

-- An affiliate's postback templates, sealed signing secret and pause state (read model of the
-- PostbackEndpoint events, written in the transaction that appends them).
CREATE TABLE outbound_endpoint (
    affiliate_id     VARCHAR(64) PRIMARY KEY,
    tenant_id        VARCHAR(64) NOT NULL,
    version          BIGINT      NOT NULL,
    templates        JSONB       NOT NULL,
    sealed_secret    TEXT,
    secret_prefix    VARCHAR(32),
    secret_issued_at TIMESTAMPTZ,
    paused           BOOLEAN     NOT NULL DEFAULT false,
    paused_at        TIMESTAMPTZ,
    pause_reason     TEXT,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX outbound_endpoint_tenant ON outbound_endpoint (tenant_id);

-- A tenant's outbound settings (read model of OutboundSettingsChangedEvent); no row = defaults.
CREATE TABLE outbound_settings (
    tenant_id             VARCHAR(64) PRIMARY KEY,
    allow_private_targets BOOLEAN     NOT NULL
);

-- Operational state of delivery, not derived from events: failures in a row per endpoint.
CREATE TABLE outbound_endpoint_health (
    affiliate_id         VARCHAR(64) PRIMARY KEY,
    tenant_id            VARCHAR(64) NOT NULL,
    consecutive_failures INT         NOT NULL,
    last_failure_at      TIMESTAMPTZ,
    last_error           TEXT
);

-- One row per (conversion event, affiliate endpoint) to deliver: the outbox of outbound postbacks.
-- Enqueued in the transaction that advances the enqueuing processor's token; the unique key makes a
-- redelivered event (processor restart, segment moved to another node) enqueue nothing new.
CREATE TABLE outbound_delivery (
    delivery_id       VARCHAR(64)  PRIMARY KEY,
    event_id          VARCHAR(255) NOT NULL,
    tenant_id         VARCHAR(64)  NOT NULL,
    affiliate_id      VARCHAR(64)  NOT NULL,
    conversion_id     VARCHAR(64)  NOT NULL,
    click_id          VARCHAR(64)  NOT NULL,
    trigger           VARCHAR(32)  NOT NULL,
    method            VARCHAR(8)   NOT NULL,
    url               TEXT         NOT NULL,
    body              TEXT,
    state             VARCHAR(16)  NOT NULL,
    attempts          INT          NOT NULL DEFAULT 0,
    round_attempts    INT          NOT NULL DEFAULT 0,
    round_started_at  TIMESTAMPTZ  NOT NULL,
    next_attempt_at   TIMESTAMPTZ  NOT NULL,
    lease_until       TIMESTAMPTZ,
    in_flight_attempt VARCHAR(64),
    event_at          TIMESTAMPTZ  NOT NULL,
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    delivered_at      TIMESTAMPTZ,
    last_status       INT,
    last_error        TEXT,
    CONSTRAINT outbound_delivery_once UNIQUE (event_id, affiliate_id)
);
CREATE INDEX outbound_delivery_due ON outbound_delivery (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX outbound_delivery_lease ON outbound_delivery (lease_until) WHERE state = 'IN_FLIGHT';
CREATE INDEX outbound_delivery_affiliate ON outbound_delivery (tenant_id, affiliate_id);
CREATE INDEX outbound_delivery_conversion ON outbound_delivery (tenant_id, conversion_id);

-- The delivery log: one row per attempt, URL with secrets masked.
CREATE TABLE outbound_attempt (
    attempt_seq   BIGSERIAL    PRIMARY KEY,
    attempt_id    VARCHAR(64)  NOT NULL UNIQUE,
    delivery_id   VARCHAR(64)  NOT NULL,
    tenant_id     VARCHAR(64)  NOT NULL,
    affiliate_id  VARCHAR(64)  NOT NULL,
    conversion_id VARCHAR(64)  NOT NULL,
    attempt_no    INT          NOT NULL,
    method        VARCHAR(8)   NOT NULL,
    masked_url    TEXT         NOT NULL,
    outcome       VARCHAR(16)  NOT NULL,
    status_code   INT,
    latency_ms    BIGINT,
    error         TEXT,
    started_at    TIMESTAMPTZ  NOT NULL,
    finished_at   TIMESTAMPTZ
);
CREATE INDEX outbound_attempt_affiliate ON outbound_attempt (tenant_id, affiliate_id, attempt_seq);
CREATE INDEX outbound_attempt_conversion ON outbound_attempt (tenant_id, conversion_id, attempt_seq);
CREATE INDEX outbound_attempt_delivery ON outbound_attempt (delivery_id);
