package dev.llmgateway.benchmarks.load;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The proxy of arm C: the open-source Portkey AI gateway (npm package {@code @portkey-ai/gateway}
 * {@value #VERSION}) in a Node.js child process, installed and started by the runner.
 *
 * <p><b>Install.</b> Into a scratch directory ({@code llm-gateway-benchmarks/target/portkey} by
 * default, never committed), reused when it already holds these versions: the runner writes a
 * {@code package.json} pinning {@code @portkey-ai/gateway} {@value #VERSION} with an npm
 * override of {@code @hono/node-server} to {@value #NODE_SERVER_VERSION}, and runs {@code npm
 * install --no-audit --no-fund --ignore-scripts}. The override is needed: with a later version
 * of {@code @hono/node-server} (npm picks the newest for Portkey's {@code ^1.3.3}) every
 * streamed chat completion fails with {@code TypeError: immutable} in Portkey's {@code
 * ResponseService.updateHeaders} (Portkey-AI/gateway issue 1389). The package's only install
 * script is {@code patch-package}, which finds no patches in the published package, hence
 * {@code --ignore-scripts}.
 *
 * <p><b>Start.</b> {@code node --import ./loopback.mjs
 * node_modules/@portkey-ai/gateway/build/start-server.js --port=N --headless} with {@code
 * NODE_ENV=production}, on a free port, under {@code taskset -c <cpu>} when pinned. Portkey has
 * no option for the address it listens on and listens on every interface; {@code loopback.mjs},
 * written by this class, makes it listen on 127.0.0.1 only, as an open proxy should on a
 * developer's machine. It is ready when {@code GET /} answers 200 ({@code AI Gateway says hey!}),
 * polled every 100 ms for up to {@value #READY_SECONDS} s.
 *
 * <p><b>Addressing.</b> A client sends its OpenAI Chat Completions request to {@link #baseUrl()}
 * with {@value #PROVIDER_HEADER}{@code : openai} and {@value #CUSTOM_HOST_HEADER}{@code :
 * <upstream base URL up to /v1>}; Portkey forwards it to that URL plus {@code /chat/completions},
 * with the caller's {@code Authorization} header as the OpenAI key. 127.0.0.1 is one of Portkey's
 * default trusted custom hosts.
 *
 * <p>What arm C therefore measures includes a deliberate wait: Portkey's stream reader holds the
 * first chunk of every stream for 25 ms ({@code readStream} in its {@code
 * src/handlers/streamHandler.ts}).
 *
 * <p><b>CPU.</b> {@link #cpuNanos()} reads {@code utime + stime} of all the process's threads from
 * {@code /proc/<pid>/stat}, in clock ticks ({@code getconf CLK_TCK}, usually 100 per second, so
 * 10 ms resolution); -1 where that file cannot be read.
 *
 * <p>Thread-safe.
 */
final class PortkeyProcess implements AutoCloseable {
  static final String VERSION = "1.15.2";
  static final String NODE_SERVER_VERSION = "1.14.1";
  static final String PROVIDER_HEADER = "x-portkey-provider";
  static final String CUSTOM_HOST_HEADER = "x-portkey-custom-host";
  static final int READY_SECONDS = 30;
  static final int INSTALL_MINUTES = 5;

  /** The scratch directory's {@code package.json}. */
  static final String PACKAGE_JSON = "{\n"
      + "  \"private\": true,\n"
      + "  \"description\": \"arm C of the llm-gateway load runner (PortkeyProcess)\",\n"
      + "  \"dependencies\": { \"@portkey-ai/gateway\": \"" + VERSION + "\" },\n"
      + "  \"overrides\": { \"@hono/node-server\": \"" + NODE_SERVER_VERSION + "\" }\n"
      + "}\n";

  /** The preload that makes Portkey's server listen on the loopback interface only. */
  static final String LOOPBACK_MJS = "// Written by the llm-gateway load runner (PortkeyProcess)"
      + ": Portkey listens on every\n"
      + "// interface and has no option for it; as an open proxy it listens on loopback here.\n"
      + "import net from 'node:net';\n"
      + "const listen = net.Server.prototype.listen;\n"
      + "net.Server.prototype.listen = function (port, host, ...rest) {\n"
      + "  if (typeof port === 'number' && host === undefined) {\n"
      + "    return listen.call(this, port, '127.0.0.1', ...rest);\n"
      + "  }\n"
      + "  return listen.call(this, port, host, ...rest);\n"
      + "};\n";

  private static final String SERVER = "node_modules/@portkey-ai/gateway/build/start-server.js";
  private static final Pattern VERSION_FIELD = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*m");

  private final Process process;
  private final int port;
  private final long nanosPerTick;
  private final String description;

  private PortkeyProcess(Process process, int port, long nanosPerTick, String description) {
    this.process = process;
    this.port = port;
    this.nanosPerTick = nanosPerTick;
    this.description = description;
  }

  /**
   * Installs Portkey into {@code dir} unless it is there already, starts it (under {@code taskset
   * -c cpu} unless {@code cpu} is null) and waits until it answers.
   *
   * @throws IOException saying why arm C cannot run (no Node.js, the install failed, Portkey did
   *     not become ready); the runner then skips arm C
   */
  static PortkeyProcess start(Path dir, @Nullable String cpu)
      throws IOException, InterruptedException {
    String node = output(List.of("node", "--version"), "Node.js (node) not found");
    if (!node.matches("v(1[89]|[2-9][0-9]|[1-9][0-9]{2,})\\..*")) {
      throw new IOException("Node.js " + node + " is too old or unknown; arm C needs 18 or later");
    }
    Files.createDirectories(dir);
    install(dir);
    Files.writeString(dir.resolve("loopback.mjs"), LOOPBACK_MJS);
    int port = freePort();
    List<String> command = new ArrayList<>();
    if (cpu != null) {
      command.addAll(List.of("taskset", "-c", cpu));
    }
    command.addAll(List.of("node", "--import", "./loopback.mjs", SERVER, "--port=" + port,
        "--headless"));
    Path log = dir.resolve("portkey.log");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("NODE_ENV", "production");
    Process process = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "portkey-stop"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
    while (!answers(port)) {
      if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
        throw new IOException("Portkey exited with status " + process.exitValue()
            + " before it answered: " + lastLine(log));
      }
      if (System.nanoTime() > deadline) {
        stop(process);
        throw new IOException("Portkey did not answer on port " + port + " within "
            + READY_SECONDS + " s: " + lastLine(log));
      }
    }
    String where = cpu == null ? "not pinned" : "pinned with taskset to CPU " + cpu
        + " with the upstream";
    return new PortkeyProcess(process, port, nanosPerTick(),
        "Portkey gateway " + VERSION + " (@hono/node-server " + NODE_SERVER_VERSION
            + ") on Node.js " + node + ", " + where);
  }

  /** Where a client sends its OpenAI requests (up to {@code /v1}). */
  String baseUrl() {
    return "http://127.0.0.1:" + port + "/v1";
  }

  /** What runs and where, for the report. */
  String description() {
    return description;
  }

  /** The process's CPU time so far (all threads), or -1 if it cannot be read. */
  long cpuNanos() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields[0] is field 3 (state); utime and stime are fields 14 and 15
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * nanosPerTick;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Stops Portkey and waits for it to end. */
  @Override
  public void close() {
    stop(process);
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static void install(Path dir) throws IOException, InterruptedException {
    if (installed(dir)) {
      return;
    }
    output(List.of("npm", "--version"), "npm not found");
    Files.writeString(dir.resolve("package.json"), PACKAGE_JSON);
    Path log = dir.resolve("npm-install.log");
    System.out.println("arm C: installing @portkey-ai/gateway " + VERSION + " into " + dir);
    Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund",
        "--ignore-scripts")
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    if (!npm.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES)) {
      stop(npm);
      throw new IOException("npm install did not finish within " + INSTALL_MINUTES
          + " minutes (see " + log + ")");
    }
    if (npm.exitValue() != 0 || !installed(dir)) {
      throw new IOException("npm install failed with status " + npm.exitValue() + " (see "
          + log + "): " + firstError(log));
    }
  }

  /** Whether {@code dir} holds the pinned versions, installed from this class's package.json. */
  private static boolean installed(Path dir) throws IOException {
    Path packageJson = dir.resolve("package.json");
    return Files.isRegularFile(packageJson)
        && Files.readString(packageJson).equals(PACKAGE_JSON)
        && Files.isRegularFile(dir.resolve(SERVER))
        && VERSION.equals(version(dir.resolve("node_modules/@portkey-ai/gateway/package.json")))
        && NODE_SERVER_VERSION.equals(
            version(dir.resolve("node_modules/@hono/node-server/package.json")));
  }

  private static @Nullable String version(Path packageJson) throws IOException {
    if (!Files.isRegularFile(packageJson)) {
      return null;
    }
    Matcher m = VERSION_FIELD.matcher(Files.readString(packageJson));
    return m.find() ? m.group(1) : null;
  }

  /** The trimmed standard output of a short command; {@code missing} if it cannot run. */
  private static String output(List<String> command, String missing)
      throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(missing, e);
    }
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), UTF_8).trim();
    }
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(missing + " (" + String.join(" ", command) + ": " + out + ")");
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Whether Portkey's {@code GET /} answers 200. */
  private static boolean answers(int port) {
    try {
      HttpURLConnection c = (HttpURLConnection)
          URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(1000);
      try (InputStream in = c.getInputStream()) {
        in.readAllBytes();
        return c.getResponseCode() == 200;
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  /** Nanoseconds per clock tick of {@code /proc/<pid>/stat}; 100 ticks a second if unknown. */
  private static long nanosPerTick() {
    try {
      long ticks = Long.parseLong(output(List.of("getconf", "CLK_TCK"), "no getconf"));
      return ticks > 0 ? 1_000_000_000L / ticks : 10_000_000L;
    } catch (IOException | NumberFormatException e) {
      return 10_000_000L;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 10_000_000L;
    }
  }

  /** npm's first error line (e.g. {@code npm error code ECONNREFUSED}), else the last line. */
  private static String firstError(Path log) {
    for (String line : lines(log)) {
      if (line.startsWith("npm error") || line.startsWith("npm ERR!")) {
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
      }
    }
    return lastLine(log);
  }

  private static List<String> lines(Path log) {
    try {
      String text = new String(Files.readAllBytes(log), UTF_8);
      return List.of(ANSI.matcher(text).replaceAll("").split("[\r\n]"));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The last non-blank line of a log, without terminal colours, at most 200 characters. */
  private static String lastLine(Path log) {
    List<String> lines = lines(log);
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).trim();
      if (!line.isEmpty()) {
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
      }
    }
    return "(nothing in " + log + ")";
  }
}
