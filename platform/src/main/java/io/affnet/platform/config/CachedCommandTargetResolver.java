package io.affnet.platform.config;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.ReflectionUtils;
import org.axonframework.common.annotation.AnnotationUtils;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Member;
import java.lang.reflect.Method;

/**
 * Axon's {@link AnnotationCommandTargetResolver} with the annotated members found once per command class. Axon's
 * walks every method and field of the command's class (and its interfaces) and asks Spring-style annotation lookups
 * of each, for the identifier and again for the version, on <em>every</em> command: 16 % of the {@code ledger-intake}
 * thread's CPU in the postback bench's profile (docs/bench-postbacks.md, Session 12), more than the ledger's own
 * decision. This one finds the same members in the same order (methods first, then fields; the first annotated
 * one wins) the first time a class is seen and afterwards only reads them; the answers, and the exceptions for a
 * command without an identifier, are Axon's.
 */
final class CachedCommandTargetResolver implements CommandTargetResolver {

    private record Target(Member identifier, Member version) {
    }

    private final ClassValue<Target> targets = new ClassValue<>() {
        @Override
        protected Target computeValue(Class<?> type) {
            return new Target(find(type, TargetAggregateIdentifier.class), find(type, TargetAggregateVersion.class));
        }
    };

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        Object payload = command.getPayload();
        Target target = targets.get(command.getPayloadType());
        Object identifier;
        Object version;
        try {
            identifier = read(target.identifier(), payload);
            version = read(target.version(), payload);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("An exception occurred while extracting aggregate information form a command", e);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException(
                    "The current security context does not allow extraction of aggregate information from the given command.", e);
        }
        if (identifier == null) {
            throw new IllegalArgumentException("Invalid command. It does not identify the target aggregate. "
                    + "Make sure at least one of the fields or methods in the [" + command.getPayloadType().getSimpleName()
                    + "] class contains the @TargetAggregateIdentifier annotation and that it returns a non-null value.");
        }
        return new VersionedAggregateIdentifier(identifier, asLong(version));
    }

    private static Member find(Class<?> type, Class<? extends Annotation> annotation) {
        for (Method m : ReflectionUtils.methodsOf(type)) {
            if (AnnotationUtils.isAnnotationPresent(m, annotation)) {
                return ReflectionUtils.ensureAccessible(m);
            }
        }
        for (Field f : ReflectionUtils.fieldsOf(type)) {
            if (AnnotationUtils.isAnnotationPresent(f, annotation)) {
                return ReflectionUtils.ensureAccessible(f);
            }
        }
        return null;
    }

    private static Object read(Member member, Object payload) throws InvocationTargetException, IllegalAccessException {
        if (member == null) {
            return null;
        }
        if (member instanceof Method m) {
            return m.invoke(payload);
        }
        return ((Field) member).get(payload);
    }

    private static Long asLong(Object version) {
        if (version == null) {
            return null;
        }
        if (version instanceof Number n) {
            return n.longValue();
        }
        return Long.parseLong(version.toString());
    }
}
