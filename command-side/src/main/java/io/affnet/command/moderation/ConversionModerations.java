package io.affnet.command.moderation;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The moderation view ({@code conversion_moderation}, kept by {@code ConversionModerationProjection}):
 * which click a conversion belongs to, and the conversions of a tenant matching a filter.
 */
@Repository
public class ConversionModerations {

    /** A credited conversion as moderation sees it; amounts in minor units of {@code currency}. */
    public record Row(String conversionId, String tenantId, String clickId, String offerId, String affiliateId,
                      String advertiserId, String goal, String status, String held, String currency, long revenueMinor,
                      long payoutMinor, Instant convertedAt, Instant updatedAt) {
    }

    /**
     * Which conversions a bulk moderation or the review queue selects. Every field narrows; null = any.
     *
     * @param advertiserId set for an advertiser: only conversions on its offers
     * @param held         true: only conversions a review rule held (false: only those it did not)
     */
    public record Filter(List<String> conversionIds, String status, String offerId, String affiliateId,
                         String advertiserId, Boolean held, Instant from, Instant to) {
    }

    private static final RowMapper<Row> ROWS = (rs, i) -> new Row(rs.getString("conversion_id"), rs.getString("tenant_id"),
            rs.getString("click_id"), rs.getString("offer_id"), rs.getString("affiliate_id"), rs.getString("advertiser_id"),
            rs.getString("goal"), rs.getString("status"), rs.getString("held"), rs.getString("currency"),
            rs.getLong("revenue_minor"), rs.getLong("payout_minor"), rs.getTimestamp("converted_at").toInstant(),
            rs.getTimestamp("updated_at").toInstant());

    private final JdbcTemplate jdbc;

    public ConversionModerations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The tenant's conversion, or empty when it has none by that id (another tenant's included). */
    public Optional<Row> find(String tenantId, String conversionId) {
        return jdbc.query("SELECT * FROM conversion_moderation WHERE conversion_id = ? AND tenant_id = ?", ROWS,
                conversionId, tenantId).stream().findFirst();
    }

    /** Up to {@code limit} of the tenant's conversions matching the filter, oldest first. */
    public List<Row> select(String tenantId, Filter filter, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM conversion_moderation WHERE tenant_id = ?");
        List<Object> args = new ArrayList<>(List.of(tenantId));
        if (filter.conversionIds() != null && !filter.conversionIds().isEmpty()) {
            sql.append(" AND conversion_id = ANY (?)");
            args.add(filter.conversionIds().toArray(String[]::new));
        }
        narrow(sql, args, "status", filter.status());
        narrow(sql, args, "offer_id", filter.offerId());
        narrow(sql, args, "affiliate_id", filter.affiliateId());
        narrow(sql, args, "advertiser_id", filter.advertiserId());
        if (filter.held() != null) {
            sql.append(filter.held() ? " AND held IS NOT NULL" : " AND held IS NULL");
        }
        if (filter.from() != null) {
            sql.append(" AND converted_at >= ?");
            args.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" AND converted_at < ?");
            args.add(Timestamp.from(filter.to()));
        }
        sql.append(" ORDER BY converted_at, conversion_id LIMIT ?");
        args.add(limit);
        return jdbc.query(con -> {
            var statement = con.prepareStatement(sql.toString());
            for (int i = 0; i < args.size(); i++) {
                Object arg = args.get(i);
                if (arg instanceof String[] ids) {
                    statement.setArray(i + 1, con.createArrayOf("varchar", ids));
                } else {
                    statement.setObject(i + 1, arg);
                }
            }
            return statement;
        }, ROWS);
    }

    private static void narrow(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }
}
