package io.llmgw.core.model;

/** Conversation roles after normalisation: system prompts are hoisted out, tool results are user content. */
public enum Role { USER, ASSISTANT }
