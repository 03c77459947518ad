package org.rnnlab.kernel.exec;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.HashSet;
import java.util.Set;

/**
 * Rewrites notebook bytecode so that a running cell can be interrupted and cannot end the kernel.
 *
 * <p>It inserts a call to {@code CellControl.check()} at the start of every method and, when asked (for
 * the cells' own code), before every backward jump, i.e. once per loop iteration; so a
 * {@code while (true) {}} in a cell stops on interrupt. Library classes get only the method-entry checks:
 * their inner numeric loops stay free of the (volatile) check, so the JIT still vectorises them, and a
 * training loop calls methods often enough to stop within milliseconds. Calls to {@code System.exit},
 * {@code Runtime.exit} and {@code Runtime.halt} become calls to {@code CellControl}, which end the cell only.
 */
public final class StopCheckWeaver {
    static final String CONTROL = "org/rnnlab/kernel/api/CellControl";

    private StopCheckWeaver() {
    }

    /**
     * Returns the instrumented class file.
     *
     * @param classFile          the original class file
     * @param checkBackwardJumps also check before each backward jump (for cell code)
     * @return the rewritten class, or the original bytes when the class cannot be parsed (e.g. a class
     *         version newer than the bytecode library knows)
     */
    public static byte[] weave(byte[] classFile, boolean checkBackwardJumps) {
        final ClassReader reader;
        try {
            reader = new ClassReader(classFile);
        } catch (RuntimeException unsupportedOrMalformed) {
            return classFile;
        }
        if ((reader.getAccess() & Opcodes.ACC_INTERFACE) != 0 && !checkBackwardJumps) {
            return classFile;
        }
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        try {
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                    if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                        return mv;
                    }
                    return new CheckingMethodVisitor(mv, checkBackwardJumps, !"<clinit>".equals(name));
                }
            }, 0);
            return writer.toByteArray();
        } catch (RuntimeException malformed) {
            return classFile;
        }
    }

    private static final class CheckingMethodVisitor extends MethodVisitor {
        private final boolean checkBackwardJumps;
        private final boolean checkAtEntry;
        private final Set<Label> seenLabels = new HashSet<>();

        CheckingMethodVisitor(MethodVisitor mv, boolean checkBackwardJumps, boolean checkAtEntry) {
            super(Opcodes.ASM9, mv);
            this.checkBackwardJumps = checkBackwardJumps;
            this.checkAtEntry = checkAtEntry;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (checkAtEntry) {
                check();
            }
        }

        @Override
        public void visitLabel(Label label) {
            seenLabels.add(label);
            super.visitLabel(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (checkBackwardJumps && seenLabels.contains(label)) {
                check();
            }
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            if (checkBackwardJumps) {
                check();
            }
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            if (checkBackwardJumps) {
                check();
            }
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (opcode == Opcodes.INVOKESTATIC && "java/lang/System".equals(owner) && "exit".equals(name)
                    && "(I)V".equals(descriptor)) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, CONTROL, "exit", "(I)V", false);
                return;
            }
            if (opcode == Opcodes.INVOKEVIRTUAL && "java/lang/Runtime".equals(owner)
                    && ("exit".equals(name) || "halt".equals(name)) && "(I)V".equals(descriptor)) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, CONTROL, name, "(Ljava/lang/Runtime;I)V", false);
                return;
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }

        private void check() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, CONTROL, "check", "()V", false);
        }
    }
}
