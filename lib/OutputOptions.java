// OutputOptions.java -- the picocli mixin for how much a script says and in what form.
//DEPS info.picocli:picocli:4.7.7
package sentinel;

import picocli.CommandLine.Option;

/** Shared output options: --json for machines, -q/--quiet and -v/--verbose for people. */
public class OutputOptions {

    @Option(names = "--json", description = "Write machine-readable JSON (one object per line) to standard output.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print only results and errors.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Print more detail, including stack traces of errors.")
    boolean verbose;

    public boolean json() { return json; }

    public boolean quiet() { return quiet; }

    public boolean verbose() { return verbose; }
}
