package io.edgegateway.point;

import java.util.Locale;

/** The four Modbus data tables, with the read function code and the per-request limit of each. */
public enum Table {
    COIL(1, 2000, "coil"),
    DISCRETE_INPUT(2, 2000, "discrete"),
    HOLDING(3, 125, "holding"),
    INPUT(4, 125, "input");

    private final int readFunction;
    private final int maxPerRead;
    private final String configName;

    Table(int readFunction, int maxPerRead, String configName) {
        this.readFunction = readFunction;
        this.maxPerRead = maxPerRead;
        this.configName = configName;
    }

    /** Function code that reads this table (1, 2, 3 or 4). */
    public int readFunction() {
        return readFunction;
    }

    /** Protocol limit of one read: 2000 bits or 125 registers. */
    public int maxPerRead() {
        return maxPerRead;
    }

    /** True for the single-bit tables (coils, discrete inputs). */
    public boolean isBits() {
        return this == COIL || this == DISCRETE_INPUT;
    }

    /** Name used in profiles and config files. */
    public String configName() {
        return configName;
    }

    /** Parses a profile/config name: coil, discrete (or discrete_input), holding, input. */
    public static Table parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return switch (t) {
            case "coil", "coils" -> COIL;
            case "discrete", "discrete_input", "discrete_inputs" -> DISCRETE_INPUT;
            case "holding", "holding_register", "holding_registers" -> HOLDING;
            case "input", "input_register", "input_registers" -> INPUT;
            default -> throw new IllegalArgumentException(
                    "unknown table '" + text + "' (expected coil, discrete, holding or input)");
        };
    }
}
