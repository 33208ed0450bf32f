package io.affnet.platform;

import io.affnet.platform.startup.StoreProbe;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication(scanBasePackages = "io.affnet")
public class AffnetApplication {

    public static void main(String[] args) {
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication app = new SpringApplication(AffnetApplication.class);
        app.addListeners(new StoreProbe.OnEnvironmentPrepared());
        app.run(args);
    }
}
