package io.affnet.distribution.ope;

import io.affnet.distribution.Arm;
import io.affnet.distribution.Context;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an Open Bandit Dataset log ({@code timestamp,item_id,position,click,propensity_score,
 * user_feature_0..3,user-item_affinity_*}) into {@link LoggedDecision}s: every item of the campaign
 * is a candidate, the click is the reward, and the hashed user features stand in for country,
 * device class and source (they only need to be categorical).
 */
public final class ObdLog {

    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .appendPattern("XXX")
            .toFormatter();

    private ObdLog() {
    }

    public static Table table(Path csv) {
        if (!Files.isReadable(csv)) {
            throw new IllegalArgumentException("cannot read OBD log " + csv);
        }
        CsvReadOptions options = CsvReadOptions.builder(csv.toFile())
                .columnTypesPartial(Map.of("timestamp", ColumnType.STRING, "item_id", ColumnType.INTEGER,
                        "click", ColumnType.INTEGER, "propensity_score", ColumnType.DOUBLE,
                        "user_feature_0", ColumnType.STRING, "user_feature_1", ColumnType.STRING,
                        "user_feature_2", ColumnType.STRING))
                .build();
        Table t = Table.read().usingOptions(options);
        for (String required : List.of("timestamp", "item_id", "click", "propensity_score")) {
            if (!t.columnNames().contains(required)) {
                throw new IllegalArgumentException(csv + " lacks column " + required);
            }
        }
        return t;
    }

    public static List<LoggedDecision> read(Path csv) {
        return decisions(table(csv));
    }

    /** Candidates are all items 0..max(item_id): the campaign shows every item. */
    public static List<LoggedDecision> decisions(Table t) {
        NumericColumn<?> item = t.numberColumn("item_id");
        NumericColumn<?> click = t.numberColumn("click");
        NumericColumn<?> propensity = t.numberColumn("propensity_score");
        StringColumn ts = t.stringColumn("timestamp");
        StringColumn f0 = t.stringColumn("user_feature_0");
        StringColumn f1 = t.stringColumn("user_feature_1");
        StringColumn f2 = t.stringColumn("user_feature_2");
        int items = (int) item.max() + 1;
        List<Arm> candidates = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            candidates.add(Arm.of(Integer.toString(i)));
        }
        List<LoggedDecision> out = new ArrayList<>(t.rowCount());
        for (int r = 0; r < t.rowCount(); r++) {
            OffsetDateTime at = OffsetDateTime.parse(ts.get(r), TIMESTAMP);
            Context ctx = new Context(f0.get(r), f1.get(r), f2.get(r), at.getHour());
            out.add(new LoggedDecision(at.toInstant().toEpochMilli(), ctx, candidates,
                    Integer.toString((int) item.getDouble(r)), propensity.getDouble(r), click.getDouble(r)));
        }
        return out;
    }
}
