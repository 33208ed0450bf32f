package io.affnet.query;

import graphql.GraphQLError;
import graphql.Scalars;
import graphql.execution.ExecutionStepInfo;
import graphql.execution.MergedField;
import graphql.execution.ResultPath;
import graphql.language.Field;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingEnvironmentImpl;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class GraphQlErrorsTest {

    private final GraphQlErrors errors = new GraphQlErrors();

    private static DataFetchingEnvironment field(String name) {
        return DataFetchingEnvironmentImpl.newDataFetchingEnvironment()
                .mergedField(MergedField.newMergedField(Field.newField(name).build()).build())
                .executionStepInfo(ExecutionStepInfo.newExecutionStepInfo().type(Scalars.GraphQLString)
                        .path(ResultPath.rootPath().segment(name)).build())
                .build();
    }

    @Test
    void aStoreThatDoesNotAnswerIsTheRestAnswersStoreUnavailableNotAnInternalError() {
        GraphQLError error = errors.resolveToSingleError(
                new CompletionException(new UncheckedIOException("Elasticsearch unreachable", new ConnectException("refused"))),
                field("conversionLog"));

        assertThat(error).isNotNull();
        assertThat(error.getErrorType().toString()).isEqualTo("UNAVAILABLE");
        assertThat(error.getExtensions()).containsEntry("status", 503)
                .containsEntry("type", "https://affnet.dev/problems/store-unavailable");
        assertThat(error.getMessage()).contains("Retry").doesNotContain("Elasticsearch").doesNotContain("refused");
        assertThat(error.getPath()).containsExactly("conversionLog");
    }

    @Test
    void aBugIsLeftToTheDefaultInternalError() {
        assertThat(errors.resolveToSingleError(new IllegalStateException("a bug"), field("tenant"))).isNull();
    }
}
