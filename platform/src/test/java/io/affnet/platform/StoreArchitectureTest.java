package io.affnet.platform;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** Who may touch which store: one owner per stored shape, and nobody but the store configuration reads Axon's. */
class StoreArchitectureTest {

    /** Axon's own tables, in the spellings of its default JDBC schema and of its JPA entities. */
    static final List<String> AXON_TABLES = List.of("domainevententry", "domain_event_entry", "snapshotevententry",
            "snapshot_event_entry", "tokenentry", "token_entry", "sagaentry", "saga_entry", "associationvalueentry",
            "association_value_entry", "deadletterentry", "dead_letter_entry");

    static final String STORE_CONFIGURATION = "io.affnet.platform.eventstore..";
    /**
     * The audit chain is written by the storage engine itself, in the appending transaction
     * ({@code ChainedEventStorageEngine}); its store maps event ids to global indices and is part of the
     * store configuration too.
     */
    static final String AUDIT_CHAIN_STORE = "io.affnet.platform.audit.AuditChainStore";

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = ProductClasses.get();
    }

    @Test
    void onlyTheStoreConfigurationNamesAxonsTables() {
        noClasses().that().resideOutsideOfPackage(STORE_CONFIGURATION)
                .and().doNotHaveFullyQualifiedName(AUDIT_CHAIN_STORE)
                .should(nameAnyOf(AXON_TABLES))
                .check(classes);
    }

    @Test
    void theTableRuleSeesTableNamesInTheStoreConfiguration() {
        // The rule reads class files; if it could not, it would pass for everything.
        assertThat(classes.stream().filter(c -> c.getPackageName().startsWith("io.affnet.platform.eventstore"))
                .anyMatch(c -> constants(c).contains("domainevententry"))).isTrue();
    }

    @Test
    void theDomainKnowsNoStoreAndNoSpring() {
        noClasses().that().resideInAPackage("io.affnet.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "java.sql..", "javax.sql..",
                        "io.lettuce..", "redis.clients..", "co.elastic..", "org.elasticsearch..", "com.zaxxer..",
                        "org.flywaydb..", "jakarta.servlet..", "io.affnet.web..")
                .check(classes);
    }

    /**
     * HTTP classes parse, authorise, send a command or ask a read repository, and map the result: no
     * SQL, Redis or Elasticsearch of their own. On the read side the repositories are {@code ConfigEntityReads},
     * {@code OutboundReads}, {@code ApiKeyReads}, {@code CommissionReads}, {@code ReportSharingReads},
     * {@code PayoutReads}, {@code SavedReports} and the report service.
     */
    @Test
    void httpClassesReachStoresOnlyThroughRepositories() {
        noClasses().that().resideInAnyPackage("io.affnet.command..", "io.affnet.sagas..", "io.affnet.web..", "io.affnet.query..")
                .and().areAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
                .or().areAssignableTo(jakarta.servlet.http.HttpServlet.class)
                .should().dependOnClassesThat().areAssignableTo(org.springframework.jdbc.core.JdbcOperations.class)
                .orShould().dependOnClassesThat().areAssignableTo(org.springframework.data.redis.core.RedisOperations.class)
                .orShould().dependOnClassesThat().resideInAnyPackage("co.elastic..")
                .check(classes);
    }

    /** Command handlers refuse with domain exceptions or a {@code CommandRejection}; problem documents are the HTTP edge's. */
    @Test
    void commandHandlersMakeNoHttpProblems() {
        noClasses().that(new com.tngtech.archunit.base.DescribedPredicate<JavaClass>("have a command handler") {
                    @Override
                    public boolean test(JavaClass c) {
                        return c.getMethods().stream().anyMatch(m -> m.isAnnotatedWith(org.axonframework.commandhandling.CommandHandler.class))
                                || c.getConstructors().stream().anyMatch(m -> m.isAnnotatedWith(org.axonframework.commandhandling.CommandHandler.class));
                    }
                })
                .should().dependOnClassesThat().resideInAnyPackage("io.affnet.web.problem..", "org.springframework.http..")
                .check(classes);
    }

    private static ArchCondition<JavaClass> nameAnyOf(List<String> names) {
        return new ArchCondition<>("name one of Axon's tables " + names) {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                String constants = constants(javaClass);
                for (String name : names) {
                    if (constants.contains(name)) {
                        events.add(SimpleConditionEvent.violated(javaClass,
                                javaClass.getName() + " names Axon's table " + name));
                    }
                }
            }
        };
    }

    /** The class file as text, lower-cased: its string constants (SQL included) are in it verbatim. */
    private static String constants(JavaClass javaClass) {
        String resource = "/" + javaClass.getName().replace('.', '/') + ".class";
        try (InputStream in = StoreArchitectureTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "";
            }
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
