package be.absencebridge.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP receiver on loopback that records what the simulators push, as the bridge would receive it. */
public final class PushRecorder implements AutoCloseable {

    /** A push as received: its path, its {@code X-Signature} and {@code X-Signature-Timestamp}, its body. */
    public record Push(String path, String signature, byte[] body, String timestamp) {
        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Push> pushes = new CopyOnWriteArrayList<>();

    public PushRecorder() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            pushes.add(new Push(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("X-Signature"), body,
                    exchange.getRequestHeaders().getFirst("X-Signature-Timestamp")));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Push> pushes() {
        return pushes;
    }

    /** The pushes to the path, or under it (each Smartschool platform pushes to a path of its own). */
    public List<Push> pushes(String path) {
        return pushes.stream().filter(p -> p.path().equals(path) || p.path().startsWith(path + "/")).toList();
    }

    public void clear() {
        pushes.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
