package io.gameevents.debugger;

import static java.util.concurrent.TimeUnit.SECONDS;
import io.gameevents.support.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static io.gameevents.debugger.DebuggerStreamTest.start;
import static io.gameevents.support.TestService.ADMIN_TOKEN;
import static io.gameevents.support.TestService.install;
import static io.gameevents.support.TestService.newId;
import static io.gameevents.support.TestService.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The /debugger page in a real browser: Debian's chromium through chromium-driver (installed by .ci/run), headless,
 * so nothing is downloaded. Without them the test is skipped, saying so loudly (and fails where
 * GAME_EVENTS_REQUIRE_BROWSER=true, as in .ci/run).
 */
@ExtendWith(VertxExtension.class)
class DebuggerPageBrowserTest {

  private static final Path CHROMEDRIVER = Path.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"));
  private static final Path CHROMIUM = Path.of(System.getProperty("game-events.chromium", "/usr/bin/chromium"));
  private static final Path SCREENSHOTS = Path.of("target", "debugger-screenshots");

  private TestService service;
  private WebDriver browser;

  @BeforeEach
  void openBrowser(Vertx vertx) throws Exception {
    boolean present = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
    if (!present) {
      System.err.println("\n*** SKIPPING DebuggerPageBrowserTest: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing."
          + " Install them with: apt-get install -y chromium chromium-driver (.ci/run does) ***\n");
    }
    if (!present && "true".equals(System.getenv("GAME_EVENTS_REQUIRE_BROWSER"))) {
      throw new IllegalStateException("GAME_EVENTS_REQUIRE_BROWSER is set but " + CHROMIUM + " or " + CHROMEDRIVER
          + " is missing (apt-get install -y chromium chromium-driver)");
    }
    assumeTrue(present, "browser test SKIPPED: chromium and chromium-driver are not installed "
        + "(apt-get install -y chromium chromium-driver); .ci/run installs them");
    service = start(vertx, c -> c.put("debugger", new JsonObject().put("show_properties", true)));
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1280,900");
    ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(driver, options);
    browser.manage().window().setSize(new Dimension(1280, 900));
  }

  @AfterEach
  void closeBrowser() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (service != null) {
      service.stop().await(60, SECONDS);
    }
  }

  @Test
  void rowsAppearWithTheirStatusAndARefusedEventShowsItsMessage() throws Exception {
    browser.get("http://127.0.0.1:" + service.port + "/debugger");
    assertThat(browser.findElement(By.id("empty")).getText()).contains("No events yet").contains("curl -s")
        .contains("GameEventClient");
    screenshot("debugger-empty.png");

    browser.findElement(By.id("token")).sendKeys(ADMIN_TOKEN);
    browser.findElement(By.id("connect")).click();
    await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("connection")).getText().equals("live"));
    assertThat(browser.findElement(By.id("node")).getText()).isEqualTo("node local");

    JsonObject install = install(newId()).put("properties", new JsonObject().put("level", 7).put("tutorial", true));
    assertThat(service.postJson("/v1/events/install", install).await(60, SECONDS).statusCode()).isEqualTo(200);
    assertThat(service.postJson("/v1/events/install", install).await(60, SECONDS).statusCode()).isEqualTo(200);
    assertThat(service.postJson("/v1/events/purchase", purchase(newId())).await(60, SECONDS).statusCode()).isEqualTo(200);
    JsonObject bad = purchase(newId()).put("currency", "euros");
    assertThat(service.postJson("/v1/events/purchase", bad).await(60, SECONDS).statusCode()).isEqualTo(400);

    await().atMost(Duration.ofSeconds(20)).until(() -> rows().size() == 4);
    // newest first
    assertThat(rows().stream().map(row -> row.getAttribute("data-status")).toList())
        .containsExactly("rejected", "accepted", "duplicate", "accepted");
    WebElement refused = rows().get(0);
    assertThat(refused.findElement(By.cssSelector(".status")).getText()).isEqualTo("rejected");
    assertThat(refused.findElement(By.cssSelector("td.msg")).getText()).contains("/currency");
    assertThat(refused.getText()).contains(bad.getString("event_id"));

    rows().get(3).click(); // the first install: its detail shows the event as received and the stored record
    WebElement detail = browser.findElement(By.cssSelector("tr.detail"));
    assertThat(detail.getText()).contains("Event as received").contains("Stored record").contains("\"tutorial\": true")
        .contains("received_at");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        browser.findElement(By.id("types")).getText().contains("purchase"));
    screenshot("debugger-1280.png");

    browser.manage().window().setSize(new Dimension(800, 900));
    assertThat(refused.findElement(By.cssSelector("td.msg")).isDisplayed()).isTrue();
    assertThat(refused.findElement(By.cssSelector(".status")).isDisplayed()).isTrue();
    Long overflow = (Long) ((org.openqa.selenium.JavascriptExecutor) browser)
        .executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assertThat(overflow).as("horizontal overflow of the page at 800 px").isLessThanOrEqualTo(0L);
    screenshot("debugger-800.png");
  }

  private List<WebElement> rows() {
    return browser.findElements(By.cssSelector("#rows tr.event"));
  }

  private void screenshot(String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
