// AlertScriptTest.java -- alert.java and detect.java --once as real processes against a real loopback webhook.
package sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertScriptTest {
    static final String HOSTILE = "203.0.113.66 - - [27/Nov/2025:10:00:00 +0000] \"GET /<!channel>/../../etc/passwd?q=<http://evil|click>'%20OR%201=1--"
            + " HTTP/1.1\" 500 9999999 \"-\" \"<!here> sqlmap/1.7 <@U123>\"";
    @TempDir static Path dir;
    final List<TestSupport.Run> runs = new ArrayList<>();
    FakeSlack slack;

    @BeforeAll
    static void config() throws IOException {
        Path train = TestSupport.repoRoot().resolve("logs/train_logs.txt");
        Files.writeString(dir.resolve("config.yaml"), "train_file: '" + train + "'\nmodel_file: model.bin\nalert:\n  timeout: 2s\n");
    }

    TestSupport.Run run(String webhook, String script, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(TestSupport.repoRoot().resolve(script).toString(), "--config", dir.resolve("config.yaml").toString()));
        all.addAll(List.of(args));
        TestSupport.Run r = TestSupport.jbang(dir, null, webhook == null ? Map.of() : Map.of("SLACK_WEBHOOK_URL", webhook), 240, all.toArray(String[]::new));
        runs.add(r);
        return r;
    }

    @AfterEach
    void webhookNeverPrinted() {
        if (slack != null) slack.close();
        for (TestSupport.Run r : runs) {
            for (String out : List.of(r.stdout(), r.stderr())) {
                assertFalse(out.contains(FakeSlack.SECRET) || out.contains("B0SENTINEL"), "webhook leaked:\n" + out);
            }
        }
    }

    @Test
    void alertSendsATestMessageAndExitsZeroWhenSlackAccepts() throws Exception {
        slack = FakeSlack.start();
        TestSupport.Run r = run(slack.url(), "alert.java", "Deploy <!here> & check");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("alert: Slack accepted the test alert (200 ok)", r.stdout().strip());
        List<FakeSlack.Request> rs = slack.requests();
        assertEquals(1, rs.size());
        assertTrue(rs.get(0).body().contains("Deploy &lt;!here&gt; &amp; check"), rs.get(0).body());
    }

    @Test
    void alertExitsOneWithSlacksReasonWhenTheWebhookIsGone() throws Exception {
        slack = FakeSlack.start().then(FakeSlack.Reply.of(404, "no_service"));
        TestSupport.Run r = run(slack.url(), "alert.java", "hello");
        assertEquals(1, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("alert: Slack did not accept the test alert: 404 no_service"), r.stderr());
        assertEquals(1, slack.requests().size());
    }

    @Test
    void alertDryRunPrintsThePayloadAndSendsNothing() throws Exception {
        slack = FakeSlack.start();
        TestSupport.Run r = run(slack.url(), "alert.java", "--dry-run", "hi <@U123>");
        assertEquals(0, r.exitCode(), r.stderr());
        Map<?, ?> payload = (Map<?, ?>) FakeSlack.parse(r.stdout());
        assertTrue(((String) payload.get("text")).endsWith(": hi &lt;@U123&gt;"), r.stdout());
        assertEquals(200, FakeSlack.validate(r.stdout()).status());
        assertTrue(r.stderr().contains("nothing sent to http://127.0.0.1:") && r.stderr().contains("/services/T…/…/…"), r.stderr());
        assertEquals(0, slack.requests().size());
    }

    @Test
    void alertExitsTwoWithoutAWebhookOrMessage() throws Exception {
        TestSupport.Run none = run(null, "alert.java", "hello");
        assertEquals(2, none.exitCode(), none.stderr());
        assertTrue(none.stderr().contains("placeholder"), none.stderr());
        TestSupport.Run empty = run("http://127.0.0.1:9/hooks/x", "alert.java", " ");
        assertEquals(2, empty.exitCode(), empty.stderr());
        assertTrue(empty.stderr().contains("the message is empty"), empty.stderr());
    }

    @Test
    void detectOnceSendsTheFirstAnomalyEscapedAndSummarisesTheRest() throws Exception {
        slack = FakeSlack.start();
        Path log = dir.resolve("access.log");
        List<String> lines = new ArrayList<>(List.of(HOSTILE));
        lines.addAll(Files.readAllLines(TestSupport.repoRoot().resolve("logs/train_logs.txt")).subList(0, 300));
        lines.add(HOSTILE.replace("203.0.113.66", "203.0.113.67"));
        Files.write(log, lines);
        TestSupport.Run r = run(slack.url(), "detect.java", "--once", "--from-start", "--log-file", log.toString());
        assertEquals(0, r.exitCode(), r.stderr());
        List<String> alarms = r.stdout().lines().filter(l -> l.startsWith("🚨 Anomaly Detected: ")).toList();
        assertTrue(alarms.size() >= 2 && alarms.get(0).contains("203.0.113.66"), r.stdout());
        List<FakeSlack.Request> rs = slack.requests();
        assertEquals(2, rs.size(), "one alert, then one summary at shutdown");
        String first = rs.get(0).body();
        assertTrue(first.contains("`203.0.113.66`") && first.contains("&lt;!channel&gt;") && first.contains("&lt;!here&gt; sqlmap/1.7"), first);
        assertTrue(SlackMessageTest.strings(FakeSlack.parse(first)).stream().noneMatch(s -> s.contains("<")), first);
        String summary = (String) ((Map<?, ?>) FakeSlack.parse(rs.get(1).body())).get("text");
        assertTrue(summary.startsWith("📦 " + (alarms.size() - 1) + " more anomal"), summary);
        assertTrue(rs.stream().allMatch(q -> FakeSlack.validate(q.body()).status() == 200));
        assertTrue(r.stderr().contains("2 sent, " + (alarms.size() - 1) + " grouped, 0 suppressed, 0 failed, 0 dropped"), r.stderr());
    }

    @Test
    void detectKeepsDetectingWhenTheWebhookIsGone() throws Exception {
        slack = FakeSlack.start().answerAlways(FakeSlack.Reply.of(404, "no_service"));
        Path log = dir.resolve("gone.log");
        Files.write(log, List.of(HOSTILE, HOSTILE.replace("/etc/passwd", "/etc/shadow")));
        TestSupport.Run r = run(slack.url(), "detect.java", "--once", "--from-start", "--log-file", log.toString());
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(2, r.stdout().lines().filter(l -> l.startsWith("🚨 Anomaly Detected: ")).count(), r.stdout());
        assertEquals(1, slack.requests().size(), "nothing more is sent to a webhook that answered 404");
        assertEquals(1, r.stderr().lines().filter(l -> l.contains("404 no_service")).count(), r.stderr());
        assertTrue(r.stderr().contains("0 sent, 1 grouped, 0 suppressed, 2 failed, 0 dropped"), r.stderr());
    }
}
