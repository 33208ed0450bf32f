package io.affnet.command.postback;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import java.util.List;

/**
 * Describes {@code GET|POST /postback} in the OpenAPI document: it is served by {@link PostbackServlet},
 * which springdoc does not see.
 */
final class PostbackOpenApi {

    private PostbackOpenApi() {
    }

    static OpenApiCustomizer customizer() {
        return openApi -> {
            PathItem item = new PathItem().get(operation("postbackGet")).post(operation("postbackPost"));
            openApi.path("/postback", item);
        };
    }

    private static Operation operation(String id) {
        List<Parameter> parameters = List.of(
                query("click_id", "the click id; aliases clickid, cid, subid, transaction_id, cnv_id"),
                query("txn_id", "the advertiser's transaction id; aliases txid, tid, adv_sub, order_id"),
                query("goal", "the goal; aliases event, et, goal_id (default: the offer's first goal)"),
                query("amount", "the sale amount, decimal point or comma; aliases sale_amount, payout, sum"),
                query("currency", "ISO-4217 code of the amount (default: the offer's currency)"),
                query("status", "status word or code, mapped by the tenant's postback settings; alias cnv_status"),
                query("token", "the tenant's postback token; aliases security_token, key"),
                query("email", "the customer's e-mail, for the self-referral rule (only its hash is kept)"));
        Content text = new Content().addMediaType("text/plain", new MediaType().schema(new StringSchema()
                .example("accepted")));
        Content problem = new Content().addMediaType("application/problem+json",
                new MediaType().schema(new io.swagger.v3.oas.models.media.Schema<>().$ref("#/components/schemas/Problem")));
        return new Operation().operationId(id).addTagsItem("tracking")
                .summary("Report a conversion (server-to-server postback)")
                .description("Parameters in the shapes of TUNE/HasOffers, Everflow, Voluum, Keitaro and Binom; the "
                        + "first alias present wins and unreplaced macros count as absent. POST takes the same "
                        + "parameters as a form body. Answers 'accepted', 'duplicate' or 'rejected:<reason>'.")
                .parameters(parameters)
                .responses(new ApiResponses()
                        .addApiResponse("200", new ApiResponse().description("accepted, duplicate or rejected:<reason>").content(text))
                        .addApiResponse("400", new ApiResponse().description("malformed input").content(problem))
                        .addApiResponse("401", new ApiResponse().description("missing or wrong token").content(problem))
                        .addApiResponse("403", new ApiResponse().description("sender not allowed, or tenant suspended").content(problem))
                        .addApiResponse("503", new ApiResponse().description("not recorded; send it again").content(problem)));
    }

    private static Parameter query(String name, String description) {
        return new Parameter().in("query").name(name).description(description).required(false).schema(new StringSchema());
    }
}
