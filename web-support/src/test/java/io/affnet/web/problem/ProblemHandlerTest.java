package io.affnet.web.problem;

import org.apache.catalina.connector.ClientAbortException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that left mid-answer is not a server failure: no error, no answer; anything else still is one. */
class ProblemHandlerTest {

    private final ProblemHandler handler = new ProblemHandler();

    @Test
    void aClientThatWentAwayGetsNoAnswerAndIsNoFailure() {
        assertThat(handler.unexpected(new UncheckedIOException(new ClientAbortException(new IOException("Broken pipe")))))
                .isNull();
    }

    @Test
    void aServiceUnavailableProblemSaysWhenToComeBack() {
        var busy = handler.apiProblem(new ApiProblem(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE, "postback-overloaded",
                "The postback was not recorded: nothing was counted."));
        assertThat(busy.getStatusCode().value()).isEqualTo(503);
        assertThat(busy.getHeaders().getFirst("Retry-After")).isEqualTo("2");
        assertThat(busy.getHeaders().getContentType()).hasToString("application/problem+json");
        var refused = handler.apiProblem(ApiProblem.invalid("offer", "required"));
        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getHeaders().getFirst("Retry-After")).isNull();
    }

    @Test
    void anyOtherFailureIsA500Problem() {
        var answer = handler.unexpected(new IllegalStateException("boom"));
        assertThat(answer.getStatusCode().value()).isEqualTo(500);
        assertThat(answer.getBody().getDetail()).doesNotContain("boom");
        assertThat(ProblemHandler.clientGone(new IOException("Connection reset by peer"))).isFalse();
    }
}
