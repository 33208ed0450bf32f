package io.affnet.api.config;

import io.affnet.api.link.LinkSettings;

/** A tracking link as the lookup cache holds it, found by its public code. */
public record CachedLink(String tenantId, String linkId, String code, long version, LinkSettings settings) {
}
