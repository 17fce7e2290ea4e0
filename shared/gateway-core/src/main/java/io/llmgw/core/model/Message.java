package io.llmgw.core.model;

import java.util.List;

public record Message(Role role, List<Block> content) {}
