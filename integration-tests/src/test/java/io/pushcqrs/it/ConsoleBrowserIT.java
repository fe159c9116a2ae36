package io.pushcqrs.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.local.LocalStackMain;
import io.pushcqrs.local.stack.RunningStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console ({@code /_console/}) in a real browser: headless Chromium driven by Selenium against an embedded stack
 * of its own (started from the cloud assembly, whatever {@code -Dit.deploy} says). It writes commands through the API
 * and a poison record straight into command-records, and reads the page as a person would: the commands projected,
 * the poison record in the dead-letter queue with its shard and sequence number, the stream mapping's batches, the
 * functions' invocations, the API's counts, records behind back to zero, and check-sync's counts after the button.
 * Skipped, saying why, where Debian's {@code chromium} and {@code chromium-driver} (or {@code -Dit.chromium} /
 * {@code -Dit.chromedriver}) are not installed. The page with its data is saved to {@code target/console.png}, and to
 * the file {@code -Dit.consoleScreenshot} names (docs/images/console.png is made so).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserIT {
    private RunningStack stack;
    private PrintStream console;
    private WebDriver browser;
    private Api api;
    private AwsClients aws;
    private Target target;
    private final String run = "console-" + Long.toString(System.currentTimeMillis(), 36);

    @BeforeAll
    void start() throws IOException {
        Optional<Path> chromium = executable("it.chromium", "chromium", "chromium-browser", "google-chrome");
        Optional<Path> driver = executable("it.chromedriver", "chromedriver");
        String why = "no headless Chromium here (" + (chromium.isEmpty() ? "chromium" : "chromedriver") + " not found on"
                + " PATH or by -Dit.chromium/-Dit.chromedriver): install Debian's chromium and chromium-driver"
                + " (apt-get install -y chromium chromium-driver; .ci/run does) to test the console in a browser";
        if (chromium.isEmpty() || driver.isEmpty()) {
            System.out.println("[it] ConsoleBrowserIT SKIPPED: " + why);
        }
        assumeTrue(chromium.isPresent() && driver.isPresent(), why);

        Path cdkOut = Synth.cdkOut();
        Path stateDir = ItPaths.buildDir().resolve("console-stack");
        ItPaths.deleteRecursively(stateDir);
        Files.createDirectories(stateDir.resolve("logs"));
        OutputStream file = Files.newOutputStream(stateDir.resolve("logs").resolve("console.log"));
        console = new PrintStream(file, true, StandardCharsets.UTF_8);
        stack = LocalStackMain.startWith(console, "--port", "0", "--cdk-out", cdkOut.toString(),
                "--state-dir", stateDir.toString(), "--log-dir", stateDir.resolve("logs").toString(), "--max-envs", "2");
        assertThat(stack.summary()).contains("Console", stack.endpoint() + "/_console/");
        target = Target.fromOutputs("embedded local stack (console)", stack.outputs());
        api = new Api(target);
        aws = new AwsClients(target);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1440,2400", "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.get().toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
        if (console != null) {
            console.close();
        }
    }

    @Test
    void thePageShowsCommandsProjectedAPoisonRecordInTheQueueAndTheLagBackToZero() throws IOException {
        browser.get(stack.endpoint() + "/_console/");
        await("the page's first refresh").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> browser.findElement(By.tagName("body")).getAttribute("data-refreshed") != null);
        assertThat(text("stack-name")).isEqualTo(stack.model().stackName());
        assertThat(text("stack-status")).isEqualTo("running");

        // a poison record (a platform the projection cannot map) straight into command-records, good commands behind it
        String user = run + "-user";
        long createdAt = System.currentTimeMillis();
        Map<String, AttributeValue> poison = new HashMap<>();
        poison.put("transaction_id", AttributeValue.fromS(run + "-poison"));
        poison.put("created_at", AttributeValue.fromN(Long.toString(createdAt)));
        poison.put("user_id", AttributeValue.fromS(user));
        poison.put("platform", AttributeValue.fromS("BLACKBERRY"));
        poison.put("device_token", AttributeValue.fromS("token"));
        poison.put("status", AttributeValue.fromS("SENT"));
        aws.dynamoDb.putItem(b -> b.tableName(target.commandTable()).item(poison));
        int commands = 6;
        for (int i = 0; i < commands; i++) {
            ObjectNode body = Api.JSON.createObjectNode().put("transaction_id", run + "-tx-" + i)
                    .put("created_at", createdAt + 1 + i).put("user_id", user).put("platform", "ANDROID")
                    .put("device_token", "token-" + i).put("status", "SENT").put("notification_title", "Hello " + i);
            Api.Response r = api.post("/commands", body);
            assertThat(r.status()).as("%s", r).isEqualTo(201);
        }
        String failedTx = run + "-tx-0";
        Api.Response patched = api.patch("/commands/" + failedTx, Api.JSON.createObjectNode().put("status", "FAILED")
                .put("version", 1).put("error_msg", "device unregistered"));
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);

        // the page, as it refreshes by itself: every record done (the poison one too: the stream processor sent it to
        // the on-failure queue itself and went on), the poison record in the DLQ with its item and reason.
        // (The page rebuilds its panels on every refresh: each read below is one script, atomic in the page.)
        await("the page shows the commands projected, the poison record in the DLQ and nothing behind")
                .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    long written = Long.parseLong(attr("#totals", "data-written"));
                    // 6 creates, 1 status change and the poison record (and a create claim per create, if any)
                    assertThat(written).isGreaterThanOrEqualTo(commands + 2);
                    assertThat(Long.parseLong(attr("#totals", "data-projected"))).isEqualTo(written);
                    assertThat(attr(".dlq-depth", "data-value")).isEqualTo("1");
                    assertThat(attr("#records-behind", "data-value")).isEqualTo("0");
                });
        assertThat(attr("#lag", "data-value")).isEqualTo("0");
        assertThat(text("lag")).isEqualTo("0 ms");
        assertThat(text("sync-latency")).matches(".+ / .+").doesNotContain("\u2013");

        List<String> messages = texts("tr.dlq-message");
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0)).contains("PoisonRecord", "transaction_id=" + run + "-poison", "BLACKBERRY");
        assertThat(messages.get(0)).containsPattern("\\d{10,}"); // the poison record's sequence number

        assertThat(texts("tr.batch .batch-outcome")).contains("OK").doesNotContain("SENT TO QUEUE");
        assertThat(attr(".mapping-state", "data-state")).isEqualTo("POLLING");
        assertThat(text("mappings")).contains("batch size", "batching window");

        assertThat(text("functions")).contains("stream-processor", "command-lambda", "Active");
        List<String> processorInvocations = texts("tr.function[data-name*='stream-processor'] .fn-invocations");
        assertThat(processorInvocations).hasSize(1);
        assertThat(Long.parseLong(processorInvocations.get(0).replace(",", ""))).isGreaterThanOrEqualTo(2);
        assertThat(texts("pre.log")).anySatisfy(log -> assertThat(log).contains("[env-"));

        assertThat(text("api")).doesNotContain(target.apiKey());
        assertThat(texts(".api-key")).singleElement().satisfies(key ->
                assertThat(key).startsWith(target.apiKey().substring(0, 4)).contains("characters"));
        assertThat(js("return Array.from(document.querySelectorAll('tr.route'))"
                + ".filter(r => r.cells[0].innerText === 'POST /commands').map(r => r.cells[2].innerText)"))
                .isEqualTo(List.of(String.valueOf(commands)));

        assertThat(text("tables")).contains(target.commandTable(), target.notificationTable(), "failures-index");

        // check-sync from the button: every command has its view but the poison one, which cannot be projected
        assertThat(js("return document.getElementById('sync-result').offsetParent !== null"))
                .as("no result before the button").isEqualTo(false);
        browser.findElement(By.id("check-sync")).click();
        await("check-sync's answer on the page").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> !text("sync-verdict").isEmpty());
        assertThat(js("return document.getElementById('sync-result').offsetParent !== null")).isEqualTo(true);
        assertThat(text("sync-missing")).isEqualTo("0");
        assertThat(text("sync-stale")).isEqualTo("0");
        assertThat(text("sync-orphan")).isEqualTo("0");
        assertThat(text("sync-unmappable")).isEqualTo("1");
        assertThat(text("sync-verdict")).isEqualTo("OUT OF SYNC");

        // the charts were drawn with data: the last minutes hold the writes and the projections
        assertThat(attr("#chart-throughput", "data-buckets")).isNotEqualTo("0");
        screenshot();
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** The element's text as shown (innerText), "" when it is not there. */
    private String text(String id) {
        Object t = js("const e = document.getElementById(arguments[0]); return e ? e.innerText.trim() : ''", id);
        return String.valueOf(t);
    }

    /** The shown texts of every element the selector matches, read in one go. */
    @SuppressWarnings("unchecked")
    private List<String> texts(String css) {
        return (List<String>) js("return Array.from(document.querySelectorAll(arguments[0])).map(e => e.innerText.trim())", css);
    }

    /** An attribute of the first element the selector matches, or null. */
    private String attr(String css, String name) {
        Object v = js("const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null", css, name);
        return v == null ? null : v.toString();
    }

    private void screenshot() throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path out = ItPaths.buildDir().resolve("console.png");
        Files.copy(shot.toPath(), out, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("[it] ConsoleBrowserIT: the page is in " + out);
        String wanted = System.getProperty("it.consoleScreenshot");
        if (wanted != null && !wanted.isBlank()) {
            Path copy = ItPaths.repoRoot().resolve(wanted);
            Files.createDirectories(copy.getParent());
            Files.copy(shot.toPath(), copy, StandardCopyOption.REPLACE_EXISTING);
            System.out.println("[it] ConsoleBrowserIT: and in " + copy);
        }
    }

    /** -Dit.<name>, else the first of the names found on PATH. */
    private static Optional<Path> executable(String property, String... names) {
        String explicit = System.getProperty(property);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        List<Path> dirs = new ArrayList<>();
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (!d.isBlank()) {
                dirs.add(Path.of(d));
            }
        }
        for (String name : names) {
            for (Path d : dirs) {
                Path p = d.resolve(name);
                if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
