package io.edgegateway.loadprofile;

import io.edgegateway.store.StoreReader;

import java.util.Optional;

/** Where the rows of a profile already stored end: what a catch-up starts from after a restart. */
@FunctionalInterface
public interface StoredRows {

    /** Nothing stored (a gateway without a store): catch-ups start from the backfill. */
    StoredRows NONE = (meterNo, profile) -> Optional.empty();

    /**
     * @throws Exception when the store cannot be read; the catch-up then fails and is retried, rather than
     *                   reading the backfill again and storing nothing (every row would be a duplicate)
     */
    Optional<StoreReader.LastEntry> last(String meterNo, String profile) throws Exception;
}
