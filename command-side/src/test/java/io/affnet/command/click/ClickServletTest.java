package io.affnet.command.click;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The click redirect's input checks: a code that cannot be a link, a sub value the platform will not
 * record, a method that is not GET. Nothing behind the checks is wired (no click service, device
 * classifier, country resolver or IP hasher), so a request that got past them would fail the test.
 */
class ClickServletTest {

    private final ClickServlet servlet = new ClickServlet(null, null, null, null, "X-Forwarded-For", "affnet_click");
    private final ObjectMapper json = new ObjectMapper();

    private MockHttpServletResponse get(String pathInfo, String... params) throws Exception {
        return call("GET", pathInfo, params);
    }

    private MockHttpServletResponse call(String method, String pathInfo, String... params) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/c" + (pathInfo == null ? "" : pathInfo));
        request.setServletPath("/c");
        request.setPathInfo(pathInfo);
        for (int i = 0; i < params.length; i += 2) {
            request.addParameter(params[i], params[i + 1]);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        servlet.service(request, response);
        return response;
    }

    private JsonNode problem(MockHttpServletResponse response, int status, String type) throws Exception {
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        JsonNode body = json.readTree(response.getContentAsString());
        assertThat(body.path("type").asText()).isEqualTo("https://affnet.dev/problems/" + type);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        return body;
    }

    @Test
    void aClickUrlWithoutACodeIsA404ProblemThatSaysHowTheUrlIsBuilt() throws Exception {
        assertThat(problem(get(null), 404, "link-not-found").path("detail").asText()).contains("/c/{code}");
        assertThat(problem(get("/"), 404, "link-not-found").path("detail").asText()).contains("/c/{code}");
    }

    @Test
    void aCodeWithCharactersNoLinkCodeHasOrOver64IsA404ProblemNotAPage() throws Exception {
        for (String code : new String[]{"abc.def", "abc%20def", "ab'c", "code/extra", "<script>", "a".repeat(65)}) {
            JsonNode body = problem(get("/" + code), 404, "link-not-found");
            assertThat(body.path("detail").asText()).as(code).isEqualTo("No link has this code.");
        }
    }

    @Test
    void aSubValueWithControlCharactersOrOver500CharactersIsA400NamingTheParameter() throws Exception {
        JsonNode control = problem(get("/Ab3_x-9", "sub2", "a\u0000b"), 400, "invalid-click-parameter");
        assertThat(control.path("detail").asText()).contains("'sub2'").contains("control characters");
        JsonNode alias = problem(get("/Ab3_x-9", "aff_sub3", "line\nbreak"), 400, "invalid-click-parameter");
        assertThat(alias.path("detail").asText()).contains("'aff_sub3'");
        JsonNode tooLong = problem(get("/Ab3_x-9", "source", "s".repeat(501)), 400, "invalid-click-parameter");
        assertThat(tooLong.path("detail").asText()).contains("'source'").contains("501").contains("500");
    }

    @Test
    void onlyGetFollowsALinkHeadAndOptionsAnswerWithoutRecording() throws Exception {
        MockHttpServletResponse head = call("HEAD", "/Ab3_x-9");
        assertThat(head.getStatus()).isEqualTo(405);
        assertThat(head.getHeader("Allow")).isEqualTo("GET, OPTIONS");
        assertThat(head.getContentAsByteArray()).isEmpty();
        MockHttpServletResponse options = call("OPTIONS", "/Ab3_x-9");
        assertThat(options.getStatus()).isEqualTo(204);
        assertThat(options.getHeader("Allow")).isEqualTo("GET, OPTIONS");
        JsonNode post = problem(call("POST", "/Ab3_x-9"), 405, "method-not-allowed");
        assertThat(post.path("detail").asText()).contains("use GET");
    }
}
