package be.absencebridge.config;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** An inbound webhook event is one half-day: a body larger than the limit is refused with 413 before it is read. */
@Configuration(proxyBeanMethods = false)
public class InboundLimitsConfiguration {

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> inboundBodySizeLimit(BridgeProperties props) {
        FilterRegistrationBean<BodySizeLimitFilter> bean = new FilterRegistrationBean<>(
                new BodySizeLimitFilter(props.inbound().maxBodyBytes()));
        bean.addUrlPatterns("/api/inbound/*");
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return bean;
    }
}
