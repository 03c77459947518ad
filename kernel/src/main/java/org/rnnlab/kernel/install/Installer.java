package org.rnnlab.kernel.install;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Installs the kernel as a Jupyter kernelspec, in one command from the built jar:
 *
 * <pre>
 * java -jar rnnlab-kernel-0.1.0.jar install [--user | --sys-prefix | --prefix DIR] [--heap 1g]
 *          [--name java] [--display-name "Java (RNN Lab)"] [--java PATH] [--jvm-opt OPT]... [--no-cds]
 * </pre>
 *
 * <p>It writes {@code kernels/NAME/kernel.json} and copies the jar next to it, so the kernelspec does not
 * depend on the build tree. {@code kernel.json} runs the kernel with the absolute path of the java that ran
 * the installer (or {@code --java}), a heap cap ({@code -Xmx1g} unless {@code --heap} says otherwise, so it
 * fits a 2 GB Binder container), {@code -ea} and {@code --add-modules jdk.incubator.vector} (the library's Vector
 * API kernels). A heap given as a share of memory ({@code --heap 75%}) becomes {@code -XX:MaxRAMPercentage}
 * instead of {@code -Xmx}: the JVM then takes that share of its container's memory limit (Docker, Kubernetes,
 * systemd), or of {@code -XX:MaxRAM} when that is set, as JupyterHub's course configuration does from the
 * {@code MEM_LIMIT} it gives each student. Unless {@code --no-cds}, it also records a class-data
 * sharing archive of a warm-up run, which roughly halves the kernel's start time.
 */
public final class Installer {
    static final String JAR_NAME = "rnnlab-kernel.jar";
    static final String CDS_NAME = "rnnlab-kernel.jsa";
    /** The incubator module of the JDK's Vector API, added to the kernel's JVM. */
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** The parsed command line. */
    static final class Options {
        String scope = "user";
        Path prefix;
        String heap = "1g";
        String name = "java";
        String displayName = "Java (RNN Lab)";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvmOpts = new ArrayList<>();
        boolean cds = true;
    }

    private Installer() {
    }

