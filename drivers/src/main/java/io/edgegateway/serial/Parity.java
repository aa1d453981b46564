package io.edgegateway.serial;

import com.fazecast.jSerialComm.SerialPort;

import java.util.Locale;

public enum Parity {
    NONE('N', SerialPort.NO_PARITY), EVEN('E', SerialPort.EVEN_PARITY), ODD('O', SerialPort.ODD_PARITY);

    private final char letter;
    private final int jSerialComm;

    Parity(char letter, int jSerialComm) {
        this.letter = letter;
        this.jSerialComm = jSerialComm;
    }

    /** N, E or O as in "8N1". */
    public char letter() {
        return letter;
    }

    int jSerialComm() {
        return jSerialComm;
    }

    public static Parity parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "none", "n" -> NONE;
            case "even", "e" -> EVEN;
            case "odd", "o" -> ODD;
            default -> throw new IllegalArgumentException("unknown parity '" + text + "' (expected none, even or odd)");
        };
    }
}
