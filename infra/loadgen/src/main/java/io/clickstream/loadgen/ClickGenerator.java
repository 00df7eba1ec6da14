package io.clickstream.loadgen;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import io.clickstream.tables.ClickEvent;
import io.clickstream.tables.ClickEventSchema;
import io.clickstream.tables.DlqReason;
import io.clickstream.tables.EventJson;
import io.clickstream.tables.EventType;
import org.apache.kafka.common.utils.Utils;

/**
 * Deterministic click traffic: an iterator of raw-topic records in arrival order.
 *
 * <p>Users browse in sessions (a funnel state machine: page_view → add_to_cart → checkout →
 * purchase, with clicks in between), pages follow a Zipf law, and a configurable share of the
 * traffic is re-sent (sometimes to another partition), arrives out of order, slightly late, very
 * late, or is malformed in one of many ways. The same {@link LoadGenOptions} give byte-identical
 * records. Within a session a user's events are less than 20 minutes apart, and sessions of one user
 * are more than 31 minutes apart, so a 30-minute session gap splits them unambiguously.
 */
public final class ClickGenerator implements Iterator<GeneratedRecord> {
    static final Duration MAX_INTRA_SESSION_GAP = Duration.ofMinutes(20);
    static final Duration MIN_IDLE = Duration.ofMinutes(31);
    static final Duration MAX_IDLE = Duration.ofMinutes(120);
    /** A late event must arrive at least this long before the end of the traffic, so that it is late for sure. */
    static final Duration LATE_MARGIN = Duration.ofSeconds(60);
    static final int OVERSIZED_BYTES = 100 * 1024;

    private static final String[] DEVICES = {"desktop", "mobile", "tablet"};
    private static final String[] COUNTRIES = {"DE", "US", "FR", "GB", "IN", "BR", "JP"};
    private static final String[] CAMPAIGNS = {"autumn-sale", "newsletter-12", "spring-sale"};
    private static final String[] COLORS = {"blue", "green", "red"};

    private final LoadGenOptions o;
    private final SplittableRandom rnd;
    private final double[] zipfCdf;
    private final UserState[] users;
    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private final java.util.ArrayDeque<Undecided> undecided = new java.util.ArrayDeque<>();
    private long clock;
    private long generated;
    private long seq;
    private int malformedKind;

    private static final class UserState {
        long lastEventTime = Long.MIN_VALUE;
        long idleUntil = Long.MIN_VALUE;
        int funnel;
    }

    /** A generated event whose arrival is not fixed yet (see {@link #decide()}). */
    private static final class Undecided {
        ClickEvent event;
        int partition;
        GeneratedRecord.Delay delay;
        long delayMs;
        int duplicatePartition;
        long duplicateExtraMs;
    }

    private static final class Pending implements Comparable<Pending> {
        final long arrival;
        final long seq;
        final GeneratedRecord record;

        Pending(long arrival, long seq, GeneratedRecord record) {
            this.arrival = arrival;
            this.seq = seq;
            this.record = record;
        }

        @Override
        public int compareTo(Pending p) {
            int c = Long.compare(arrival, p.arrival);
            return c != 0 ? c : Long.compare(seq, p.seq);
        }
    }

    public ClickGenerator(LoadGenOptions options) {
        this.o = options;
        this.rnd = new SplittableRandom(options.seed);
        this.clock = options.start.toEpochMilli();
        this.users = new UserState[options.users];
        for (int i = 0; i < users.length; i++) {
            users[i] = new UserState();
        }
        this.zipfCdf = zipfCdf(options.pages, options.zipfExponent);
    }

    @Override
    public boolean hasNext() {
        fill();
        return !queue.isEmpty();
    }

