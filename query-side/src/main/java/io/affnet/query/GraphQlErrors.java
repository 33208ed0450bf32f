package io.affnet.query;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import io.affnet.web.auth.ForbiddenException;
import io.affnet.web.problem.ApiProblem;
import io.affnet.web.problem.Problems;
import io.affnet.web.problem.StoreFailures;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.stereotype.Component;

import java.util.Map;

/** Shows GraphQL callers the same problems REST callers get, without internals. */
@Component
public class GraphQlErrors extends DataFetcherExceptionResolverAdapter {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GraphQlErrors.class);

    /** A store did not answer: the GraphQL twin of REST's 503 {@code store-unavailable}. */
    enum StoreUnavailable implements graphql.ErrorClassification {
        INSTANCE;

        @Override
        public String toString() {
            return "UNAVAILABLE";
        }
    }

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
        Throwable e = ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null ? ex.getCause() : ex;
        if (e instanceof ApiProblem problem) {
            ErrorType type = switch (problem.status()) {
                case NOT_FOUND -> ErrorType.NOT_FOUND;
                case FORBIDDEN -> ErrorType.FORBIDDEN;
                case UNAUTHORIZED -> ErrorType.UNAUTHORIZED;
                default -> ErrorType.BAD_REQUEST;
            };
            // The problem's type, HTTP status (a conflict has no classification of its own) and properties (e.g. the
            // invalid fields, {@code errors: [{field, message}]}), as a REST caller gets them.
            Map<String, Object> extensions = new java.util.LinkedHashMap<>(problem.properties());
            extensions.put("type", problem.type());
            extensions.put("status", problem.status().value());
            return GraphqlErrorBuilder.newError(env).errorType(type).message(problem.getMessage())
                    .extensions(extensions).build();
        }
        if (e instanceof ForbiddenException) {
            return GraphqlErrorBuilder.newError(env).errorType(ErrorType.FORBIDDEN).message(e.getMessage()).build();
        }
        if (StoreFailures.isStoreUnavailable(e)) {
            // The REST answer's 503 store-unavailable, not an anonymous INTERNAL_ERROR: the caller may retry.
            log.warn("A store is unavailable: {}", StoreFailures.describe(e));
            return GraphqlErrorBuilder.newError(env).errorType(StoreUnavailable.INSTANCE)
                    .message(StoreFailures.DETAIL)
                    .extensions(Map.of("type", Problems.TYPE_BASE + StoreFailures.PROBLEM_TYPE, "status", 503)).build();
        }
        return null;
    }
}
