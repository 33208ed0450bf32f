package io.affnet.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.common.TenantId;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whose event this is: the {@code tenantId} of its metadata (set on clicks, conversions and every command
 * a tenant's key sent), else the {@code tenantId} field of its payload (events the operator caused, such
 * as a registration), else nobody's ({@link #PLATFORM}).
 */
public final class EventTenants {

    /** The chain of events that belong to no tenant. */
    public static final String PLATFORM = "_platform";

    private static final Map<Class<?>, Optional<Method>> ACCESSORS = new ConcurrentHashMap<>();

    private EventTenants() {
    }

    public static String of(Map<String, ?> metaData, Object payload) {
        Object fromMeta = metaData.get("tenantId");
        if (fromMeta instanceof String s && !s.isEmpty()) {
            return s;
        }
        if (payload == null) {
            return PLATFORM;
        }
        Optional<Method> accessor = ACCESSORS.computeIfAbsent(payload.getClass(), EventTenants::accessor);
        if (accessor.isEmpty()) {
            return PLATFORM;
        }
        try {
            Object value = accessor.get().invoke(payload);
            if (value instanceof TenantId id) {
                return id.value();
            }
            return value instanceof String s && !s.isEmpty() ? s : PLATFORM;
        } catch (ReflectiveOperationException e) {
            return PLATFORM;
        }
    }

    /** The same decision from stored JSON (metadata and payload bytes), for events that have no chain link. */
    public static String ofStored(ObjectMapper json, byte[] metaData, byte[] payload) {
        try {
            JsonNode meta = metaData == null ? null : json.readTree(metaData);
            if (meta != null && meta.path("tenantId").isTextual() && !meta.path("tenantId").asText().isEmpty()) {
                return meta.path("tenantId").asText();
            }
            JsonNode tenant = json.readTree(payload).path("tenantId");
            if (tenant.isObject()) {
                tenant = tenant.path("value");
            }
            return tenant.isTextual() && !tenant.asText().isEmpty() ? tenant.asText() : PLATFORM;
        } catch (IOException e) {
            return PLATFORM;
        }
    }

    private static Optional<Method> accessor(Class<?> type) {
        if (!type.isRecord()) {
            return Optional.empty();
        }
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getName().equals("tenantId")) {
                return Optional.of(c.getAccessor());
            }
        }
        return Optional.empty();
    }
}
