package io.affnet.projections.report;

import io.affnet.api.report.ReportIndices;
import io.affnet.api.report.ReportSchema;
import io.affnet.projections.search.SearchIndices;

/**
 * Where the report projection writes. Normally that is the aliases (which readers use too); while a
 * rebuild runs it is the new index versions, so readers keep the old ones until the alias swaps. Readers
 * (query-side) see it as {@link ReportIndices}: the aliases and whether the rollups are complete.
 */
public class ReportViews implements ReportIndices {

    /** The write targets of one batch, fixed when the batch starts. */
    public record Targets(String clicks, String conversions, String rollups) {
    }

    private final SearchIndices indices;
    private final String refreshInterval;
    private volatile Targets redirected;
    private volatile boolean rollupsEnsured;
    private volatile boolean rollupsComplete;
    private volatile long rollupsCheckedAt;

    /** {@code refreshInterval}: how often the live indices make new documents visible (ES syntax, e.g. 500ms). */
    public ReportViews(SearchIndices indices, String refreshInterval) {
        this.indices = indices;
        this.refreshInterval = refreshInterval;
    }

    @Override
    public String clicksAlias() {
        return indices.ensure(ReportSchema.CLICKS, ReportSchema.VERSION, ReportSchema.MAPPING, refreshInterval);
    }

    @Override
    public String conversionsAlias() {
        return indices.ensure(ReportSchema.CONVERSIONS, ReportSchema.VERSION, ReportSchema.MAPPING, refreshInterval);
    }

    @Override
    public String rollupsAlias() {
        if (!rollupsEnsured) {
            synchronized (this) {
                if (!rollupsEnsured) {
                    // Created before any click document exists (a new installation): they count every click.
                    boolean fresh = indices.currentIndex(indices.alias(ReportSchema.ROLLUPS)) == null
                            && indices.count(clicksAlias()) == 0;
                    String alias = ensureRollups();
                    if (fresh) {
                        indices.putMeta(alias, ReportSchema.META_COMPLETE, ReportSchema.COMPLETE);
                    }
                    rollupsEnsured = true;
                }
            }
        }
        return ensureRollups();
    }

    private String ensureRollups() {
        return indices.ensure(ReportSchema.ROLLUPS, ReportSchema.ROLLUP_VERSION, ReportSchema.ROLLUP_MAPPING, refreshInterval);
    }

    /**
     * Whether the click rollups count every click the click documents hold. Rollups are written with
     * the click documents from the moment their index exists, so they are complete when that index was
     * created before any click document (a new installation, see {@link #rollupsAlias}) or filled by a
     * rebuild. An installation
     * that had clicks before rollups existed gets them complete from its next rebuild; until then the
     * reports read click documents. The mark is {@code _meta.complete} on the rollup index ({@link ReportSchema#META_COMPLETE}). Known
     * complete stays so (a rebuild only ever swaps in a complete index); not complete is asked again
     * after a while.
     */
    @Override
    public boolean rollupsComplete() {
        if (rollupsComplete) {
            return true;
        }
        long now = System.nanoTime();
        if (rollupsCheckedAt != 0 && now - rollupsCheckedAt < 10_000_000_000L) {
            return false;
        }
        boolean complete = ReportSchema.COMPLETE.equals(indices.meta(rollupsAlias(), ReportSchema.META_COMPLETE));
        rollupsCheckedAt = now;
        rollupsComplete = complete;
        return complete;
    }

    /** Makes {@link #rollupsComplete} ask Elasticsearch again (tests). */
    public void forgetRollupState() {
        rollupsComplete = false;
        rollupsCheckedAt = 0;
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
