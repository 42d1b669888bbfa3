package io.dormant.engine.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What goes over the resident process's socket. The caller sends one request: the protocol
 * version, the key, what kind of client it is (the launcher's Perl client, engine/src/main/launcher,
 * speaks this too), its working directory, its terminal and start time, and the arguments. The
 * resident process answers {@link #BUSY} (the caller runs the command itself) or {@link #ACCEPTED},
 * then frames of standard output and error, and last the exit code.
 */
final class ResidentFrames {

    static final int PROTOCOL = 2;
    /** A caller that is a Dormant JVM ({@link ResidentClient}). */
    static final String JVM_CLIENT = "jvm";
    static final byte ACCEPTED = 'A';
    static final byte BUSY = 'B';
    static final byte OUT = 'O';
    static final byte ERR = 'E';
    static final byte EXIT = 'X';

    private ResidentFrames() {
    }

    record Request(String key, String client, Path workingDirectory, boolean terminal, long startedAt, List<String> arguments) {

        void write(DataOutputStream out) throws IOException {
            out.writeInt(PROTOCOL);
            out.writeUTF(key);
            out.writeUTF(client);
            out.writeUTF(workingDirectory.toString());
            out.writeBoolean(terminal);
            out.writeLong(startedAt);
            out.writeInt(arguments.size());
            for (String argument : arguments) {
                out.writeUTF(argument);
            }
            out.flush();
        }

        static Request read(DataInputStream in) throws IOException {
            if (in.readInt() != PROTOCOL) {
                throw new IOException("unknown protocol");
            }
            String key = in.readUTF();
            String client = in.readUTF();
            Path directory = Path.of(in.readUTF());
            boolean terminal = in.readBoolean();
            long startedAt = in.readLong();
            int count = in.readInt();
            if (count < 0 || count > 100_000) {
                throw new IOException("bad argument count " + count);
            }
            List<String> arguments = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                arguments.add(in.readUTF());
            }
            return new Request(key, client, directory, terminal, startedAt, arguments);
        }
    }

    /** Standard output or error of a command, framed onto the shared socket stream. */
    static final class FramedStream extends OutputStream {
        private final byte kind;
        private final DataOutputStream socket;

        FramedStream(byte kind, DataOutputStream socket) {
            this.kind = kind;
            this.socket = socket;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return;
            }
            synchronized (socket) {
                socket.writeByte(kind);
                socket.writeInt(length);
                socket.write(bytes, offset, length);
                socket.flush();
            }
        }
    }

    /**
     * A socket channel as streams. Not {@code Channels.newInputStream}: in Java 17 its streams lock
     * the channel as a whole, so a thread blocked reading would stop another from writing.
     */
    static DataInputStream input(SocketChannel channel) {
        return new DataInputStream(new BufferedInputStream(new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                return length == 0 ? 0 : channel.read(ByteBuffer.wrap(bytes, offset, length));
            }
        }));
    }

    static DataOutputStream output(SocketChannel channel) {
        return new DataOutputStream(new BufferedOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        }));
    }

    static void exit(DataOutputStream socket, int code) throws IOException {
        synchronized (socket) {
            socket.writeByte(EXIT);
            socket.writeInt(code);
            socket.flush();
        }
    }
}
