package io.affnet.command.moderation;

import graphql.schema.DataFetchingEnvironment;
import io.affnet.api.common.CommandRejection;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.ModerationAction;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.affnet.web.problem.FieldErrors;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Moderation through GraphQL ({@code moderation.graphqls}): every field is answered by {@link ModerationController},
 * the REST routes' own code, so the role rules are the same ones (tenant admins; advertisers for their own offers
 * where the tenant allows it, never a payout; everyone else FORBIDDEN by the {@code @access} directive), and so are
 * the tenant scope, the checks and the events. What REST gets from bean validation of its bodies is checked here
 * with the same annotations; a refusal is the problem REST would answer, as a GraphQL error (nothing changed).
 */
@Controller
public class ModerationGraphQlController {

    /** A decimal string as the API takes money: digits, optionally a point and more digits (a sign for the check to name). */
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,30}(\\.\\d{1,30})?");

    /** The bulk filter's arguments; from/to as ISO-8601 text. */
    public record FilterInput(List<String> conversionIds, ConversionStatus status, String offerId, String affiliateId,
                              Boolean held, String from, String to) {
    }

    private final ModerationController moderation;
    private final Validator validator;

    public ModerationGraphQlController(ModerationController moderation, Validator validator) {
        this.moderation = moderation;
        this.validator = validator;
    }

    @MutationMapping
    public Map<String, Object> approveConversion(@Argument String conversionId, @Argument String reason, DataFetchingEnvironment env) {
        return one(env, conversionId, ModerationAction.APPROVE, reason, null, null);
    }

    @MutationMapping
    public Map<String, Object> rejectConversion(@Argument String conversionId, @Argument String reason, DataFetchingEnvironment env) {
        return one(env, conversionId, ModerationAction.REJECT, reason, null, null);
    }

    @MutationMapping
    public Map<String, Object> reverseConversion(@Argument String conversionId, @Argument String reason, DataFetchingEnvironment env) {
        return one(env, conversionId, ModerationAction.REVERSE, reason, null, null);
    }

    @MutationMapping
    public Map<String, Object> adjustConversion(@Argument String conversionId, @Argument String reason, @Argument String revenue,
                                                @Argument String payout, DataFetchingEnvironment env) {
        return one(env, conversionId, ModerationAction.ADJUST, reason, revenue, payout);
    }

    @MutationMapping
    public Map<String, Object> moderateConversions(@Argument ModerationAction action, @Argument String reason, @Argument String revenue,
                                                   @Argument String payout, @Argument FilterInput filter, @Argument Integer limit,
                                                   DataFetchingEnvironment env) {
        Caller caller = caller(env);
        FieldErrors errors = new FieldErrors();
        BigDecimal rev = decimal(errors, "revenue", revenue);
        BigDecimal pay = decimal(errors, "payout", payout);
        Instant from = instant(errors, "filter.from", filter.from());
        Instant to = instant(errors, "filter.to", filter.to());
        errors.throwIfAny();
        ModerationController.BulkRequest request = new ModerationController.BulkRequest(action, reason, rev, pay,
                new ModerationController.BulkFilter(filter.conversionIds(), filter.status(), filter.offerId(), filter.affiliateId(),
                        filter.held(), from, to), limit);
        valid(request);
        Map<String, Object> answer = new LinkedHashMap<>(moderation.bulk(caller, request));
        List<Map<String, Object>> counts = new ArrayList<>();
        ((Map<?, ?>) answer.get("refusedByType")).forEach((type, count) -> counts.add(Map.of("type", type, "count", count)));
        answer.put("refusedByType", counts);
        return answer;
    }

    @QueryMapping
    public List<Map<String, Object>> moderationQueue(@Argument ConversionStatus status, @Argument Boolean held, @Argument String offerId,
                                                     @Argument String affiliateId, @Argument String from, @Argument String to,
                                                     @Argument Integer limit, DataFetchingEnvironment env) {
        Caller caller = caller(env);
        FieldErrors errors = new FieldErrors();
        Instant f = instant(errors, "from", from);
        Instant t = instant(errors, "to", to);
        errors.throwIfAny();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) moderation.list(caller, status, held, offerId, affiliateId,
                f, t, limit == null ? 100 : limit).get("items");
        return items;
    }

    private Map<String, Object> one(DataFetchingEnvironment env, String conversionId, ModerationAction action, String reason,
                                    String revenue, String payout) {
        Caller caller = caller(env);
        FieldErrors errors = new FieldErrors();
        BigDecimal rev = decimal(errors, "revenue", revenue);
        BigDecimal pay = decimal(errors, "payout", payout);
        if (conversionId.isEmpty() || conversionId.length() > 64) {
            errors.add("conversionId", "conversionId must be 1 to 64 characters");
        }
        errors.throwIfAny();
        ModerationController.ModerationRequest request = new ModerationController.ModerationRequest(reason, rev, pay);
        valid(request);
        return refusalsAsProblems(() -> switch (action) {
            case APPROVE -> moderation.approve(caller, conversionId, request);
            case REJECT -> moderation.reject(caller, conversionId, request);
            case REVERSE -> moderation.reverse(caller, conversionId, request);
            case ADJUST -> moderation.adjust(caller, conversionId, request);
        });
    }

    /** The click's refusal as the problem REST answers with (REST's exception handler does this for its routes). */
    private static <T> T refusalsAsProblems(Supplier<T> call) {
        try {
            return call.get();
        } catch (CommandExecutionException e) {
            if (e.getDetails().orElse(null) instanceof CommandRejection rejection) {
                throw ApiProblem.of(rejection);
            }
            if (e.getDetails().orElse(null) instanceof ApiProblem problem) {
                throw problem;
            }
            throw e;
        } catch (ConcurrencyException e) {
            throw ApiProblem.conflict("concurrent-change", "the conversion changed at the same time; retry");
        }
    }

    /** The bean-validation constraints REST applies to the same request ({@code @Valid}), as one 400 naming each field. */
    private void valid(Object request) {
        Set<ConstraintViolation<Object>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            FieldErrors errors = new FieldErrors();
            violations.stream().sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .forEach(v -> errors.add(v.getPropertyPath().toString(), v.getPropertyPath() + " " + v.getMessage()));
            errors.throwIfAny();
        }
    }

    private static BigDecimal decimal(FieldErrors errors, String field, String value) {
        if (value == null) {
            return null;
        }
        if (!DECIMAL.matcher(value).matches()) {
            errors.add(field, field + " must be a decimal string such as \"12.50\"");
            return null;
        }
        return new BigDecimal(value);
    }

    private static Instant instant(FieldErrors errors, String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(field, field + " must be an ISO-8601 instant such as 2026-12-01T00:00:00Z");
            return null;
        }
    }

    private static Caller caller(DataFetchingEnvironment env) {
        return env.getGraphQlContext().get(Caller.REQUEST_ATTRIBUTE);
    }
}
