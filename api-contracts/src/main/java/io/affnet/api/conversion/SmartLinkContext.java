package io.affnet.api.conversion;

/**
 * What a smart-link click captured that its conversions are learned by: the link and the click's
 * segment (country, device class, traffic source; {@code "?"} when unknown). Carried on the conversion
 * event so the learning projection needs no lookup of the click.
 */
public record SmartLinkContext(String linkId, String country, String deviceClass, String source) {
}
