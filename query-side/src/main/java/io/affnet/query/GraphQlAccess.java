package io.affnet.query;

import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLAppliedDirective;
import graphql.schema.GraphQLAppliedDirectiveArgument;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import io.affnet.web.auth.Caller;
import io.affnet.web.auth.ForbiddenException;
import io.affnet.web.auth.UnauthenticatedException;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.stereotype.Component;

import java.util.Collection;

/**
 * The GraphQL counterpart of the REST access rule, in one place: every field of {@code Query},
 * {@code Mutation} and {@code Subscription} must declare {@code @access(roles: [...])} in the schema, and a caller whose role is
 * not listed gets FORBIDDEN for that field. A root field without the directive is refused to everyone
 * (default deny). Which objects a permitted caller then sees is the resolver's tenant-scoped query.
 */
@Component
public class GraphQlAccess extends SimplePerformantInstrumentation {

    public static final String DIRECTIVE = "access";

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters parameters,
                                                InstrumentationState state) {
        DataFetchingEnvironment env = parameters.getEnvironment();
        if (!isRoot(env) || env.getFieldDefinition().getName().startsWith("__")) {
            return fetcher;
        }
        GraphQLAppliedDirective access = env.getFieldDefinition().getAppliedDirective(DIRECTIVE);
        Caller caller = env.getGraphQlContext().get(Caller.REQUEST_ATTRIBUTE);
        boolean subscription = env.getParentType() == env.getGraphQLSchema().getSubscriptionType();
        if (access == null) {
            return deny(subscription, new ForbiddenException("This field declares no access rule, so nobody may use it."),
                    ErrorType.FORBIDDEN);
        }
        if (caller == null) {
            return deny(subscription, new UnauthenticatedException(), ErrorType.UNAUTHORIZED);
        }
        GraphQLAppliedDirectiveArgument roles = access.getArgument("roles");
        Collection<?> allowed = roles == null ? java.util.List.of() : (Collection<?>) roles.getValue();
        if (allowed.stream().noneMatch(r -> caller.role().name().equals(String.valueOf(r)))) {
            return deny(subscription, new ForbiddenException("Role " + caller.role() + " may not read "
                    + env.getFieldDefinition().getName() + "."), ErrorType.FORBIDDEN);
        }
        return fetcher;
    }

    /**
     * A refusal: thrown for a query or mutation (GraphQlErrors classifies it); for a subscription, a stream that fails
     * with the classified error, which GraphQL over SSE sends as the one message (a thrown error would reach the SSE
     * handler as a non-stream result and be answered as an unsupported operation).
     */
    private static DataFetcher<?> deny(boolean subscription, RuntimeException refusal, ErrorType type) {
        if (!subscription) {
            return e -> {
                throw refusal;
            };
        }
        return e -> reactor.core.publisher.Flux.error(new org.springframework.graphql.execution.SubscriptionPublisherException(
                java.util.List.of(graphql.GraphqlErrorBuilder.newError(e).errorType(type).message(refusal.getMessage() == null ? "Authentication required." : refusal.getMessage()).build()),
                refusal));
    }

    private static boolean isRoot(DataFetchingEnvironment env) {
        if (!(env.getParentType() instanceof GraphQLObjectType parent)) {
            return false;
        }
        GraphQLSchema schema = env.getGraphQLSchema();
        return parent == schema.getQueryType() || parent == schema.getMutationType() || parent == schema.getSubscriptionType();
    }
}
