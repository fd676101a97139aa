package io.millrace.engine.group.state;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a classic group, named as Kafka names them on the wire (DescribeGroups,
 * ListGroups).
 *
 * <pre>
 *            first member joins                 all members joined / rebalance timeout
 *   Empty ---------------------&gt; Preparing ---------------------------------&gt; Completing
 *     ^                           Rebalance  &lt;---------------------------------  Rebalance
 *     |    no member rejoined        ^   |      member joins, leaves or fails       |
 *     +------------------------------+---+                                          | leader's
 *                                    |                                              | SyncGroup
 *                                    +----------------- Stable &lt;-------------------+ written
 *                       member joins with new metadata, leaves or fails
 *
 *   Dead: the group was deleted or its coordinator moved; every state may go there.
 * </pre>
 */
public enum GroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String wireName;

    GroupState(String wireName) {
        this.wireName = wireName;
    }

    /** The name Kafka uses in DescribeGroups and ListGroups. */
    public String wireName() {
        return wireName;
    }

    /** The states a group may be in just before entering this one. */
    Set<GroupState> validPreviousStates() {
        return switch (this) {
            case EMPTY -> EnumSet.of(PREPARING_REBALANCE);
            case PREPARING_REBALANCE -> EnumSet.of(STABLE, COMPLETING_REBALANCE, EMPTY);
            case COMPLETING_REBALANCE -> EnumSet.of(PREPARING_REBALANCE);
            case STABLE -> EnumSet.of(COMPLETING_REBALANCE);
            case DEAD -> EnumSet.allOf(GroupState.class);
        };
    }

    /** Parses a wire name, ignoring case, as ListGroups' state filter does. */
    public static GroupState fromWireName(String name) {
        for (GroupState state : values()) {
            if (state.wireName.equalsIgnoreCase(name)) {
                return state;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
