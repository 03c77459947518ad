package org.rnnlab.data;

/** Argument checks whose messages name the argument, its value and the allowed range. */
final class Check {
    private Check() {
    }

    static void atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " = " + value + " is too small: it must be at least " + min);
        }
    }

    static void inRange(String name, long value, long min, long max, String why) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " = " + value + " is outside the allowed range [" + min + ", "
                    + max + "]" + (why.isEmpty() ? "" : ": " + why));
        }
    }

    static void inRange(String name, double value, double min, double max, String why) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " = " + value + " is outside the allowed range [" + min + ", "
                    + max + "]" + (why.isEmpty() ? "" : ": " + why));
        }
    }

    static void batchSize(int batchSize) {
        atLeast("batchSize", batchSize, 1);
    }
}
