-- Reports a console or portal user saved (README, Reports and dashboard): the report builder's settings under a name,
-- kept for the principal of the key that saved it (a rotated key keeps its principal), and for the
-- tenant's staff optionally shared with the other staff. Preferences of the UI, not business facts:
-- written directly, not as events.
CREATE TABLE saved_report (
    tenant_id    VARCHAR(64)  NOT NULL,
    report_id    VARCHAR(64)  NOT NULL,
    owner_id     VARCHAR(64)  NOT NULL,
    owner_role   VARCHAR(32)  NOT NULL,
    name         VARCHAR(100) NOT NULL,
    definition   JSONB        NOT NULL,
    shared       BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (tenant_id, report_id)
);
CREATE INDEX saved_report_owner ON saved_report (tenant_id, owner_id);
