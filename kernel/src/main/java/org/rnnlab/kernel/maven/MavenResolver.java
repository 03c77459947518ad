package org.rnnlab.kernel.maven;

import org.apache.maven.model.Model;
import org.apache.maven.model.io.xpp3.MavenXpp3Reader;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.codehaus.plexus.util.xml.pull.XmlPullParserException;
import org.eclipse.aether.AbstractRepositoryListener;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositoryEvent;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.ArtifactTypeRegistry;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.artifact.DefaultArtifactType;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.DependencyResult;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.DefaultArtifactTypeRegistry;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves {@code %maven} coordinates with Apache Maven Resolver, exactly as Maven would: transitive runtime
 * dependencies from Maven Central (plus repositories added with {@code %mavenRepo}) through the local
 * repository ({@code ~/.m2/repository}, or {@code -Dmaven.repo.local}).
 *
 * <p>Two things plain resolution gets wrong for notebooks are handled here: dependencies declared with
 * {@code <type>bundle</type>} (OSGi bundles, which Maven itself only understands through a build plugin)
 * resolve to their jar, and a {@code pom}-packaged coordinate contributes its dependencies. Offline, what
 * is in the local repository is used; what is missing is named in the error.
 *
 * <p>The user's Maven settings ({@link MavenSettings}: {@code ~/.m2/settings.xml} over
 * {@code $MAVEN_HOME/conf/settings.xml}) apply as they do to {@code mvn}: offline mode, the local repository,
 * mirrors, proxies and server credentials.
 */
public final class MavenResolver {
    /** Maven Central. */
    public static final String CENTRAL_URL = "https://repo.maven.apache.org/maven2/";

    private final RepositorySystem system;
    private final DefaultRepositorySystemSession session;
    private final Map<String, RemoteRepository> repositories = new LinkedHashMap<>();
    private final Path localRepository;
    private final MavenSettings settings;
    private final List<String> warnings = new ArrayList<>();

    /** Creates a resolver over the given local repository, with Maven Central as the only remote, without settings. */
    public MavenResolver(Path localRepository) {
        this(MavenSettings.none(), localRepository);
    }

    /**
     * Creates a resolver as {@code mvn} would work here: the user's settings ({@link MavenSettings#load()}) and
     * the local repository from {@code -Dmaven.repo.local}, else the settings, else {@code ~/.m2/repository}.
     */
    public static MavenResolver fromUserSettings() {
        MavenSettings settings = MavenSettings.load();
        return new MavenResolver(settings, defaultLocalRepository(settings));
    }

    /** Creates a resolver over the given local repository, with Maven Central as remote, and the given settings. */
    public MavenResolver(MavenSettings settings, Path localRepository) {
        this.settings = settings;
        this.localRepository = localRepository;
        this.system = new RepositorySystemSupplier().get();
        this.session = MavenRepositorySystemUtils.newSession();
        session.setLocalRepositoryManager(system.newLocalRepositoryManager(session,
                new LocalRepository(localRepository.toFile())));
        // The JVM's properties, as Maven gives them: POM profiles activated by <jdk> or <os> (Apache Commons'
        // parent has a dozen) are evaluated against java.version. Without them every such POM is "invalid", the
        // session's lenient descriptor policy drops it silently, and with it all of that artifact's dependencies
        // (commons-text came without commons-lang3).
        session.setSystemProperties(System.getProperties());
        session.setUpdatePolicy(RepositoryPolicy.UPDATE_POLICY_NEVER);
        // Like Maven, go on past a POM that cannot be read, but say so, as Maven does: its dependencies are missing.
        session.setRepositoryListener(new AbstractRepositoryListener() {
            @Override
            public void artifactDescriptorInvalid(RepositoryEvent event) {
                synchronized (warnings) {
                    String why = rootMessage(event.getException());
                    String first = why.lines().filter(l -> l.startsWith("[ERROR]")).findFirst()
                            .map(l -> l.substring("[ERROR]".length()).trim())
                            .orElse(why.lines().findFirst().orElse(""));
                    warnings.add("the POM of " + event.getArtifact() + " is invalid, so its dependencies are not on "
                            + "the class path: " + first);
                }
            }
        });
        session.setChecksumPolicy(RepositoryPolicy.CHECKSUM_POLICY_WARN);
        session.setConfigProperty("aether.connector.connectTimeout", 10_000);
        session.setConfigProperty("aether.connector.requestTimeout", 60_000);
        ArtifactTypeRegistry types = session.getArtifactTypeRegistry();
        if (types instanceof DefaultArtifactTypeRegistry) {
            ((DefaultArtifactTypeRegistry) types).add(new DefaultArtifactType("bundle", "jar", "", "java"));
        }
        settings.applyTo(session);
        addRepository("central", CENTRAL_URL);
    }

    /** The local repository in use: {@code -Dmaven.repo.local}, else {@code ~/.m2/repository}. */
    public static Path defaultLocalRepository() {
        return defaultLocalRepository(MavenSettings.none());
    }

