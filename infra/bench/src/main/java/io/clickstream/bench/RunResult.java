package io.clickstream.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What one measured run reports; printed by the child JVM as one {@code RESULT {json}} line. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunResult {
    static final ObjectMapper JSON = new ObjectMapper();

    public String variant;
    public long events;
    public long records;
    public int parallelism;
    public double wallSeconds;
    /** CPU seconds of the run's own JVM (user + system). */
    public double cpuSeconds;
    /** CPU seconds the Kafka broker spent during the run (filled in by the orchestrator). */
    public Double brokerCpuSeconds;
    public long peakRssMb;
    public Long brokerPeakRssMb;
    public Long checkpoints;
    public Double checkpointAvgMs;
    public Double checkpointMaxMs;
    /** Full state size of the last completed checkpoint (bytes). */
    public Long checkpointStateBytes;
    /** Average bytes a checkpoint uploaded (less than the state with incremental checkpoints). */
    public Long checkpointUploadedAvgBytes;
    public Long warehouseBytes;
    public Double freshnessP50Ms;
    public Double freshnessP99Ms;
    public Long freshnessSamples;

    public double recordsPerSecond() {
        return records / wallSeconds;
    }

    /** Records per CPU-second of the run's own JVM: throughput per core actually used. */
    public double recordsPerCoreSecond() {
        return records / cpuSeconds;
    }

    /** Same, counting the broker's CPU too. */
    public double recordsPerCoreSecondWithBroker() {
        return records / (cpuSeconds + (brokerCpuSeconds == null ? 0 : brokerCpuSeconds));
    }

    public double coresUsed() {
        return cpuSeconds / wallSeconds;
    }

    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variant", variant);
        m.put("records", records);
        m.put("parallelism", parallelism);
        m.put("records_per_s", Math.round(recordsPerSecond()));
        m.put("records_per_core_s", Math.round(recordsPerCoreSecond()));
        m.put("cores_used", Math.round(coresUsed() * 100) / 100.0);
        m.put("peak_rss_mb", peakRssMb);
        if (checkpointAvgMs != null) {
            m.put("checkpoint_avg_ms", Math.round(checkpointAvgMs));
            m.put("checkpoint_max_ms", Math.round(checkpointMaxMs));
        }
        if (checkpointStateBytes != null) {
            m.put("checkpoint_state_mb", Math.round(checkpointStateBytes / 1e5) / 10.0);
        }
        if (checkpointUploadedAvgBytes != null) {
            m.put("checkpoint_uploaded_avg_mb", Math.round(checkpointUploadedAvgBytes / 1e5) / 10.0);
        }
        if (warehouseBytes != null) {
            m.put("bytes_per_record", Math.round(warehouseBytes / (double) records));
        }
        if (freshnessP50Ms != null) {
            m.put("freshness_p50_ms", Math.round(freshnessP50Ms));
            m.put("freshness_p99_ms", Math.round(freshnessP99Ms));
        }
        return m;
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static RunResult fromJson(String json) {
        try {
            return JSON.readValue(json, RunResult.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
