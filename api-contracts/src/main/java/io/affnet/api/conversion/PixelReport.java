package io.affnet.api.conversion;

/**
 * What only a browser pixel brings besides the conversion itself: the host of the page that fired it
 * (from {@code Referer}, null when the browser sent none) and whether it asked for a status.
 */
public record PixelReport(String referrerHost, boolean statusRequested) {
}
