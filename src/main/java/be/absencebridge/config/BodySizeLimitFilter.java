package be.absencebridge.config;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Refuses bodies larger than a limit with 413: by {@code Content-Length} before reading, and by counting
 * for chunked bodies, so an oversized request never fills the heap. With a servlet named, a request within the limit
 * is forwarded to that servlet (a named dispatch, which the filters mapped to requests do not see) instead of going
 * down the rest of the filter chain.
 */
public final class BodySizeLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final String servlet;

    public BodySizeLimitFilter(long maxBytes) {
        this(maxBytes, null);
    }

    public BodySizeLimitFilter(long maxBytes, String servlet) {
        this.maxBytes = maxBytes;
        this.servlet = servlet;
    }

    /** Thrown while reading a body past the limit; mapped to 413 by the exception handlers. */
    public static final class BodyTooLargeException extends IOException {
        public BodyTooLargeException(long max) {
            super("request body larger than " + max + " bytes");
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length > maxBytes) {
            response.setStatus(413);
            response.setContentType("application/problem+json");
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Payload Too Large\",\"status\":413,"
                    + "\"detail\":\"request body larger than " + maxBytes + " bytes\"}");
            return;
        }
        HttpServletRequest limited = new HttpServletRequestWrapper(request) {
            private ServletInputStream stream;

            @Override
            public ServletInputStream getInputStream() throws IOException {
                if (stream == null) {
                    stream = new Limited(super.getInputStream(), maxBytes);
                }
                return stream;
            }
        };
        jakarta.servlet.RequestDispatcher direct = servlet == null ? null : request.getServletContext().getNamedDispatcher(servlet);
        if (direct != null) {
            direct.forward(limited, response);
        } else {
            chain.doFilter(limited, response);
        }
    }

    private static final class Limited extends ServletInputStream {
        private final ServletInputStream in;
        private final long max;
        private long count;

        Limited(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        private int counted(int n) throws IOException {
            if (n > 0) {
                count += n;
                if (count > max) {
                    throw new BodyTooLargeException(max);
                }
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return counted(in.read(b, off, len));
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
