package org.panamacnn.cli;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The option value types of the commands. Each says what it expects ("a positive whole number");
 * {@link CommandLines} makes that "--epochs must be a positive whole number, got 'zero'".
 */
public final class Converters {
    private Converters() {}

    private static <T> T parse(String s, Function<String, T> parse, Predicate<T> valid, String what) {
        try {
            T t = parse.apply(s.strip());
            if (valid.test(t)) return t;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new TypeConversionException(what);
    }

    /** 1, 2, 3, ... */
    public static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            return parse(s, Integer::valueOf, n -> n > 0, "a positive whole number");
        }
    }

    /** 0, 1, 2, ... */
    public static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            return parse(s, Integer::valueOf, n -> n >= 0, "a whole number >= 0");
        }
    }

    /** Any long. */
    public static final class WholeLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String s) {
            return parse(s, Long::valueOf, n -> true, "a whole number");
        }
    }

    /** A finite number above 0. */
    public static final class PositiveFloat implements ITypeConverter<Float> {
        @Override
        public Float convert(String s) {
            return parse(s, Float::valueOf, f -> f > 0 && Float.isFinite(f), "a positive number");
        }
    }

    /** A finite number at least 0. */
    public static final class NonNegativeFloat implements ITypeConverter<Float> {
        @Override
        public Float convert(String s) {
            return parse(s, Float::valueOf, f -> f >= 0 && Float.isFinite(f), "a number >= 0");
        }
    }

    /** A number in [0, 1): a momentum, a fraction held out. */
    public static final class UnitFloat implements ITypeConverter<Float> {
        @Override
        public Float convert(String s) {
            return parse(s, Float::valueOf, f -> f >= 0 && f < 1, "a number in [0, 1)");
        }
    }

    /** One of a few names, given exactly. */
    public abstract static class Choice implements ITypeConverter<String> {
        private final List<String> names;

        Choice(String... names) {
            this.names = List.of(names);
        }

        @Override
        public String convert(String s) {
            if (names.contains(s)) return s;
            String all = names.size() == 2 ? names.get(0) + " or " + names.get(1)
                    : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
            throw new TypeConversionException(all);
        }
    }

    /** --optimizer. */
    public static final class OptimizerName extends Choice {
        public OptimizerName() {
            super("sgd", "adam");
        }
    }

    /** --schedule. */
    public static final class ScheduleName extends Choice {
        public ScheduleName() {
            super("constant", "step", "cosine");
        }
    }

    /** --mode of Spark training. */
    public static final class SparkMode extends Choice {
        public SparkMode() {
            super("sync", "average");
        }
    }
}
