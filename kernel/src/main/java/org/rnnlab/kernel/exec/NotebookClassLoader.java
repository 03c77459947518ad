package org.rnnlab.kernel.exec;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads the classes of one notebook: the cells' compiled snippets and the jars added by {@code %maven},
 * {@code %jars} and {@code %classpath}. Every class passes through {@link StopCheckWeaver} on its way in, so
 * the kernel can interrupt it and {@code System.exit} in it only ends the cell.
 */
public final class NotebookClassLoader extends URLClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> snippetClasses = new ConcurrentHashMap<>();
    private final Map<URL, ProtectionDomain> domains = new ConcurrentHashMap<>();

    /** Creates an empty notebook loader whose parent shows only the JDK and the kernel API. */
    public NotebookClassLoader() {
        super("notebook", new URL[0], new KernelApiLoader(NotebookClassLoader.class.getClassLoader()));
    }

    /** Registers the bytes of a compiled cell class; it is defined on first use. */
    void declare(String name, byte[] bytes) {
        snippetClasses.put(name, bytes);
    }

    /** Adds a jar or class folder to the notebook's class path. */
    @Override
    public void addURL(URL url) {
        super.addURL(url);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] snippet = snippetClasses.get(name);
        if (snippet != null) {
            byte[] woven = StopCheckWeaver.weave(snippet, true);
            return defineClass(name, woven, 0, woven.length);
        }
        String path = name.replace('.', '/') + ".class";
        URL url = findResource(path);
        if (url == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] original;
        try (InputStream in = url.openStream()) {
            original = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name + " could not be read from " + url + ": " + e.getMessage(), e);
        }
        definePackageFor(name);
        byte[] woven = StopCheckWeaver.weave(original, false);
        return defineClass(name, woven, 0, woven.length, domainFor(url, path));
    }

    private void definePackageFor(String className) {
        int dot = className.lastIndexOf('.');
        if (dot < 0) {
            return;
        }
        String pkg = className.substring(0, dot);
        if (getDefinedPackage(pkg) == null) {
            try {
                definePackage(pkg, null, null, null, null, null, null, null);
            } catch (IllegalArgumentException alreadyDefinedConcurrently) {
                // another thread defined it first: nothing to do
            }
        }
    }

    private ProtectionDomain domainFor(URL classUrl, String path) {
        URL base = classUrl;
        String s = classUrl.toString();
        try {
            if (s.startsWith("jar:")) {
                base = new URL(s.substring(4, s.indexOf("!/")));
            } else if (s.endsWith(path)) {
                base = new URL(s.substring(0, s.length() - path.length()));
            }
        } catch (IOException e) {
            base = classUrl;
        }
        return domains.computeIfAbsent(base, u -> new ProtectionDomain(new CodeSource(u, (Certificate[]) null),
                null, this, null));
    }
}
