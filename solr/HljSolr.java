import java.nio.file.Path;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Starts one standalone Solr node (Jetty + Solr in this JVM) bound to 127.0.0.1.
 *
 * <p>Usage: {@code java -cp 'lib/*' HljSolr.java SOLR_HOME PORT}. PORT 0 picks a free port; the chosen one is
 * printed on the {@code HLJ_SOLR_READY} line, which the start script waits for. Run in Java's single-file source
 * mode, so there is nothing to compile or commit as a binary.
 */
public class HljSolr {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: HljSolr SOLR_HOME PORT");
      System.exit(2);
    }
    String home = Path.of(args[0]).toAbsolutePath().toString();
    int port = Integer.parseInt(args[1]);
    JettyConfig config =
        JettyConfig.builder()
            .setContext("/solr")
            .setPort(port)
            // SIGTERM closes the cores cleanly, so the next start finds no stale index lock.
            .stopAtShutdown(true)
            .waitForLoadingCoresToFinish(120_000L)
            // Fail at once when the port is taken instead of retrying for a minute.
            .withPortRetryTime(0)
            .build();
    JettySolrRunner node = new JettySolrRunner(home, config);
    try {
      node.start();
    } catch (Exception e) {
      System.err.println("HLJ_SOLR_FAILED " + e);
      e.printStackTrace();
      System.exit(1);
    }
    if (node.getCoreContainer() == null || !node.getCoreContainer().getLoadedCoreNames().contains("ckan")) {
      System.err.println("HLJ_SOLR_FAILED core 'ckan' did not load: "
          + (node.getCoreContainer() == null ? "no core container" : node.getCoreContainer().getCoreInitFailures()));
      node.stop();
      System.exit(1);
    }
    System.out.println("HLJ_SOLR_READY " + node.getLocalPort() + " " + node.getBaseUrl());
    System.out.flush();
    Thread.currentThread().join();
  }
}
