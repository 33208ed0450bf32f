package io.affnet.platform.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.platform.demo.DemoNetwork;
import io.affnet.platform.support.HeadlessChromium;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console and both portals end to end in headless Chromium (Debian's chromium and chromedriver,
 * which {@code ./affnet test} installs; nothing is downloaded). The operator creates an offer, an
 * affiliate and a link through the forms (and sees the API's problem details next to a field), the
 * link is followed and a postback sent, and the conversion shows in the report under the offer's name;
 * the affiliate portal shows the affiliate's own figures and no revenue or other affiliates; the
 * advertiser portal no affiliate names. The admin moderates the review queue (the advertiser only where
 * the tenant allows it), manages keys, postback tokens and settings, outbound and tenant settings (the
 * analyst reads them, partners have none of them), compares a report with the previous period, drills
 * down and saves and shares it. Screenshots go to {@code target/screenshots/}
 * ({@code ./affnet screenshots} copies three of them to {@code docs/screenshots/}).
 */
class ConsoleIT extends PlatformIT {

    @Autowired
    EventStore eventStore;

    private HeadlessChromium chromium;
    private WebDriver browser;
    private WebDriverWait wait;

    @AfterEach
    void closeBrowser() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void operatorCreatesOfferAffiliateAndLinkThroughTheFormsAndSeesTheConversionByName() throws Exception {
        Traffic t = Traffic.tenant(this, "console", false);
        open(t.key);
        assertThat(text(By.id("who-role"))).isEqualTo("Admin");
        assertThat(text(By.id("who-role"))).isEqualTo("Admin");
        assertThat(text(By.id("who-tenant"))).isEqualTo(send("GET", "/api/v1/me", t.key, null).json().get("tenantName").asText());
        assertThat(browser.findElements(By.id("who-principal"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#nav a[href='audit.html']"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#nav a[href='#/payouts']"))).hasSize(1);
        // Everything the page loaded (scripts, styles, the chart library, API calls) came from the platform.
        @SuppressWarnings("unchecked")
        List<String> loaded = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name);");
        assertThat(loaded).isNotEmpty().anyMatch(url -> url.endsWith("/vendor/uplot/uPlot.iife.min.js"))
                .allSatisfy(url -> assertThat(url).startsWith(base));

        // An offer: first without a destination, so the API's problem shows next to that field.
        go("#/offers/new");
        type("f-name", "Summer Shoes");
        type("f-goals-0--revenue", "4.50");
        type("f-goals-0--payout", "3.00");
        browser.findElement(By.id("offer-form-save")).click();
        wait.until(d -> !d.findElement(By.id("f-destinationUrl-error")).getText().isEmpty());
        assertThat(text(By.id("f-destinationUrl-error"))).containsIgnoringCase("destinationUrl");
        assertThat(browser.findElement(By.id("f-destinationUrl")).getAttribute("aria-invalid")).isEqualTo("true");
        shot("console-offer-form");
        type("f-destinationUrl", "https://shoes.example/?cid={click_id}");
        browser.findElement(By.id("offer-form-save")).click();
        wait.until(d -> d.findElements(By.id("offers-table")).size() == 1 && text(By.id("offers-table")).contains("Summer Shoes"));
        assertThat(text(By.id("offers-table"))).contains("Shop GmbH", "sale 4.50 EUR → 3.00 EUR");

        go("#/affiliates/new");
        type("f-name", "Deal Blog");
        type("f-email", "team@dealblog.example");
        browser.findElement(By.id("affiliate-form-save")).click();
        wait.until(d -> d.findElements(By.id("affiliates-table")).size() == 1 && text(By.id("affiliates-table")).contains("Deal Blog"));

        go("#/links/new");
        new Select(browser.findElement(By.id("f-affiliateId"))).selectByVisibleText("Deal Blog");
        browser.findElement(By.xpath("//label[contains(., 'Summer Shoes')]/input")).click();
        browser.findElement(By.id("link-form-save")).click();
        wait.until(d -> !d.findElements(By.id("new-link-url")).isEmpty());
        String clickUrl = browser.findElement(By.id("new-link-url")).getAttribute("value");
        String code = clickUrl.substring(clickUrl.lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> t.click(code).statusCode() == 302);
        String click = t.clickId(code);
        assertThat(t.postback("click_id=" + click + "&goal=sale&txn_id=C1").body()).isEqualTo("accepted");

        String today = LocalDate.now(ZoneId.of("Europe/Berlin")).toString();
        String tomorrow = LocalDate.now(ZoneId.of("Europe/Berlin")).plusDays(1).toString();
        // Both clicks and the conversion in the report views (the click and conversion projections move independently).
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode row = send("GET", "/api/v1/reports?metrics=clicks,conversions&from=" + today + "&to=" + tomorrow, t.key, null)
                    .json().get("rows").get(0);
            return row.get(0).asLong() == 2 && row.get(1).asLong() == 1;
        });

        go("#/reports");
        wait.until(d -> text(By.id("report-table")).contains("Summer Shoes"));
        String offerId = t.create("/api/v1/offers", offerBody(t.advertiserId, "Idle Offer")); // no traffic: no row
        browser.navigate().refresh();
        wait.until(d -> d.findElement(By.id("view")).getAttribute("data-ready") != null
                && d.findElement(By.id("view")).getAttribute("data-ready").equals("reports"));
        wait.until(d -> text(By.id("report-table")).contains("Summer Shoes"));
        String report = text(By.id("report-table"));
        assertThat(report).doesNotContain("off_").doesNotContain("Idle Offer").doesNotContain(offerId);
        List<WebElement> body = browser.findElements(By.cssSelector("#report-table tbody tr"));
        assertThat(body).hasSize(1);
        assertThat(body.get(0).getText()).startsWith("Summer Shoes 2 1 4.50 3.00 1.50");
        assertThat(text(By.cssSelector("#report-table tfoot tr"))).isEqualTo("Total 2 1 4.50 3.00 1.50");
        wait.until(d -> "conversions".equals(d.findElement(By.id("chart-box")).getAttribute("data-metric"))
                || d.findElement(By.id("chart-box")).getAttribute("data-metric") != null);
        assertThat(browser.findElements(By.cssSelector("#chart-box canvas"))).isNotEmpty();

        browser.findElement(By.cssSelector("#report-table button[data-sort=clicks]")).click();
        browser.findElement(By.id("report-csv")).click();
        wait.until(d -> d.findElement(By.id("report-status")).getAttribute("data-csv") != null);
        String csv = browser.findElement(By.id("report-status")).getAttribute("data-csv");
        assertThat(csv.split("\\r?\\n")).containsExactly("offer,clicks,conversions,revenue (EUR),payout (EUR),profit (EUR)",
                "Summer Shoes,2,1,4.50,3.00,1.50", "Total,2,1,4.50,3.00,1.50");
        shot("console-flow");

        go("#/overview");
        By todayClicks = By.cssSelector("#overview [data-range=today] dd[data-metric=clicks]");
        wait.until(d -> !d.findElements(todayClicks).isEmpty());
        assertThat(text(todayClicks)).isEqualTo("2");
        assertThat(text(By.cssSelector("#overview [data-range=today] dd[data-metric=revenue]"))).isEqualTo("4.50");
        // Today's card lives on the GraphQL subscription: a new click arrives without a reload.
        wait.until(d -> "on".equals(d.findElement(By.cssSelector("#overview [data-range=today]")).getAttribute("data-live")));
        assertThat(t.click(code).statusCode()).isEqualTo(302);
        wait.until(d -> text(todayClicks).equals("3"));
        assertThat(text(By.id("live-state"))).startsWith("Today: live");

        go("#/conversions");
        wait.until(d -> text(By.id("log-table")).contains(click));
        assertThat(text(By.id("log-table"))).contains("Summer Shoes", "Deal Blog").doesNotContain("aff_");

        // Payouts: preview a run for last month, approve it, and see the run's state follow.
        go("#/payouts");
        browser.findElement(By.id("payout-form-save")).click();
        wait.until(d -> "PREVIEW".equals(d.findElement(By.id("payout-run")).getAttribute("data-status")));
        assertThat(text(By.id("run-progress"))).contains("Nobody in this run");
        browser.findElement(By.id("run-approve")).click();
        wait.until(d -> "APPROVED".equals(d.findElement(By.id("payout-run")).getAttribute("data-status")));
        assertThat(send("GET", "/api/v1/payout-runs", t.key, null).json().get(0).get("status").asText()).isEqualTo("APPROVED");
        shot("console-payouts");

        browser.manage().window().setSize(new Dimension(390, 844));
        go("#/links");
        wait.until(d -> text(By.id("links-table")).contains(code));
        shot("console-phone");

        browser.findElement(By.id("signout")).click();
        assertThat(browser.findElement(By.id("signin-panel")).isDisplayed()).isTrue();
        assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('affnet.key')")).isNull();

        // An analyst reads the same console but cannot change anything.
        String analyst = key(t, "{\"role\":\"TENANT_ANALYST\"}");
        chromium.close();
        chromium = null;
        open(analyst);
        assertThat(text(By.id("who-role"))).isEqualTo("Analyst (read-only)");
        go("#/offers");
        wait.until(d -> text(By.id("offers-table")).contains("Summer Shoes"));
        assertThat(browser.findElements(By.id("new-offer"))).isEmpty();
        browser.findElement(By.linkText("Summer Shoes")).click();
        wait.until(d -> String.valueOf(d.findElement(By.id("view")).getAttribute("data-ready")).startsWith("offers/"));
        assertThat(browser.findElement(By.id("offer-form-save")).isEnabled()).isFalse();
        assertThat(text(By.id("offer-form"))).contains("Read-only");
    }

    @Test
    void affiliatePortalShowsOwnFiguresAndNothingOfRevenueOrOtherAffiliates() throws Exception {
        Traffic t = Traffic.tenant(this, "portal-aff", false);
        String offer = t.create("/api/v1/offers", offerBody(t.advertiserId, "Garden Tools"));
        String mine = t.create("/api/v1/affiliates", "{\"name\":\"Coupon Corner\",\"email\":\"cc@example.com\"}");
        String other = t.create("/api/v1/affiliates", "{\"name\":\"Rival Media\",\"email\":\"rm@example.com\"}");
        String myCode = t.link(mine, offer);
        String otherCode = t.link(other, offer);
        String myClick = t.clickId(myCode);
        t.clickId(otherCode);
        String otherClick = t.clickId(otherCode);
        assertThat(t.postback("click_id=" + myClick + "&goal=sale&txn_id=A1").body()).isEqualTo("accepted");
        assertThat(t.postback("click_id=" + otherClick + "&goal=sale&txn_id=A2").body()).isEqualTo("accepted");
        String key = key(t, "{\"role\":\"AFFILIATE\",\"affiliateId\":\"" + mine + "\"}");
        awaitConversions(key, 1);

        // Every response the portal loads for these pages, read with the affiliate's key.
        for (String path : List.of("/api/v1/me", "/api/v1/directory", "/api/v1/reports/fields", "/api/v1/links?limit=200",
                "/api/v1/affiliates/" + mine + "/balance", "/api/v1/reports/conversions?pageSize=50")) {
            Response r = send("GET", path, key, null);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).doesNotContainIgnoringCase("revenue").doesNotContain("Rival Media").doesNotContain(other)
                    .doesNotContain(t.advertiserId).doesNotContain("Shop GmbH");
        }
        assertThat(send("GET", "/api/v1/offers", key, null).status()).isEqualTo(403);
        assertThat(send("GET", "/api/v1/affiliates/" + other + "/postback", key, null).status()).isEqualTo(404);

        open(key);
        assertThat(text(By.id("who-role"))).isEqualTo("Affiliate");
        assertThat(text(By.id("who-principal"))).contains("Coupon Corner");
        assertThat(browser.findElements(By.cssSelector("#nav a[href='audit.html']"))).isEmpty();
        By todayClicks = By.cssSelector("#overview [data-range=today] dd[data-metric=clicks]");
        wait.until(d -> !d.findElements(todayClicks).isEmpty());
        // Traffic.link clicked each link once to see it live: 2 clicks are this affiliate's, 3 the other's.
        assertThat(text(todayClicks)).isEqualTo("2");
        assertThat(text(By.cssSelector("#overview [data-range=today] dd[data-metric=payout]"))).isEqualTo("3.00");
        assertThat(browser.findElements(By.cssSelector("dd[data-metric=revenue], dd[data-metric=profit]"))).isEmpty();
        noRevenueOrOthers(other, "Rival Media", "4.50");
        JsonNode live = liveCounters(key);
        assertThat(live.get("clicks").asLong()).isEqualTo(2);
        assertThat(live.get("payout").asText()).isEqualTo("3.00");
        assertThat(live.get("revenue").isNull()).isTrue();
        assertThat(live.get("profit").isNull()).isTrue();

        go("#/offers");
        wait.until(d -> text(By.id("my-offers-table")).contains("Garden Tools"));
        assertThat(text(By.id("my-offers-table"))).contains("sale: 3.00 EUR").doesNotContain("4.50");
        noRevenueOrOthers(other, "Rival Media", "4.50");
        go("#/links");
        wait.until(d -> !d.findElements(By.cssSelector("#my-links input")).isEmpty());
        browser.findElement(By.id("sub-sub1")).sendKeys("newsletter");
        assertThat(browser.findElement(By.cssSelector("#my-links input")).getAttribute("value")).endsWith("/c/" + myCode + "?sub1=newsletter");
        go("#/stats");
        wait.until(d -> text(By.id("report-table")).contains("Total"));
        assertThat(text(By.cssSelector("#report-table thead"))).contains("payout (EUR)");
        assertThat(text(By.cssSelector("#report-table tfoot"))).isEqualTo("Total 2 1 3.00");
        noRevenueOrOthers(other, "Rival Media", "4.50");
        go("#/conversions");
        wait.until(d -> text(By.id("log-table")).contains(myClick));
        assertThat(text(By.id("log-table"))).doesNotContain(otherClick);
        noRevenueOrOthers(other, "Rival Media", "4.50");
        go("#/balance");
        wait.until(d -> !d.findElements(By.id("balance-table")).isEmpty());
        noRevenueOrOthers(other, "Rival Media", "4.50");
        go("#/overview");
        wait.until(d -> !d.findElements(todayClicks).isEmpty());
        shot("affiliate-flow");
    }

    @Test
    void advertiserPortalShowsItsOffersAndCostWithoutAffiliateNames() throws Exception {
        Traffic t = Traffic.tenant(this, "portal-adv", false);
        String offer = t.create("/api/v1/offers", offerBody(t.advertiserId, "Kitchen Knives"));
        String affiliate = t.create("/api/v1/affiliates", "{\"name\":\"Secret Publisher\",\"email\":\"sp@example.com\"}");
        String code = t.link(affiliate, offer);
        String click = t.clickId(code);
        assertThat(t.postback("click_id=" + click + "&goal=sale&txn_id=V1").body()).isEqualTo("accepted");
        String key = key(t, "{\"role\":\"ADVERTISER\",\"advertiserId\":\"" + t.advertiserId + "\"}");
        awaitConversions(key, 1);
        for (String path : List.of("/api/v1/me", "/api/v1/directory", "/api/v1/reports/conversions?pageSize=50")) {
            Response r = send("GET", path, key, null);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).doesNotContain("Secret Publisher").doesNotContain(affiliate).doesNotContain("\"payout\"");
        }

        open(key);
        assertThat(text(By.id("who-role"))).isEqualTo("Advertiser");
        By todayConversions = By.cssSelector("#overview [data-range=today] dd[data-metric=conversions]");
        wait.until(d -> !d.findElements(todayConversions).isEmpty());
        assertThat(text(todayConversions)).isEqualTo("1");
        assertThat(text(By.cssSelector("#overview [data-range=today] dd[data-metric=revenue]"))).isEqualTo("4.50");
        assertThat(text(By.id("overview"))).contains("cost (EUR)");
        JsonNode live = liveCounters(key);
        assertThat(live.get("conversions").asLong()).isEqualTo(1);
        assertThat(live.get("revenue").asText()).isEqualTo("4.50");
        assertThat(live.get("payout").isNull()).isTrue();
        for (String page : List.of("#/offers", "#/stats", "#/conversions", "#/postback")) {
            go(page);
            assertThat(text(By.tagName("body"))).doesNotContain("Secret Publisher").doesNotContain(affiliate);
        }
        go("#/conversions");
        wait.until(d -> text(By.id("log-table")).contains(click));
        assertThat(text(By.cssSelector("#log-table thead"))).doesNotContain("affiliate");
        go("#/offers");
        wait.until(d -> text(By.id("my-offers-table")).contains("Kitchen Knives"));
        assertThat(text(By.id("my-offers-table"))).contains("sale: 4.50 EUR").doesNotContain("3.00");
        go("#/stats");
        wait.until(d -> text(By.id("report-table")).contains("Total"));
        assertThat(browser.findElements(By.cssSelector("#report-group option[value=affiliate]"))).isEmpty();
        shot("advertiser-flow");
    }

    /**
     * Moderation in the console: the admin's review queue with names, approve, reject (a reason is required:
     * the API's problem shows next to the field), adjust the payout, and a bulk reversal of the selected
     * conversions; the analyst and the affiliate have no moderation; the advertiser moderates only where the
     * tenant lets it, and then sees neither affiliates nor payouts.
     */
    @Test
    void operatorModeratesTheReviewQueueAndTheAdvertiserOnlyWhereAllowed() throws Exception {
        Traffic t = Traffic.tenant(this, "console-mod", false);
        String offer = t.create("/api/v1/offers", offerBody(t.advertiserId, "Winter Coats"));
        String affiliate = t.create("/api/v1/affiliates", "{\"name\":\"Hidden Partner\",\"email\":\"hp@example.com\"}");
        String code = t.link(affiliate, offer);
        for (String txn : List.of("M1", "M2", "M3")) {
            assertThat(t.postback("click_id=" + t.clickId(code) + "&goal=sale&txn_id=" + txn + "&status=pending").body()).isEqualTo("accepted");
        }
        assertThat(t.postback("click_id=" + t.clickId(code) + "&goal=sale&txn_id=M4").body()).isEqualTo("accepted");
        await().atMost(Duration.ofSeconds(30)).until(() -> moderationQueue(t.key, "").size() == 4);
        List<String> pending = new java.util.ArrayList<>();
        moderationQueue(t.key, "?status=PENDING").forEach(i -> pending.add(i.get("conversionId").asText()));
        assertThat(pending).hasSize(3);

        open(t.key);
        go("#/moderation");
        wait.until(d -> "3".equals(d.findElement(By.cssSelector("#mod-table table")).getAttribute("data-rows")));
        assertThat(text(By.id("mod-table"))).contains("Winter Coats", "Hidden Partner", "4.50 EUR", "3.00 EUR").doesNotContain("off_");

        // Approve the first (no reason needed).
        moderate(pending.get(0), "approve");
        browser.findElement(By.id("moderation-submit")).click();
        wait.until(d -> text(By.id("mod-result")).contains(pending.get(0) + ": PENDING → APPROVED"));
        // Reject the second: without a reason the API's problem shows at the reason field and nothing changes.
        wait.until(d -> "2".equals(d.findElement(By.cssSelector("#mod-table table")).getAttribute("data-rows")));
        moderate(pending.get(1), "reject");
        browser.findElement(By.id("moderation-submit")).click();
        wait.until(d -> !d.findElement(By.id("f-reason-error")).getText().isEmpty());
        assertThat(browser.findElement(By.id("f-reason")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(status(t.key, pending.get(1))).isEqualTo("PENDING");
        shot("console-moderation");
        type("f-reason", "test order");
        browser.findElement(By.id("moderation-submit")).click();
        wait.until(d -> text(By.id("mod-result")).contains(pending.get(1) + ": PENDING → REJECTED"));
        // Adjust the third's payout.
        wait.until(d -> "1".equals(d.findElement(By.cssSelector("#mod-table table")).getAttribute("data-rows")));
        moderate(pending.get(2), "adjust");
        type("f-reason", "partial order");
        type("f-payout", "1.20");
        browser.findElement(By.id("moderation-submit")).click();
        wait.until(d -> text(By.id("mod-result")).contains("payout 1.20 EUR"));
        await().atMost(Duration.ofSeconds(30)).until(() -> moderationQueue(t.key, "?status=PENDING").get(0).get("payout").asText().equals("1.20"));

        // Bulk: the approved ones (the first and the one approved by its postback), selected, reversed at once.
        await().atMost(Duration.ofSeconds(30)).until(() -> moderationQueue(t.key, "?status=APPROVED").size() == 2);
        new Select(browser.findElement(By.id("mod-status"))).selectByValue("APPROVED");
        browser.findElement(By.id("mod-load")).click();
        wait.until(d -> "2".equals(d.findElement(By.cssSelector("#mod-table table")).getAttribute("data-rows")));
        browser.findElement(By.id("mod-all")).click();
        assertThat(text(By.id("mod-selected"))).isEqualTo("2 selected of 2");
        browser.findElement(By.id("mod-bulk-reverse")).click();
        type("f-reason", "chargebacks");
        browser.findElement(By.id("moderation-submit")).click();
        wait.until(d -> "2".equals(d.findElement(By.id("mod-result")).getAttribute("data-moderated")));
        assertThat(browser.findElement(By.id("mod-result")).getAttribute("data-refused")).isEqualTo("0");
        await().atMost(Duration.ofSeconds(30)).until(() -> moderationQueue(t.key, "?status=REVERSED").size() == 2
                && moderationQueue(t.key, "?status=APPROVED").isEmpty());
        chromium.close();
        chromium = null;

        // Roles: the analyst reads but does not moderate; the affiliate has no moderation at all.
        String analyst = key(t, "{\"role\":\"TENANT_ANALYST\"}");
        assertThat(send("GET", "/api/v1/conversions/moderation", analyst, null).status()).isEqualTo(403);
        open(analyst);
        assertThat(browser.findElements(By.cssSelector("#nav a[href='#/moderation']"))).isEmpty();
        chromium.close();
        chromium = null;
        String affiliateKey = key(t, "{\"role\":\"AFFILIATE\",\"affiliateId\":\"" + affiliate + "\"}");
        assertThat(send("GET", "/api/v1/conversions/moderation", affiliateKey, null).status()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/conversions/" + pending.get(2) + "/approve", affiliateKey, "{}").status()).isEqualTo(403);
        open(affiliateKey);
        assertThat(browser.findElements(By.cssSelector("#nav a[href='#/moderation']"))).isEmpty();
        go("#/moderation"); // an unknown page for this role: the overview
        assertThat(browser.findElements(By.id("mod-table"))).isEmpty();
        chromium.close();
        chromium = null;

        // The advertiser: no moderation until the tenant allows it; then its own offers' conversions, without affiliates or payouts.
        String advertiserKey = key(t, "{\"role\":\"ADVERTISER\",\"advertiserId\":\"" + t.advertiserId + "\"}");
        open(advertiserKey);
        assertThat(browser.findElements(By.cssSelector("#nav a[href='#/moderation']"))).isEmpty();
        chromium.close();
        chromium = null;
        Response allow = send("PUT", "/api/v1/postback-settings", t.key, "{\"fraud\":{\"minSecondsToConvert\":0,"
                + "\"maxConversionsPerClickGoal\":0,\"selfReferral\":true,\"flagOnly\":false},\"review\":{\"advertisersModerate\":true}}");
        assertThat(allow.status()).as(allow.body()).isEqualTo(200);
        open(advertiserKey);
        assertThat(browser.findElements(By.cssSelector("#nav a[href='#/moderation']"))).hasSize(1);
        go("#/moderation");
        wait.until(d -> "1".equals(d.findElement(By.cssSelector("#mod-table table")).getAttribute("data-rows")));
        assertThat(text(By.cssSelector("#mod-table thead"))).contains("Cost").doesNotContain("Payout").doesNotContain("Affiliate");
        assertThat(text(By.tagName("body"))).doesNotContain("Hidden Partner").doesNotContain(affiliate).doesNotContain("1.20");
        moderate(pending.get(2), "adjust");
        assertThat(browser.findElements(By.id("f-payout"))).isEmpty();
        type("f-reason", "advertiser's partial refund");
        type("f-revenue", "4.00");
        browser.findElement(By.id("moderation-submit")).click();
        wait.until(d -> text(By.id("mod-result")).contains("cost 4.00 EUR"));
        assertThat(text(By.id("mod-result"))).doesNotContain("payout");
        moderate(pending.get(2), "approve");
        browser.findElement(By.id("moderation-submit")).click();
        wait.until(d -> text(By.id("mod-result")).contains("PENDING → APPROVED"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "APPROVED".equals(status(t.key, pending.get(2))));
    }

    /**
     * The admin's pages for API keys (created with a role and shown once, rotated, revoked), postback tokens
     * and settings, outbound endpoints with their delivery log and the payout webhook, and the tenant's
     * settings, each saving through the REST API and showing its problems next to the field; the analyst
     * reads them without changing anything and sees no keys; affiliates and advertisers see none of them.
     */
    @Test
    void operatorManagesKeysTokensPostbackSettingsOutboundAndTenantSettings() throws Exception {
        Traffic t = Traffic.tenant(this, "console-settings", false);
        String affiliate = t.create("/api/v1/affiliates", "{\"name\":\"Key Partner\",\"email\":\"kp@example.com\"}");
        t.create("/api/v1/offers", offerBody(t.advertiserId, "Desk Lamps"));
        Response pb = send("PUT", "/api/v1/affiliates/" + affiliate + "/postback", t.key,
                "{\"templates\":[{\"url\":\"https://tracker.example/pb?cid={click_id}\"}]}");
        assertThat(pb.status()).as(pb.body()).isEqualTo(201);
        open(t.key);

        // API keys: an affiliate key without its affiliate is refused at the field; with it, the key is shown once and works.
        go("#/keys");
        new Select(browser.findElement(By.id("f-role"))).selectByValue("AFFILIATE");
        browser.findElement(By.id("key-form-save")).click();
        wait.until(d -> !d.findElement(By.id("f-affiliateId-error")).getText().isEmpty());
        new Select(browser.findElement(By.id("f-affiliateId"))).selectByVisibleText("Key Partner");
        type("f-label", "portal login");
        browser.findElement(By.id("key-form-save")).click();
        wait.until(d -> !d.findElements(By.id("new-key")).isEmpty());
        String issued = browser.findElement(By.id("new-key")).getAttribute("value");
        JsonNode me = send("GET", "/api/v1/me", issued, null).json();
        assertThat(me.get("role").asText()).isEqualTo("AFFILIATE");
        assertThat(me.get("principalId").asText()).isEqualTo(affiliate);
        wait.until(d -> text(By.id("keys-table")).contains("portal login"));
        assertThat(text(By.id("keys-table"))).contains("Key Partner", "Affiliate (portal)").doesNotContain(issued);
        shot("console-keys");
        String keyId = keyIdOf(t.key, "portal login");
        By revoke = By.cssSelector("#keys-table button[data-revoke='" + keyId + "']");
        browser.findElement(revoke).click();
        assertThat(text(revoke)).isEqualTo("Really revoke?");
        browser.findElement(revoke).click();
        wait.until(d -> d.findElements(revoke).isEmpty());
        await().atMost(Duration.ofSeconds(60)).until(() -> send("GET", "/api/v1/me", issued, null).status() == 401);

        // Postback tokens: one for the advertiser, shown once, then revoked.
        go("#/postback-settings");
        new Select(browser.findElement(By.id("f-advertiserId"))).selectByVisibleText("Only Shop GmbH");
        browser.findElement(By.id("token-form-save")).click();
        wait.until(d -> !d.findElements(By.id("new-token")).isEmpty());
        String token = browser.findElement(By.id("new-token")).getAttribute("value");
        assertThat(token).startsWith("afn_pb_");
        wait.until(d -> text(By.id("tokens-table")).contains("Shop GmbH only"));
        assertThat(text(By.id("tokens-table"))).doesNotContain(token);
        String tokenId = null;
        for (JsonNode tk : send("GET", "/api/v1/postback-settings", t.key, null).json().get("tokens")) {
            if (t.advertiserId.equals(tk.path("advertiserId").asText())) {
                tokenId = tk.get("tokenId").asText();
            }
        }
        By revokeToken = By.cssSelector("#tokens-table button[data-revoke='" + tokenId + "']");
        browser.findElement(revokeToken).click();
        browser.findElement(revokeToken).click();
        wait.until(d -> d.findElements(revokeToken).isEmpty());
        String revokedId = tokenId;
        assertThat(send("GET", "/api/v1/postback-settings", t.key, null).json().get("tokens").findParents("tokenId").stream()
                .filter(n -> n.get("tokenId").asText().equals(revokedId)).findFirst().orElseThrow().get("revokedAt").isNull()).isFalse();

        // Postback settings: a value the API refuses shows at its field, nothing saved; a good one is saved.
        type("f-fraud-minSecondsToConvert", "-1");
        browser.findElement(By.id("postback-settings-form-save")).click();
        wait.until(d -> !d.findElement(By.id("f-fraud-minSecondsToConvert-error")).getText().isEmpty());
        assertThat(send("GET", "/api/v1/postback-settings", t.key, null).json().at("/settings/fraud/minSecondsToConvert").asLong()).isZero();
        type("f-fraud-minSecondsToConvert", "5");
        type("f-review-holdAbove", "50.00");
        browser.findElement(By.id("f-review-advertisersModerate")).click();
        browser.findElement(By.id("postback-settings-form-save")).click();
        wait.until(d -> !d.findElements(By.id("postback-settings-saved")).isEmpty());
        JsonNode saved = send("GET", "/api/v1/postback-settings", t.key, null).json().get("settings");
        assertThat(saved.at("/fraud/minSecondsToConvert").asLong()).isEqualTo(5);
        assertThat(saved.at("/review/holdAbove").decimalValue()).isEqualByComparingTo("50.00");
        assertThat(saved.at("/review/advertisersModerate").asBoolean()).isTrue();
        shot("console-postback-settings");

        // Outbound: the affiliate's endpoint with its state and delivery log; the tenant's payout webhook, its secret shown once.
        go("#/outbound");
        wait.until(d -> text(By.id("endpoints-table")).contains("Key Partner"));
        assertThat(text(By.id("endpoints-table"))).contains("https://tracker.example/pb?cid={click_id}", "delivering");
        browser.findElement(By.cssSelector("#endpoints-table button[data-log='" + affiliate + "']")).click();
        wait.until(d -> !d.findElements(By.id("deliveries-table")).isEmpty());
        type("f-url", "https://ops.example/affnet/payouts");
        browser.findElement(By.id("payout-webhook-form-save")).click();
        wait.until(d -> !d.findElements(By.id("payout-webhook-secret")).isEmpty());
        assertThat(browser.findElement(By.id("payout-webhook-secret")).getAttribute("value")).isNotBlank();
        assertThat(send("GET", "/api/v1/payout-webhook", t.key, null).json().get("url").asText())
                .isEqualTo("https://ops.example/affnet/payouts");

        // Tenant settings: the facts, a tracking domain, and whether advertisers see affiliates.
        go("#/settings");
        assertThat(text(By.id("tenant-facts"))).contains("Europe/Berlin", "EUR", me.get("tenantName").asText());
        String host = "track" + System.nanoTime() + ".example.com";
        type("f-hosts", host);
        browser.findElement(By.id("domains-form-save")).click();
        wait.until(d -> d.findElement(By.cssSelector("#domains-form .form-alert")).getText().equals("Saved."));
        assertThat(send("GET", "/api/v1/tracking-domains", t.key, null).json().get("hosts").get(0).asText()).isEqualTo(host);
        browser.findElement(By.id("f-advertisersSeeAffiliates")).click();
        browser.findElement(By.id("sharing-form-save")).click();
        wait.until(d -> !d.findElements(By.id("sharing-saved")).isEmpty());
        await().atMost(Duration.ofSeconds(60)).until(() ->
                send("GET", "/api/v1/reports/sharing", t.key, null).json().get("advertisersSeeAffiliates").asBoolean());
        shot("console-settings");

        // Payout terms: the defaults until set; an inexact minimum shows at its field, nothing saved; a good change is saved.
        go("#/payout-terms");
        assertThat(text(By.id("payout-terms-status"))).contains("defaults");
        assertThat(browser.findElement(By.id("f-defaultHold")).getAttribute("value")).isEqualTo("P30D");
        type("f-defaultHold", "P14D");
        type("f-minimum", "EUR 25.001");
        browser.findElement(By.id("payout-terms-form-save")).click();
        wait.until(d -> !d.findElement(By.id("f-minimum-error")).getText().isEmpty());
        assertThat(send("GET", "/api/v1/payout-terms", t.key, null).json().get("default").asBoolean()).isTrue();
        type("f-minimum", "EUR 25.00");
        browser.findElement(By.id("payout-terms-form-save")).click();
        wait.until(d -> !d.findElements(By.id("payout-terms-saved")).isEmpty());
        JsonNode terms = send("GET", "/api/v1/payout-terms", t.key, null).json();
        assertThat(terms.get("defaultHold").asText()).isEqualTo("P14D");
        assertThat(terms.at("/minimum/EUR").asText()).isEqualTo("25.00");
        assertThat(terms.has("default")).isFalse();
        top();
        shot("console-payout-terms");
        chromium.close();
        chromium = null;

        // The analyst reads the settings but changes nothing and sees no keys.
        String analyst = key(t, "{\"role\":\"TENANT_ANALYST\"}");
        open(analyst);
        assertThat(browser.findElements(By.cssSelector("#nav a[href='#/keys']"))).isEmpty();
        go("#/postback-settings");
        assertThat(browser.findElements(By.id("token-form"))).isEmpty();
        assertThat(browser.findElement(By.id("postback-settings-form-save")).isEnabled()).isFalse();
        assertThat(browser.findElements(By.cssSelector("#tokens-table button[data-revoke]"))).isEmpty();
        go("#/settings");
        assertThat(browser.findElement(By.id("domains-form-save")).isEnabled()).isFalse();
        go("#/payout-terms");
        assertThat(browser.findElement(By.id("f-defaultHold")).getAttribute("value")).isEqualTo("P14D");
        assertThat(browser.findElement(By.id("payout-terms-form-save")).isEnabled()).isFalse();
        chromium.close();
        chromium = null;

        // Affiliates and advertisers: none of these pages, and the APIs behind them refuse.
        String affiliateKey = key(t, "{\"role\":\"AFFILIATE\",\"affiliateId\":\"" + affiliate + "\"}");
        String advertiserKey = key(t, "{\"role\":\"ADVERTISER\",\"advertiserId\":\"" + t.advertiserId + "\"}");
        for (String partner : List.of(affiliateKey, advertiserKey)) {
            for (String path : List.of("/api/v1/keys", "/api/v1/postback-settings", "/api/v1/outbound-settings", "/api/v1/tracking-domains",
                    "/api/v1/reports/sharing", "/api/v1/payout-webhook", "/api/v1/payout-terms")) {
                assertThat(send("GET", path, partner, null).status()).as(path).isIn(403, 404);
            }
            open(partner);
            for (String page : List.of("keys", "postback-settings", "outbound", "settings", "payout-terms")) {
                assertThat(browser.findElements(By.cssSelector("#nav a[href='#/" + page + "']"))).as(page).isEmpty();
            }
            go("#/keys"); // not a page of a portal: the overview
            assertThat(browser.findElements(By.id("keys-table"))).isEmpty();
            chromium.close();
            chromium = null;
        }
    }

    /**
     * The demo network {@code ./affnet run} seeds (configuration through the API, today through the click
     * and postback endpoints, the days before as the events those paths write), in a tenant of its own,
     * seen in the console and both portals; these are the README's screenshots.
     */
    @Test
    void theDemoNetworkFillsTheConsoleAndBothPortals() throws Exception {
        String[] tenant = registerTenant(uniqueSlug("demo-seed"));
        ZoneId zone = ZoneId.of("Europe/Berlin");
        DemoNetwork.Seeded seeded = new DemoNetwork(base, tenant[1], tenant[0], zone, eventStore).seed(29);

        JsonNode directory = send("GET", "/api/v1/directory", tenant[1], null).json();
        assertThat(directory.get("advertisers").size()).isEqualTo(3);
        assertThat(directory.get("affiliates").size()).isEqualTo(12);
        assertThat(directory.get("offers").size()).isEqualTo(6);
        assertThat(directory.get("links").size()).isEqualTo(25);
        Set<String> currencies = new HashSet<>();
        directory.get("offers").forEach(o -> currencies.add(o.get("currency").asText()));
        assertThat(currencies).containsExactlyInAnyOrder("EUR", "USD");
        assertThat(directory.get("links").findValues("smart").stream().filter(JsonNode::asBoolean)).hasSize(1);

        LocalDate today = LocalDate.now(zone);
        String days = "/api/v1/reports?metrics=clicks,conversions&groupBy=day&from=" + today.minusDays(29) + "&to=" + today.plusDays(1);
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            Set<String> withClicks = new HashSet<>();
            send("GET", days, tenant[1], null).json().get("rows").forEach(r -> {
                if (r.get(1).asLong() > 0) {
                    withClicks.add(r.get(0).asText());
                }
            });
            return withClicks.size() == 30;
        });
        long conversions = 0;
        for (JsonNode r : send("GET", days, tenant[1], null).json().get("rows")) {
            conversions += r.get(2).asLong();
        }
        assertThat(conversions).isGreaterThan(30);

        open(tenant[1]);
        browser.manage().window().setSize(new Dimension(1280, 1180));
        go("#/reports");
        wait.until(d -> text(By.id("report-table")).contains("Outdoor Jackets DE"));
        assertThat(browser.findElements(By.cssSelector("#report-table tbody tr"))).hasSize(6);
        new Select(browser.findElement(By.id("report-chart-metric"))).selectByVisibleText("revenue (EUR)");
        wait.until(d -> "revenue".equals(d.findElement(By.id("chart-box")).getAttribute("data-metric")));
        top();
        shot("console");

        // Comparison with the previous period: each metric's previous figure and change, the totals of both periods.
        new Select(browser.findElement(By.id("report-preset"))).selectByValue("last7");
        browser.findElement(By.id("report-compare")).click();
        wait.until(d -> text(By.cssSelector("#report-table thead")).contains("clicks previous"));
        wait.until(d -> text(By.id("report-status")).contains("compared with"));
        long clicksNow = total(tenant[1], "clicks", today.minusDays(6), today.plusDays(1), "");
        long clicksBefore = total(tenant[1], "clicks", today.minusDays(13), today.minusDays(6), "");
        assertThat(clicksBefore).isPositive();
        List<String> foot = browser.findElements(By.cssSelector("#report-table tfoot td")).stream().map(WebElement::getText).toList();
        assertThat(foot.subList(0, 4)).containsExactly("Total", String.valueOf(clicksNow), String.valueOf(clicksBefore),
                String.format(java.util.Locale.ROOT, "%+.1f %%", (clicksNow - clicksBefore) * 100.0 / clicksBefore));
        assertThat(browser.findElement(By.id("chart-box")).getAttribute("data-previous")).isNotBlank();
        shot("console-report-compare");

        // Drill-down: the first offer's row becomes a filter, the report groups by affiliate, the figures are that offer's.
        WebElement first = browser.findElement(By.cssSelector("#report-table tbody button.drill"));
        String offerId = first.getAttribute("data-drill");
        String offerName = first.getText();
        first.click();
        wait.until(d -> text(By.id("report-filters")).contains("offer: " + offerName)
                && text(By.cssSelector("#report-table thead")).startsWith("affiliate"));
        assertThat(new Select(browser.findElement(By.id("report-group"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("affiliate");
        long offerClicks = total(tenant[1], "clicks", today.minusDays(6), today.plusDays(1), "&filter.offer=" + offerId);
        wait.until(d -> browser.findElements(By.cssSelector("#report-table tfoot td")).get(1).getText().equals(String.valueOf(offerClicks)));
        assertThat(offerClicks).isLessThan(clicksNow);
        assertThat(text(By.id("report-table"))).doesNotContain("aff_");

        // Saved reports: kept on the server for this key's principal, shared with the staff if asked; a name is required.
        browser.findElement(By.id("report-save")).click();
        wait.until(d -> !text(By.id("report-saved-status")).isEmpty());
        assertThat(browser.findElement(By.id("report-save-name")).getAttribute("aria-invalid")).isEqualTo("true");
        type("report-save-name", "Offer by affiliate, week on week");
        browser.findElement(By.id("report-save-shared")).click();
        browser.findElement(By.id("report-save")).click();
        wait.until(d -> text(By.id("report-saved-status")).startsWith("Saved"));
        chromium.close();
        chromium = null;
        String analyst = send("POST", "/api/v1/keys", tenant[1], "{\"role\":\"TENANT_ANALYST\"}").json().get("key").asText();
        open(analyst);
        go("#/reports");
        wait.until(d -> text(By.id("report-saved")).contains("Offer by affiliate, week on week (shared) · by a colleague"));
        new Select(browser.findElement(By.id("report-saved"))).selectByVisibleText("Offer by affiliate, week on week (shared) · by a colleague");
        wait.until(d -> text(By.id("report-filters")).contains("offer: " + offerName)
                && text(By.cssSelector("#report-table thead")).startsWith("affiliate")
                && text(By.cssSelector("#report-table thead")).contains("clicks previous"));
        assertThat(browser.findElement(By.id("report-compare")).isSelected()).isTrue();
        assertThat(browser.findElement(By.id("report-saved-delete")).isEnabled()).isFalse(); // a colleague's: the analyst cannot delete it
        chromium.close();
        chromium = null;
        // Partners and other tenants never see it; partners cannot share.
        assertThat(send("GET", "/api/v1/saved-reports", seeded.affiliateKey(), null).body()).doesNotContain("week on week");
        assertThat(send("GET", "/api/v1/saved-reports", seeded.advertiserKey(), null).body()).doesNotContain("week on week");
        String[] other = registerTenant(uniqueSlug("demo-other"));
        assertThat(send("GET", "/api/v1/saved-reports", other[1], null).json().get("items")).isEmpty();
        Response shared = send("POST", "/api/v1/saved-reports", seeded.affiliateKey(), "{\"name\":\"x\",\"definition\":{},\"shared\":true}");
        assertThat(shared.status()).isEqualTo(400);
        assertThat(shared.contentType()).startsWith("application/problem+json");
        assertThat(shared.body()).contains("shared");
        assertThat(send("POST", "/api/v1/saved-reports", tenant[1], "{\"name\":\"x\",\"definition\":[1]}").status()).isEqualTo(400);
        String savedId = send("GET", "/api/v1/saved-reports", tenant[1], null).json().get("items").get(0).get("id").asText();
        assertThat(send("DELETE", "/api/v1/saved-reports/" + savedId, other[1], null).status()).isEqualTo(404);
        assertThat(send("DELETE", "/api/v1/saved-reports/" + savedId, seeded.affiliateKey(), null).status()).isEqualTo(404);


        open(seeded.affiliateKey());
        assertThat(text(By.id("who-principal"))).contains(seeded.affiliateName());
        noRevenueOrOthers("Coupon Corner", "Nordic Media");
        browser.manage().window().setSize(new Dimension(1280, 1180));
        top();
        shot("affiliate-portal");
        // The affiliate compares its own stats with the previous period, drills into an offer and saves it: payout only.
        go("#/stats");
        new Select(browser.findElement(By.id("report-group"))).selectByValue("offer");
        browser.findElement(By.id("report-compare")).click();
        wait.until(d -> text(By.cssSelector("#report-table thead")).contains("payout (EUR) previous"));
        browser.findElement(By.cssSelector("#report-table tbody button.drill")).click();
        wait.until(d -> text(By.cssSelector("#report-table thead")).startsWith("sub1"));
        type("report-save-name", "My offer by sub1");
        assertThat(browser.findElements(By.id("report-save-shared"))).isEmpty();
        browser.findElement(By.id("report-save")).click();
        wait.until(d -> text(By.id("report-saved-status")).startsWith("Saved"));
        noRevenueOrOthers("Coupon Corner", "Nordic Media");
        assertThat(send("GET", "/api/v1/saved-reports", tenant[1], null).body()).doesNotContain("My offer by sub1");
        chromium.close();
        chromium = null;

        open(seeded.advertiserKey());
        assertThat(text(By.id("who-principal"))).contains(seeded.advertiserName());
        go("#/stats");
        new Select(browser.findElement(By.id("report-group"))).selectByVisibleText("offer");
        browser.findElement(By.id("report-run")).click();
        wait.until(d -> text(By.id("report-table")).contains("Hiking Boots"));
        assertThat(text(By.tagName("body"))).doesNotContain("Deal Blog").doesNotContain("Coupon Corner").doesNotContain("City Breaks");
        browser.manage().window().setSize(new Dimension(1280, 1180));
        top();
        shot("advertiser-portal");
    }

    // ------------------------------------------------------------------ helpers

    static String offerBody(String advertiserId, String name) {
        return """
                {"name":"%s","advertiserId":"%s","destinationUrl":"https://shop.example/?cid={click_id}","currency":"EUR",
                 "goals":[{"name":"sale","revenue":{"amount":"4.50","currency":"EUR"},"payout":{"amount":"3.00","currency":"EUR"}}]}"""
                .formatted(name, advertiserId);
    }

    private JsonNode moderationQueue(String key, String query) {
        Response r = send("GET", "/api/v1/conversions/moderation" + query, key, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("items");
    }

    private String status(String key, String conversionId) {
        for (JsonNode item : moderationQueue(key, "")) {
            if (item.get("conversionId").asText().equals(conversionId)) {
                return item.get("status").asText();
            }
        }
        return null;
    }

    /** Opens the moderation dialog of one conversion's action. */
    private void moderate(String conversionId, String action) {
        wait.until(d -> !d.findElements(By.cssSelector("#mod-table button[data-action=" + action + "][data-conversion='" + conversionId + "']")).isEmpty());
        browser.findElement(By.cssSelector("#mod-table button[data-action=" + action + "][data-conversion='" + conversionId + "']")).click();
        wait.until(d -> d.findElement(By.id("moderation-dialog")).isDisplayed());
    }

    private String keyIdOf(String adminKey, String label) {
        for (JsonNode k : send("GET", "/api/v1/keys?limit=200", adminKey, null).json().get("items")) {
            if (label.equals(k.path("label").asText())) {
                return k.get("keyId").asText();
            }
        }
        throw new AssertionError("no key labelled " + label);
    }

    /** A metric's total over [from, to) from the report API. */
    private long total(String key, String metric, LocalDate from, LocalDate to, String filter) {
        JsonNode rows = send("GET", "/api/v1/reports?metrics=" + metric + "&from=" + from + "&to=" + to + filter, key, null).json().get("rows");
        return rows.isEmpty() ? 0 : rows.get(0).get(0).asLong();
    }

    /** The first value the todayCounters subscription pushes (GraphQL over SSE), read with this key. */
    private JsonNode liveCounters(String key) throws Exception {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/graphql"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"query\":\"subscription { todayCounters { day clicks conversions revenue payout profit currency } }\"}"))
                .build();
        java.net.http.HttpResponse<java.util.stream.Stream<String>> response = http.send(request,
                java.net.http.HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        try (java.util.stream.Stream<String> lines = response.body()) {
            String data = lines.filter(l -> l.startsWith("data:")).findFirst().orElseThrow();
            JsonNode message = JSON.readTree(data.substring(5));
            assertThat(message.path("errors").isMissingNode()).as(data).isTrue();
            return message.at("/data/todayCounters");
        }
    }

    private String key(Traffic t, String body) {
        Response r = send("POST", "/api/v1/keys", t.key, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("key").asText();
    }

    private void awaitConversions(String key, long expected) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode page = send("GET", "/api/v1/reports/conversions?pageSize=50", key, null).json();
            return page.path("items").size() == expected;
        });
    }

    /** The page shows nothing of revenue or margin, and none of {@code forbidden} (other affiliates, revenue figures). */
    private void noRevenueOrOthers(String... forbidden) {
        wait.until(d -> d.findElement(By.id("view")).getAttribute("data-ready") != null);
        String page = text(By.tagName("body"));
        assertThat(page).doesNotContainIgnoringCase("revenue").doesNotContainIgnoringCase("profit");
        for (String f : forbidden) {
            assertThat(page).doesNotContain(f);
        }
        assertThat(browser.getPageSource()).doesNotContainIgnoringCase("revenue");
    }

    private void open(String key) throws Exception {
        browser = chrome();
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        // The pages re-render their tables as answers arrive: an element read between two renders is simply read again.
        wait.ignoring(StaleElementReferenceException.class);
        browser.get(base + "/dashboard/index.html");
        browser.findElement(By.id("key")).sendKeys(key);
        browser.findElement(By.id("signin")).click();
        wait.until(d -> d.findElement(By.id("view")).getAttribute("data-ready") != null);
    }

    private void go(String hash) {
        ((JavascriptExecutor) browser).executeScript("document.getElementById('view').removeAttribute('data-ready'); location.hash = arguments[0];", hash);
        wait.until(d -> d.findElement(By.id("view")).getAttribute("data-ready") != null);
    }

    /** Scrolled to the top, nothing focused: how a README screenshot should look. */
    private void top() {
        ((JavascriptExecutor) browser).executeScript("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
    }

    private void type(String id, String value) {
        WebElement e = browser.findElement(By.id(id));
        e.clear();
        e.sendKeys(value);
    }

    private String text(By by) {
        return browser.findElement(by).getText();
    }

    private void shot(String name) throws Exception {
        Path screenshots = Path.of("target", "screenshots");
        Files.createDirectories(screenshots);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private WebDriver chrome() throws Exception {
        chromium = new HeadlessChromium(1280, 900);
        return chromium.driver();
    }
}
