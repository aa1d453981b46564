package io.edgegateway.sse;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client's bounded queue, a ring that starts at a few slots and grows up to its bound. Most streams are quiet
 * and hold an event or two at a time: a ring of the full bound (256 by default) for each of ten thousand idle
 * clients was a tenth of their memory. It shrinks back once drained after a burst.
 */
final class EventQueue {

    private static final int INITIAL = 8;

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private Object[] items;
    private int head;
    private int count;

    EventQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.items = new Object[Math.min(INITIAL, capacity)];
    }

    /** Queues {@code item} unless the queue holds its bound already; never blocks for long (the hub's lock). */
    boolean offer(Object item) {
        lock.lock();
        try {
            if (count == capacity) {
                return false;
            }
            if (count == items.length) {
                resize(Math.min(capacity, items.length * 2));
            }
            items[(head + count) % items.length] = item;
            count++;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The next item, or null if none is queued. */
    Object poll() {
        lock.lock();
        try {
            return take();
        } finally {
            lock.unlock();
        }
    }

    /** The next item, waiting up to {@code nanos} for one; null if none came. */
    Object poll(long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (count == 0) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return take();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    int capacity() {
        return capacity;
    }

    private Object take() {
        if (count == 0) {
            return null;
        }
        Object item = items[head];
        items[head] = null;
        head = (head + 1) % items.length;
        count--;
        if (count == 0 && items.length > 4 * INITIAL) {
            items = new Object[INITIAL]; // a burst is over: give its ring back
            head = 0;
        }
        return item;
    }

    private void resize(int length) {
        Object[] grown = new Object[length];
        for (int i = 0; i < count; i++) {
            grown[i] = items[(head + i) % items.length];
        }
        items = grown;
        head = 0;
    }
}
