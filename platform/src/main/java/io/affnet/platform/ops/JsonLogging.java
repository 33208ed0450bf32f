package io.affnet.platform.ops;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * {@code affnet.logging.json=true} switches the console log to Spring Boot's structured JSON
 * ({@code logging.structured.format.console}, format {@code affnet.logging.json-format}: ecs, logstash
 * or gelf; ecs by default). Runs before the logging system starts, so every line, start-up included,
 * is JSON. An explicit {@code logging.structured.format.console} wins.
 */
public class JsonLogging implements EnvironmentPostProcessor {

    static final String SWITCH = "affnet.logging.json";
    static final String FORMAT = "affnet.logging.json-format";
    static final String BOOT_FORMAT = "logging.structured.format.console";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty(SWITCH, Boolean.class, false) || environment.containsProperty(BOOT_FORMAT)) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource("affnetJsonLogging",
                Map.of(BOOT_FORMAT, environment.getProperty(FORMAT, "ecs"))));
    }
}
