package io.affnet.command.payout;

import io.affnet.web.problem.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.io.InputStream;

/** Reading an unauthenticated webhook request defensively: a bounded body, bounded ids. */
final class WebhookRequests {

    private WebhookRequests() {
    }

    static byte[] body(HttpServletRequest request, int maxBytes) {
        if (request.getContentLengthLong() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "unreadable-body", "The request body could not be read.");
        }
    }

    static String tenant(String tenantId) {
        if (tenantId == null || !tenantId.matches("[A-Za-z0-9_-]{1,64}")) {
            throw ApiProblem.notFound("Webhook endpoint");
        }
        return tenantId;
    }

    private static ApiProblem tooLarge(int max) {
        return new ApiProblem(HttpStatus.PAYLOAD_TOO_LARGE, "body-too-large", "A webhook body is at most " + max + " bytes.");
    }
}
