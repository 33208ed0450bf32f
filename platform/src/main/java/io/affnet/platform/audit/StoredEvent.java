package io.affnet.platform.audit;

/**
 * An event as the event store holds it, before upcasting or deserialisation: what the chain hashes.
 * {@code timestamp} is the string Axon stored ({@code DateTimeUtils.formatInstant}); a non-domain event
 * has Axon's stand-ins (its own id as aggregate id, sequence 0, no type).
 */
public record StoredEvent(long globalIndex, String eventId, String aggregateType, String aggregateId, long sequence,
                          String timestamp, String payloadType, String payloadRevision, byte[] payload, byte[] metadata) {
}
