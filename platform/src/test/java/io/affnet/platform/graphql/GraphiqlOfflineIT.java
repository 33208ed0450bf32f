package io.affnet.platform.graphql;

import io.affnet.platform.support.HeadlessChromium;
import io.affnet.platform.support.PlatformIT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GraphiQL needs nothing but the platform: its page references only assets the platform serves, and it
 * starts in a headless Chromium that cannot resolve any other host.
 */
class GraphiqlOfflineIT extends PlatformIT {

    private HeadlessChromium chromium;
    private WebDriver browser;

    @AfterEach
    void closeBrowser() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void thePageReferencesOnlyAssetsThePlatformServes() {
        Response page = send("GET", "/graphiql?path=/graphql", null, null);
        assertThat(page.status()).isEqualTo(200);
        Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
        List<String> assets = new java.util.ArrayList<>();
        while (refs.find()) {
            assets.add(refs.group(1));
        }
        assertThat(assets).hasSizeGreaterThanOrEqualTo(4).allSatisfy(ref -> {
            assertThat(URI.create(ref).isAbsolute()).as("%s is served from elsewhere", ref).isFalse();
            assertThat(ref).as("protocol-relative %s", ref).doesNotStartWith("//");
            Response asset = send("GET", ref, null, null);
            assertThat(asset.status()).as(ref).isEqualTo(200);
            assertThat(asset.body()).as(ref).isNotEmpty();
        });
        assertThat(page.body()).doesNotContain("esm.sh").doesNotContain("unpkg").doesNotContain("importmap");
    }

    @Test
    void graphiqlStartsAndRunsAQueryInABrowserThatCannotReachAnyOtherHost() throws Exception {
        browser = chrome();
        browser.get(base + "/graphiql?path=/graphql");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(d -> !d.findElements(By.cssSelector(".graphiql-container")).isEmpty());
        // Every resource the page loaded came from the platform.
        @SuppressWarnings("unchecked")
        List<String> loaded = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name);");
        assertThat(loaded).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(base));
        assertThat(browser.findElements(By.cssSelector(".graphiql-execute-button"))).hasSize(1);
        // From this page, a tenant's key reaches the platform's /graphql.
        String key = registerTenant(uniqueSlug("graphiql"))[1];
        Object typeName = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/graphql', {method: 'POST',
                    headers: {'Content-Type': 'application/json', 'Authorization': 'Bearer ' + arguments[0]},
                    body: JSON.stringify({query: '{ __schema { queryType { name } } }'})})
                  .then(r => r.json()).then(j => done(j.data ? j.data.__schema.queryType.name : JSON.stringify(j)))
                  .catch(e => done('failed: ' + e));""", key);
        assertThat(typeName).isEqualTo("Query");
    }

    private WebDriver chrome() throws Exception {
        chromium = new HeadlessChromium(1280, 1000);
        return chromium.driver();
    }
}
