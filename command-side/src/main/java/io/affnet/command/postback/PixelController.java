package io.affnet.command.postback;

import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Base64;

/**
 * {@code GET /p?offer=…&goal=…&amount=…}: the browser pixel, a fallback where the advertiser cannot
 * send a server postback. The click is found from the first-party cookie set at click time, and must
 * be a click on the named offer. Always answers with a 1×1 GIF (the outcome is in a header), so a page
 * never shows a broken image.
 */
@RestController
public class PixelController {

    private static final byte[] GIF = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final PostbackIntake intake;
    private final String cookieName;

    public PixelController(PostbackIntake intake, @Value("${affnet.click.cookie-name:afn_cid}") String cookieName) {
        this.intake = intake;
        this.cookieName = cookieName;
    }

    @GetMapping(path = "/p", produces = MediaType.IMAGE_GIF_VALUE)
    @Operation(summary = "Conversion pixel: finds the click from its first-party cookie")
    public ResponseEntity<byte[]> pixel(HttpServletRequest request) {
        PostbackParser.Parsed parsed;
        try {
            parsed = PostbackParser.parse(request.getParameterMap());
        } catch (PostbackParser.MalformedPostbackException e) {
            throw ApiProblem.invalid(e.parameter(), e.getMessage());
        }
        String offer = request.getParameter("offer");
        if (offer == null || offer.isBlank() || offer.length() > 64) {
            throw ApiProblem.invalid("offer", "Parameter 'offer' (the offer id) is required.");
        }
        String clickId = null;
        if (request.getCookies() != null) {
            for (Cookie c : request.getCookies()) {
                if (cookieName.equals(c.getName())) {
                    clickId = c.getValue();
                }
            }
        }
        PostbackOutcome outcome = intake.report(null, clickId, parsed, null, "pixel", offer, null);
        return ResponseEntity.ok().contentType(MediaType.IMAGE_GIF).cacheControl(CacheControl.noStore())
                .header("X-Affnet-Outcome", outcome.answer()).body(GIF);
    }
}
