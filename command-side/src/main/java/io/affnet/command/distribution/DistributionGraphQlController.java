package io.affnet.command.distribution;

import graphql.schema.DataFetchingEnvironment;
import io.affnet.web.auth.Caller;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A smart link's distribution through GraphQL ({@code config.graphqls}, {@code linkDistribution}): answered by
 * {@link DistributionController}, REST's own code (tenant staff only; another tenant's link NOT_FOUND), so the shares
 * are the ones clicks are drawn from.
 */
@Controller
public class DistributionGraphQlController {

    private final DistributionController rest;

    public DistributionGraphQlController(DistributionController rest) {
        this.rest = rest;
    }

    @QueryMapping
    public Map<String, Object> linkDistribution(@Argument String linkId, DataFetchingEnvironment env) {
        Caller caller = env.getGraphQlContext().get(Caller.REQUEST_ATTRIBUTE);
        DistributionController.LinkDistribution d;
        try {
            d = rest.distribution(caller, linkId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("linkId", d.linkId());
        out.put("policy", d.policy());
        out.put("stateVersion", d.stateVersion());
        out.put("asOf", Instant.ofEpochMilli(d.asOfMillis()).toString());
        out.put("overall", d.overall());
        out.put("segments", d.segments());
        return out;
    }
}
