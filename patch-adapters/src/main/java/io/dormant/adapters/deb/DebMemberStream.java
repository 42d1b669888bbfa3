package io.dormant.adapters.deb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The raw bytes of one ar member, read from its own channel so that the package file is never
 * loaded whole. The index already checked that the member fits in the file; a file that shrinks
 * while it is read still fails with the offset it ended at.
 */
final class DebMemberStream extends InputStream {

    private final FileChannel channel;
    private final String file;
    private final DebArMember member;
    private long position;

    DebMemberStream(FileChannel channel, String file, DebArMember member) {
        this.channel = channel;
        this.file = file;
        this.member = member;
        this.position = member.dataOffset();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        long left = member.dataOffset() + member.size() - position;
        if (left <= 0) {
            return -1;
        }
        int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, left)), position);
        if (n < 0) {
            throw DebFormatException.at(file, member.name(), position, "the file ends " + left
                    + " bytes before the end of this member; it is truncated");
        }
        position += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
