package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When alert.java becomes the alerter, and its dedupe window; the consuming path runs in KafkaClusterTest. */
class KafkaAlertSourceTest {
    @TempDir Path dir;
    static final String URI = "kafka://127.0.0.1:9092/sentinel-alerts";

    @Test
    void consumesOnlyWhenTheCommandLineOrEnvironmentNamesASource() throws Exception {
        Path yaml = dir.resolve("config.yaml");
        Files.writeString(yaml, "source: kafka://127.0.0.1:9092/web-logs\n"); // detect's source, shared config file
        assertFalse(KafkaAlertSource.requested(Config.load(yaml, true, Map.of(), Map.of())), "alert.java \"hello\" still sends a test");
        assertTrue(KafkaAlertSource.requested(Config.load(yaml, true, Map.of(), Map.of("source", URI))));
        assertTrue(KafkaAlertSource.requested(Config.load(null, false, Map.of("SENTINEL_SOURCE", URI), Map.of())));
        assertFalse(KafkaAlertSource.requested(Config.load(null, false, Map.of(), Map.of())));
    }

    @Test
    void dedupeWindowIsRealertThenGroupWindowThenAMinute() {
        assertEquals(Duration.ofMinutes(5), KafkaAlertSource.window(settings(Duration.ofSeconds(30), Duration.ofMinutes(5))));
        assertEquals(Duration.ofSeconds(30), KafkaAlertSource.window(settings(Duration.ofSeconds(30), Duration.ZERO)));
        assertEquals(Duration.ofMinutes(1), KafkaAlertSource.window(settings(Duration.ZERO, Duration.ZERO)));
    }

    static AlertSettings settings(Duration group, Duration realert) {
        return new AlertSettings("http://127.0.0.1:1/services/T/B/x", true, group, realert, 0, Duration.ofSeconds(1), 10);
    }
}
