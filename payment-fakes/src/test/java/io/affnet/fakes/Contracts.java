package io.affnet.fakes;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The providers' own OpenAPI documents (shipped in {@code data/payments/}, on the test classpath under
 * {@code contracts/}), read with the OpenAPI 3.0 dialect: a fake's answer must validate against the
 * schema the provider documents for that operation.
 */
public final class Contracts {

    public static final String STRIPE = "classpath:contracts/stripe/stripe-transfers-openapi.json";
    public static final String PAYPAL = "classpath:contracts/paypal/payments_payouts_batch_v1.json";
    public static final String PAYPAL_WEBHOOKS = "classpath:contracts/paypal/notifications_webhooks_v1.json";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDialect(Dialects.getOpenApi30());
    private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

    private Contracts() {
    }

    public static Schema schema(String document, String pointer) {
        return CACHE.computeIfAbsent(document + "#" + pointer, l -> {
            Schema s = REGISTRY.getSchema(SchemaLocation.of(l));
            s.initializeValidators();
            return s;
        });
    }

    public static Schema component(String document, String name) {
        return schema(document, "/components/schemas/" + name);
    }

    /** Fails with the validator's messages when {@code json} breaks the schema. */
    public static void assertValid(Schema schema, String json) {
        List<Error> errors = schema.validate(json, InputFormat.JSON);
        assertThat(errors).as("schema errors %s for %s", errors, json).isEmpty();
    }
}
