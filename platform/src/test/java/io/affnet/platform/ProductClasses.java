package io.affnet.platform;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The product's classes (no tests), imported once per test JVM for the architecture tests: an import takes long. */
final class ProductClasses {

    private static JavaClasses classes;

    private ProductClasses() {
    }

    static synchronized JavaClasses get() {
        if (classes == null) {
            classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.affnet");
        }
        return classes;
    }
}
