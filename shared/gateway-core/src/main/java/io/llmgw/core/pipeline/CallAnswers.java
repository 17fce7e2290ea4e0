package io.llmgw.core.pipeline;

import io.llmgw.core.dialect.AnswerReader;
import io.llmgw.core.dialect.Passthrough;
import io.llmgw.core.dialect.Translation;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.relay.StreamEncoder;
import io.llmgw.core.relay.StreamTranslator;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.web.ClientResponse;
import java.util.function.Supplier;

/**
 * {@link Answering} for one call, on either path: the dialect's translation writes given answers
 * (on the passthrough path it is made only when asked for), and the relay's encoder or translator
 * is wrapped to show the live answer to the tap — only when a tap was set, so calls no policy
 * watches are relayed as before.
 */
final class CallAnswers implements Answering {
    private final boolean stream;
    private final ClientResponse out;
    private Supplier<Translation> translate;
    /** The passthrough's reader of its own answers, or null on the translated path. */
    private final Passthrough passthrough;
    private Translation translation;
    private AnswerReader reader;
    private Boolean canonical;
    private AnswerTap tap;
    private Translation.Local local;
    private boolean localAsked;

    private CallAnswers(boolean stream, ClientResponse out, Supplier<Translation> translate, Passthrough passthrough) {
        this.stream = stream;
        this.out = out;
        this.translate = translate;
        this.passthrough = passthrough;
    }

    static CallAnswers translated(Translation translation, ClientResponse out) {
        return new CallAnswers(translation.request().stream(), out, () -> translation, null);
    }

    /** @param translate the request's translation, made when first needed; may throw for a body only the upstream's API takes */
    static CallAnswers passedThrough(Passthrough passthrough, Supplier<Translation> translate, ClientResponse out) {
        return new CallAnswers(passthrough.stream(), out, translate, passthrough);
    }

    /**
     * The answer the gateway gives itself without an upstream (a local token count), or null;
     * worked out once, when first asked.
     */
    Translation.Local local() {
        if (!localAsked && passthrough == null) {
            local = translation().local();
            localAsked = true;
        }
        return local;
    }

    @Override
    public boolean canonical() {
        if (canonical == null && passthrough == null) {
            canonical = local() == null;  // a local answer is not a model's, and is never kept
        } else if (canonical == null) {
            try {
                reader = passthrough.answers();
                canonical = reader != null && translation() != null;
            } catch (RuntimeException untranslatable) {
                canonical = false;  // whatever the translated path would refuse, passthrough still serves
            }
        }
        return canonical;
    }

    @Override
    public void tap(AnswerTap newTap) {
        if (!canonical()) {
            throw new IllegalStateException("this call's answers have no canonical form");
        }
        tap = newTap;
    }

    @Override
    public void give(CanonicalResponse answer) {
        if (!canonical()) {
            throw new IllegalStateException("this call's answers have no canonical form");
        }
        if (!stream) {
            out.sendJson(200, translation().body(answer), null);
            return;
        }
        StreamEncoder encoder = translation().streamEncoder(out);
        out.startStream(null);
        answer.replay(encoder::onEvent);
        encoder.onComplete();
        out.complete();
    }

    Translation translation() {
        if (translation == null) {
            if (translate == null) {
                throw new IllegalStateException("the request was let go when its stream was committed");
            }
            translation = translate.get();
        }
        return translation;
    }

    /**
     * Once a stream is committed to its upstream: lets go of the client's request — the
     * passthrough's body and tree, and the translation made from them or the means to make one —
     * since nothing asks for them again; the tap set up by {@code tapped} keeps watching.
     *
     * @param estimatedTokens routing's estimate of the request's size, for what must answer without it
     */
    void release(int estimatedTokens) {
        translate = null;
        if (translation != null) {
            translation.release(estimatedTokens);
            translation = null;
        }
        if (passthrough != null) {
            passthrough.release();
        }
    }

    /** A translated stream's encoder, showing the tap each event on its way to the client. */
    StreamEncoder tapped(StreamEncoder encoder) {
        AnswerTap watching = tap;
        if (watching == null) {
            return encoder;
        }
        return new StreamEncoder() {
            @Override
            public void onEvent(StreamEvent event) {
                watching.event(event);
                encoder.onEvent(event);
            }

            @Override
            public void onComplete() {
                watching.end(true);
                encoder.onComplete();
            }

            @Override
            public void onError(GatewayError error) {
                watching.end(false);
                encoder.onError(error);
            }

            @Override
            public byte[] keepAliveFrame() {
                return encoder.keepAliveFrame();
            }
        };
    }

    /** A passed-through stream's relay, with each upstream event read into canonical events for the tap as it goes by. */
    StreamTranslator tapped(StreamTranslator translator) {
        AnswerTap watching = tap;
        if (watching == null) {
            return translator;
        }
        AnswerReader.StreamReader events = reader.stream();
        return new StreamTranslator() {
            @Override
            public GatewayError errorBeforeStart(SseEvent first) {
                return translator.errorBeforeStart(first);
            }

            @Override
            public Progress onEvent(SseEvent event, ClientResponse client) {
                boolean kept;
                try {
                    kept = events.read(event, watching::event);
                } catch (RuntimeException unreadable) {
                    kept = false;  // the client's relay never depends on this reading
                }
                if (!kept) {
                    watching.unrepresentable();
                }
                return ended(translator.onEvent(event, client));
            }

            @Override
            public Progress onEnd(ClientResponse client) {
                return ended(translator.onEnd(client));
            }

            @Override
            public void onFailure(GatewayError error, ClientResponse client) {
                watching.end(false);
                translator.onFailure(error, client);
            }

            @Override
            public byte[] keepAliveFrame() {
                return translator.keepAliveFrame();
            }

            private Progress ended(Progress progress) {
                if (progress != Progress.CONTINUE) {
                    watching.end(progress == Progress.FINISHED);
                }
                return progress;
            }
        };
    }

    /** A whole answer, shown to the tap as the canonical response it is (translated) or reads as (passed through). */
    void whole(CanonicalResponse answer) {
        if (tap != null) {
            tap.whole(answer);
        }
    }

    void whole(byte[] passedThrough) {
        if (tap == null) {
            return;
        }
        CanonicalResponse answer;
        try {
            answer = reader.whole(passedThrough);
        } catch (RuntimeException unreadable) {
            answer = null;
        }
        if (answer == null) {
            tap.unrepresentable();
        } else {
            tap.whole(answer);
        }
    }
}
