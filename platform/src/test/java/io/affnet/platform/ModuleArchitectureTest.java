package io.affnet.platform;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Holds the module arrows of the architecture: each module may only lean on the modules it names. */
class ModuleArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = ProductClasses.get();
    }

    @Test
    void apiContractsDependOnNothingOfOurs() {
        noClasses().that().resideInAPackage("io.affnet.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.affnet.domain..", "io.affnet.command..",
                        "io.affnet.query..", "io.affnet.projections..", "io.affnet.sagas..", "io.affnet.distribution..",
                        "io.affnet.web..", "io.affnet.platform..")
                .check(classes);
        noClasses().that().resideInAPackage("io.affnet.api..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .check(classes);
    }

    @Test
    void domainHasNoSpringAndOnlyKnowsTheContracts() {
        noClasses().that().resideInAPackage("io.affnet.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.servlet..")
                .check(classes);
        noClasses().that().resideInAPackage("io.affnet.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("io.affnet.command..", "io.affnet.query..",
                        "io.affnet.projections..", "io.affnet.sagas..", "io.affnet.web..", "io.affnet.platform..")
                .check(classes);
    }

    @Test
    void querySideAndProjectionsNeverUseTheDomain() {
        noClasses().that().resideInAnyPackage("io.affnet.query..", "io.affnet.projections..")
                .should().dependOnClassesThat().resideInAnyPackage("io.affnet.domain..", "io.affnet.command..")
                .check(classes);
    }

    /**
     * The query side reads the views through their contracts in api-contracts ({@code ReportSchema},
     * {@code ReportIndices}, {@code TenantDocument}, {@code ViewAliases}, {@code ReportSharingRow}), never through
     * the projections that write them; the rebuild's HTTP edge is command-side's, behind {@code ReportRebuilds}
     * (decision 0014).
     */
    @Test
    void querySideDoesNotDependOnProjections() {
        noClasses().that().resideInAPackage("io.affnet.query..")
                .should().dependOnClassesThat().resideInAPackage("io.affnet.projections..")
                .check(classes);
    }

    @Test
    void trafficDistributionIsPlainJavaOnTheContracts() {
        noClasses().that().resideInAPackage("io.affnet.distribution..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.axonframework..",
                        "io.affnet.domain..", "io.affnet.command..", "io.affnet.query..", "io.affnet.projections..",
                        "io.affnet.sagas..", "io.affnet.web..", "io.affnet.platform..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void sagasAndCommandSideStayInTheirLanes() {
        noClasses().that().resideInAPackage("io.affnet.sagas..")
                .should().dependOnClassesThat().resideInAnyPackage("io.affnet.domain..", "io.affnet.command..",
                        "io.affnet.query..")
                .allowEmptyShould(true)
                .check(classes);
        noClasses().that().resideInAPackage("io.affnet.command..")
                .should().dependOnClassesThat().resideInAnyPackage("io.affnet.query..", "io.affnet.projections..",
                        "io.affnet.sagas..")
                .check(classes);
        noClasses().that().resideInAPackage("io.affnet.web..")
                .should().dependOnClassesThat().resideInAnyPackage("io.affnet.domain..", "io.affnet.command..",
                        "io.affnet.query..", "io.affnet.projections..", "io.affnet.sagas..")
                .check(classes);
    }

    /**
     * {@code sagas} holds process managers and their workers, no HTTP: its classes are no controllers and
     * know neither Spring's web layer, servlets, OpenAPI annotations nor {@code web-support}. The HTTP edge
     * (command-side) calls its ports and turns their refusals into problem documents.
     */
    @Test
    void sagasHaveNoHttpEdge() {
        noClasses().that().resideInAPackage("io.affnet.sagas..")
                .should().beAnnotatedWith(org.springframework.stereotype.Controller.class)
                .orShould().beAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
                .orShould().beAnnotatedWith(org.springframework.web.bind.annotation.ControllerAdvice.class)
                .orShould().beAnnotatedWith(org.springframework.web.bind.annotation.RestControllerAdvice.class)
                .orShould().beAssignableTo(jakarta.servlet.Servlet.class)
                .orShould().beAssignableTo(jakarta.servlet.Filter.class)
                .orShould().dependOnClassesThat().resideInAnyPackage("org.springframework.web..", "org.springframework.http..",
                        "jakarta.servlet..", "io.swagger..", "org.springdoc..", "io.affnet.web..")
                .check(classes);
    }

    /** The rule above can fail: the classes it reads include sagas' and command-side's. */
    @Test
    void theSagasRuleSeesBothSides() {
        assertThat(classes.containPackage("io.affnet.sagas.payout.webhook")).isTrue();
        assertThat(classes.contain("io.affnet.command.payout.ProcessorWebhookController")).isTrue();
    }
}
