package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.api.http.ApiAccess;
import io.swarmgate.api.replicas.ReplicaSettings;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TcpEchoServer;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestDnsServer;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in a real browser: Debian's headless Chromium, driven through its chromedriver (nothing is
 * downloaded), against a whole Swarmgate on loopback. A task-balanced service's tasks are two backends on 127.0.0.1
 * and 127.0.0.2, which a test DNS server names as Swarm's would. The screenshot is kept in
 * {@code target/dashboard.png}.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration PAGE_UPDATE = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newHttpClient();
    private TestDnsServer dns;
    private TestBackend task1;
    private TestBackend task2;
    private SwarmgateServer server;
    private ChromeDriver browser;

    @BeforeEach
    void start() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("chromium and chromium-driver are not installed (.ci/run installs them)");
        }
        Assumptions.assumeTrue(installed, "chromium and chromium-driver are not installed");
        dns = TestDnsServer.start();
        task1 = TestBackend.start("task1", "127.0.0.1", 0);
        task2 = TestBackend.start("task2", "127.0.0.2", task1.port());
        dns.set("tasks.web", "127.0.0.1", "127.0.0.2");
        server = SwarmgateServer.start(ServerSettings.ephemeral().withReplicas(new ReplicaSettings("proxy",
                dns.address(), List.of(), ReplicaSettings.DEFAULT_RELOAD_INTERVAL)), Map.of());
        dns.set("tasks.proxy", "127.0.0.1"); // this replica alone
        browser = chromium();
    }

    private static ChromeDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1500");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.stop();
            task1.close();
            task2.close();
            dns.close();
        }
    }

    private int api(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort() + pathAndQuery))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A bounded burst of requests through the data plane. */
    private void requests(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            RawHttpConnection.get(server.proxyPorts().get(0), "localhost", "/web/" + i);
        }
    }

    private boolean shown(String selector) {
        return !browser.findElements(By.cssSelector(selector)).isEmpty();
    }

    @Test
    void signsInWithTheTokenAsPasswordWhenTheApiIsProtected() {
        try (SwarmgateServer protectedServer = SwarmgateServer.start(ServerSettings.ephemeral()
                .withApiAccess(new ApiAccess("t0ken", Map.of())), Map.of())) {
            String page = "127.0.0.1:" + protectedServer.apiPort() + "/dashboard/";
            browser.get("http://" + page);
            assertThat(browser.getPageSource()).doesNotContain("Services");

            // What a browser's sign-in dialog sends: any user name, the token as password.
            browser.get("http://ops:t0ken@" + page);
            await().atMost(PAGE_UPDATE).until(() -> browser.findElement(By.id("status")).getText()
                    .contains("0 service(s)"));
            assertThat(browser.findElement(By.id("problem")).isDisplayed()).isFalse();
        }
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private int count(String selector) {
        return browser.findElements(By.cssSelector(selector)).size();
    }

    @Test
    void pagesThroughTheServicesOrdersThemByErrorsAndFindsOneByItsPath() throws Exception {
        for (int i = 0; i < 120; i++) {
            String name = String.format("svc-%03d", i);
            assertThat(api("/v1/docker-flow-proxy/reconfigure?serviceName=" + name + "&servicePath=/" + name
                    + "/api&port=8080")).isEqualTo(200);
        }
        int closed = TcpEchoServer.freePort(); // nothing listens there: every request fails
        assertThat(api("/v1/docker-flow-proxy/reconfigure?serviceName=zz-failing&servicePath=/failing&port=" + closed
                + "&outboundHostname=127.0.0.1")).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            RawHttpConnection.get(server.proxyPorts().get(0), "localhost", "/failing");
        }
        browser.get("http://127.0.0.1:" + server.apiPort() + "/dashboard/");
        await().atMost(PAGE_UPDATE).until(() -> text("status").contains("121 service(s), 121 route(s)"));
        assertThat(text("shown")).isEqualTo("1–50 of 121");
        assertThat(count("article[data-service]")).isEqualTo(50);
        assertThat(count("tr[data-route]")).isEqualTo(50);
        assertThat(browser.findElement(By.id("previous")).isEnabled()).isFalse();

        browser.findElement(By.id("next")).click();
        await().atMost(PAGE_UPDATE).until(() -> text("shown").equals("51–100 of 121"));
        assertThat(shown("article[data-service='svc-050']")).isTrue();
        assertThat(shown("article[data-service='svc-000']")).isFalse();
        browser.findElement(By.id("next")).click();
        await().atMost(PAGE_UPDATE).until(() -> text("shown").equals("101–121 of 121"));
        assertThat(count("article[data-service]")).isEqualTo(21);
        assertThat(browser.findElement(By.id("next")).isEnabled()).isFalse();

        browser.findElement(By.cssSelector("#sort option[value='errors']")).click();
        await().atMost(PAGE_UPDATE).until(() -> text("shown").equals("1–50 of 121") && browser.findElements(
                By.cssSelector("article[data-service]")).get(0).getAttribute("data-service").equals("zz-failing"));
        assertThat(shown("article[data-service='svc-000']")).as("then by name").isTrue();

        browser.findElement(By.id("search")).sendKeys("SVC-117/API");
        await().atMost(PAGE_UPDATE).until(() -> text("shown").equals("1–1 of 1 matching"));
        assertThat(count("article[data-service]")).isEqualTo(1);
        assertThat(shown("tr[data-route='svc-117']")).isTrue();
        assertThat(count("tr[data-route]")).isEqualTo(1);
        assertThat(browser.findElement(By.id("previous")).isEnabled()).isFalse();
        assertThat(browser.findElement(By.id("next")).isEnabled()).isFalse();

        browser.findElement(By.id("search")).sendKeys("/missing");
        await().atMost(PAGE_UPDATE).until(() -> text("services").contains("No service, host or path contains"));
        assertThat(count("tr[data-route]")).isZero();

        // The page wanted is in the address: a link, or a reload, opens it.
        browser.get("about:blank");
        browser.get("http://127.0.0.1:" + server.apiPort() + "/dashboard/#sort=errors&from=50");
        await().atMost(PAGE_UPDATE).until(() -> text("shown").equals("51–100 of 121"));
        assertThat(browser.findElement(By.id("sort")).getAttribute("value")).isEqualTo("errors");
        assertThat(browser.findElements(By.cssSelector("article[data-service]")).get(0).getAttribute("data-service"))
                .as("zz-failing first, then by name").isEqualTo("svc-049");
        browser.findElement(By.id("previous")).click();
        await().atMost(PAGE_UPDATE).until(() -> text("shown").equals("1–50 of 121"));
        assertThat(browser.getCurrentUrl()).endsWith("/dashboard/#sort=errors");
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue()).toList();
        assertThat(errors).isEmpty();
    }

    @Test
    void showsARouteAddedThroughTheApiAndAKilledTaskTurningUnhealthyWithoutAReload() throws Exception {
        browser.get("http://127.0.0.1:" + server.apiPort() + "/dashboard/");
        await().atMost(PAGE_UPDATE).until(() -> browser.findElement(By.id("status")).getText().contains("version"));
        assertThat(shown("tr[data-route='web']")).isFalse();
        // Survives only as long as the page is not loaded again.
        ((JavascriptExecutor) browser).executeScript("window.loadedOnce = true;");

        assertThat(api("/v1/docker-flow-proxy/reconfigure?serviceName=web&servicePath=/web&port=" + task1.port()
                + "&discoveryType=DNS&healthCheckPath=/health")).isEqualTo(200);
        await().atMost(PAGE_UPDATE).until(() -> shown("tr[data-route='web']"));

        requests(20);
        String healthyTask2 = "tr[data-task='127.0.0.2:" + task2.port() + "'][data-healthy='true']";
        await().atMost(PAGE_UPDATE).until(() -> shown(healthyTask2)
                && shown("tr[data-task='127.0.0.1:" + task1.port() + "'][data-healthy='true']"));

        task2.kill();
        String unhealthyTask2 = "tr[data-task='127.0.0.2:" + task2.port() + "'][data-healthy='false']";
        await().atMost(PAGE_UPDATE).until(() -> {
            requests(5); // the health checks run while the service is used
            return shown(unhealthyTask2);
        });
        assertThat(browser.findElement(By.cssSelector(unhealthyTask2)).getText()).contains("unhealthy");
        assertThat(shown("tr[data-task='127.0.0.1:" + task1.port() + "'][data-healthy='true']")).isTrue();
        assertThat(((JavascriptExecutor) browser).executeScript("return window.loadedOnce === true;"))
                .isEqualTo(true);
        assertThat(browser.findElement(By.id("replicas")).getText()).contains("versions agree");

        File screenshot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(screenshot.toPath(), Path.of("target", "dashboard.png"),
                StandardCopyOption.REPLACE_EXISTING);
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue()).toList();
        assertThat(errors).isEmpty();
    }
}
