package io.affnet.api.report;

import java.time.Instant;
import java.util.Map;

/**
 * Rebuilds the report views from the event history without downtime (an operator action). The report
 * projection's {@code ReportRebuild} does it; the HTTP edge (command-side's {@code ViewAdminController})
 * asks through this port, so no HTTP module calls a projection.
 */
public interface ReportRebuilds {

    /** The name of the report views in {@code /api/v1/admin/views/{view}/rebuild}. */
    String VIEW = "reports";

    /** Starts a rebuild in the background; answers the running one if there is one already. */
    Status start();

    /** Where the last rebuild stands; null when there was none since this node started. */
    Status status();

    /**
     * What a rebuild is doing; {@code state} is RUNNING, DONE or FAILED. {@code progress} is null until
     * the replay starts.
     */
    record Status(String view, String state, Map<String, String> indices, Instant startedAt, Instant finishedAt,
                  String error, Progress progress) {
    }

    /**
     * How far the replay is: the lowest position of the processor's segments against the head of the
     * store when the rebuild began. {@code etaSeconds}: the remaining events at the rate so far (null
     * until there is a rate).
     */
    record Progress(long eventsDone, long eventsTotal, double percent, Long etaSeconds) {
    }
}
