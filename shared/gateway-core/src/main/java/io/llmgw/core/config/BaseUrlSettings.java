package io.llmgw.core.config;

import java.net.URI;
import java.util.Map;

/** The settings of a provider type configured by its base URL alone; its record need only name the URL. */
public interface BaseUrlSettings extends ProviderSettings {
    /** The upstream's root, to which the provider appends its routes. */
    URI baseUrl();

    @Override
    default URI endpoint() {
        return baseUrl();
    }

    @Override
    default Map<String, String> view() {
        return Map.of("base_url", baseUrl().toString());
    }
}
