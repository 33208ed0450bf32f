package io.affnet.domain.outbound;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PostbackTemplateRulesTest {

    @Test
    void acceptsAGoodTemplate() {
        assertThat(PostbackTemplateRules.urlProblem("https://t.example:8443/p/{offer_id}?c={click_id}&ts={timestamp}")).isNull();
    }

    @Test
    void refusesUnknownMacrosBadSchemesMacroHostsAndLongUrls() {
        assertThat(PostbackTemplateRules.urlProblem("https://t.example/?c={clickid}")).contains("unknown macros {clickid}");
        assertThat(PostbackTemplateRules.urlProblem("ftp://t.example/")).contains("http:// or https://");
        assertThat(PostbackTemplateRules.urlProblem("//t.example/")).contains("http:// or https://");
        assertThat(PostbackTemplateRules.urlProblem("https://{sub1}.t.example/")).contains("not in the scheme, host or port");
        assertThat(PostbackTemplateRules.urlProblem("https://t.example:{sub1}/")).contains("not in the scheme, host or port");
        assertThat(PostbackTemplateRules.urlProblem("https://user:pw@t.example/")).contains("user name or password");
        assertThat(PostbackTemplateRules.urlProblem("https://t.example/?c={click_id")).contains("unclosed");
        assertThat(PostbackTemplateRules.urlProblem("https://t.example/#x")).contains("fragment");
        assertThat(PostbackTemplateRules.urlProblem("https://t.example/?" + "a".repeat(2050))).contains("longer than 2048");
    }
}
