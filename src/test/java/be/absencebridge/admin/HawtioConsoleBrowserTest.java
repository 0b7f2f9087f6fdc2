package be.absencebridge.admin;

import be.absencebridge.support.BridgeTest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hawtio in a real browser (Debian's Chromium, driven by its chromedriver): nothing but the login form without a
 * login, then the Camel plugin lists every route of the bridge by its id. Screenshots land in
 * {@code target/hawtio-screenshots/}. Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}
 * (Debian packages chromium and chromium-driver, which {@code .ci/run} installs).
 */
class HawtioConsoleBrowserTest extends BridgeTest {

    private static final String CHROMIUM = System.getProperty("browser.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("browser.chromedriver", "/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "hawtio-screenshots");

    private static WebDriver browser;


    @BeforeAll
    static void startBrowser() throws Exception {
        assertThat(new File(CHROMIUM).canExecute()).as("Chromium for the console test: apt-get install chromium chromium-driver").isTrue();
        assertThat(new File(CHROMEDRIVER).canExecute()).as("chromedriver: apt-get install chromium-driver").isTrue();
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // the flags a sandboxed root run without network needs (no background calls to the outside)
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory("hawtio-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theConsoleShowsTheLoginFormFirstAndEveryRouteByIdAfterIt() throws Exception {
        String console = "http://127.0.0.1:" + managementPort + "/actuator/hawtio/";
        browser.manage().deleteAllCookies();

        browser.get(console);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(d -> !d.findElements(By.name("password")).isEmpty());
        screenshot("1-login");
        assertThat(browser.getPageSource()).doesNotContain("absence-bridge").doesNotContain("informat-deliver");

        browser.findElement(By.name("username")).sendKeys("admin");
        browser.findElement(By.name("password")).sendKeys(ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        browser.get(console + "camel/routes");
        List<String> routeIds = camel.getRoutes().stream().map(r -> r.getRouteId()).toList();
        assertThat(routeIds).contains("informat-deliver", "smartschool-deliver", "process-record");
        try {
            wait.until(d -> routeIds.stream().allMatch(id -> d.getPageSource().contains(id)));
        } finally {
            screenshot("2-camel-routes");
        }

        // CSRF: a Jolokia write made with the login session but without the token from the XSRF-TOKEN cookie
        // (what another site's page could make the browser send) is refused; the console's own calls carry it
        String jolokiaPost = "const done = arguments[arguments.length - 1];"
                + "const token = (document.cookie.match(/XSRF-TOKEN=([^;]+)/) || [])[1];"
                + "const headers = {'Content-Type': 'application/json'};"
                + "if (arguments[0] && token) headers['X-XSRF-TOKEN'] = decodeURIComponent(token);"
                + "fetch('/actuator/jolokia/', {method: 'POST', headers: headers, credentials: 'same-origin',"
                + " body: JSON.stringify({type: 'read', mbean: 'java.lang:type=Runtime', attribute: 'Uptime'})})"
                + ".then(r => done(r.status), e => done(-1));";
        assertThat(((JavascriptExecutor) browser).executeAsyncScript(jolokiaPost, false)).isEqualTo(403L);
        assertThat(((JavascriptExecutor) browser).executeAsyncScript(jolokiaPost, true)).isEqualTo(200L);
    }

    private static void screenshot(String name) throws Exception {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name + ".png"), png);
    }
}
