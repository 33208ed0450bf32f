package io.affnet.platform.dashboard;

import io.affnet.platform.support.HeadlessChromium;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit page ({@code /dashboard/audit.html}) in headless Chromium with an auditor's key: the history
 * browser lists the tenant's events and pages on, a filter narrows it, an event opens in full, the state at
 * now matches the live views, and the verify button reports the verified chain. Leaves a screenshot in
 * {@code target/screenshots/audit.png}.
 */
class AuditDashboardIT extends PlatformIT {

    private HeadlessChromium chromium;

    @AfterEach
    void closeBrowser() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void anAuditorBrowsesTheHistoryReplaysNowAndVerifiesTheChain() throws Exception {
        Traffic t = Traffic.tenant(this, "audit-page", false);
        String offer = t.offer("{}", 3600);
        String affiliate = t.affiliate("audit-page@example.com", "[]");
        String code = t.link(affiliate, offer);
        String click = t.clickId(code);
        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=A1&status=approved").body()).isEqualTo("accepted");
        String auditor = send("POST", "/api/v1/keys", t.key, "{\"role\":\"AUDITOR\"}").json().get("key").asText();

        chromium = new HeadlessChromium(1280, 1600);
        WebDriver browser = chromium.driver();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(base + "/dashboard/audit.html");
        browser.findElement(By.id("key")).sendKeys(auditor);
        browser.findElement(By.id("signin")).click();
        wait.until(d -> d.findElements(By.cssSelector("#history-table tr.event")).size() >= 5);
        assertThat(browser.findElement(By.id("who")).getText()).contains(t.tenantId);
        assertThat(browser.findElement(By.id("history-table")).getText()).contains("OfferCreatedEvent", "ConversionRecordedEvent");

        // Paging: a page of 20, then the next page appends the rest.
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("h-limit"))).selectByValue("20");
        browser.findElement(By.id("h-run")).click();
        wait.withMessage(() -> "rows " + browser.findElements(By.cssSelector("#history-table tr.event")).size() + ", next page shown "
                + browser.findElement(By.id("h-more")).isDisplayed() + ", page size " + browser.findElement(By.id("h-limit")).getAttribute("value")
                + ", error '" + browser.findElement(By.id("history-error")).getText() + "'")
                .until(d -> d.findElements(By.cssSelector("#history-table tr.event")).size() == 20
                || !d.findElement(By.id("h-more")).isDisplayed());
        if (browser.findElement(By.id("h-more")).isDisplayed()) {
            browser.findElement(By.id("h-more")).click();
            wait.until(d -> d.findElements(By.cssSelector("#history-table tr.event")).size() > 20);
        }

        // A filter by type narrows the list; a row opens the event in full.
        browser.findElement(By.id("h-type")).sendKeys("ConversionRecordedEvent");
        browser.findElement(By.id("h-run")).click();
        wait.until(d -> d.findElements(By.cssSelector("#history-table tr.event")).size() == 1);
        browser.findElement(By.cssSelector("#history-table tr.event")).click();
        wait.until(d -> d.findElement(By.id("history-detail")).isDisplayed());
        assertThat(browser.findElement(By.id("history-detail")).getText()).contains(click, "\"hash\"");

        browser.findElement(By.id("state-run")).click();
        wait.until(d -> d.findElement(By.id("state-summary")).getText().contains("live views"));
        assertThat(browser.findElement(By.id("state-summary")).getText()).contains("The live views match.");
        assertThat(browser.findElement(By.id("state-table")).getText()).contains("balance/" + affiliate + "/EUR/approvedMinor 200");

        browser.findElement(By.id("verify")).click();
        wait.until(d -> d.findElement(By.id("verify-result")).getText().startsWith("verified"));
        assertThat(browser.findElement(By.id("verify-result")).getAttribute("class")).contains("ok");

        Path screenshots = Path.of("target", "screenshots");
        Files.createDirectories(screenshots);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshots.resolve("audit.png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
