package io.llmgw.core.dialect.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Unwrapping a custom tool's raw input from the {"input": …} arguments a chat upstream streams. */
class CustomToolInputTest {
    private static String stream(CustomToolInput input, List<String> fragments) {
        StringBuilder streamed = new StringBuilder();
        fragments.forEach(f -> streamed.append(input.feed(f)));
        String rest = input.finish();
        return rest == null ? null : streamed.append(rest).toString();
    }

    @Test
    void everyCutThroughTheArgumentsStreamsTheSameInput() {
        String raw = "*** Begin Patch\n+Hello \"w\\orld\"\t\u2713 \uD83D\uDE00 /\n*** End Patch\n";
        String arguments = "{\"input\":\"*** Begin Patch\\n+Hello \\\"w\\\\orld\\\"\\t\\u2713 \\ud83d\\ude00 \\/\\n*** End Patch\\n\"}";
        for (int cut = 0; cut <= arguments.length(); cut++) {
            for (int second = cut; second <= arguments.length(); second += 3) {
                CustomToolInput input = new CustomToolInput();
                List<String> fragments = List.of(arguments.substring(0, cut), arguments.substring(cut, second), arguments.substring(second));

                assertThat(stream(input, fragments)).as("cut at %d and %d", cut, second).isEqualTo(raw);
                assertThat(input.input()).isEqualTo(raw);
            }
        }
    }

    @Test
    void piecesAreStreamedAsTheyArrive() {
        CustomToolInput input = new CustomToolInput();

        assertThat(input.feed("{ \"input\" : \"ab")).isEqualTo("ab");
        assertThat(input.feed("c\\")).isEqualTo("c");
        assertThat(input.feed("nd")).isEqualTo("\nd");
        assertThat(input.feed("\"}")).isEmpty();
        assertThat(input.finish()).isEmpty();
        assertThat(input.input()).isEqualTo("abc\nd");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*** Begin Patch\n*** End Patch\n", "{\"patch\":\"x\"}", "[1,2]", ""})
    void argumentsInAnotherShapeAreTheInputAsTheyAre(String arguments) {
        CustomToolInput input = new CustomToolInput();

        assertThat(input.feed(arguments)).isEmpty();
        assertThat(input.finish()).isEqualTo(arguments);
    }

    @Test
    void otherKeysBeforeInputAreNotStreamedButStillUnwrapped() {
        CustomToolInput input = new CustomToolInput();

        assertThat(stream(input, List.of("{\"reason\":\"x\",", "\"input\":\"raw\"}"))).isEqualTo("raw");
    }
}
