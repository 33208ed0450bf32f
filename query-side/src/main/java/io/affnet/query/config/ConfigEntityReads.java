package io.affnet.query.config;

import io.affnet.api.config.ConfigEntityKinds;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads of the {@code config_entity} view (advertisers, offers, affiliates and links as their JSON bodies;
 * {@code ConfigEntityProjection} writes it). Every read is within one tenant; an {@link Owner} narrows it
 * further to what one principal may see.
 */
@Repository
public class ConfigEntityReads {

    private final JdbcTemplate jdbc;

    public ConfigEntityReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Narrows a read to one principal: the entity is theirs by id, or names them in a body field. */
    public record Owner(String condition, String principalId) {

        public static final Owner NONE = new Owner("", null);

        /** The principal is the entity itself (an affiliate's own profile). */
        public static Owner self(String principalId) {
            return new Owner(" AND id = ?", principalId);
        }

        /** The entity names the principal as its affiliate (links). */
        public static Owner affiliate(String principalId) {
            return new Owner(" AND body ->> 'affiliateId' = ?", principalId);
        }

        /** The entity names the principal as its advertiser (offers). */
        public static Owner advertiser(String principalId) {
            return new Owner(" AND body ->> 'advertiserId' = ?", principalId);
        }

        private void addTo(List<Object> arguments) {
            if (principalId != null) {
                arguments.add(principalId);
            }
        }
    }

    /** Whether the tenant has an entity of this kind and id. */
    public boolean exists(String tenantId, String kind, String id) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM config_entity WHERE tenant_id = ? AND kind = ? AND id = ?)",
                Boolean.class, tenantId, kind, id));
    }

    /** One entity's current body, if the tenant has it and the owner may see it. */
    public Optional<String> body(String tenantId, String kind, String id, Owner owner) {
        List<Object> arguments = new ArrayList<>(List.of(tenantId, kind, id));
        owner.addTo(arguments);
        List<String> bodies = jdbc.queryForList("SELECT body::text FROM config_entity WHERE tenant_id = ? AND kind = ? AND id = ?"
                + owner.condition(), String.class, arguments.toArray());
        return bodies.stream().findFirst();
    }

    /** Up to {@code limit} bodies of one kind the owner may see, with ids after {@code after}, by id. */
    public List<String> page(String tenantId, String kind, String after, int limit, Owner owner) {
        List<Object> arguments = new ArrayList<>(List.of(tenantId, kind, after));
        owner.addTo(arguments);
        arguments.add(limit);
        return jdbc.queryForList("SELECT body::text FROM config_entity WHERE tenant_id = ? AND kind = ? AND id > ?"
                + owner.condition() + " ORDER BY id LIMIT ?", String.class, arguments.toArray());
    }

    /** An offer's currency, or null when the tenant has no such offer. */
    public String offerCurrency(String tenantId, String offerId) {
        return jdbc.query("SELECT body ->> 'currency' FROM config_entity WHERE tenant_id = ? AND kind = ? AND id = ?",
                rs -> rs.next() ? rs.getString(1) : null, tenantId, ConfigEntityKinds.OFFER, offerId);
    }
}
