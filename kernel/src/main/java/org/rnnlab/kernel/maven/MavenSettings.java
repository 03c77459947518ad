package org.rnnlab.kernel.maven;

import org.apache.maven.settings.Mirror;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsBuilderFactory;
import org.apache.maven.settings.building.DefaultSettingsBuildingRequest;
import org.apache.maven.settings.building.SettingsBuildingException;
import org.apache.maven.settings.building.SettingsBuildingResult;
import org.apache.maven.settings.building.SettingsProblem;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.repository.Authentication;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.eclipse.aether.util.repository.DefaultAuthenticationSelector;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.DefaultProxySelector;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The user's Maven settings, read as Maven reads them (maven-settings-builder: the global
 * {@code $MAVEN_HOME/conf/settings.xml} merged under the user's {@code ~/.m2/settings.xml}, with
 * {@code ${...}} interpolation), and applied to a resolver session: {@code <offline>}, {@code <localRepository>},
 * {@code <mirrors>}, active {@code <proxies>} and the {@code <servers>}' user names and passwords. A university
 * network that only reaches Maven Central through a mirror or a proxy therefore works in {@code %maven} exactly
 * as it does for {@code mvn}.
 *
 * <p>Passwords encrypted with {@code settings-security.xml} are not decrypted.
 */
public final class MavenSettings {
    private final Settings settings;
    private final List<String> problems;
    private final List<File> files;

    private MavenSettings(Settings settings, List<String> problems, List<File> files) {
        this.settings = settings;
        this.problems = problems;
        this.files = files;
    }

    /**
     * The settings Maven would use here: the user file is {@code -Dorg.apache.maven.user-settings}, else
     * {@code ~/.m2/settings.xml}; the global file {@code -Dorg.apache.maven.global-settings}, else
     * {@code conf/settings.xml} under {@code -Dmaven.home}, {@code $MAVEN_HOME} or {@code $M2_HOME}. Missing files
     * are skipped.
     */
    public static MavenSettings load() {
        return load(System.getProperties(), System.getenv());
    }

    /**
     * Maven's property naming the user's settings file. Built at run time: the kernel jar's shade relocation
     * rewrites every string constant that starts with {@code org.apache.maven} to the relocated package.
     */
    static final String USER_SETTINGS = String.join(".", "org", "apache", "maven", "user-settings");
    /** Maven's property naming the global settings file (see {@link #USER_SETTINGS}). */
    static final String GLOBAL_SETTINGS = String.join(".", "org", "apache", "maven", "global-settings");

    static MavenSettings load(Properties system, Map<String, String> env) {
        String user = system.getProperty(USER_SETTINGS);
        File userFile = user != null && !user.isBlank() ? new File(user)
                : Path.of(system.getProperty("user.home", ""), ".m2", "settings.xml").toFile();
        String global = system.getProperty(GLOBAL_SETTINGS);
        File globalFile = null;
        if (global != null && !global.isBlank()) {
            globalFile = new File(global);
        } else {
            for (String home : new String[] {system.getProperty("maven.home"), env.get("MAVEN_HOME"), env.get("M2_HOME")}) {
                if (home != null && !home.isBlank()) {
                    globalFile = Path.of(home, "conf", "settings.xml").toFile();
                    break;
                }
            }
        }
        return read(userFile, globalFile, system);
    }

    /**
     * Reads the given files (either may be null or missing). A file that cannot be read is ignored and named in
     * {@link #problems()}.
     */
    public static MavenSettings read(File userFile, File globalFile, Properties system) {
        DefaultSettingsBuildingRequest request = new DefaultSettingsBuildingRequest();
        List<File> used = new ArrayList<>();
        if (userFile != null && userFile.isFile()) {
            request.setUserSettingsFile(userFile);
            used.add(userFile);
        }
        if (globalFile != null && globalFile.isFile()) {
            request.setGlobalSettingsFile(globalFile);
            used.add(globalFile);
        }
        request.setSystemProperties(system);
        List<String> problems = new ArrayList<>();
        try {
            SettingsBuildingResult result = new DefaultSettingsBuilderFactory().newInstance().build(request);
            for (SettingsProblem p : result.getProblems()) {
                problems.add(p.toString());
            }
            return new MavenSettings(result.getEffectiveSettings(), problems, used);
        } catch (SettingsBuildingException e) {
            for (SettingsProblem p : e.getProblems()) {
                problems.add(p.toString());
            }
            if (problems.isEmpty()) {
                problems.add(String.valueOf(e.getMessage()));
            }
            return new MavenSettings(new Settings(), problems, List.of());
        }
    }

    /** No settings: Maven's defaults. */
    public static MavenSettings none() {
        return new MavenSettings(new Settings(), List.of(), List.of());
    }

    /** Warnings and errors found while reading the files, for the user. */
    public List<String> problems() {
        return problems;
    }

    /** The settings files that were read. */
    public List<File> files() {
        return files;
    }

    /** Whether {@code <offline>true</offline>} is set. */
    public boolean offline() {
        return settings.isOffline();
    }

    /** The {@code <localRepository>}, or null if not set. */
    public Path localRepository() {
        String local = settings.getLocalRepository();
        return local == null || local.isBlank() ? null : Path.of(local.trim());
    }

    /** The mirrors, as {@code id -> url (mirrorOf)}, for messages. */
    public List<String> mirrors() {
        List<String> out = new ArrayList<>();
        for (Mirror m : settings.getMirrors()) {
            out.add(m.getId() + " " + m.getUrl() + " (mirror of " + m.getMirrorOf() + ")");
        }
        return out;
    }

    /** Applies offline mode, mirrors, proxies and server credentials to a resolver session. */
    public void applyTo(DefaultRepositorySystemSession session) {
        session.setOffline(settings.isOffline());
        DefaultMirrorSelector mirrors = new DefaultMirrorSelector();
        for (Mirror m : settings.getMirrors()) {
            mirrors.add(m.getId(), m.getUrl(), m.getLayout(), false, m.isBlocked(), m.getMirrorOf(),
                    m.getMirrorOfLayouts());
        }
        session.setMirrorSelector(mirrors);
        DefaultProxySelector proxies = new DefaultProxySelector();
        for (Proxy p : settings.getProxies()) {
            if (!p.isActive()) {
                continue;
            }
            proxies.add(new org.eclipse.aether.repository.Proxy(p.getProtocol(), p.getHost(), p.getPort(),
                    credentials(p.getUsername(), p.getPassword())), p.getNonProxyHosts());
        }
        session.setProxySelector(proxies);
        DefaultAuthenticationSelector auth = new DefaultAuthenticationSelector();
        for (Server s : settings.getServers()) {
            Authentication a = credentials(s.getUsername(), s.getPassword());
            if (a != null) {
                auth.add(s.getId(), a);
            }
        }
        session.setAuthenticationSelector(auth);
    }

    private static Authentication credentials(String user, String password) {
        if (user == null || user.isEmpty()) {
            return null;
        }
        return new AuthenticationBuilder().addUsername(user).addPassword(password).build();
    }
}
