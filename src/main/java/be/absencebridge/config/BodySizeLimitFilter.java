package be.absencebridge.config;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses bodies larger than a limit with 413 problem details: by {@code Content-Length} before reading, and, for a body
 * without one (chunked) or one shorter than it claims, by reading it here, up to one byte past the limit, before anything
 * else sees it. A webhook's body is small (the limit is tens of kilobytes), so it is read whole here and handed on as
 * bytes: a body past the limit never reaches the route (where a failed read was a 503 and an ERROR line), and the
 * route's read cannot fail half-way. With a servlet named, a request within the limit is forwarded to that servlet (a
 * named dispatch, which the filters mapped to requests do not see) instead of going down the rest of the filter chain.
 */
public final class BodySizeLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final String servlet;

    public BodySizeLimitFilter(long maxBytes) {
        this(maxBytes, null);
    }

    public BodySizeLimitFilter(long maxBytes, String servlet) {
        if (maxBytes < 0 || maxBytes >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bridge.inbound.max-body-bytes must be between 0 and " + (Integer.MAX_VALUE - 1));
        }
        this.maxBytes = maxBytes;
        this.servlet = servlet;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            tooLarge(response);
            return;
        }
        byte[] body = readUpTo(request.getInputStream(), (int) maxBytes + 1);
        if (body.length > maxBytes) {
            tooLarge(response);
            return;
        }
        HttpServletRequest read = new Read(request, body);
        jakarta.servlet.RequestDispatcher direct = servlet == null ? null : request.getServletContext().getNamedDispatcher(servlet);
        if (direct != null) {
            direct.forward(read, response);
        } else {
            chain.doFilter(read, response);
        }
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        response.setStatus(413);
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Payload Too Large\",\"status\":413,"
                + "\"detail\":\"request body larger than " + maxBytes + " bytes\"}");
    }

    /** At most {@code max} bytes of the stream (fewer when it ends first). */
    private static byte[] readUpTo(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 8192));
        byte[] buffer = new byte[8192];
        int n;
        while (out.size() < max && (n = in.read(buffer, 0, Math.min(buffer.length, max - out.size()))) >= 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** The request with its body already read. */
    private static final class Read extends HttpServletRequestWrapper {
        private final byte[] body;
        private ServletInputStream stream;

        Read(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            if (stream == null) {
                stream = new Bytes(body);
            }
            return stream;
        }

        @Override
        public java.io.BufferedReader getReader() throws java.io.UnsupportedEncodingException {
            String charset = getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
                    charset == null ? java.nio.charset.StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(charset)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }

    private static final class Bytes extends ServletInputStream {
        private final ByteArrayInputStream in;

        Bytes(byte[] body) {
            this.in = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            try {
                if (isFinished()) {
                    listener.onAllDataRead();
                } else {
                    listener.onDataAvailable();
                }
            } catch (IOException e) {
                listener.onError(e);
            }
        }
    }
}
