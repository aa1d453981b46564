package io.edgegateway.point;

import java.util.Locale;

/**
 * A register as a device manual numbers it: from 1, often with its table as a leading digit (30001 is input
 * register address 0, 40001 holding register 0, 300001 and 400001 in the six-digit style). The one place that
 * rule lives: profiles ({@code register:}) and {@code bin/gateway read --register} both resolve numbers here, and
 * labels show addresses back in this form.
 *
 * @param table   the table the number names
 * @param address the 0-based protocol address
 */
public record RegisterNumber(Table table, int address) {

    /**
     * What a manual's number means. Six-digit numbers always carry their table; five-digit 3xxxx and 4xxxx carry it
     * unless a table is given beside the number, in which case the number counts from 1 in that table (register
     * 3028 of the holding registers is address 3027).
     *
     * @param number the manual's number, 1..465536
     * @param given  the table written beside the number, or null
     * @throws IllegalArgumentException when the number is out of range or names another table than {@code given};
     *                                  the message starts with the number
     */
    public static RegisterNumber fromManual(int number, Table given) {
        if (number < 1 || number > 465_536) {
            throw new IllegalArgumentException(number + " is out of range 1..465536");
        }
        Table implied = null;
        int n = number;
        if (n >= 300_001 && n <= 365_536) {
            implied = Table.INPUT;
            n -= 300_000;
        } else if (n >= 400_001 && n <= 465_536) {
            implied = Table.HOLDING;
            n -= 400_000;
        } else if (n >= 30_001 && n <= 39_999 && given == null) {
            implied = Table.INPUT;
            n -= 30_000;
        } else if (n >= 40_001 && n <= 49_999 && given == null) {
            implied = Table.HOLDING;
            n -= 40_000;
        }
        if (n > 65_536) {
            throw new IllegalArgumentException(number + " is out of range (at most 65536 in a table)");
        }
        if (implied != null && given != null && implied != given) {
            throw new IllegalArgumentException(number + " is in the " + implied.configName() + " registers, not the "
                    + given.configName() + " ones");
        }
        return new RegisterNumber(implied != null ? implied : given != null ? given : Table.HOLDING, n - 1);
    }

    /** The manual's number of a protocol address: 00001 coils, 10001 discrete inputs, 30001 input, 40001 holding. */
    public static String manual(Table table, int address) {
        int digit = switch (table) {
            case COIL -> 0;
            case DISCRETE_INPUT -> 1;
            case INPUT -> 3;
            case HOLDING -> 4;
        };
        int n = address + 1;
        return n <= 9999 ? String.format(Locale.ROOT, "%d%04d", digit, n) : String.format(Locale.ROOT, "%d%05d", digit, n);
    }

    /** This register's manual number. */
    public String manual() {
        return manual(table, address);
    }
}
