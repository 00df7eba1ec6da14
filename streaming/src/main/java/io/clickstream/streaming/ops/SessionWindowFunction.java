package io.clickstream.streaming.ops;

import io.clickstream.streaming.model.SessionRow;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Adds the user id (the key) to the aggregated session. */
public class SessionWindowFunction extends ProcessWindowFunction<SessionRow, SessionRow, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(String userId, Context ctx, Iterable<SessionRow> rows, Collector<SessionRow> out) {
        SessionRow row = rows.iterator().next();
        row.userId = userId;
        out.collect(row);
    }
}
