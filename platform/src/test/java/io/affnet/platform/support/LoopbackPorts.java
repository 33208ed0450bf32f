package io.affnet.platform.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for relays and child processes that a test closes and binds again (a store that "comes back",
 * a node restarted on its address). They are taken below the kernel's ephemeral range (32768 and up on
 * Linux): a port from {@code new ServerSocket(0)} is in that range, so while it is unbound any outgoing
 * connection on the machine may be given it as its local port, and binding it again fails with
 * "Address already in use" (CI failed on that once).
 */
public final class LoopbackPorts {

    private static final int FIRST = 20_000;
    private static final int LAST = 32_000;

    private LoopbackPorts() {
    }

    /** A loopback port nothing listens on now, outside the ephemeral range. */
    public static int unused() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FIRST, LAST);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // in use: try another
            }
        }
        throw new IOException("no unused loopback port between " + FIRST + " and " + LAST + " after 200 tries");
    }
}
