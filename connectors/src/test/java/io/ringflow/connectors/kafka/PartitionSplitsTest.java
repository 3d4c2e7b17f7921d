package io.ringflow.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** How a reader finds a record's split and position without a map lookup per record. */
class PartitionSplitsTest {

    private static final TopicPartition A0 = new TopicPartition("a", 0);
    private static final TopicPartition A7 = new TopicPartition("a", 7);
    private static final TopicPartition B0 = new TopicPartition("b", 0);

    @Test
    void eachOwnedPartitionIsFoundByTopicAndNumberAndOthersAreNotOwned() {
        PartitionSplits splits = new PartitionSplits();
        assertEquals(0, splits.add(A0, 10));
        assertEquals(1, splits.add(A7, 20));
        assertEquals(2, splits.add(B0, 30));
        assertEquals(1, splits.splitOf("a", 7));
        assertEquals(2, splits.splitOf("b", 0));
        assertEquals(PartitionSplits.NOT_OWNED, splits.splitOf("a", 3));
        assertEquals(PartitionSplits.NOT_OWNED, splits.splitOf("a", 99));
        assertEquals(PartitionSplits.NOT_OWNED, splits.splitOf("c", 0));
        assertEquals(List.of(A0, A7, B0), splits.owned());
    }

    @Test
    void aRemovedPartitionsSplitIsReusedLowestFirst() {
        PartitionSplits splits = new PartitionSplits();
        for (int p = 0; p < 6; p++) {
            splits.add(new TopicPartition("a", p), 0);
        }
        assertEquals(1, splits.remove(new TopicPartition("a", 1)));
        assertEquals(4, splits.remove(new TopicPartition("a", 4)));
        assertEquals(PartitionSplits.NOT_OWNED, splits.remove(new TopicPartition("a", 4)));
        assertFalse(splits.owns(new TopicPartition("a", 1)));
        assertEquals(1, splits.add(B0, 0));
        assertEquals(4, splits.add(new TopicPartition("a", 1), 0));
        assertEquals(6, splits.add(new TopicPartition("a", 9), 0));
    }

    @Test
    void positionsAreEachOwnedPartitionsOffsetAfterItsLastRecord() {
        PartitionSplits splits = new PartitionSplits();
        int a0 = splits.add(A0, 10);
        splits.add(B0, 30);
        splits.advance(a0, 11);
        splits.remove(B0);
        Map<TopicPartition, Long> positions = new HashMap<>();
        splits.putPositions(positions);
        assertEquals(Map.of(A0, 11L), positions);
        assertTrue(splits.owns(A0));
        splits.remove(A0);
        assertTrue(splits.isEmpty());
    }
}
