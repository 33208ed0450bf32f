package io.affnet.api.report;

/**
 * The report views as their readers find them: the aliases of the click, conversion and click-rollup
 * views (made to exist) and whether the rollups count every click. The report projection's
 * {@code ReportViews} answers it (it also decides where a rebuild writes, which readers never see); the
 * report queries (query-side) ask. Field names and types are {@link ReportSchema}.
 */
public interface ReportIndices {

    String clicksAlias();

    String conversionsAlias();

    String rollupsAlias();

    /**
     * Whether the click rollups count every click the click documents hold (see decision 0007); until
     * they do, reports count click documents.
     */
    boolean rollupsComplete();
}
