package io.clickstream.tables;

import java.util.Optional;

/**
 * Click event types and their position in the purchase funnel.
 *
 * <p>The funnel is ordered: a session reaches step k only if it shows steps 1..k in event-time order.
 * {@link #CLICK} is traffic but not a funnel step.
 */
public enum EventType {
    PAGE_VIEW("page_view", 1),
    CLICK("click", 0),
    ADD_TO_CART("add_to_cart", 2),
    CHECKOUT("checkout", 3),
    PURCHASE("purchase", 4);

    /** Highest funnel step. */
    public static final int FUNNEL_STEPS = 4;

    private final String wireName;
    private final int funnelStep;

    EventType(String wireName, int funnelStep) {
        this.wireName = wireName;
        this.funnelStep = funnelStep;
    }

    /** The name used in JSON payloads and in table columns. */
    public String wireName() {
        return wireName;
    }

    /** 1-based funnel step, or 0 if the type is not part of the funnel. */
    public int funnelStep() {
        return funnelStep;
    }

    public static Optional<EventType> fromWire(String name) {
        for (EventType t : values()) {
            if (t.wireName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Name of funnel step 1..{@link #FUNNEL_STEPS}. */
    public static String funnelStepName(int step) {
        for (EventType t : values()) {
            if (t.funnelStep == step) {
                return t.wireName;
            }
        }
        throw new IllegalArgumentException("no funnel step " + step);
    }

    /**
     * Advances a funnel position by one event: the ordered-funnel rule shared by streaming and batch.
     *
     * @return the new highest step reached
     */
    public static int advanceFunnel(int reached, EventType type) {
        return type.funnelStep == reached + 1 ? reached + 1 : reached;
    }
}
