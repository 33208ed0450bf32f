package io.affnet.platform.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP relay in front of a real store, so a test can make the store "go away" (refuse and
 * cut every connection) and "come back" on the same address without touching the store itself, or
 * "hang" (connections stay open but nothing passes until {@link #thaw()}, like a stalled network), or
 * answer slowly ({@link #delay}).
 */
public final class TcpProxy implements AutoCloseable {

    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private boolean frozen;
    private final java.util.concurrent.atomic.AtomicReference<String> commitTrap = new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicInteger trapsSprung = new java.util.concurrent.atomic.AtomicInteger();

    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.port = LoopbackPorts.unused();
        resume();
    }

    public int port() {
        return port;
    }

    public synchronized void resume() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket s = bindAgain();
        server = s;
        Thread acceptor = new Thread(() -> accept(s), "tcp-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Binds the relay's port; a socket of the connections {@link #pause()} just cut may hold it for a
     * moment, so a refused bind is retried for a few seconds before it is an error.
     */
    private ServerSocket bindAgain() throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            ServerSocket s = new ServerSocket();
            try {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return s;
            } catch (java.net.BindException inUse) {
                s.close();
                if (System.nanoTime() > deadline) {
                    throw inUse;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw inUse;
                }
            }
        }
    }

    public synchronized void pause() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    /** Holds every byte in both directions (connections stay open) until {@link #thaw()}. */
    public synchronized void freeze() {
        frozen = true;
    }

    /** Lets the held bytes and everything after them through again. */
    public synchronized void thaw() {
        frozen = false;
        notifyAll();
    }

    private volatile long delayMillis;

    /** Adds this latency to every chunk of the store's answers (zero: none), like a slow store or network. */
    public void delay(java.time.Duration latency) {
        delayMillis = latency.toMillis();
    }

    private synchronized void awaitThawed() throws InterruptedException {
        while (frozen) {
            wait();
        }
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                if (!register(s, client, upstream)) {
                    return;
                }
                boolean[] marked = {false};
                pump(client, upstream, marked, false);
                pump(upstream, client, marked, true);
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * Adds an accepted connection to those {@link #pause()} cuts, unless a pause came between the
     * accept and now (a client reconnecting at that instant): then the connection is closed at once,
     * so no connection outlives a pause.
     */
    private synchronized boolean register(ServerSocket acceptedBy, Socket client, Socket upstream) throws IOException {
        if (server != acceptedBy) {
            client.close();
            upstream.close();
            return false;
        }
        sockets.add(client);
        sockets.add(upstream);
        return true;
    }

    /**
     * PostgreSQL only: the next transaction on any connection whose statements or parameters contain
     * {@code marker} (a value only that transaction sends) commits, and the connection is cut instead of
     * passing the database's answer back: the client cannot know whether it committed (it did).
     */
    public void cutAfterNextCommitOf(String marker) {
        commitTrap.set(marker.toLowerCase(java.util.Locale.ROOT));
    }

    /** How many connections a commit trap cut. */
    public int trapsSprung() {
        return trapsSprung.get();
    }

    private void pump(Socket from, Socket to, boolean[] marked, boolean fromServer) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    awaitThawed();
                    long delay = delayMillis;
                    if (fromServer && delay > 0) {
                        Thread.sleep(delay);
                    }
                    String trap = commitTrap.get();
                    if (trap != null) {
                        String text = new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
                        if (!fromServer && text.contains(trap)) {
                            marked[0] = true;
                        }
                        // The database's CommandComplete "COMMIT" (sent whether or not the client's COMMIT
                        // was a prepared statement): it committed; the client never hears it.
                        if (fromServer && marked[0] && text.contains("commit") && commitTrap.compareAndSet(trap, null)) {
                            trapsSprung.incrementAndGet();
                            from.close();
                            to.close();
                            return;
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // the other side closed: the relay ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        thaw();
        pause();
    }
}
