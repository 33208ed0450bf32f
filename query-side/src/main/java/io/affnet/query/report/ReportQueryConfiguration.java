package io.affnet.query.report;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.affnet.api.report.ReportIndices;
import io.affnet.query.tenant.TenantQueryHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The report read path and its limits (documented in README's configuration table). */
@Configuration(proxyBeanMethods = false)
public class ReportQueryConfiguration {

    @Bean
    TenantScopedSearch tenantScopedSearch(ElasticsearchClient client, TenantQueryHandler tenants, ReportSharingReads sharing) {
        return new TenantScopedSearch(client, tenants, sharing);
    }

    @Bean
    ReportRequests reportRequests(@Value("${affnet.reports.max-span-days:400}") int maxSpanDays,
                                  @Value("${affnet.reports.max-page-size:1000}") int maxPageSize,
                                  @Value("${affnet.reports.max-log-page-size:500}") int maxLogPageSize) {
        return new ReportRequests(maxSpanDays, maxPageSize, maxLogPageSize);
    }

    @Bean
    ReportService reportService(TenantScopedSearch search, ReportIndices views,
                                @Value("${affnet.reports.max-groups:10000}") int maxGroups,
                                @Value("${affnet.reports.rollups:true}") boolean rollups) {
        return new ReportService(search, views, maxGroups, rollups);
    }
}
