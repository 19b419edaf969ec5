// BenchPython.java -- the course's Python design (regex, scikit-learn IsolationForest, one predict per line), measured alike.

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the course's detector design on the same files: a regex per line, four numeric features, scikit-learn's
 * IsolationForest (100 trees, contamination 0.01), {@code predict} once per line in the real-time loop, and
 * once over all rows for the batch figure. Needs a python3 with scikit-learn (Debian: python3-sklearn).
 */
final class BenchPython {
    static final String SCRIPT = """
            import json, pickle, re, resource, sys, time
            import numpy as np
            import sklearn
            from sklearn.ensemble import IsolationForest

            PATTERN = re.compile(r'(?P<ip>\\S+) \\S+ \\S+ \\[(?P<time>[^\\]]+)\\] "(?P<method>\\S+) (?P<path>\\S+)[^"]*" (?P<status>\\d{3}) (?P<size>\\d+|-)')
            METHODS = {'GET': 0, 'POST': 1, 'HEAD': 2, 'PUT': 3, 'DELETE': 4}

            def features(line):
                m = PATTERN.match(line)
                if m is None:
                    return None
                size = m.group('size')
                return [int(m.group('status')), 0 if size == '-' else int(size), len(m.group('path')), METHODS.get(m.group('method'), 5)]

            def read(path):
                rows = []
                with open(path, encoding='utf-8', errors='replace') as f:
                    for line in f:
                        x = features(line)
                        if x is not None:
                            rows.append(x)
                return np.array(rows)

            train, log, single = sys.argv[1], sys.argv[2], int(sys.argv[3])
            out = {'sklearn': sklearn.__version__}
            t0 = time.perf_counter(); X = read(train); t1 = time.perf_counter()
            model = IsolationForest(n_estimators=100, contamination=0.01, random_state=42).fit(X)
            t2 = time.perf_counter()
            out.update(train_rows=len(X), train_parse_s=t1 - t0, train_fit_s=t2 - t1)
            blob = pickle.dumps(model)
            t = time.perf_counter(); pickle.loads(blob); out.update(model_bytes=len(blob), model_load_s=time.perf_counter() - t)
            lat = []
            with open(log, encoding='utf-8', errors='replace') as f, open('/dev/null', 'w') as sink:
                start = time.perf_counter()
                for i, line in enumerate(f):
                    if i >= single:
                        break
                    s = time.perf_counter()
                    x = features(line)
                    if x is not None:
                        anomaly = model.predict([x])[0] == -1
                        print(('Anomaly Detected: ' if anomaly else 'OK: ') + line.rstrip('\\n'), file=sink)
                    lat.append(time.perf_counter() - s)
                out['live_lines_per_s'] = len(lat) / (time.perf_counter() - start)
            lat.sort()
            out.update(live_p50_ms=lat[len(lat) // 2] * 1e3, live_p99_ms=lat[int(len(lat) * 0.99) - 1] * 1e3)
            t = time.perf_counter(); X = read(log); t1 = time.perf_counter(); model.predict(X); t2 = time.perf_counter()
            out.update(batch_lines=len(X), batch_parse_s=t1 - t, batch_predict_s=t2 - t1,
                       peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
            print(json.dumps(out))
            """;

    private BenchPython() {}

    /** A python3 that imports scikit-learn, or null. */
    static String findPython() throws InterruptedException {
        for (String py : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(py, "-c", "import sklearn, numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return py;
            } catch (IOException e) {
                // not installed
            }
        }
        return null;
    }

    /** Runs the script; its figures plus the process's wall time ("process_s"). */
    static Map<String, Object> run(String python, Path work, Path train, Path log, int singleLines) throws IOException, InterruptedException {
        Path script = work.resolve("course_baseline.py");
        Files.writeString(script, SCRIPT);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(python, script.toString(), train.toString(), log.toString(), Integer.toString(singleLines))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) throw new IllegalStateException("the Python baseline failed (exit " + p.exitValue() + ")");
        Map<String, Object> figures = new LinkedHashMap<>();
        try (JsonParser json = new JsonFactory().createParser(out)) {
            json.nextToken();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken v = json.nextToken();
                figures.put(name, v == JsonToken.VALUE_STRING ? json.getText() : (Object) json.getDoubleValue());
            }
        }
        figures.put("process_s", (System.nanoTime() - t0) / 1e9);
        return figures;
    }
}
