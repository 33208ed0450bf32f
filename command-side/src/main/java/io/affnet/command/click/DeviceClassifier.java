package io.affnet.command.click;

import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Classifies a user agent into the device classes offers target (desktop, phone, tablet, tv, console,
 * wearable, bot, unknown) with Yauaa, a maintained UA parser. Only the DeviceClass field is computed,
 * with a cache, so a repeated user agent costs a map lookup. The analyzer loads its rules in the
 * background at start; until then clicks are classified {@code unknown}.
 */
public class DeviceClassifier {

    private final CompletableFuture<UserAgentAnalyzer> analyzer;

    public DeviceClassifier(int cacheSize) {
        this.analyzer = CompletableFuture.supplyAsync(() -> UserAgentAnalyzer.newBuilder()
                .withField(UserAgent.DEVICE_CLASS)
                .withCache(cacheSize)
                .hideMatcherLoadStats()
                .immediateInitialization()
                .build());
    }

    public boolean ready() {
        return analyzer.isDone() && !analyzer.isCompletedExceptionally();
    }

    public void awaitReady() {
        analyzer.join();
    }

    public String classify(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "unknown";
        }
        UserAgentAnalyzer a = analyzer.getNow(null);
        if (a == null) {
            return "unknown";
        }
        return map(a.parse(userAgent).getValue(UserAgent.DEVICE_CLASS));
    }

    static String map(String yauaaClass) {
        if (yauaaClass == null) {
            return "unknown";
        }
        return switch (yauaaClass.toLowerCase(Locale.ROOT)) {
            case "desktop" -> "desktop";
            case "phone", "mobile", "handheld game console" -> yauaaClass.equalsIgnoreCase("handheld game console") ? "console" : "phone";
            case "tablet", "e-reader" -> "tablet";
            case "tv", "set-top box" -> "tv";
            case "game console" -> "console";
            case "watch", "augmented reality", "virtual reality" -> "wearable";
            case "robot", "robot mobile", "robot imitator", "hacker", "cloud" -> "bot";
            default -> "unknown";
        };
    }
}
