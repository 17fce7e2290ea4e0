package io.llmgw.core.limits;

import io.llmgw.core.config.AccessConfig.Period;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** The current budget period in UTC: its name in counter keys ({@code 2026-12-06}, {@code 2026-12}) and when it ends. */
record BudgetPeriod(String name, Instant end) {
    static BudgetPeriod of(Period period, Instant now) {
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        return switch (period) {
            case DAY -> new BudgetPeriod(today.toString(), today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            case MONTH -> {
                ZonedDateTime first = today.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC);
                yield new BudgetPeriod(today.toString().substring(0, 7), first.plusMonths(1).toInstant());
            }
        };
    }

    /** Counters outlive their period by a day, so the admin route can still show yesterday's figures. */
    Instant keepUntil() {
        return end.plusSeconds(86_400);
    }
}
