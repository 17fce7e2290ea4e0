package io.llmgw.lambda.logging;

import org.apache.logging.log4j.Level;

/**
 * What Log4j will answer for {@code isTraceEnabled()}/{@code isDebugEnabled()} once it runs, known
 * without running it: the packaged {@code log4j2.properties} takes the root level from
 * {@code POWERTOOLS_LOG_LEVEL} (default INFO) and sets no logger below it (a few packages above
 * it), so TRACE and DEBUG are enabled for a logger only when that variable enables them. Reporting
 * "enabled" where a package is raised to WARN is harmless: the call starts Log4j, which filters it.
 * INFO and above are reported enabled before the start for the same reason.
 */
record ConfiguredLevel(boolean trace, boolean debug) {
    /** From the variable's value; an unknown name enables everything, so Log4j itself decides. */
    static ConfiguredLevel of(String powertoolsLogLevel) {
        Level level = powertoolsLogLevel == null || powertoolsLogLevel.isBlank() ? Level.INFO
                : Level.getLevel(powertoolsLogLevel.trim().toUpperCase(java.util.Locale.ROOT));
        if (level == null) {
            return new ConfiguredLevel(true, true);
        }
        return new ConfiguredLevel(level.isLessSpecificThan(Level.TRACE), level.isLessSpecificThan(Level.DEBUG));
    }
}
