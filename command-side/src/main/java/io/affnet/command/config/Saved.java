package io.affnet.command.config;

/** The answer to a configuration change: which object, and the version the change made. */
public record Saved(String id, long version) {
}