    /** Runs the installer; returns the process exit status. */
    public static int run(String[] args) {
        PrintStream out = System.out;
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("install: " + e.getMessage());
            System.err.println("usage: java -jar rnnlab-kernel.jar install [--user | --sys-prefix | --prefix DIR] "
                    + "[--heap 1g] [--name java] [--display-name NAME] [--java PATH] [--jvm-opt OPT] [--no-cds]");
            return 2;
        }
        try {
            Path dir = kernelsDir(o).resolve(o.name);
            Files.createDirectories(dir);
            Path jar = dir.resolve(JAR_NAME);
            Files.copy(ownJar(), jar, StandardCopyOption.REPLACE_EXISTING);
            Path cds = dir.resolve(CDS_NAME);
            Files.deleteIfExists(cds);
            boolean haveCds = o.cds && recordCds(o, jar, cds);
            Files.writeString(dir.resolve("kernel.json"), kernelJson(o, jar, haveCds ? cds : null), StandardCharsets.UTF_8);
            out.println("Installed kernelspec '" + o.name + "' (" + o.displayName + ") in " + dir);
            out.println("  java: " + o.java + ", heap: " + o.heap + (haveCds ? ", class-data sharing: on" : ""));
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("install failed: " + e.getMessage());
            return 1;
        }
    }

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--user": o.scope = "user"; break;
                case "--sys-prefix": o.scope = "sys-prefix"; break;
                case "--prefix": o.scope = "prefix"; o.prefix = Path.of(value(args, ++i, a)); break;
                case "--heap": o.heap = heap(value(args, ++i, a)); break;
                case "--name": o.name = value(args, ++i, a); break;
                case "--display-name": o.displayName = value(args, ++i, a); break;
                case "--java": o.java = Path.of(value(args, ++i, a)).toAbsolutePath().toString(); break;
                case "--jvm-opt": o.jvmOpts.add(value(args, ++i, a)); break;
                case "--no-cds": o.cds = false; break;
                default: throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (!o.name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("--name may only contain letters, digits, '.', '_' and '-'");
        }
        return o;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Checks a heap size such as {@code 1g}, {@code 768m}, or a share of memory such as {@code 75%}. */
    static String heap(String size) {
        String s = size.trim().toLowerCase(Locale.ROOT);
        if (s.matches("\\d+%")) {
            int percent = Integer.parseInt(s.substring(0, s.length() - 1));
            if (percent < 1 || percent > 100) {
                throw new IllegalArgumentException("--heap as a share of memory must be 1% to 100%, not '" + size + "'");
            }
            return s;
        }
        if (!s.matches("\\d+[kmg]?")) {
            throw new IllegalArgumentException("--heap takes a size like 1g or 768m, or a share like 75%, not '"
                    + size + "'");
        }
        return s;
    }

    /** The JVM option that caps the heap: {@code -Xmx SIZE}, or {@code -XX:MaxRAMPercentage} for a share. */
    static String heapOption(String heap) {
        return heap.endsWith("%")
                ? "-XX:MaxRAMPercentage=" + heap.substring(0, heap.length() - 1)
                : "-Xmx" + heap;
    }

    /** Where kernelspecs go for the chosen scope. */
    static Path kernelsDir(Options o) {
        switch (o.scope) {
            case "prefix":
                return o.prefix.toAbsolutePath().resolve("share/jupyter/kernels");
            case "sys-prefix":
                return sysPrefix().resolve("share/jupyter/kernels");
            default:
                return userDataDir().resolve("kernels");
        }
    }

    static Path userDataDir() {
        String env = System.getenv("JUPYTER_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String envHome = System.getenv("HOME");                  // Jupyter follows $HOME, not the passwd entry
        String home = envHome != null && !envHome.isBlank() ? envHome : System.getProperty("user.home");
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Jupyter");
        }
        if (os.contains("win")) {
            String appData = System.getenv("APPDATA");
            return Path.of(appData != null ? appData : home, "jupyter");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "jupyter") : Path.of(home, ".local", "share", "jupyter");
    }

    static Path sysPrefix() {
        for (String var : new String[] {"CONDA_PREFIX", "VIRTUAL_ENV"}) {
            String v = System.getenv(var);
            if (v != null && !v.isBlank()) {
                return Path.of(v);
            }
        }
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.prefix)").redirectErrorStream(true).start();
            String prefix = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 && !prefix.isEmpty()) {
                return Path.of(prefix);
            }
        } catch (IOException e) {
            // fall through to the error below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("cannot tell the Python environment's prefix (no CONDA_PREFIX, VIRTUAL_ENV "
                + "or python3 on PATH); use --prefix DIR instead of --sys-prefix");
    }

    private static Path ownJar() {
        try {
            Path p = Path.of(Installer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(p) || !p.toString().endsWith(".jar")) {
                throw new IllegalStateException("run the installer from the built jar "
                        + "(java -jar kernel/target/rnnlab-kernel-0.1.0.jar install), not from " + p);
            }
            return p;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the kernel jar: " + e.getMessage());
        }
    }

    /** The JVM options of the kernel process. */
    static List<String> jvmOptions(Options o, Path cds) {
        List<String> opts = new ArrayList<>();
        opts.add(heapOption(o.heap));
        opts.add("-ea");
        opts.add("-Djava.awt.headless=true");
        opts.add("-XX:+UseSerialGC");
        opts.add("-XX:-UsePerfData");
        opts.add("-Xlog:disable");
        opts.add("-Xlog:all=off");
        // The library's Vector API kernels (org.rnnlab.hotloop.Kernels) need this incubator module; without it the
        // library runs its row loops, with the same results. The JVM then prints "WARNING: Using incubator modules"
        // once at start to its own stderr, which Jupyter sends to the server's log, never to a notebook cell.
        opts.add("--add-modules");
        opts.add(VECTOR_MODULE);
        if (cds != null) {
            opts.add("-XX:SharedArchiveFile=" + cds);
        }
        opts.addAll(o.jvmOpts);
        return opts;
    }

    static String kernelJson(Options o, Path jar, Path cds) {
        JsonArray argv = new JsonArray();
        argv.add(o.java);
        jvmOptions(o, cds).forEach(argv::add);
        argv.add("-jar");
        argv.add(jar.toString());
        argv.add("{connection_file}");
        JsonObject spec = new JsonObject();
        spec.add("argv", argv);
        spec.addProperty("display_name", o.displayName);
        spec.addProperty("language", "java");
        spec.addProperty("interrupt_mode", "message");
        spec.add("env", new JsonObject());
        JsonObject metadata = new JsonObject();
        metadata.addProperty("debugger", false);
        spec.add("metadata", metadata);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n";
    }

    /** Runs the kernel's warm-up with {@code -XX:ArchiveClassesAtExit}; false (and no archive) on any failure. */
    static boolean recordCds(Options o, Path jar, Path cds) {
        List<String> cmd = new ArrayList<>();
        cmd.add(o.java);
        cmd.add("-XX:ArchiveClassesAtExit=" + cds);
        cmd.addAll(jvmOptions(o, null));
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.add("warmup");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0 && Files.isRegularFile(cds);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
