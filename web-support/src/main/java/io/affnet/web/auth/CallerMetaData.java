package io.affnet.web.auth;

import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MetaData;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Stamps every command and query sent while serving an API request with who sent it: {@code tenantId},
 * {@code principalId}, {@code role} and {@code keyId} from the caller's key, the channel ({@code rest}) and a
 * {@code requestId} (the request's {@code X-Request-Id} when it is a sane token, else one made up and shared
 * by every command of the request). A correlation-data provider for the same
 * keys copies them onto every event the command causes, so each stored event records who did it.
 * Messages sent outside a request (clicks, postbacks, projections) carry what their senders set.
 */
public class CallerMetaData<M extends Message<?>> implements MessageDispatchInterceptor<M> {

    public static final String TENANT_ID = "tenantId";
    public static final String PRINCIPAL_ID = "principalId";
    public static final String ROLE = "role";
    public static final String KEY_ID = "keyId";
    public static final String CHANNEL = "channel";
    public static final String REQUEST_ID = "requestId";
    public static final List<String> KEYS = List.of(TENANT_ID, PRINCIPAL_ID, ROLE, KEY_ID, CHANNEL, REQUEST_ID);

    private static final String REQUEST_ID_ATTRIBUTE = CallerMetaData.class.getName() + ".requestId";
    private static final java.util.regex.Pattern SANE_REQUEST_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    @Override
    @SuppressWarnings("unchecked")
    public BiFunction<Integer, M, M> handle(List<? extends M> messages) {
        return (index, message) -> {
            RequestAttributes request = RequestContextHolder.getRequestAttributes();
            Object caller = request == null ? null : request.getAttribute(Caller.REQUEST_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
            if (!(caller instanceof Caller c)) {
                return message;
            }
            Map<String, Object> who = new HashMap<>();
            if (c.tenantId() != null) {
                who.put(TENANT_ID, c.tenantId().value());
            }
            who.put(PRINCIPAL_ID, c.principalId());
            who.put(ROLE, c.role().name());
            if (request.getAttribute(ApiKeyAuthFilter.KEY_ID_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST) instanceof String keyId) {
                who.put(KEY_ID, keyId);
            }
            who.put(CHANNEL, "rest");
            who.put(REQUEST_ID, requestId(request));
            return (M) message.andMetaData(MetaData.from(who));
        };
    }

    private static String requestId(RequestAttributes request) {
        if (request.getAttribute(REQUEST_ID_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST) instanceof String id) {
            return id;
        }
        String id = null;
        if (request instanceof org.springframework.web.context.request.ServletRequestAttributes servlet) {
            String header = servlet.getRequest().getHeader("X-Request-Id");
            if (header != null && SANE_REQUEST_ID.matcher(header).matches()) {
                id = header;
            }
        }
        if (id == null) {
            id = java.util.UUID.randomUUID().toString();
        }
        request.setAttribute(REQUEST_ID_ATTRIBUTE, id, RequestAttributes.SCOPE_REQUEST);
        return id;
    }
}
