package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Netty's leak detector is off in the container unless its setting asks for a level. */
class LeakDetectionTest {
    private ResourceLeakDetector.Level level;
    private String asked;

    @BeforeEach
    void remember() {
        level = ResourceLeakDetector.getLevel();
        asked = System.getProperty(EventLoops.LEAK_DETECTION);
    }

    @AfterEach
    void restore() {
        if (asked == null) {
            System.clearProperty(EventLoops.LEAK_DETECTION);
        } else {
            System.setProperty(EventLoops.LEAK_DETECTION, asked);
        }
        ResourceLeakDetector.setLevel(level);
    }

    @Test
    void offWhenNotAskedFor() {
        System.clearProperty(EventLoops.LEAK_DETECTION);
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        EventLoops.leakDetectionOffUnlessAsked();
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
    }

    @Test
    void aLevelAskedForIsKept() {
        System.setProperty(EventLoops.LEAK_DETECTION, "paranoid");
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        EventLoops.leakDetectionOffUnlessAsked();
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }
}
