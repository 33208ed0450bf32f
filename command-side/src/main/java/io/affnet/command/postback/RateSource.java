package io.affnet.command.postback;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Where a set of reference rates is loaded from: a file (the shipped ECB file by default) or a URL. */
@FunctionalInterface
public interface RateSource {

    RateSet load() throws IOException;

    /** An ECB eurofxref file on disk. */
    static RateSource file(Path path) {
        return () -> {
            try (InputStream in = Files.newInputStream(path)) {
                return EcbReferenceRates.parse(in, "ecb-file");
            }
        };
    }

    /** The ECB file shipped in the platform jar ({@code fx/eurofxref-daily.xml}). */
    static RateSource shipped() {
        return () -> {
            try (InputStream in = RateSource.class.getResourceAsStream("/fx/eurofxref-daily.xml")) {
                if (in == null) {
                    throw new IOException("fx/eurofxref-daily.xml is missing from the classpath");
                }
                return EcbReferenceRates.parse(in, "ecb-shipped");
            }
        };
    }

    /** An ECB eurofxref document fetched over HTTP(S), e.g. the ECB's own daily file. */
    static RateSource url(URI uri) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        return () -> {
            try {
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = r.body()) {
                    if (r.statusCode() != 200) {
                        throw new IOException("rate source " + uri + " answered " + r.statusCode());
                    }
                    return EcbReferenceRates.parse(in, "ecb-url");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted loading " + uri, e);
            }
        };
    }
}
