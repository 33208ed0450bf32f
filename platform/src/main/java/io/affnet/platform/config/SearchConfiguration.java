package io.affnet.platform.config;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.affnet.projections.search.SearchIndices;
import org.elasticsearch.client.RestClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class SearchConfiguration {

    /** The Java client over Spring Boot's low-level RestClient (which also feeds the health indicator). */
    @Bean
    ElasticsearchClient elasticsearchClient(RestClient restClient) {
        return new ElasticsearchClient(new RestClientTransport(restClient,
                new JacksonJsonpMapper(JsonConfiguration.storageMapper())));
    }

    @Bean
    SearchIndices searchIndices(ElasticsearchClient client, @Value("${affnet.search.index-prefix:affnet-}") String prefix) {
        return new SearchIndices(client, prefix);
    }
}
