package io.llmgw.core.model;

/** Whether and which tool the model must call; {@code name} only for {@link Mode#TOOL}. */
public record ToolChoice(Mode mode, String name) {
    public enum Mode { AUTO, ANY, NONE, TOOL }

    public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
    public static final ToolChoice ANY = new ToolChoice(Mode.ANY, null);
    public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);

    public static ToolChoice tool(String name) {
        return new ToolChoice(Mode.TOOL, name);
    }
}
