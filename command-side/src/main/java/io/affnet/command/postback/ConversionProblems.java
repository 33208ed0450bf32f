package io.affnet.command.postback;

import io.affnet.domain.click.ConversionRefusedException;
import io.affnet.web.problem.ApiProblem;
import io.affnet.web.problem.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The HTTP edge of the conversion path: a click's refusals become problem documents here, for the
 * postback servlet ({@link #of}) and for the pixel (Spring MVC, through this advice, ahead of the
 * catch-all in {@code ProblemHandler}).
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ConversionProblems {

    public static ApiProblem tenantSuspended() {
        return new ApiProblem(HttpStatus.FORBIDDEN, "tenant-suspended",
                "The tenant is suspended; its conversions are not accepted.");
    }

    public static ApiProblem of(ConversionRefusedException refused) {
        if (refused instanceof ConversionRefusedException.TenantSuspended) {
            return tenantSuspended();
        }
        return new ApiProblem(HttpStatus.FORBIDDEN, "postback-ip-not-allowed",
                "Postbacks for this offer are not accepted from this address.");
    }

    @ExceptionHandler(ConversionRefusedException.class)
    ResponseEntity<ProblemDetail> refused(ConversionRefusedException e) {
        ApiProblem problem = of(e);
        return ResponseEntity.status(problem.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(problem.status(), problem.type(), problem.getMessage()));
    }
}
