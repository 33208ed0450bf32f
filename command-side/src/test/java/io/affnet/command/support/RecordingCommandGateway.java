package io.affnet.command.support;

import org.axonframework.commandhandling.gateway.CommandGateway;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A {@link CommandGateway} for an HTTP edge's own tests: it keeps the commands the controller sent and
 * answers {@code sendAndWait} with what {@code answer} says, so a test sees exactly what reached the
 * command side (and that a refused request sent nothing).
 */
public final class RecordingCommandGateway {

    private final List<Object> sent = new CopyOnWriteArrayList<>();
    private final CommandGateway gateway;

    public RecordingCommandGateway(Function<Object, Object> answer) {
        this.gateway = (CommandGateway) Proxy.newProxyInstance(CommandGateway.class.getClassLoader(),
                new Class<?>[]{CommandGateway.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendAndWait") && args != null && args.length >= 1) {
                        sent.add(args[0]);
                        return answer.apply(args[0]);
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "toString" -> "RecordingCommandGateway";
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> throw new UnsupportedOperationException(method.getName());
                        };
                    }
                    throw new UnsupportedOperationException("not used by the controllers under test: " + method);
                });
    }

    public CommandGateway gateway() {
        return gateway;
    }

    public List<Object> sent() {
        return sent;
    }
}
