-- Whether a tenant's advertisers see who sent their traffic (ReportSharingChangedEvent); no row = no.
CREATE TABLE tenant_report_sharing (
    tenant_id                  text PRIMARY KEY,
    advertisers_see_affiliates boolean NOT NULL
);
