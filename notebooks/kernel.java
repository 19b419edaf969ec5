///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION The Jupyter kernel for Sentinel's notebooks: rapaio's Java kernel with lib/ and notebooks/support/ on its classpath.
//JAVA 17+
//JAVA_OPTIONS -Djava.awt.headless=true
//DEPS io.github.padreati:rapaio-jupyter-kernel:3.0.1
//DEPS tech.tablesaw:tablesaw-core:0.44.4
//DEPS org.knowm.xchart:xchart:3.8.8
//SOURCES ../lib/*.java
//SOURCES support/*.java

// Jupyter starts this through the kernel spec that `./jbang notebooks/setup.java` writes; you do not run it by hand.
// It runs in the same JVM as the notebook cells (rapaio executes cells in-process), so everything on this script's
// classpath -- lib/ as compiled by JBang, with the versions from lib's own //DEPS lines -- is importable from cells,
// and an edit to lib/ is picked up on the next kernel start because JBang rebuilds on changed sources.

public class kernel {
    public static void main(String[] args) throws Exception {
        org.rapaio.jupyter.kernel.MainApp.main(args);
    }
}
