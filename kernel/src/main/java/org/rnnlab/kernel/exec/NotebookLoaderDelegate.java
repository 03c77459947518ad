package org.rnnlab.kernel.exec;

import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

import java.io.File;
import java.net.MalformedURLException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Connects JShell's class installation to the {@link NotebookClassLoader}. */
final class NotebookLoaderDelegate implements LoaderDelegate {
    private final NotebookClassLoader loader;
    private final Map<String, Class<?>> classes = new ConcurrentHashMap<>();

    NotebookLoaderDelegate(NotebookClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException {
        boolean[] installed = new boolean[cbcs.length];
        for (ClassBytecodes cbc : cbcs) {
            loader.declare(cbc.name(), cbc.bytecodes());
        }
        try {
            for (int i = 0; i < cbcs.length; i++) {
                Class<?> klass = loader.loadClass(cbcs[i].name());
                classes.put(cbcs[i].name(), klass);
                installed[i] = true;
                klass.getDeclaredMethods();
            }
        } catch (Throwable e) {
            throw new ClassInstallException("cell class could not be loaded: " + e, installed);
        }
    }

    /** Classes are never redefined in place (JShell wraps each new version in a new class). */
    public void classesRedefined(ClassBytecodes[] cbcs) {
        // nothing is cached per version, so there is nothing to forget
    }

    @Override
    public void addToClasspath(String path) throws InternalException {
        for (String element : path.split(File.pathSeparator)) {
            if (element.isBlank()) {
                continue;
            }
            try {
                loader.addURL(Path.of(element).toUri().toURL());
            } catch (MalformedURLException e) {
                throw new InternalException("not a usable class path entry: " + element + " (" + e.getMessage() + ")");
            }
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> klass = classes.get(name);
        if (klass == null) {
            throw new ClassNotFoundException(name + " was not loaded by this notebook");
        }
        return klass;
    }

}
