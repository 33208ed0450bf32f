package io.affnet.platform;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/events.md} is generated from the code: every event record in {@code api-contracts}, its
 * revision and fields, the classes that construct it (writers) and the handlers that take it (readers).
 * This test fails when the file is not what the code says; {@code -Daffnet.events.write=true} rewrites it.
 */
class EventCatalogueTest {

    private static final Path CATALOGUE = Path.of("..", "docs", "events.md");

    @Test
    void theEventCatalogueMatchesTheCode() throws IOException {
        String generated = catalogue();
        if (Boolean.getBoolean("affnet.events.write")) {
            Files.writeString(CATALOGUE, generated, StandardCharsets.UTF_8);
        }
        assertThat(CATALOGUE).exists();
        assertThat(Files.readString(CATALOGUE, StandardCharsets.UTF_8))
                .as("docs/events.md is out of date: run EventCatalogueTest with -Daffnet.events.write=true")
                .isEqualTo(generated);
    }

    @Test
    void everyEventHasAWriterAndARevision() {
        JavaClasses classes = importAll();
        for (JavaClass event : events(classes)) {
            assertThat(writers(event)).as("writers of " + event.getSimpleName()).isNotEmpty();
            assertThat(event.isAnnotatedWith(Revision.class)).as(event.getSimpleName() + " has @Revision").isTrue();
        }
    }

    private static JavaClasses importAll() {
        return ProductClasses.get();
    }

    private static List<JavaClass> events(JavaClasses classes) {
        return classes.stream()
                .filter(c -> c.getPackageName().startsWith("io.affnet.api.") && c.getSimpleName().endsWith("Event")
                        && c.isRecord())
                .sorted(Comparator.comparing(JavaClass::getName))
                .toList();
    }

    static String catalogue() {
        JavaClasses classes = importAll();
        StringBuilder md = new StringBuilder("""
                # Event catalogue

                Generated from the code by `EventCatalogueTest` (platform); do not edit by hand. The test fails
                when this file and the code disagree; `./affnet test -pl platform -am -Dtest=EventCatalogueTest
                -Daffnet.events.write=true` rewrites it. Writers are the classes that construct the event;
                readers are the classes with an event handler, event-sourcing handler or saga event handler for
                it. Every event is a Java record in `api-contracts`; changing one means a new `@Revision` and an
                upcaster.

                """);
        String feature = null;
        for (JavaClass event : events(classes)) {
            String pkg = event.getPackageName().substring("io.affnet.api.".length());
            if (!pkg.equals(feature)) {
                feature = pkg;
                md.append("## ").append(pkg).append("\n\n");
            }
            Class<?> type = event.reflect();
            Revision revision = type.getAnnotation(Revision.class);
            md.append("### ").append(event.getSimpleName())
                    .append(revision == null ? "" : " (revision " + revision.value() + ")").append("\n\n");
            md.append("| field | type |\n|---|---|\n");
            for (RecordComponent component : type.getRecordComponents()) {
                md.append("| `").append(component.getName()).append("` | `")
                        .append(simple(component.getGenericType())).append("` |\n");
            }
            md.append("\n- writers: ").append(list(writers(event))).append('\n');
            md.append("- readers: ").append(list(readers(classes, event))).append("\n\n");
        }
        return md.toString();
    }

    private static Set<String> writers(JavaClass event) {
        return event.getConstructorCallsToSelf().stream()
                .map(call -> call.getOriginOwner())
                .map(owner -> owner.isNestedClass() || owner.isAnonymousClass() ? topLevel(owner) : owner)
                .filter(owner -> !owner.equals(event))
                .map(EventCatalogueTest::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> readers(JavaClasses classes, JavaClass event) {
        Set<String> readers = new TreeSet<>();
        for (JavaClass c : classes) {
            for (JavaMethod m : c.getMethods()) {
                boolean handler = m.isAnnotatedWith(EventHandler.class) || m.isAnnotatedWith(EventSourcingHandler.class)
                        || m.isAnnotatedWith(SagaEventHandler.class);
                if (handler && !m.getRawParameterTypes().isEmpty() && m.getRawParameterTypes().get(0).equals(event)) {
                    readers.add(name(c));
                }
            }
        }
        return readers;
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass current = c;
        while (current.getEnclosingClass().isPresent()) {
            current = current.getEnclosingClass().get();
        }
        return current;
    }

    /** Module-relative name: package below {@code io.affnet}, then the class. */
    private static String name(JavaClass c) {
        return "`" + c.getName().substring("io.affnet.".length()) + "`";
    }

    private static String list(Set<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static String simple(Type type) {
        return type.getTypeName().replaceAll("[a-z0-9_]+(\\.[a-z0-9_]+)*\\.([A-Z])", "$2");
    }
}
