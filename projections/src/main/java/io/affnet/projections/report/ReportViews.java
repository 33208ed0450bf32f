package io.affnet.projections.report;

import io.affnet.projections.search.SearchIndices;

/**
 * Where the report projection writes. Normally that is the aliases (which readers use too); while a
 * rebuild runs it is the new index versions, so readers keep the old ones until the alias swaps.
 */
public class ReportViews {

    /** The write targets of one batch, fixed when the batch starts. */
    public record Targets(String clicks, String conversions, String rollups) {
    }

    private final SearchIndices indices;
    private final String refreshInterval;
    private volatile Targets redirected;

    /** {@code refreshInterval}: how often the live indices make new documents visible (ES syntax, e.g. 500ms). */
    public ReportViews(SearchIndices indices, String refreshInterval) {
        this.indices = indices;
        this.refreshInterval = refreshInterval;
    }

    public String clicksAlias() {
        return indices.ensure(ReportDocuments.CLICKS, ReportDocuments.VERSION, ReportDocuments.MAPPING, refreshInterval);
    }

    public String conversionsAlias() {
        return indices.ensure(ReportDocuments.CONVERSIONS, ReportDocuments.VERSION, ReportDocuments.MAPPING, refreshInterval);
    }

    public String rollupsAlias() {
        return indices.ensure(ReportDocuments.ROLLUPS, ReportDocuments.ROLLUP_VERSION, ReportDocuments.ROLLUP_MAPPING, refreshInterval);
    }

    String refreshInterval() {
        return refreshInterval;
    }

    public Targets targets() {
        Targets r = redirected;
        return r != null ? r : new Targets(clicksAlias(), conversionsAlias(), rollupsAlias());
    }

    void redirect(Targets targets) {
        this.redirected = targets;
    }

    void backToAliases() {
        this.redirected = null;
    }

    SearchIndices indices() {
        return indices;
    }
}
