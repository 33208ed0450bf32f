package io.affnet.web.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.affnet.web.auth.AccessInterceptor;
import io.affnet.web.auth.CallerArgumentResolver;
import io.affnet.web.problem.ProblemHandler;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * Controllers of command-side or query-side behind the HTTP edge they have in the platform, without the platform:
 * the role check ({@link AccessInterceptor}), the {@code Caller} parameter and the real problem
 * documents ({@link ProblemHandler}); request bodies read as the platform reads them (unknown fields refused).
 * The caller is put on the request as the API-key filter would ({@code requestAttr(Caller.REQUEST_ATTRIBUTE, …)}).
 */
public final class StandaloneApi {

    private StandaloneApi() {
    }

    public static MockMvc of(Object... controllers) {
        return MockMvcBuilders.standaloneSetup(controllers)
                .setControllerAdvice(new ProblemHandler())
                .setCustomArgumentResolvers(new CallerArgumentResolver())
                .addInterceptors(new AccessInterceptor())
                .setMessageConverters(new MappingJackson2HttpMessageConverter(Jackson2ObjectMapperBuilder.json()
                        .featuresToEnable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()))
                .build();
    }
}
