package io.affnet.distribution.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.distribution.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a scenario file. Every problem is reported as an {@link IllegalArgumentException} naming
 * the scenario and the JSON path of the offending value, because scenario files are written by hand.
 *
 * <pre>
 * {"name", "days", "clicks_per_day", "update_every_minutes",
 *  "delay": {"kind": "exponential", "mean_hours"} | {"kind": "lognormal", "mu", "sigma"},
 *  "segments": [{"name", "share", optional "country", "device_class", "source"}],
 *  "offers": [{"id", "payout", "cvr": [{"from_day", "value"}], optional "segment_factor": {"seg": x},
 *              optional "active": [{"from_day", "to_day"}]}],
 *  optional "report_from_day"}
 * </pre>
 * A segment's device class defaults to its name.
 */
public final class ScenarioParser {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ScenarioParser() {
    }

    public static Scenario parse(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scenario " + file, e);
        }
    }

    public static Scenario parseResource(String resource) {
        try (InputStream in = ScenarioParser.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no scenario resource " + resource);
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Scenario parse(String json, String origin) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("scenario " + origin + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("scenario " + origin + ": expected a JSON object");
        }
        String name = text(root, "name", origin);
        String where = "scenario '" + name + "'";
        double days = positive(root, "days", where);
        double clicksPerDay = positive(root, "clicks_per_day", where);
        double update = positive(root, "update_every_minutes", where);
        if (update != Math.rint(update)) {
            throw new IllegalArgumentException(where + ": update_every_minutes must be a whole number");
        }
        Scenario.Delay delay = delay(root.get("delay"), where);
        List<Scenario.Segment> segments = segments(root.get("segments"), where);
        List<Scenario.Offer> offers = offers(root.get("offers"), where, segments);
        double reportFrom = root.has("report_from_day") ? number(root, "report_from_day", where) : 0;
        if (reportFrom < 0 || reportFrom >= days) {
            throw new IllegalArgumentException(where + ": report_from_day must be in [0, days)");
        }
        return new Scenario(name, days, clicksPerDay, (int) update, delay, segments, offers, reportFrom);
    }

    private static Scenario.Delay delay(JsonNode d, String where) {
        if (d == null || !d.isObject()) {
            throw new IllegalArgumentException(where + ": delay must be an object with a kind");
        }
        String kind = text(d, "kind", where + " delay");
        return switch (kind) {
            case "exponential" -> new Scenario.Exponential(positive(d, "mean_hours", where + " delay"));
            case "lognormal" -> new Scenario.LogNormal(number(d, "mu", where + " delay"),
                    positive(d, "sigma", where + " delay"));
            default -> throw new IllegalArgumentException(where + ": delay.kind must be exponential or lognormal, got '"
                    + kind + "'");
        };
    }

    private static List<Scenario.Segment> segments(JsonNode arr, String where) {
        if (arr == null) {
            return List.of(new Scenario.Segment("all", 1, new Context("XX", "all", "sim", 0)));
        }
        if (!arr.isArray() || arr.isEmpty()) {
            throw new IllegalArgumentException(where + ": segments must be a non-empty array");
        }
        List<Scenario.Segment> out = new ArrayList<>();
        double total = 0;
        for (int i = 0; i < arr.size(); i++) {
            JsonNode s = arr.get(i);
            String at = where + " segments[" + i + "]";
            String name = text(s, "name", at);
            double share = positive(s, "share", at);
            total += share;
            Context ctx = new Context(optText(s, "country", "XX"), optText(s, "device_class", name),
                    optText(s, "source", "sim"), 0);
            out.add(new Scenario.Segment(name, share, ctx));
        }
        if (Math.abs(total - 1) > 1e-6) {
            throw new IllegalArgumentException(where + ": segment shares must sum to 1, got " + total);
        }
        return out;
    }

    private static List<Scenario.Offer> offers(JsonNode arr, String where, List<Scenario.Segment> segments) {
        if (arr == null || !arr.isArray() || arr.isEmpty()) {
            throw new IllegalArgumentException(where + ": offers must be a non-empty array");
        }
        Set<String> segmentNames = new HashSet<>();
        segments.forEach(s -> segmentNames.add(s.name()));
        Set<String> ids = new HashSet<>();
        List<Scenario.Offer> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode o = arr.get(i);
            String at = where + " offers[" + i + "]";
            String id = text(o, "id", at);
            if (!ids.add(id)) {
                throw new IllegalArgumentException(at + ": duplicate offer id '" + id + "'");
            }
            if (id.indexOf('|') >= 0) {
                throw new IllegalArgumentException(at + ": offer id must not contain '|'");
            }
            double payout = positive(o, "payout", at);
            JsonNode cvr = o.get("cvr");
            if (cvr == null || !cvr.isArray() || cvr.isEmpty()) {
                throw new IllegalArgumentException(at + ": cvr must be a non-empty array of {from_day, value}");
            }
            List<Scenario.CvrPoint> points = new ArrayList<>();
            for (int j = 0; j < cvr.size(); j++) {
                String pat = at + ".cvr[" + j + "]";
                double v = number(cvr.get(j), "value", pat);
                if (v < 0 || v > 1) {
                    throw new IllegalArgumentException(pat + ": value must be a rate in [0, 1], got " + v);
                }
                points.add(new Scenario.CvrPoint(number(cvr.get(j), "from_day", pat), v));
            }
            points.sort(Comparator.comparingDouble(Scenario.CvrPoint::fromDay));
            Map<String, Double> factors = new LinkedHashMap<>();
            JsonNode f = o.get("segment_factor");
            if (f != null) {
                if (!f.isObject()) {
                    throw new IllegalArgumentException(at + ": segment_factor must be an object");
                }
                for (var it = f.fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (!segmentNames.contains(e.getKey())) {
                        throw new IllegalArgumentException(at + ": segment_factor names unknown segment '"
                                + e.getKey() + "'");
                    }
                    if (!e.getValue().isNumber() || e.getValue().asDouble() < 0) {
                        throw new IllegalArgumentException(at + ": segment_factor." + e.getKey()
                                + " must be a number >= 0");
                    }
                    factors.put(e.getKey(), e.getValue().asDouble());
                }
            }
            List<Scenario.Active> active = new ArrayList<>();
            JsonNode act = o.get("active");
            if (act != null) {
                if (!act.isArray()) {
                    throw new IllegalArgumentException(at + ": active must be an array of {from_day, to_day}");
                }
                for (int j = 0; j < act.size(); j++) {
                    String aat = at + ".active[" + j + "]";
                    double from = number(act.get(j), "from_day", aat);
                    double to = number(act.get(j), "to_day", aat);
                    if (to <= from) {
                        throw new IllegalArgumentException(aat + ": to_day must be after from_day");
                    }
                    active.add(new Scenario.Active(from, to));
                }
            }
            out.add(new Scenario.Offer(id, payout, points, factors, active));
        }
        return out;
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": '" + field + "' is required and must be a non-empty string");
        }
        return v.asText();
    }

    private static String optText(JsonNode n, String field, String dflt) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? v.asText() : dflt;
    }

    private static double number(JsonNode n, String field, String where) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(where + ": '" + field + "' is required and must be a number");
        }
        return v.asDouble();
    }

    private static double positive(JsonNode n, String field, String where) {
        double v = number(n, field, where);
        if (!(v > 0)) {
            throw new IllegalArgumentException(where + ": '" + field + "' must be > 0, got " + v);
        }
        return v;
    }
}
