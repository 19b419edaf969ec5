///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Week 3: send a test alert to the Slack webhook and say whether Slack accepted it.
//JAVA 17+
//SOURCES lib/*.java
//MAIN alert

// Run it:   SLACK_WEBHOOK_URL=https://hooks.slack.com/services/... ./jbang alert.java "Sentinel is set up"
//           ./jbang alert.java --dry-run "hello"       (prints the JSON payload, sends nothing)
// You see:  alert: Slack accepted the test alert (200 ok)
// Failure:  alert: Slack did not accept the test alert: 404 no_service   (exit 1; 2 when no webhook is configured)
// Works with Slack-compatible webhooks too (Mattermost, Rocket.Chat); the URL is never printed in full.
// Many servers: ./jbang alert.java --source kafka://127.0.0.1:9092/sentinel-alerts   (the one alerter for N detectors
//           publishing with --alerts-to: groups, skips what was already alerted, posts; README, Many servers)

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sentinel.AlertSettings;
import sentinel.Cli;
import sentinel.Config;
import sentinel.ConfigOptions;
import sentinel.ExitCodes;
import sentinel.KafkaAlertSource;
import sentinel.SentinelException;
import sentinel.SlackMessage;
import sentinel.SlackNotifier;

@Command(name = "alert", mixinStandardHelpOptions = true, version = "Sentinel 0.1.0", showDefaultValues = true,
        description = "Week 3: send a test alert to the Slack webhook and say whether Slack accepted it.")
public class alert implements Callable<Integer> {

    @Mixin ConfigOptions config;

    @Option(names = "--dry-run", description = "Print the JSON payload that would be sent and send nothing.")
    boolean dryRun;

    @Option(names = "--once", description = "With --source: read the alerts topic up to its current end, post, then exit.")
    boolean once;

    @Parameters(paramLabel = "<message>", arity = "0..1", defaultValue = "If you can read this, Sentinel's alerts reach this channel.",
            description = "Text of the test alert.")
    String message;

    @Override
    public Integer call() throws Exception {
        Config cfg = config.load();
        if (KafkaAlertSource.requested(cfg)) {
            KafkaAlertSource.run(cfg, once, System.err::println);
            return ExitCodes.OK;
        }
        AlertSettings settings = cfg.alert();
        if (message.isBlank()) throw SentinelException.badInput("the message is empty: give the text to send, e.g. alert \"hello\"");
        String host = SlackNotifier.localHostName();
        SlackMessage msg = SlackMessage.test(message, host);
        if (dryRun) {
            System.out.println(msg.toJson());
            System.err.println("alert: dry run: nothing sent to " + (settings.active() ? settings.redactedWebhook() : "(alerts are off)"));
            return ExitCodes.OK;
        }
        try (SlackNotifier notifier = new SlackNotifier(settings, host, "-", System.err::println)) {
            if (!notifier.active()) throw SentinelException.badInput(notifier.describe());
            SlackNotifier.Result result = notifier.sendNow(msg);
            if (!result.accepted()) throw SentinelException.failure("Slack did not accept the test alert: " + result.reason(), null);
            System.out.println("alert: Slack accepted the test alert (" + result.reason() + ")");
        }
        return ExitCodes.OK;
    }

    public static void main(String... args) {
        System.exit(Cli.run(new alert(), args));
    }
}
