package io.clickstream.alerting;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.memory.WritableMemory;

/**
 * The counts of one rule in one slide of event time: every window of the rule is the sum (for unique
 * users the union) of window/slide consecutive buckets, so an event updates one bucket, not one copy
 * per overlapping window.
 */
public class Bucket {
    /** lg K of the unique-user sketches: as the stream job's minute rows (HLL_8, exact below ~ 200 users). */
    static final int HLL_LG_K = 12;

    /** Records that count in the metric (for a rate: the numerator's, e.g. malformed records). */
    public long count;
    /** For a rate: all records. */
    public long total;
    /** Latest Kafka timestamp among the bucket's records. */
    public long lastArrival;
    /** Unique-users rules: an updatable HLL_8 sketch in place (updated without copying); null otherwise. */
    public byte[] users;

    public Bucket() {}

    void addUser(String userId) {
        if (users == null) {
            users = new byte[HllSketch.getMaxUpdatableSerializationBytes(HLL_LG_K, TgtHllType.HLL_8)];
            new HllSketch(HLL_LG_K, TgtHllType.HLL_8, WritableMemory.writableWrap(users));
        }
        HllSketch.writableWrap(WritableMemory.writableWrap(users)).update(userId);
    }
}
