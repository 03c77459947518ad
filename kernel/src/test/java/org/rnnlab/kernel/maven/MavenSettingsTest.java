package org.rnnlab.kernel.maven;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** settings.xml (mirrors, offline mode, local repository) and POM packaging, with file repositories only. */
class MavenSettingsTest {

    /** A file repository holding org.example:demo:1.0 (a jar) and org.example:bom-like:1.0 (pom-packaged, on demo). */
    private static Path fileRepository(Path dir) throws Exception {
        Path demo = dir.resolve("org/example/demo/1.0");
        Files.createDirectories(demo);
        Files.writeString(demo.resolve("demo-1.0.pom"), "<project><modelVersion>4.0.0</modelVersion>"
                + "<groupId>org.example</groupId><artifactId>demo</artifactId><version>1.0</version>"
                + "<!-- <packaging>pom</packaging> is not what this says --></project>");
        Files.write(demo.resolve("demo-1.0.jar"), new byte[] {80, 75, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        Path group = dir.resolve("org/example/group/1.0");
        Files.createDirectories(group);
        Files.writeString(group.resolve("group-1.0.pom"), "<project><modelVersion>4.0.0</modelVersion>"
                + "<groupId>org.example</groupId><artifactId>group</artifactId><version>1.0</version>"
                + "<packaging>pom</packaging><dependencies><dependency><groupId>org.example</groupId>"
                + "<artifactId>demo</artifactId><version>1.0</version></dependency></dependencies></project>");
        return dir;
    }

    private static File settings(Path dir, String body) throws Exception {
        Path file = dir.resolve("settings.xml");
        Files.writeString(file, "<settings>" + body + "</settings>");
        return file.toFile();
    }

    @Test
    void aMirrorOfEverythingServesCentral(@TempDir Path tmp) throws Exception {
        Path repo = fileRepository(tmp.resolve("campus-mirror"));
        MavenSettings settings = MavenSettings.read(settings(tmp, "<mirrors><mirror><id>campus</id><mirrorOf>*</mirrorOf>"
                + "<url>" + repo.toUri() + "</url></mirror></mirrors>"), null, new Properties());

        List<File> files = new MavenResolver(settings, tmp.resolve("local")).resolve("org.example:demo:1.0");

        assertEquals(1, files.size());
        assertTrue(files.get(0).toPath().startsWith(tmp.resolve("local")), files.toString());
        assertEquals(List.of(), settings.problems());
    }

    /**
     * A POM whose parent activates profiles by JDK version, as Apache Commons' parent does: its dependencies must
     * come along. They were silently dropped when the resolver's session lacked the JVM's properties.
     */
    @Test
    void dependenciesOfAPomWithJdkActivatedProfilesAreResolved(@TempDir Path tmp) throws Exception {
        Path repo = fileRepository(tmp.resolve("repo"));
        Path parent = repo.resolve("org/example/parent/1");
        Files.createDirectories(parent);
        Files.writeString(parent.resolve("parent-1.pom"), "<project><modelVersion>4.0.0</modelVersion>"
                + "<groupId>org.example</groupId><artifactId>parent</artifactId><version>1</version>"
                + "<packaging>pom</packaging><profiles><profile><id>java-17-up</id><activation><jdk>[17,)</jdk>"
                + "</activation><properties><demo.version>1.0</demo.version></properties></profile></profiles></project>");
        Path text = repo.resolve("org/example/text/2.0");
        Files.createDirectories(text);
        Files.writeString(text.resolve("text-2.0.pom"), "<project><modelVersion>4.0.0</modelVersion>"
                + "<parent><groupId>org.example</groupId><artifactId>parent</artifactId><version>1</version></parent>"
                + "<artifactId>text</artifactId><version>2.0</version><dependencies><dependency>"
                + "<groupId>org.example</groupId><artifactId>demo</artifactId><version>${demo.version}</version>"
                + "</dependency></dependencies></project>");
        Files.copy(repo.resolve("org/example/demo/1.0/demo-1.0.jar"), text.resolve("text-2.0.jar"));
        MavenResolver resolver = new MavenResolver(MavenSettings.none(), tmp.resolve("local"));
        resolver.addRepository("files", repo.toUri().toString());
        resolver.setOffline(false);

        List<File> files = resolver.resolve("org.example:text:2.0");

        assertEquals(List.of("text-2.0.jar", "demo-1.0.jar"), files.stream().map(File::getName).toList());
        assertEquals(List.of(), resolver.warnings());
    }

    @Test
    void aPomThatCannotBeReadIsNamedInTheWarnings(@TempDir Path tmp) throws Exception {
        Path repo = fileRepository(tmp.resolve("repo"));
        Path broken = repo.resolve("org/example/broken/1.0");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("broken-1.0.pom"), "<project><modelVersion>4.0.0</modelVersion>"
                + "<groupId>org.example</groupId><artifactId>broken</artifactId><version>1.0</version><dependencies>"
                + "<dependency><groupId>org.example</groupId><artifactId>demo</artifactId></dependency>"
                + "</dependencies></project>");
        Files.copy(repo.resolve("org/example/demo/1.0/demo-1.0.jar"), broken.resolve("broken-1.0.jar"));
        Path app = repo.resolve("org/example/app/1.0");
        Files.createDirectories(app);
        Files.writeString(app.resolve("app-1.0.pom"), "<project><modelVersion>4.0.0</modelVersion>"
                + "<groupId>org.example</groupId><artifactId>app</artifactId><version>1.0</version><dependencies>"
                + "<dependency><groupId>org.example</groupId><artifactId>broken</artifactId><version>1.0</version>"
                + "</dependency></dependencies></project>");
        Files.copy(repo.resolve("org/example/demo/1.0/demo-1.0.jar"), app.resolve("app-1.0.jar"));
        MavenResolver resolver = new MavenResolver(MavenSettings.none(), tmp.resolve("local"));
        resolver.addRepository("files", repo.toUri().toString());

        List<File> files = resolver.resolve("org.example:app:1.0");

        assertEquals(List.of("app-1.0.jar", "broken-1.0.jar"), files.stream().map(File::getName).toList());
        assertEquals(1, resolver.warnings().size(), resolver.warnings().toString());
        String warning = resolver.warnings().get(0);
        assertTrue(warning.contains("org.example:broken:jar:1.0") && warning.contains("dependency.version"), warning);
    }

    @Test
    void offlineSettingsDownloadNothingAndSaySo(@TempDir Path tmp) throws Exception {
        Path repo = fileRepository(tmp.resolve("repo"));
        MavenSettings settings = MavenSettings.read(settings(tmp, "<offline>true</offline>"), null, new Properties());
        MavenResolver resolver = new MavenResolver(settings, tmp.resolve("local"));
        resolver.addRepository("files", repo.toUri().toString());

        assertTrue(resolver.isOffline());
        MavenResolver.MavenResolutionException e = assertThrows(MavenResolver.MavenResolutionException.class,
                () -> resolver.resolve("org.example:demo:1.0"));
        assertTrue(e.getMessage().contains("Maven is offline"), e.getMessage());
    }

    @Test
    void userSettingsOverrideGlobalOnesAndNameTheLocalRepository(@TempDir Path tmp) throws Exception {
        Path global = tmp.resolve("maven-home/conf/settings.xml");
        Files.createDirectories(global.getParent());
        Files.writeString(global, "<settings><localRepository>/global/repo</localRepository><mirrors><mirror>"
                + "<id>campus</id><mirrorOf>central</mirrorOf><url>https://mirror.example.edu/maven2</url></mirror>"
                + "</mirrors></settings>");
        Path user = tmp.resolve("home/.m2/settings.xml");
        Files.createDirectories(user.getParent());
        Files.writeString(user, "<settings><localRepository>" + tmp.resolve("mine") + "</localRepository></settings>");
        Properties system = new Properties();
        system.setProperty("user.home", tmp.resolve("home").toString());

        MavenSettings settings = MavenSettings.load(system, java.util.Map.of("MAVEN_HOME", tmp.resolve("maven-home").toString()));

        assertEquals(tmp.resolve("mine"), settings.localRepository());
        assertEquals(List.of("campus https://mirror.example.edu/maven2 (mirror of central)"), settings.mirrors());
        assertEquals(2, settings.files().size());
    }

    @Test
    void aBrokenSettingsFileIsReportedNotFatal(@TempDir Path tmp) throws Exception {
        MavenSettings settings = MavenSettings.read(settings(tmp, "<mirrors><mirror>"), null, new Properties());

        assertTrue(!settings.problems().isEmpty());
        assertTrue(!settings.offline());
    }

    @Test
    void packagingIsReadByMavensModelReaderAndPomPackagedCoordinatesBringTheirDependencies(@TempDir Path tmp)
            throws Exception {
        Path repo = fileRepository(tmp.resolve("repo"));
        assertEquals("jar", MavenResolver.packaging(repo.resolve("org/example/demo/1.0/demo-1.0.pom")));
        assertEquals("pom", MavenResolver.packaging(repo.resolve("org/example/group/1.0/group-1.0.pom")));

        MavenSettings mirror = MavenSettings.read(settings(tmp, "<mirrors><mirror><id>files</id><mirrorOf>*</mirrorOf>"
                + "<url>" + repo.toUri() + "</url></mirror></mirrors>"), null, new Properties());
        List<File> files = new MavenResolver(mirror, tmp.resolve("local")).resolve("org.example:group:1.0");

        assertEquals(1, files.size());
        assertTrue(files.get(0).getName().equals("demo-1.0.jar"), files.toString());
    }
}
