package io.edgegateway.poll;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The line-share arithmetic, with time given by hand. */
class RetryBudgetTest {

    private static final long S = 1_000_000_000L;

    @Test
    void failingDevicesGetAtMostTheirShareOverAnyPeriod() {
        // 25 % of the line, at most 1 s banked; each failed attempt costs 0.6 s (timeout + late-reply guard).
        RetryBudget budget = new RetryBudget(0.25, S, 0);
        long now = 0;
        long used = 0;
        long attempt = 600_000_000L;
        while (now < 60 * S) {
            long wait = budget.waitNanos(now);
            if (wait > 0) {
                now += wait;
                continue;
            }
            now += attempt;
            used += attempt;
            budget.spend(now, attempt);
        }
        // share * T + burst + one attempt
        assertTrue(used <= 0.25 * 60 * S + S + attempt, "used " + used / 1e9 + " s of 60 s");
        assertTrue(used >= 0.25 * 60 * S - attempt, "and does get its share: " + used / 1e9 + " s");
    }

    @Test
    void theBudgetRefillsWhileTheLineIsHealthy() {
        RetryBudget budget = new RetryBudget(0.5, S, 0);
        budget.spend(0, 2 * S); // one long attempt: 1 s banked, 2 s spent
        long wait = budget.waitNanos(0);
        assertEquals(2 * S, wait, 1, "1 s in debt at 0.5 s per second");
        assertEquals(0, budget.waitNanos(3 * S), "paid back");
    }
}
