package io.affnet.query;

import io.affnet.web.auth.Caller;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.Map;

/** Carries the authenticated caller from the HTTP request into the GraphQL context. */
@Component
public class GraphQlCallerInterceptor implements WebGraphQlInterceptor {

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        Object caller = request.getAttributes().get(Caller.REQUEST_ATTRIBUTE);
        if (caller != null) {
            request.configureExecutionInput((input, builder) ->
                    builder.graphQLContext(Map.of(Caller.REQUEST_ATTRIBUTE, caller)).build());
        }
        return chain.next(request);
    }
}
