package io.clickstream.service;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

import io.clickstream.tables.LakeTable;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.catalog.CatalogFactory;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.options.Options;
import org.apache.paimon.reader.RecordReader;
import org.apache.paimon.table.Table;
import org.apache.paimon.table.source.ReadBuilder;
import org.apache.paimon.table.source.Split;
import org.apache.paimon.table.source.StreamTableScan;
import org.apache.paimon.table.source.TableRead;
import org.apache.paimon.types.RowKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hot path's feed: a streaming read of {@code page_minute_agg} with Paimon's Java API
 * ({@link ReadBuilder#newStreamScan()}). The first plan is the full latest snapshot; every later plan
 * is the changelog of the next snapshots, which the streaming job's {@code changelog-producer=lookup}
 * writes as complete {@code -U/+U} pairs, so applying them in order keeps {@link MinuteStore} equal to
 * the table. One daemon thread; it waits for the table to exist and polls when caught up.
 */
public final class PaimonChangelogFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PaimonChangelogFeed.class);

    private final String warehouse;
    private final String database;
    private final MinuteStore store;
    private final long pollNanos;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long snapshotsApplied;

    public PaimonChangelogFeed(String warehouse, String database, MinuteStore store, java.time.Duration poll) {
        this.warehouse = warehouse;
        this.database = database;
        this.store = store;
        this.pollNanos = poll.toNanos();
        this.thread = new Thread(this::run, "paimon-changelog-feed");
        this.thread.setDaemon(true);
    }

    public PaimonChangelogFeed start() {
        thread.start();
        return this;
    }

    /** Plans applied so far (the first is the full snapshot). */
    public long plansApplied() {
        return snapshotsApplied;
    }

    private void run() {
        Options options = new Options();
        options.set("warehouse", warehouse);
        try (Catalog catalog = CatalogFactory.createCatalog(CatalogContext.create(options))) {
            Table table = null;
            while (running && table == null) {
                try {
                    table = catalog.getTable(Identifier.create(database, LakeTable.PAGE_MINUTE_AGG.tableName()));
                } catch (Catalog.TableNotExistException e) {
                    LockSupport.parkNanos(pollNanos);
                }
            }
            if (table == null) {
                return;
            }
            List<String> names = table.rowType().getFieldNames();
            int ws = names.indexOf("window_start");
            int page = names.indexOf("page");
            int[] cols = {names.indexOf("events"), names.indexOf("page_views"), names.indexOf("clicks"),
                names.indexOf("add_to_carts"), names.indexOf("checkouts"), names.indexOf("purchases"),
                names.indexOf("unique_users"), names.indexOf("unique_viewers")};
            int hll = names.indexOf("users_hll");
            ReadBuilder rb = table.newReadBuilder();
            StreamTableScan scan = rb.newStreamScan();
            TableRead read = rb.newRead();
            while (running) {
                List<Split> splits = scan.plan().splits();
                for (Split split : splits) {
                    try (RecordReader<InternalRow> reader = read.createReader(split)) {
                        reader.forEachRemaining(row -> {
                            long start = row.getTimestamp(ws, 3).getMillisecond();
                            String p = row.getString(page).toString();
                            if (row.getRowKind() == RowKind.INSERT || row.getRowKind() == RowKind.UPDATE_AFTER) {
                                store.upsert(start, p, new MinuteStore.Row(row.getLong(cols[0]), row.getLong(cols[1]),
                                    row.getLong(cols[2]), row.getLong(cols[3]), row.getLong(cols[4]), row.getLong(cols[5]),
                                    row.getLong(cols[6]), row.getLong(cols[7]), row.getBinary(hll)));
                            } else {
                                store.remove(start, p);
                            }
                        });
                    }
                }
                snapshotsApplied++;
                store.markReady();
                store.evict();
                if (splits.isEmpty()) {
                    LockSupport.parkNanos(pollNanos);
                }
            }
        } catch (Exception e) {
            store.markUnavailable();
            if (running) {
                LOG.error("the Paimon changelog feed of {} stopped; metric reads fall back to history", warehouse, e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
    }
}
