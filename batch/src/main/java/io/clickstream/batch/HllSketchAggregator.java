package io.clickstream.batch;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;

/**
 * {@code hll_sketch(user_id)}: a DataSketches HLL_8 sketch (lgK 12) of the distinct values, the same
 * sketch the streaming job stores in {@code page_minute_agg.users_hll}, so hour and day sketches merge
 * with minute sketches. Spark keeps the buffer as an object and serializes it only on shuffle.
 */
public final class HllSketchAggregator extends Aggregator<String, HllSketchAggregator.Buffer, byte[]> {
    /** log2 of the sketch's register count, as in the streaming job. */
    public static final int LG_K = 12;

    /** The aggregation buffer: a union of sketches (java-serialized as the compact sketch bytes). */
    public static final class Buffer implements Externalizable {
        Union union = new Union(LG_K);

        public Buffer() {}

        @Override
        public void writeExternal(ObjectOutput out) throws IOException {
            byte[] b = union.getResult(TgtHllType.HLL_8).toCompactByteArray();
            out.writeInt(b.length);
            out.write(b);
        }

        @Override
        public void readExternal(ObjectInput in) throws IOException {
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            union = new Union(LG_K);
            union.update(HllSketch.heapify(b));
        }
    }

    @Override
    public Buffer zero() {
        return new Buffer();
    }

    @Override
    public Buffer reduce(Buffer b, String value) {
        if (value != null) {
            b.union.update(value);
        }
        return b;
    }

    @Override
    public Buffer merge(Buffer a, Buffer b) {
        a.union.update(b.union.getResult(TgtHllType.HLL_8));
        return a;
    }

    @Override
    public byte[] finish(Buffer b) {
        return b.union.getResult(TgtHllType.HLL_8).toCompactByteArray();
    }

    @Override
    public Encoder<Buffer> bufferEncoder() {
        return Encoders.javaSerialization(Buffer.class);
    }

    @Override
    public Encoder<byte[]> outputEncoder() {
        return Encoders.BINARY();
    }
}
