package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ClientWindowTest {
    private static final int RATE_10S = 0, RATE_60S = 1, PATHS = 2, SHARE_4XX = 3, SHARE_404 = 4, NONSTATIC = 5, METHODS = 6, NEW_PATHS = 7;

    private final ClientWindow w = new ClientWindow(100);

    private double[] observe(String client, long time, int status, int method, int path, boolean newPath) {
        double[] out = new double[ClientWindow.FEATURES.length];
        w.observe(client, time, status, true, method, path, newPath, out, 0);
        return out;
    }

    private static double requests(double logRate) {
        return Math.expm1(logRate);
    }

    @Test
    void ratesCountRecentRequestsAndDecayWithTime() {
        double[] x = null;
        for (int i = 0; i < 10; i++) x = observe("10.0.0.1", 1000, 200, 0, i, false);
        assertEquals(10, requests(x[RATE_10S]), 1e-9);
        assertEquals(10, requests(x[RATE_60S]), 1e-9);
        x = observe("10.0.0.1", 1010, 200, 0, 0, false);
        assertEquals(1 + 10 * Math.exp(-1), requests(x[RATE_10S]), 1e-5, "ten seconds later the 10 s window kept 1/e");
        assertEquals(1 + 10 * Math.exp(-10.0 / 60), requests(x[RATE_60S]), 1e-5);
        x = observe("10.0.0.1", 5000, 200, 0, 0, false);
        assertEquals(1, requests(x[RATE_60S]), 1e-9, "an hour later only the request itself counts");
    }

    @Test
    void sharesAreSmoothedSoOneErrorIsWeakEvidenceAndManyAreStrong() {
        double[] first = observe("10.0.0.2", 1000, 404, 0, 1, true);
        assertEquals(1.0 / 3, first[SHARE_404], 1e-9, "one 404 on a new path, two clean pseudo-requests");
        assertEquals(1.0 / 3, first[SHARE_4XX], 1e-9);
        assertEquals(1.0 / 3, first[NEW_PATHS], 1e-9);
        double[] x = first;
        for (int i = 0; i < 30; i++) x = observe("10.0.0.2", 1000, 404, 0, 100 + i, true);
        assertTrue(x[SHARE_404] > 0.9, "a window full of 404s on never-seen paths: " + x[SHARE_404]);
        assertTrue(x[NEW_PATHS] > 0.9);
        double[] browsing = null;
        for (int i = 0; i < 20; i++) browsing = observe("10.0.0.3", 1000 + i, i == 5 ? 404 : 200, 0, i, false);
        assertTrue(browsing[SHARE_404] < 0.1, "one 404 amid normal browsing: " + browsing[SHARE_404]);
        assertEquals(0.0, observe("10.0.0.4", 1000, 403, 0, 1, false)[SHARE_404]);
        assertEquals(1.0 / 3, observe("10.0.0.5", 1000, 403, 0, 1, false)[SHARE_4XX], 1e-9);
    }

    @Test
    void distinctPathsAndMethodsAreCounted() {
        double[] x = null;
        for (int i = 0; i < 5; i++) x = observe("10.0.0.6", 1000, 200, 0, 7, false);
        assertEquals(1, requests(x[PATHS]), 1e-9, "the same path five times");
        for (int i = 0; i < 4; i++) x = observe("10.0.0.6", 1000, 200, i, 20 + i, false);
        assertEquals(5, requests(x[PATHS]), 1e-9);
        assertEquals(4, x[METHODS], "GET, HEAD, POST, OPTIONS");
        x = observe("10.0.0.6", 1000 + 3 * 60, 200, 0, 7, false);
        assertEquals(1, x[METHODS], "three minutes later only this GET is recent");
        assertEquals(1.0, x[NONSTATIC]);
    }

    @Test
    void unknownAndBackwardTimesCountAsTheSameMoment() {
        observe("10.0.0.7", 1000, 200, 0, 1, false);
        double[] unknown = observe("10.0.0.7", -1, 200, 0, 2, false);
        assertEquals(2, requests(unknown[RATE_10S]), 1e-9);
        double[] earlier = observe("10.0.0.7", 900, 200, 0, 3, false);
        assertEquals(3, requests(earlier[RATE_10S]), 1e-9, "lines from merged logs may step back; nothing decays");
    }

    @Test
    void clientsAreBoundedLeastRecentlySeenForgottenFirst() {
        ClientWindow small = new ClientWindow(3);
        double[] out = new double[ClientWindow.FEATURES.length];
        for (int i = 0; i < 1000; i++) small.observe("10.1.0." + i, 1000, 200, true, 0, 1, false, out, 0);
        assertEquals(3, small.size());
        small.observe("10.1.0.997", 1000, 200, true, 0, 1, false, out, 0);
        small.observe("10.1.0.5000", 1000, 200, true, 0, 1, false, out, 0);
        small.observe("10.1.0.997", 1000, 200, true, 0, 1, false, out, 0);
        assertEquals(3, requests(out[RATE_10S]), 1e-9, "recently seen clients are kept");
        small.observe("10.1.0.998", 1000, 200, true, 0, 1, false, out, 0);
        assertEquals(1, requests(out[RATE_10S]), 1e-9, "the least recently seen was forgotten");
        assertThrows(IllegalArgumentException.class, () -> new ClientWindow(0));
    }

    @Test
    void forgetAndClearDropState() {
        for (int i = 0; i < 5; i++) observe("10.0.0.8", 1000, 404, 0, i, true);
        w.forget("10.0.0.8");
        double[] fresh = observe("10.0.0.8", 1000, 200, 0, 1, false);
        assertEquals(1, requests(fresh[RATE_10S]), 1e-9);
        assertEquals(0.0, fresh[SHARE_404]);
        observe("10.0.0.9", 1000, 200, 0, 1, false);
        w.clear();
        assertEquals(0, w.size());
    }
}
