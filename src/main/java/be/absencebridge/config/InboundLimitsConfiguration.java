package be.absencebridge.config;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The webhooks' way in. An inbound webhook event is one half-day: a body larger than the limit is refused with 413
 * before it is read. A push within the limit goes straight to Camel's servlet, past the filters Spring maps to every
 * request: its security chain (the webhooks need no login, session, CSRF token or security headers: the routes check
 * each push's HMAC signature), the request observation, the character-encoding, form and request-context filters.
 * Measured on the benchmark: those filters took a third of the request threads' CPU, a tenth of the bridge's. Camel's
 * route timers still count every push.
 */
@Configuration(proxyBeanMethods = false)
public class InboundLimitsConfiguration {

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> inboundBodySizeLimit(BridgeProperties props,
            @org.springframework.beans.factory.annotation.Value("${camel.servlet.mapping.servlet-name:CamelServlet}") String camelServlet) {
        FilterRegistrationBean<BodySizeLimitFilter> bean = new FilterRegistrationBean<>(
                new BodySizeLimitFilter(props.inbound().maxBodyBytes(), camelServlet));
        bean.addUrlPatterns("/api/inbound/*");
        // first: a push that goes straight to Camel's servlet meets no filter before this one
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return bean;
    }
}
