package io.affnet.platform.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard end to end in headless Chromium (Debian's chromium and chromedriver, which
 * {@code ./affnet test} installs): sign in with a key, the overview shows what the API says, a report
 * is built, and its CSV is downloaded. Leaves a screenshot in {@code target/screenshots/dashboard.png}.
 */
class DashboardIT extends PlatformIT {

    private WebDriver browser;
    private Path profile;

    @AfterEach
    void closeBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void signsInShowsTheApiFiguresBuildsAReportAndDownloadsCsv() throws Exception {
        Traffic t = Traffic.tenant(this, "dash", false);
        String offer = t.offer("{}", 3600);
        String affiliate = t.affiliate("dash@example.com", "[]");
        String code = t.link(affiliate, offer);
        String click = t.clickId(code);
        t.clickId(code);
        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=D1").body()).isEqualTo("accepted");
        String today = LocalDate.now(ZoneId.of("Europe/Berlin")).toString();
        String tomorrow = LocalDate.now(ZoneId.of("Europe/Berlin")).plusDays(1).toString();
        String todayReport = "/api/v1/reports?metrics=clicks,conversions,revenue,payout,profit,epc&from=" + today + "&to=" + tomorrow;
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode row = send("GET", todayReport, t.key, null).json().get("rows").get(0);
            return row.get(0).asLong() >= 3 && row.get(1).asLong() == 1;
        });
        JsonNode api = send("GET", todayReport, t.key, null).json();
        String apiClicks = api.get("rows").get(0).get(0).asText();
        int payoutColumn = columnIndex(api, "payout_converted_EUR");
        String apiPayout = api.get("rows").get(0).get(payoutColumn).asText();

        browser = chrome();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get(base + "/dashboard/index.html");
        browser.findElement(By.id("key")).sendKeys(t.key);
        browser.findElement(By.id("signin")).click();
        By todayClicks = By.cssSelector("#overview [data-range=today] dd[data-metric=clicks]");
        wait.until(d -> !d.findElements(todayClicks).isEmpty());
        assertThat(browser.findElement(todayClicks).getText()).isEqualTo(apiClicks);
        assertThat(browser.findElement(By.cssSelector("#overview [data-range=today] dd[data-metric=conversions]")).getText())
                .isEqualTo("1");
        assertThat(browser.findElement(By.cssSelector("#overview [data-range=today] dd[data-metric=payout]")).getText())
                .isEqualTo(apiPayout).isEqualTo("2.00");
        By last30Clicks = By.cssSelector("#overview [data-range=last30] dd[data-metric=clicks]");
        wait.until(d -> !d.findElements(last30Clicks).isEmpty());
        assertThat(browser.findElement(last30Clicks).getText())
                .isEqualTo(apiClicks);
        wait.until(d -> !d.findElements(By.cssSelector("#chart svg polyline[data-series=clicks]")).isEmpty());
        wait.until(d -> !d.findElements(By.cssSelector("#log-table td")).isEmpty());
        assertThat(browser.findElement(By.id("log-table")).getText()).contains(click);

        browser.findElement(By.cssSelector("#groups input[value=offer]")).click();
        browser.findElement(By.id("report-run")).click();
        wait.until(d -> d.findElements(By.cssSelector("#report-table tr")).size() >= 2);
        WebElement header = browser.findElement(By.cssSelector("#report-table tr"));
        assertThat(header.getText()).startsWith("day offer clicks conversions");
        assertThat(browser.findElement(By.id("report-table")).getText()).contains(offer);

        browser.findElement(By.id("csv-download")).click();
        wait.until(d -> !d.findElement(By.id("csv-status")).getText().isEmpty());
        String csv = browser.findElement(By.id("csv-status")).getAttribute("data-csv");
        assertThat(csv).startsWith("day,offer,clicks,conversions,revenue_EUR,revenue_converted_EUR");
        assertThat(csv).contains(today + "," + offer + "," + apiClicks + ",1,");

        Path screenshots = Path.of("target", "screenshots");
        Files.createDirectories(screenshots);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshots.resolve("dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static int columnIndex(JsonNode table, String column) {
        for (int i = 0; i < table.get("columns").size(); i++) {
            if (table.get("columns").get(i).asText().equals(column)) {
                return i;
            }
        }
        throw new AssertionError("no column " + column + " in " + table);
    }

    private WebDriver chrome() throws Exception {
        profile = Files.createTempDirectory("affnet-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1600", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        return new ChromeDriver(service, options);
    }
}
