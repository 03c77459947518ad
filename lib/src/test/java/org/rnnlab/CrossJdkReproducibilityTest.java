package org.rnnlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With {@code -Drnnlab.strictMath=true} a seeded training run gives the same bits on JDK 17 and JDK 25; by
 * default the two may differ in the last bits (Math.tanh is not specified bit for bit).
 */
class CrossJdkReproducibilityTest {
    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    private static String probe(Path java, boolean strict) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-cp", classPath()));
        if (strict) {
            cmd.add("-Drnnlab.strictMath=true");
        }
        cmd.add(CrossJdkProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    /** Where the probe, the library and EJML were loaded from, whatever launched this test. */
    private static String classPath() {
        List<String> parts = new ArrayList<>();
        for (Class<?> c : List.of(CrossJdkProbe.class, org.rnnlab.model.SequenceModel.class,
                org.ejml.data.DMatrixRMaj.class, org.ejml.dense.row.CommonOps_DDRM.class)) {
            try {
                parts.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    @Test
    void strictMathGivesTheSameBitsOnJdk17AndJdk25() throws Exception {
        assumeTrue(Files.isExecutable(JDK25), "JDK 25 is not installed at " + JDK25);
        Path here = Path.of(System.getProperty("java.home"), "bin", "java");
        String mine = probe(here, true);
        String other = probe(JDK25, true);
        assertEquals(mine, other);
        boolean defaultDiffers = !probe(here, false).equals(probe(JDK25, false));
        System.out.println("strictMath: identical on both JDKs; default Math: "
                + (defaultDiffers ? "differs in the last bits" : "identical on this machine"));
    }
}
