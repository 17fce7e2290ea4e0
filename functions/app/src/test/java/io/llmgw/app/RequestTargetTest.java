package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The path and query the gateway gets from a request line's target, and the targets refused before it. */
class RequestTargetTest {
    @Test
    void pathAndQueryAsSentStillEncoded() {
        assertThat(RequestTarget.parse("/v1/chat/completions")).isEqualTo(new RequestTarget("/v1/chat/completions", null));
        assertThat(RequestTarget.parse("/openai/deployments/a%20b/chat/completions?api-version=2024-10-21"))
                .isEqualTo(new RequestTarget("/openai/deployments/a%20b/chat/completions", "api-version=2024-10-21"));
        assertThat(RequestTarget.parse("/v1/%zz")).as("malformed escapes are the gateway's to answer in the client's dialect")
                .isEqualTo(new RequestTarget("/v1/%zz", null));
        assertThat(RequestTarget.parse("/v1/models?")).isEqualTo(new RequestTarget("/v1/models", ""));
        assertThat(RequestTarget.parse("/v1/../v1/models")).isEqualTo(new RequestTarget("/v1/../v1/models", null));
    }

    @Test
    void absoluteFormAndAsterisk() {
        assertThat(RequestTarget.parse("http://gateway.example:8080/v1/models?x=1")).isEqualTo(new RequestTarget("/v1/models", "x=1"));
        assertThat(RequestTarget.parse("HTTPS://gateway.example")).isEqualTo(new RequestTarget("/", null));
        assertThat(RequestTarget.parse("*")).isEqualTo(new RequestTarget("*", null));
    }

    @Test
    void ambiguousOrMalformedTargetsAreRefused() {
        for (String target : new String[] {"/v1/chat%2Fcompletions", "/v1/%2e%2e/chat/completions", "/v1/%2E/models", "/v1/.%2e/x",
                "/v1/a%00b", "/../etc/passwd", "/v1/../../x", "v1/models", "ftp://host/x", "/v1/\u0001", "/v1/a\u007fb"}) {
            assertThat(RequestTarget.parse(target)).as(target).isNull();
        }
        assertThat(RequestTarget.errorPath("/v1/chat%2Fcompletions?x=1")).isEqualTo("/v1/chat%2Fcompletions");
        assertThat(RequestTarget.errorPath("ftp://host/x")).isEqualTo("/");
    }
}
