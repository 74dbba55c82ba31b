package io.swarmgate.proxy.internal.io;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * An unordered set of members that know their own index: adding and removing cost O(1) and allocate nothing once
 * the array has grown. Used on one event loop only.
 *
 * <p>Internal: public for {@code context}, {@code front} only.
 */
public final class SlotArray<T extends SlotArray.Member> {
    /** Something that can be in one {@code SlotArray}: it keeps its index there, -1 when it is in none. */
    public interface Member {
        int slot();

        void slot(int slot);
    }

    private Member[] members = new Member[256];
    private int size;

    public void add(T member) {
        if (size == members.length) {
            members = Arrays.copyOf(members, size * 2);
        }
        member.slot(size);
        members[size++] = member;
    }

    /** Removes the member by moving the last one into its place; nothing happens if it is not in the set. */
    public void remove(T member) {
        int slot = member.slot();
        if (slot < 0) {
            return;
        }
        Member last = members[--size];
        members[slot] = last;
        last.slot(slot);
        members[size] = null;
        member.slot(-1);
    }

    /**
     * Visits every member. The action may remove members: walking from the end means a removal only moves members
     * already visited.
     */
    @SuppressWarnings("unchecked")
    public void forEach(Consumer<T> action) {
        for (int i = size - 1; i >= 0; i--) {
            if (i < size) {
                action.accept((T) members[i]);
            }
        }
    }
}
