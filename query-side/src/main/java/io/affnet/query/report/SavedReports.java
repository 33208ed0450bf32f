package io.affnet.query.report;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.util.List;

/**
 * The {@code saved_report} table: report builder settings a principal keeps (user preferences, not business
 * facts, so they are stored as rows rather than events; nothing is recomputed from them).
 */
@Repository
public class SavedReports {

    private final JdbcTemplate jdbc;

    public SavedReports(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record SavedReport(String id, String name, String definition, boolean shared, String ownerId, Timestamp createdAt) {
    }

    /** The owner's reports and, for staff, those shared with the staff; by name. */
    public List<SavedReport> visible(String tenantId, String ownerId, boolean staff) {
        return jdbc.query("""
                        SELECT report_id, name, definition::text, shared, owner_id, created_at FROM saved_report
                        WHERE tenant_id = ? AND (owner_id = ? OR (shared AND ?)) ORDER BY lower(name), report_id""",
                (rs, i) -> new SavedReport(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getString(5),
                        rs.getTimestamp(6)),
                tenantId, ownerId, staff);
    }

    public int countOwned(String tenantId, String ownerId) {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM saved_report WHERE tenant_id = ? AND owner_id = ?", Integer.class,
                tenantId, ownerId);
        return count == null ? 0 : count;
    }

    public void insert(String tenantId, String id, String ownerId, String ownerRole, String name, String definitionJson,
                       boolean shared, Timestamp createdAt) {
        jdbc.update("INSERT INTO saved_report (tenant_id, report_id, owner_id, owner_role, name, definition, shared, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?)", tenantId, id, ownerId, ownerRole, name, definitionJson, shared, createdAt);
    }

    /** Deletes the owner's report, or (when {@code sharedToo}) a shared one; whether one was deleted. */
    public boolean delete(String tenantId, String id, String ownerId, boolean sharedToo) {
        return jdbc.update("DELETE FROM saved_report WHERE tenant_id = ? AND report_id = ? AND (owner_id = ? OR (shared AND ?))",
                tenantId, id, ownerId, sharedToo) > 0;
    }
}
