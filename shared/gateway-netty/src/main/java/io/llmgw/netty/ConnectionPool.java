package io.llmgw.netty;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The idle keep-alive connections of one event loop, by {@link Origin}. Everything here runs on
 * that loop, so there is no lock: an exchange takes a connection of its own loop and gives it back
 * there. The most recently used connection is taken first (the others age out rather than all
 * staying warm), and a connection idle for longer than the idle timeout is closed.
 *
 * <p>Apache's client checks a pooled connection idle for over a second for a close from the other
 * side before reusing it ({@code validateAfterInactivity}): a blocking socket in its pool has nobody
 * reading it, so a close the server sent waits unnoticed in the socket. An idle connection here is
 * still read by its loop, so a close (or anything else the server sends unasked) is seen as it
 * arrives, and the connection leaves the pool then. What is left is the race no client can close:
 * the server closing an idle connection just as a request is written to it.
 */
final class ConnectionPool {
    private final EventLoop loop;
    private final long idleNanos;
    private final Map<Origin, ArrayDeque<Connection>> idle = new HashMap<>();
    /** Closes connections idle for too long; scheduled only while the pool holds any. */
    private ScheduledFuture<?> sweep;
    private boolean closed;

    ConnectionPool(EventLoop loop, long idleNanos) {
        this.loop = loop;
        this.idleNanos = idleNanos;
    }

    EventLoop loop() {
        return loop;
    }

    /** The most recently released connection to {@code origin}, out of the pool, or null. */
    Connection acquire(Origin origin) {
        ArrayDeque<Connection> connections = idle.get(origin);
        if (connections == null) {
            return null;
        }
        Connection connection = connections.pollFirst();
        if (connections.isEmpty()) {
            idle.remove(origin);
        }
        if (connection != null) {
            connection.pooled = false;
        }
        return connection;
    }

    /** Keeps a connection whose exchange ended cleanly for the next exchange to its origin; closes it once the pool is closed. */
    void release(Connection connection) {
        if (closed || !connection.channel().isActive()) {
            connection.channel().close();
            return;
        }
        connection.pooled = true;
        connection.idleSince = System.nanoTime();
        idle.computeIfAbsent(connection.origin, origin -> new ArrayDeque<>(4)).addFirst(connection);
        if (sweep == null) {
            sweep = loop.schedule(this::sweep, idleNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Drops a connection that closed (a no-op for one not in the pool). */
    void remove(Connection connection) {
        if (!connection.pooled) {
            return;
        }
        connection.pooled = false;
        ArrayDeque<Connection> connections = idle.get(connection.origin);
        if (connections != null && connections.remove(connection) && connections.isEmpty()) {
            idle.remove(connection.origin);
        }
    }

    int size() {
        int size = 0;
        for (ArrayDeque<Connection> connections : idle.values()) {
            size += connections.size();
        }
        return size;
    }

    /**
     * Closes the connections idle for the idle timeout and runs again when the next one will be: the
     * oldest of each origin is at the end of its deque, so only those are looked at.
     */
    private void sweep() {
        sweep = null;
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        List<Connection> expired = new ArrayList<>();
        for (Iterator<ArrayDeque<Connection>> origins = idle.values().iterator(); origins.hasNext(); ) {
            ArrayDeque<Connection> connections = origins.next();
            while (!connections.isEmpty() && now - connections.peekLast().idleSince >= idleNanos) {
                Connection oldest = connections.pollLast();
                oldest.pooled = false;
                expired.add(oldest);
            }
            if (connections.isEmpty()) {
                origins.remove();
            } else {
                next = Math.min(next, connections.peekLast().idleSince + idleNanos - now);
            }
        }
        // closed after the walk: a close completes at once and calls back into remove()
        expired.forEach(connection -> connection.channel().close());
        if (next != Long.MAX_VALUE) {
            sweep = loop.schedule(this::sweep, next, TimeUnit.NANOSECONDS);
        }
    }

    /** Closes every idle connection; connections released from now on are closed instead of kept. */
    void close() {
        closed = true;
        if (sweep != null) {
            sweep.cancel(false);
            sweep = null;
        }
        List<Connection> all = new ArrayList<>();
        idle.values().forEach(all::addAll);
        idle.clear();
        all.forEach(connection -> {
            connection.pooled = false;
            connection.channel().close();
        });
    }
}
