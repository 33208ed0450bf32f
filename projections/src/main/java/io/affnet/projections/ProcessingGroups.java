package io.affnet.projections;

/**
 * Processing groups shared by several projections. Every pooled streaming processor reads the whole
 * event stream, clicks included; small read models that are cheap to rebuild together therefore share
 * one group (one stream) instead of each reading every click again.
 */
public final class ProcessingGroups {

    /** Tenant views, the click path's lookup cache and commissions. */
    public static final String CORE_VIEWS = "core-views";

    private ProcessingGroups() {
    }
}
