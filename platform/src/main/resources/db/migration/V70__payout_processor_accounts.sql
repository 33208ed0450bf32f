-- A tenant's credentials at a payment processor (Stripe, PayPal), sealed like outbound signing secrets
-- (AES-GCM under affnet.outbound.secret-key): never stored, returned or logged in clear.
CREATE TABLE payout_processor_account (
    tenant_id                VARCHAR(64)  NOT NULL,
    processor                VARCHAR(16)  NOT NULL,
    api_base                 VARCHAR(255) NOT NULL,
    sealed_key               TEXT         NOT NULL,
    sealed_secret            TEXT,
    sealed_webhook_secret    TEXT,
    sealed_previous_webhook_secret TEXT,
    webhook_id               VARCHAR(64),
    connected_at             TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (tenant_id, processor)
);

-- Each processor webhook event is acted on once: its id is recorded with the report it caused.
CREATE TABLE processor_webhook_event (
    processor    VARCHAR(16)  NOT NULL,
    event_id     VARCHAR(128) NOT NULL,
    tenant_id    VARCHAR(64)  NOT NULL,
    event_type   VARCHAR(128) NOT NULL,
    received_at  TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (processor, event_id)
);
