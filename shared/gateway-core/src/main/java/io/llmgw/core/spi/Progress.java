package io.llmgw.core.spi;

/** Where a relayed stream stands after an event: go on, finished normally, or failed (an error was written). */
public enum Progress { CONTINUE, FINISHED, FAILED }
