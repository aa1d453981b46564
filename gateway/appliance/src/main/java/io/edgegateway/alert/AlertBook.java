package io.edgegateway.alert;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where alerts and run-time rules are kept across restarts (the reading store, docs/storage.md). Alert states are
 * not written through here: each is an event the hub publishes, and the store writes the occurrence's row in the
 * same commit as the event.
 */
public interface AlertBook {

    /** Whether this book keeps anything; without it alerts live in memory and rules made at run time are lost. */
    boolean keeps();

    /** The occurrences not cleared, as the last run left them. */
    List<Occurrence> active();

    /** Occurrences as asked, newest first. */
    List<Occurrence> find(AlertQuery query);

    /** One occurrence, by its alert id. */
    Optional<Occurrence> occurrence(String alertId);

    /**
     * Marks an open occurrence cleared at {@code at} without an event: for one whose meter is no longer configured,
     * which the hub cannot publish for. Throws {@link Unavailable} when it cannot.
     */
    void clearOccurrence(String alertId, Instant at);

    /** Rules made at run time: id to the rule's JSON. */
    Map<String, String> rules();

    /** Keeps a rule made at run time; throws {@link Unavailable} when it cannot. */
    void saveRule(String id, String json);

    /** Forgets a rule made at run time; throws {@link Unavailable} when it cannot. */
    void deleteRule(String id);

    /** The book could not be read or written (a disk fault); the message says why. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Keeps nothing (storage disabled). */
    AlertBook NONE = new AlertBook() {
        @Override
        public boolean keeps() {
            return false;
        }

        @Override
        public List<Occurrence> active() {
            return List.of();
        }

        @Override
        public List<Occurrence> find(AlertQuery query) {
            return List.of();
        }

        @Override
        public Optional<Occurrence> occurrence(String alertId) {
            return Optional.empty();
        }

        @Override
        public void clearOccurrence(String alertId, Instant at) {
        }

        @Override
        public Map<String, String> rules() {
            return Map.of();
        }

        @Override
        public void saveRule(String id, String json) {
        }

        @Override
        public void deleteRule(String id) {
        }
    };
}
