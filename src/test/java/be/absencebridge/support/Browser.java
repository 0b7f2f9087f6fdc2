package be.absencebridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A person's browser: keeps each site's cookies and follows redirects, as through a login at an identity provider. */
public final class Browser {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    /** Where the browser ended after the redirects, and what it shows. */
    public record Page(int status, URI uri, String body) {
        public com.fasterxml.jackson.databind.JsonNode json() {
            try {
                return Http.JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + " " + uri + "): " + body, e);
            }
        }
    }

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(5)).build();

    public Page get(String url, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), headers);
    }

    public Page post(String url, String contentType, String body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    /** A call of a single-page application with the login session: its CSRF token from the XSRF-TOKEN cookie. */
    public Page postJson(String url, String body) {
        return post(url, "application/json", body, "X-XSRF-TOKEN", cookie(url, "XSRF-TOKEN"));
    }

    /**
     * Logs in through the identity provider: the bridge's link to it, the provider's login form filled in and sent,
     * and every redirect back to the bridge followed; the page the browser ends on.
     */
    public Page logInThroughProvider(String loginLink, String user, String password) {
        Page form = get(loginLink);
        Matcher csrf = CSRF_FIELD.matcher(form.body());
        if (form.status() != 200 || !csrf.find()) {
            throw new IllegalStateException("no login form at the provider (" + form.status() + " " + form.uri() + "): " + form.body());
        }
        String fields = Map.of("username", user, "password", password, "_csrf", csrf.group(1)).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return post(form.uri().toString(), "application/x-www-form-urlencoded", fields);
    }

    /** A cookie's value for the site of {@code url}, or null. */
    public String cookie(String url, String name) {
        return cookies.getCookieStore().get(URI.create(url)).stream().filter(c -> c.getName().equals(name))
                .map(java.net.HttpCookie::getValue).findFirst().orElse(null);
    }

    private Page send(HttpRequest.Builder b, String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            if (headers[i + 1] != null) {
                b.header(headers[i], headers[i + 1]);
            }
        }
        try {
            HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Page(r.statusCode(), r.uri(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
