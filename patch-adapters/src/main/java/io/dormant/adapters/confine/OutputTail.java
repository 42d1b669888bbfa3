package io.dormant.adapters.confine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Keeps the last bytes of a stream, since the end of a failing script's output says why it failed. */
final class OutputTail {

    private final byte[] ring;
    private long total;

    OutputTail(int capacity) {
        this.ring = new byte[capacity];
    }

    /** Reads {@code in} to its end. */
    void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            append(buffer, n);
        }
    }

    synchronized void append(byte[] bytes, int length) {
        int skipped = Math.max(0, length - ring.length);
        total += skipped;
        for (int i = skipped; i < length; i++) {
            ring[(int) (total++ % ring.length)] = bytes[i];
        }
    }

    synchronized boolean truncated() {
        return total > ring.length;
    }

    synchronized String text() {
        int size = (int) Math.min(total, ring.length);
        byte[] out = new byte[size];
        int start = (int) ((total - size) % ring.length);
        for (int i = 0; i < size; i++) {
            out[i] = ring[(start + i) % ring.length];
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
