-- Credited conversions as moderation finds them (projection of the core-views group): which click a
-- conversion belongs to, where it stands, whether a review rule held it, and its amounts. Moderation
-- reads it to route a command to the click and to select conversions in bulk by filter.
CREATE TABLE conversion_moderation (
    conversion_id VARCHAR(64)  PRIMARY KEY,
    tenant_id     VARCHAR(64)  NOT NULL,
    click_id      VARCHAR(64)  NOT NULL,
    offer_id      VARCHAR(64),
    affiliate_id  VARCHAR(64),
    advertiser_id VARCHAR(64),
    goal          VARCHAR(64),
    status        VARCHAR(16)  NOT NULL,
    held          VARCHAR(64),
    currency      CHAR(3)      NOT NULL,
    revenue_minor BIGINT       NOT NULL,
    payout_minor  BIGINT       NOT NULL,
    converted_at  TIMESTAMPTZ  NOT NULL,
    updated_at    TIMESTAMPTZ  NOT NULL
);
CREATE INDEX conversion_moderation_tenant ON conversion_moderation (tenant_id, status, converted_at);
