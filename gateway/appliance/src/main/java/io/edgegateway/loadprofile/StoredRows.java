package io.edgegateway.loadprofile;

import io.edgegateway.store.StoreReader;

import java.util.Optional;

/** Where the rows of a profile already stored end: what a catch-up starts from after a restart. */
public interface StoredRows {

    /** Nothing stored (a gateway without a store): a catch-up keeps its place in memory, from the backfill. */
    StoredRows NONE = new StoredRows() {
        @Override
        public Optional<StoreReader.LastEntry> last(String meterNo, String profile) {
            return Optional.empty();
        }

        @Override
        public boolean keeps() {
            return false;
        }
    };

    /** Whether rows are kept: then the store, not the catch-up's memory, says where the stored rows end. */
    default boolean keeps() {
        return true;
    }

    /**
     * @throws Exception when the store cannot be read; the catch-up then fails and is retried, rather than
     *                   reading the backfill again and storing nothing (every row would be a duplicate)
     */
    Optional<StoreReader.LastEntry> last(String meterNo, String profile) throws Exception;
}
