package io.affnet.platform.support;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Map;

/** Rows of the event table and the audit chain, read and put back as they were: the tamper tests' undo. */
public final class EventRows {

    private final JdbcTemplate jdbc;

    public EventRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Map<String, Object> event(long position) {
        return jdbc.queryForMap("SELECT * FROM domainevententry WHERE globalindex = ?", position);
    }

    /** Writes the event row back at its global index (replacing what is there). */
    public void putEvent(Map<String, Object> r) {
        jdbc.update("DELETE FROM domainevententry WHERE globalindex = ?", r.get("globalindex"));
        jdbc.update("""
                        INSERT INTO domainevententry (globalindex, aggregateidentifier, sequencenumber, type, eventidentifier, metadata,
                                                      payload, payloadrevision, payloadtype, "timestamp")
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                r.get("globalindex"), r.get("aggregateidentifier"), r.get("sequencenumber"), r.get("type"), r.get("eventidentifier"),
                r.get("metadata"), r.get("payload"), r.get("payloadrevision"), r.get("payloadtype"), r.get("timestamp"));
    }

    public Map<String, Object> link(long position) {
        return jdbc.queryForMap("SELECT * FROM audit_chain WHERE global_index = ?", position);
    }

    public void putLink(Map<String, Object> l) {
        jdbc.update("DELETE FROM audit_chain WHERE global_index = ?", l.get("global_index"));
        jdbc.update("""
                        INSERT INTO audit_chain (global_index, tenant_id, seq, hash, click_offer, click_affiliate, click_at, event_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                l.get("global_index"), l.get("tenant_id"), l.get("seq"), l.get("hash"), l.get("click_offer"),
                l.get("click_affiliate"), l.get("click_at"), l.get("event_at"));
    }
}
