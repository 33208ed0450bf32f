-- Every set of exchange rates the platform has converted sales with (owner: PublishedExchangeRates).
-- Each new set is also published as an ExchangeRatesPublishedEvent in the same transaction.
CREATE TABLE fx_rate_set (
    set_id       varchar(64) PRIMARY KEY,
    source       varchar(64) NOT NULL,
    as_of        date        NOT NULL,
    base         char(3)     NOT NULL,
    rates        jsonb       NOT NULL,
    published_at timestamptz NOT NULL
);
CREATE INDEX fx_rate_set_published ON fx_rate_set (published_at DESC);