    @Override
    public GeneratedRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return queue.poll().record;
    }

    /**
     * Generates until the earliest queued record can be released: its arrival is not after the event
     * time of the oldest undecided event (no record still to be decided can arrive before it).
     */
    private void fill() {
        while (true) {
            decide();
            long frontier = undecided.isEmpty() ? Long.MAX_VALUE : undecided.peekFirst().event.eventTime;
            if (!queue.isEmpty() && queue.peek().arrival <= frontier) {
                return;
            }
            if (generated >= o.events && undecided.isEmpty()) {
                return;
            }
            step();
        }
    }

    /**
     * Fixes the arrival of generated events once the traffic is known to go on long enough: a late
     * event is only sent late if on-time traffic continues past its arrival (by {@link #LATE_MARGIN}),
     * otherwise nothing would make it late and it is sent on time instead.
     */
    private void decide() {
        boolean finished = generated >= o.events;
        long horizon = Math.max(o.veryLateMax.toMillis(), o.slightlyLateMax.toMillis()) + LATE_MARGIN.toMillis();
        while (!undecided.isEmpty() && (finished || clock >= undecided.peekFirst().event.eventTime + horizon)) {
            Undecided u = undecided.pollFirst();
            GeneratedRecord.Delay delay = u.delay;
            long arrival = u.event.eventTime + u.delayMs;
            if (delay == GeneratedRecord.Delay.VERY_LATE && arrival > clock - LATE_MARGIN.toMillis()
                    || delay == GeneratedRecord.Delay.SLIGHTLY_LATE && arrival > clock) {
                delay = GeneratedRecord.Delay.ON_TIME;
                arrival = u.event.eventTime;
            }
            byte[] json = EventJson.encode(u.event);
            enqueue(arrival, new GeneratedRecord(u.partition, u.event.userId, json, arrival, GeneratedRecord.Kind.EVENT,
                u.event, delay, null));
            if (u.duplicatePartition >= 0) {
                long dupArrival = arrival + u.duplicateExtraMs;
                enqueue(dupArrival, new GeneratedRecord(u.duplicatePartition, u.event.userId, json, dupArrival,
                    GeneratedRecord.Kind.DUPLICATE, u.event, delay, null));
            }
        }
    }

    private void step() {
        double meanStep = 1000.0 / o.eventsPerSecond;
        clock += Math.max(1, Math.round(meanStep * (0.5 + rnd.nextDouble())));
        int u = pickUser();
        if (u < 0) {
            return;
        }
        UserState user = users[u];
        if (user.lastEventTime == Long.MIN_VALUE || clock - user.lastEventTime >= MIN_IDLE.toMillis()) {
            user.funnel = 0;
        }
        EventType type = nextType(user);
        user.funnel = EventType.advanceFunnel(user.funnel, type);
        user.lastEventTime = clock;
        if (rnd.nextDouble() < 0.08 || user.funnel == EventType.FUNNEL_STEPS && rnd.nextDouble() < 0.5) {
            user.idleUntil = clock + MIN_IDLE.toMillis() + (long) (rnd.nextDouble() * (MAX_IDLE.toMillis() - MIN_IDLE.toMillis()));
        }

        String userId = "u-" + u;
        ClickEvent e = new ClickEvent("e-" + o.seed + "-" + generated, 1, type.wireName(), userId, pageFor(type), clock);
        if (rnd.nextDouble() < o.v2Fraction) {
            e.schemaVersion = 2;
            e.device = DEVICES[rnd.nextInt(DEVICES.length)];
            e.country = COUNTRIES[rnd.nextInt(COUNTRIES.length)];
            e.referrer = rnd.nextDouble() < 0.5 ? null : "https://search.example/q?" + rnd.nextInt(100);
        }
        // Drawn only when asked for, so that traffic without v3 is the same record for record as before v3 existed.
        if (o.v3Fraction > 0 && rnd.nextDouble() < o.v3Fraction) {
            e.schemaVersion = 3;
            e.campaign = rnd.nextDouble() < 0.75 ? CAMPAIGNS[rnd.nextInt(CAMPAIGNS.length)] : null;
            e.experimentId = rnd.nextDouble() < 0.5 ? "exp-7:" + (rnd.nextBoolean() ? "a" : "b") : null;
            e.properties = rnd.nextDouble() < 0.5 ? Map.of("color", COLORS[rnd.nextInt(COLORS.length)]) : null;
        }
        generated++;

        Undecided pending = new Undecided();
        pending.event = e;
        pending.partition = partitionOf(userId);
        pending.delay = GeneratedRecord.Delay.ON_TIME;
        double r = rnd.nextDouble();
        if (r < o.veryLateFraction) {
            pending.delay = GeneratedRecord.Delay.VERY_LATE;
            pending.delayMs = between(o.veryLateMin, o.veryLateMax);
        } else if (r < o.veryLateFraction + o.slightlyLateFraction) {
            pending.delay = GeneratedRecord.Delay.SLIGHTLY_LATE;
            pending.delayMs = between(o.slightlyLateMin, o.slightlyLateMax);
        } else if (r < o.veryLateFraction + o.slightlyLateFraction + o.outOfOrderFraction) {
            pending.delay = GeneratedRecord.Delay.OUT_OF_ORDER;
            pending.delayMs = 1 + (long) (rnd.nextDouble() * o.maxOutOfOrder.toMillis());
        }
        pending.duplicatePartition = -1;
        if (rnd.nextDouble() < o.duplicateFraction) {
            pending.duplicatePartition = pending.partition;
            if (o.partitions > 1 && rnd.nextDouble() < o.crossPartitionDuplicateFraction) {
                pending.duplicatePartition = (pending.partition + 1 + rnd.nextInt(o.partitions - 1)) % o.partitions;
            }
            pending.duplicateExtraMs = rnd.nextInt(2_000);
        }
        undecided.addLast(pending);
        if (rnd.nextDouble() < o.malformedFraction) {
            enqueue(clock, malformed());
        }
        if (o.epochSecondsFraction > 0 && rnd.nextDouble() < o.epochSecondsFraction) {
            enqueue(clock, epochSeconds());
        }
    }

    /**
     * An extra page view from a producer that sends {@code event_time} in epoch seconds: rejected as
     * {@code INVALID_VALUE}; {@link GeneratedRecord#repairsTo} is the event the DLQ replay's
     * {@code epoch-seconds-to-ms} repair makes of it (the time truncated to the second). Its id is its own,
     * and it leaves the users' funnel state alone.
     */
    private GeneratedRecord epochSeconds() {
        String userId = "u-" + rnd.nextInt(users.length);
        ClickEvent repaired = new ClickEvent("sec-" + o.seed + "-" + seq, 1, EventType.PAGE_VIEW.wireName(), userId,
            "/p/" + zipfPage(), Math.floorDiv(clock, 1000) * 1000);
        Map<String, Object> m = validMap(Math.floorDiv(clock, 1000));
        m.put(ClickEventSchema.EVENT_ID, repaired.eventId);
        m.put(ClickEventSchema.USER_ID, userId);
        m.put(ClickEventSchema.PAGE, repaired.page);
        return new GeneratedRecord(partitionOf(userId), userId, EventJson.json(m), clock, GeneratedRecord.Kind.MALFORMED, null,
            GeneratedRecord.Delay.ON_TIME, DlqReason.INVALID_VALUE, repaired);
    }

    private int pickUser() {
        for (int attempt = 0; attempt < 32; attempt++) {
            int u = rnd.nextInt(users.length);
            UserState s = users[u];
            if (s.idleUntil > clock) {
                continue;
            }
            long since = s.lastEventTime == Long.MIN_VALUE ? Long.MAX_VALUE : clock - s.lastEventTime;
            // Keep session boundaries unambiguous: no event 20..31 minutes after the previous one.
            if (since >= MAX_INTRA_SESSION_GAP.toMillis() && since < MIN_IDLE.toMillis()) {
                continue;
            }
            return u;
        }
        return -1;
    }

    private EventType nextType(UserState u) {
        double r = rnd.nextDouble();
        switch (u.funnel) {
            case 0:
                return EventType.PAGE_VIEW;
            case 1:
                return r < 0.5 ? EventType.PAGE_VIEW : r < 0.8 ? EventType.CLICK : EventType.ADD_TO_CART;
            case 2:
                return r < 0.35 ? EventType.CHECKOUT : r < 0.7 ? EventType.PAGE_VIEW : r < 0.9 ? EventType.CLICK : EventType.ADD_TO_CART;
            case 3:
                return r < 0.6 ? EventType.PURCHASE : r < 0.8 ? EventType.PAGE_VIEW : EventType.CLICK;
            default:
                return r < 0.6 ? EventType.PAGE_VIEW : EventType.CLICK;
        }
    }

    private String pageFor(EventType t) {
        switch (t) {
            case CHECKOUT: return "/checkout";
            case PURCHASE: return "/checkout/complete";
            default: return "/p/" + zipfPage();
        }
    }

    private int zipfPage() {
        double r = rnd.nextDouble();
        int lo = 0;
        int hi = zipfCdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (zipfCdf[mid] < r) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo + 1;
    }

    private GeneratedRecord malformed() {
        int kind = malformedKind++ % 11;
        int partition = rnd.nextInt(o.partitions);
        String key = "u-" + rnd.nextInt(users.length);
        Map<String, Object> m = validMap(clock);
        DlqReason reason;
        byte[] value;
        switch (kind) {
            case 0:
                value = "{\"event_id\": \"broken\", \"user_id\": ".getBytes(StandardCharsets.UTF_8);
                reason = DlqReason.MALFORMED_JSON;
                break;
            case 1:
                value = "[1, 2, 3]".getBytes(StandardCharsets.UTF_8);
                reason = DlqReason.MALFORMED_JSON;
                break;
            case 2:
                value = new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, 0x00, 0x7B};
                reason = DlqReason.MALFORMED_JSON;
                break;
            case 3:
                m.remove(ClickEventSchema.USER_ID);
                value = EventJson.json(m);
                reason = DlqReason.MISSING_FIELD;
                break;
            case 4:
                m.put(ClickEventSchema.EVENT_TIME, "2026-01-05 08:00:00");
                value = EventJson.json(m);
                reason = DlqReason.WRONG_TYPE;
                break;
            case 5:
                m.put(ClickEventSchema.PAGE, "/p/" + "x".repeat(OVERSIZED_BYTES));
                value = EventJson.json(m);
                reason = DlqReason.OVERSIZED;
                break;
            case 6:
                m.put(ClickEventSchema.SCHEMA_VERSION, 99);
                value = EventJson.json(m);
                reason = DlqReason.UNKNOWN_SCHEMA_VERSION;
                break;
            case 7:
                m.put(ClickEventSchema.EVENT_TYPE, "hover");
                value = EventJson.json(m);
                reason = DlqReason.UNKNOWN_EVENT_TYPE;
                break;
            case 8:
                m.put(ClickEventSchema.EVENT_TIME, clock + Duration.ofDays(3).toMillis());
                value = EventJson.json(m);
                reason = DlqReason.FUTURE_TIMESTAMP;
                break;
            case 9:
                m.put(ClickEventSchema.EVENT_ID, "");
                value = EventJson.json(m);
                reason = DlqReason.INVALID_VALUE;
                break;
            default:
                value = null;
                key = null;
                reason = DlqReason.MALFORMED_JSON;
                break;
        }
        return new GeneratedRecord(partition, key, value, clock, GeneratedRecord.Kind.MALFORMED, null,
            GeneratedRecord.Delay.ON_TIME, reason);
    }

    private Map<String, Object> validMap(long time) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ClickEventSchema.SCHEMA_VERSION, 1);
        m.put(ClickEventSchema.EVENT_ID, "bad-" + o.seed + "-" + seq);
        m.put(ClickEventSchema.EVENT_TYPE, "page_view");
        m.put(ClickEventSchema.USER_ID, "u-0");
        m.put(ClickEventSchema.PAGE, "/p/1");
        m.put(ClickEventSchema.EVENT_TIME, time);
        return m;
    }

    /** Kafka's default partitioner for a keyed record (murmur2 of the key bytes). */
    public int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % o.partitions;
    }

    private void enqueue(long arrival, GeneratedRecord r) {
        queue.add(new Pending(arrival, seq++, r));
    }

    private long between(Duration min, Duration max) {
        return min.toMillis() + (long) (rnd.nextDouble() * (max.toMillis() - min.toMillis()));
    }

    private static double[] zipfCdf(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += 1.0 / Math.pow(k, s);
            cdf[k - 1] = sum;
        }
        for (int k = 0; k < n; k++) {
            cdf[k] /= sum;
        }
        return cdf;
    }

    /** Generates everything into memory: for tests and modest demo volumes. */
    public static List<GeneratedRecord> generateAll(LoadGenOptions options) {
        List<GeneratedRecord> out = new ArrayList<>();
        new ClickGenerator(options).forEachRemaining(out::add);
        return out;
    }
}
