package io.affnet.command.geo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Autonomous systems of hosting, cloud and data-centre networks (the list shipped in
 * {@code geoip/hosting-asns.txt}, plus any a deployment adds). A click from one is rarely a person.
 */
public final class HostingNetworks {

    static final String RESOURCE = "/geoip/hosting-asns.txt";

    private final Set<Long> asns;

    public HostingNetworks(Collection<Long> asns) {
        this.asns = Set.copyOf(asns);
    }

    /** The shipped list plus {@code extra}. */
    public static HostingNetworks shippedPlus(Collection<Long> extra) {
        Set<Long> all = new HashSet<>(extra);
        try (InputStream in = HostingNetworks.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int space = line.indexOf(' ');
                all.add(Long.parseLong(space < 0 ? line : line.substring(0, space)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HostingNetworks(all);
    }

    public boolean contains(Long asn) {
        return asn != null && asns.contains(asn);
    }

    public int size() {
        return asns.size();
    }
}
