package org.rnnlab.kernel.install;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstallerTest {

    @Test
    void kernelJsonRunsThisJavaWithHeapCapAssertionsAndMessageInterrupts() {
        Installer.Options o = Installer.parse(new String[] {"--prefix", "/opt/p"});

        String json = Installer.kernelJson(o, Path.of("/opt/p/share/jupyter/kernels/java/rnnlab-kernel.jar"), null);

        assertTrue(json.contains("\"" + Path.of(System.getProperty("java.home"), "bin", "java") + "\""));
        assertTrue(json.contains("\"-Xmx1g\""));
        assertTrue(json.contains("\"-ea\""));
        assertTrue(json.contains("\"--add-modules\",\n    \"jdk.incubator.vector\""), json);
        assertTrue(json.contains("\"interrupt_mode\": \"message\""));
        assertTrue(json.contains("\"language\": \"java\""));
        assertTrue(json.contains("\"display_name\": \"Java (RNN Lab)\""));
        assertTrue(json.contains("\"{connection_file}\""));
        assertFalse(json.contains("SharedArchiveFile"));
    }

    @Test
    void optionsChooseScopeHeapNameAndJava() {
        Installer.Options o = Installer.parse(new String[] {"--prefix", "/tmp/x", "--heap", "768M", "--name", "java25",
                "--java", "/jdk25/bin/java", "--jvm-opt", "-Dfoo=1", "--no-cds"});

        assertEquals(Path.of("/tmp/x/share/jupyter/kernels"), Installer.kernelsDir(o));
        assertEquals("768m", o.heap);
        assertEquals("java25", o.name);
        assertEquals("/jdk25/bin/java", o.java);
        assertTrue(Installer.jvmOptions(o, null).contains("-Dfoo=1"));
        assertFalse(o.cds);
    }

    @Test
    void aHeapGivenAsAShareOfMemoryFollowsTheMemoryLimitInsteadOfAFixedCap() {
        Installer.Options o = Installer.parse(new String[] {"--heap", "75%"});

        java.util.List<String> opts = Installer.jvmOptions(o, null);

        assertTrue(opts.contains("-XX:MaxRAMPercentage=75"), opts.toString());
        assertTrue(opts.stream().noneMatch(opt -> opt.startsWith("-Xmx")), opts.toString());
    }

    @Test
    void badOptionsAreRejectedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> Installer.parse(new String[] {"--heap", "lots"}));
        assertThrows(IllegalArgumentException.class, () -> Installer.parse(new String[] {"--heap", "0%"}));
        assertThrows(IllegalArgumentException.class, () -> Installer.parse(new String[] {"--heap", "120%"}));
        assertThrows(IllegalArgumentException.class, () -> Installer.parse(new String[] {"--name", "a b"}));
        assertThrows(IllegalArgumentException.class, () -> Installer.parse(new String[] {"--frobnicate"}));
        assertThrows(IllegalArgumentException.class, () -> Installer.parse(new String[] {"--prefix"}));
    }

    @Test
    void kernelJsonIsValidJsonEvenWithQuotesInNames() {
        Installer.Options o = Installer.parse(new String[] {"--display-name", "Java \"RNN\" Lab"});

        String json = Installer.kernelJson(o, Path.of("/k/rnnlab-kernel.jar"), Path.of("/k/rnnlab-kernel.jsa"));

        com.google.gson.JsonObject parsed = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
        assertEquals("Java \"RNN\" Lab", parsed.get("display_name").getAsString());
        assertTrue(json.contains("-XX:SharedArchiveFile=/k/rnnlab-kernel.jsa"));
    }
}
