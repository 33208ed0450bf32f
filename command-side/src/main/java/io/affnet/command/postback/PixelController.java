package io.affnet.command.postback;

import io.affnet.api.conversion.PixelReport;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.affnet.web.TrackingDomains;
import io.affnet.web.TrackingMethods;
import io.affnet.api.common.TenantId;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.Base64;

/**
 * {@code GET /p?offer=…&goal=…&amount=…}: the browser pixel, a fallback where the advertiser cannot
 * send a server postback. The click is found from the first-party cookie set at click time, and must
 * be a click on the named offer. It carries no credential, so the offer's pixel rule
 * ({@link io.affnet.domain.click.PixelPolicy}) judges it first: off unless the tenant turned it on, only
 * from the allowed referring domains, never a status, an amount only up to the offer's ceiling. Every
 * refusal is recorded on the click with its reason. Always answers with a 1×1 GIF (the outcome is in a
 * header), so a page never shows a broken image.
 */
@RestController
public class PixelController {

    private static final byte[] GIF = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final PostbackIntake intake;
    private final String cookieName;
    private final TrackingDomains domains;

    public PixelController(PostbackIntake intake, @Value("${affnet.click.cookie-name:afn_cid}") String cookieName,
                           TrackingDomains domains) {
        this.domains = domains;
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
        // The status is not read at all: asking for one is refused by the pixel rule and recorded as such.
        PostbackParser.Parsed report = new PostbackParser.Parsed(parsed.clickId(), parsed.transactionId(), parsed.goal(),
                parsed.amount(), parsed.currency(), null, null, parsed.customerEmail());
        PixelReport pixel = new PixelReport(referrerHost(request.getHeader("Referer")), parsed.status() != null);
        // On a tenant's tracking domain only that tenant's clicks count (another's answers as unknown).
        TenantId tenant = domains.tenantOf(request).map(TenantId::of).orElse(null);
        PostbackOutcome outcome = intake.report(tenant, clickId, report, null, "pixel", offer, null, pixel);
        return ResponseEntity.ok().contentType(MediaType.IMAGE_GIF).cacheControl(CacheControl.noStore())
                .header("X-Affnet-Outcome", outcome.answer()).body(GIF);
    }

    /** HEAD (which Spring would otherwise hand to the GET above), OPTIONS and other methods never record anything. */
    @RequestMapping(path = "/p", method = {RequestMethod.HEAD, RequestMethod.OPTIONS, RequestMethod.POST,
            RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE})
    @Hidden
    public void otherMethods(HttpServletRequest request, HttpServletResponse response) throws IOException {
        TrackingMethods.answered(request, response, Set.of("GET"));
    }

    /** The host of the page that fired the pixel, or null when the browser sent no usable Referer. */
    static String referrerHost(String referer) {
        if (referer == null || referer.isBlank() || referer.length() > 2048) {
            return null;
        }
        try {
            return URI.create(referer.trim()).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
