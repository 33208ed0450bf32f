package io.affnet.web.problem;

import java.time.Instant;

/**
 * The instants the public API accepts in filters and ranges: 1970-01-01 to 2200-01-01 (UTC). Outside them
 * no stored timestamp can match and the stores' date types would overflow, so a request naming one is a
 * 400 problem, never a 500.
 */
public final class ApiInstants {

    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

    private ApiInstants() {
    }
}