    /**
     * The local repository in use: {@code -Dmaven.repo.local}, else the settings' {@code <localRepository>},
     * else {@code ~/.m2/repository}.
     */
    public static Path defaultLocalRepository(MavenSettings settings) {
        String configured = System.getProperty("maven.repo.local");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if (settings.localRepository() != null) {
            return settings.localRepository();
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** The settings in use (their problems are worth telling the user). */
    public MavenSettings settings() {
        return settings;
    }

    /** Whether no network access is attempted. */
    public boolean isOffline() {
        return session.isOffline();
    }

    /**
     * The repositories to search, as the settings' mirrors, proxies and credentials make them
     * ({@link RepositorySystem#newResolutionRepositories}).
     */
    private List<RemoteRepository> remotes() {
        return system.newResolutionRepositories(session, new ArrayList<>(repositories.values()));
    }

    /** Adds (or replaces) a remote repository, e.g. {@code file:///tmp/repo} or an https URL. */
    public void addRepository(String id, String url) {
        repositories.put(id, new RemoteRepository.Builder(id, "default", url).build());
    }

    /** The remote repositories searched, by id. */
    public Map<String, String> repositories() {
        Map<String, String> out = new LinkedHashMap<>();
        repositories.forEach((id, repo) -> out.put(id, repo.getUrl()));
        return out;
    }

    /** Whether no network access is attempted (only the local repository is used). */
    public void setOffline(boolean offline) {
        session.setOffline(offline);
    }

    /**
     * Resolves coordinates {@code group:artifact[:extension[:classifier]]:version} and their runtime
     * dependencies.
     *
     * @return the files to put on the class path, in resolution order
     * @throws MavenResolutionException naming every artifact that could not be found, and where it was looked for
     */
    public List<File> resolve(String coordinates) throws MavenResolutionException {
        synchronized (warnings) {
            warnings.clear();
        }
        DefaultArtifact requested;
        try {
            requested = new DefaultArtifact(coordinates.trim());
        } catch (IllegalArgumentException e) {
            throw new MavenResolutionException("'" + coordinates + "' is not a Maven coordinate; write "
                    + "group:artifact:version, e.g. tech.tablesaw:tablesaw-core:0.44.4");
        }
        Artifact root = requested;
        if ("jar".equals(requested.getExtension()) && isPomPackaged(requested)) {
            root = new DefaultArtifact(requested.getGroupId(), requested.getArtifactId(), "pom", requested.getVersion());
        }
        List<RemoteRepository> repos = remotes();
        CollectRequest collect = new CollectRequest(new Dependency(root, JavaScopes.RUNTIME), repos);
        DependencyRequest request = new DependencyRequest(collect,
                DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        DependencyResult result;
        try {
            result = system.resolveDependencies(session, request);
        } catch (DependencyResolutionException e) {
            throw explain(coordinates, e);
        }
        Set<File> files = new LinkedHashSet<>();
        for (ArtifactResult ar : result.getArtifactResults()) {
            Artifact a = ar.getArtifact();
            if (a != null && a.getFile() != null && !"pom".equals(a.getExtension())) {
                files.add(a.getFile());
            }
        }
        return new ArrayList<>(files);
    }

    /** What the last {@link #resolve} went on past: POMs that could not be read, whose dependencies are missing. */
    public List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    private boolean isPomPackaged(Artifact artifact) {
        Artifact pom = new DefaultArtifact(artifact.getGroupId(), artifact.getArtifactId(), "pom", artifact.getVersion());
        try {
            ArtifactResult r = system.resolveArtifact(session, new ArtifactRequest(pom, remotes(), null));
            return "pom".equals(packaging(r.getArtifact().getFile().toPath()));
        } catch (ArtifactResolutionException | IOException | XmlPullParserException e) {
            return false;
        }
    }

    /** A POM's {@code <packaging>} ({@code jar} when it names none), read with Maven's own model reader. */
    static String packaging(Path pomFile) throws IOException, XmlPullParserException {
        try (InputStream in = Files.newInputStream(pomFile)) {
            Model model = new MavenXpp3Reader().read(in, false);
            return model.getPackaging();
        }
    }

    private MavenResolutionException explain(String coordinates, DependencyResolutionException e) {
        StringBuilder msg = new StringBuilder("could not resolve ").append(coordinates).append('.');
        List<String> missing = new ArrayList<>();
        DependencyResult partial = e.getResult();
        if (partial != null) {
            for (ArtifactResult ar : partial.getArtifactResults()) {
                if (!ar.isResolved()) {
                    missing.add(String.valueOf(ar.getRequest().getArtifact()));
                }
            }
            if (partial.getCollectExceptions() != null) {
                for (Exception ce : partial.getCollectExceptions()) {
                    missing.add(rootMessage(ce));
                }
            }
        }
        if (missing.isEmpty()) {
            missing.add(rootMessage(e));
        }
        msg.append("\nNot found:");
        for (String m : missing) {
            msg.append("\n  - ").append(m);
        }
        msg.append("\nLooked in the local repository ").append(localRepository);
        for (RemoteRepository repo : remotes()) {
            msg.append("\n  and ").append(repo.getId()).append(" (").append(repo.getUrl()).append(')');
            if (!repo.getMirroredRepositories().isEmpty()) {
                msg.append(", a mirror of ").append(repo.getMirroredRepositories().stream().map(RemoteRepository::getId)
                        .collect(java.util.stream.Collectors.joining(", ")));
            }
        }
        if (session.isOffline()) {
            msg.append("\nMaven is offline (<offline>true</offline> in ")
                    .append(settings.files().isEmpty() ? "the settings" : settings.files().toString())
                    .append("): nothing is downloaded.");
        }
        msg.append("\nCheck the coordinates. Offline, only artifacts already in the local repository can be used: "
                + "run the cell once with network access (or 'mvn dependency:get -Dartifact=...') to cache them.");
        return new MavenResolutionException(msg.toString());
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String first = t.getMessage() == null ? t.toString() : t.getMessage();
        String last = root == t || root.getMessage() == null ? "" : " (" + root.getMessage() + ")";
        return first + last;
    }

    /** What {@link #resolve} throws: a message written for the notebook user. */
    public static final class MavenResolutionException extends Exception {
        private static final long serialVersionUID = 1L;

        MavenResolutionException(String message) {
            super(message);
        }
    }
}
