package io.dormant.adapters.deb;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An xz member decoded by the host's xz tool in a child process: liblzma decodes about half again
 * as fast as xz-java, and unpacking a set of packages waits on decompression. Used only for
 * members big enough to repay starting a process; its failures read like xz-java's (a truncated
 * member ends in an {@link EOFException}).
 */
final class DebXzProcess extends InputStream {

    /**
     * Below this many compressed bytes, starting a process (1-3 ms) costs more than it saves. The
     * bar is low because xz-java is slowest exactly when it matters, in a fresh process whose decoder
     * is not compiled yet: at 256 KiB, a first apply of 32 updates spent half a CPU-second in it on
     * the 17 smaller members.
     */
    private static final long MIN_MEMBER_SIZE = 16 * 1024;
    private static final String TOOL = find();

    private final Process process;
    private final InputStream out;
    private final Thread feeder;

    private DebXzProcess(Process process, Thread feeder) {
        this.process = process;
        this.out = process.getInputStream();
        this.feeder = feeder;
    }

    /** Whether a member of {@code compressedSize} bytes is better decoded by the xz tool. */
    static boolean worthIt(long compressedSize) {
        return TOOL != null && compressedSize >= MIN_MEMBER_SIZE;
    }

    /**
     * Starts decoding {@code raw}, which this stream then owns and closes.
     *
     * @throws DebFormatException when the member does not start as xz data
     */
    static InputStream open(String file, String member, InputStream raw) throws IOException {
        return start(file, member, raw, null);
    }

    /** xz decoding {@code raw} into {@code output}, or into its stdout (this stream) when null. */
    private static DebXzProcess start(String file, String member, InputStream raw, Path output) throws IOException {
        BufferedInputStream in;
        try {
            in = DebCompression.XZ.checked(raw);
        } catch (IOException e) {
            throw DebFormatException.inside(file, member, "corrupt xz data at its start: " + e.getMessage(), e);
        }
        ProcessBuilder builder = new ProcessBuilder(TOOL, "--decompress", "--stdout", "--threads=1",
                "--memlimit-decompress=" + DebCompression.XZ_MEMORY_LIMIT_KIB + "KiB");
        if (output != null) {
            builder.redirectOutput(output.toFile());
        }
        // Options from the environment could make xz accept what xz-java refuses, or the reverse.
        builder.environment().remove("XZ_DEFAULTS");
        builder.environment().remove("XZ_OPT");
        Process process = builder.start();
        Thread feeder = new Thread(() -> feed(in, process.getOutputStream()), "xz-input-" + file);
        feeder.setDaemon(true);
        feeder.start();
        return new DebXzProcess(process, feeder);
    }

    /**
     * Decodes {@code raw} (which this call owns and closes) with xz writing straight into
     * {@code target}: the decoded bytes never pass through this process. {@code written} hears the
     * file's size every few milliseconds while xz runs; past {@code maxBytes}, or when
     * {@code stop} says so, xz is stopped and this fails.
     *
     * @throws TooLargeException past {@code maxBytes}
     * @throws EOFException when the member is truncated; another IOException when it is corrupt
     */
    static void decodeTo(String file, String member, InputStream raw, Path target, long maxBytes,
                         java.util.function.LongConsumer written, java.util.function.BooleanSupplier stop) throws IOException {
        DebXzProcess xz;
        try {
            xz = start(file, member, raw, target);
        } catch (IOException e) {
            raw.close();
            throw e;
        }
        Process process = xz.process;
        try {
            try {
                while (!process.waitFor(POLL_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    long size = Files.size(target);
                    if (size > maxBytes) {
                        throw new TooLargeException(size);
                    }
                    if (stop.getAsBoolean()) {
                        throw new IOException("the unpack stopped reading this package");
                    }
                    written.accept(size);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while xz decoded " + file);
            }
            long size = Files.size(target);
            if (size > maxBytes) {
                throw new TooLargeException(size);
            }
            xz.checkExit();
            written.accept(size);
        } finally {
            xz.close();
        }
    }

    /** How often a decoding into a file is looked at: its reader waits at most this long for new bytes. */
    private static final long POLL_MILLIS = 5;

    /** A member that decoded to more bytes than allowed; {@link #size()} is how many there were when it was seen. */
    static final class TooLargeException extends IOException {
        private final long size;

        TooLargeException(long size) {
            super("decoded to " + size + " bytes");
            this.size = size;
        }

        long size() {
            return size;
        }
    }

    private static void feed(InputStream in, OutputStream stdin) {
        try (in; stdin) {
            in.transferTo(stdin);
        } catch (IOException e) {
            // xz stopped reading (it failed, or the reader closed early); the reader sees why.
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = out.read(b, off, len);
        if (n < 0) {
            checkExit();
        }
        return n;
    }

    private void checkExit() throws IOException {
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for xz");
        }
        if (status == 0) {
            return;
        }
        String problem = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip()
                .replaceFirst("^xz: \\(stdin\\): ", "");
        if (problem.contains("Unexpected end of input")) {
            throw new EOFException("truncated xz data: " + problem);
        }
        throw new IOException(problem.isEmpty() ? "xz exited with status " + status : problem);
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        feeder.interrupt();
        out.close();
        process.getErrorStream().close();
    }

    private static String find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "xz");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
