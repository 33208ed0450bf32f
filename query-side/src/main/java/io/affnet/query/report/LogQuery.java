package io.affnet.query.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A search of the click or conversion log, validated: exact-match filters on document fields, an
 * optional time range, newest first, and the cursor (time, id) of the last row seen.
 */
public record LogQuery(Map<String, List<String>> filters, Instant from, Instant to, int pageSize,
                       Long afterTime, String afterId) {
}
