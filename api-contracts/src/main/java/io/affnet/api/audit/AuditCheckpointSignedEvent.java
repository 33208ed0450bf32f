package io.affnet.api.audit;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The platform signed the head of a tenant's hash chain: whoever holds this checkpoint (and the public key
 * named by {@code keyId}) can later prove that the tenant's history up to {@code chainSeq} is unchanged.
 * The checkpoint is itself the next link of the chain ({@code chainSeq + 1}).
 *
 * @param tenantId  the chain's tenant ({@code _platform} for events of no tenant)
 * @param chainSeq  the position in the tenant's chain of the signed link
 * @param headHash  SHA-256 chain hash of that link, lower-case hex
 * @param globalIndex the global position of the signed link's event
 * @param keyId     which platform key signed (keys rotate; old ids stay verifiable)
 * @param signature Ed25519 signature, base64, over {@code AuditCheckpoints.signedBytes}
 */
@Revision("1")
public record AuditCheckpointSignedEvent(String tenantId, long chainSeq, String headHash, long globalIndex, String keyId,
                                         String signature, Instant signedAt) {
}
