package io.clickstream.streaming.ops;

import io.clickstream.streaming.model.DedupedEvent;
import io.clickstream.streaming.model.MinuteAccumulator;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental per-page minute aggregate: counts per event type and the exact set of user ids. */
public class MinuteAggregate implements AggregateFunction<DedupedEvent, MinuteAccumulator, MinuteAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public MinuteAccumulator createAccumulator() {
        return new MinuteAccumulator();
    }

    @Override
    public MinuteAccumulator add(DedupedEvent e, MinuteAccumulator acc) {
        acc.countsByType[e.event.type().ordinal()]++;
        acc.users.add(e.event.userId);
        if (e.event.type() == io.clickstream.tables.EventType.PAGE_VIEW) {
            acc.viewers.add(e.event.userId);
        }
        return acc;
    }

    @Override
    public MinuteAccumulator getResult(MinuteAccumulator acc) {
        return acc;
    }

    @Override
    public MinuteAccumulator merge(MinuteAccumulator a, MinuteAccumulator b) {
        for (int i = 0; i < a.countsByType.length; i++) {
            a.countsByType[i] += b.countsByType[i];
        }
        a.users.addAll(b.users);
        a.viewers.addAll(b.viewers);
        return a;
    }
}
