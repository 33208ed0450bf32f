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
 * {@code principalId} and {@code role} from the caller's key. A correlation-data provider for the same
 * keys copies them onto every event the command causes, so each stored event records who did it.
 * Messages sent outside a request (clicks, postbacks, projections) carry what their senders set.
 */
public class CallerMetaData<M extends Message<?>> implements MessageDispatchInterceptor<M> {

    public static final String TENANT_ID = "tenantId";
    public static final String PRINCIPAL_ID = "principalId";
    public static final String ROLE = "role";
    public static final List<String> KEYS = List.of(TENANT_ID, PRINCIPAL_ID, ROLE);

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
            return (M) message.andMetaData(MetaData.from(who));
        };
    }
}
