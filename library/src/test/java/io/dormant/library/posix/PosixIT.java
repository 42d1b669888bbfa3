package io.dormant.library.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormant.library.fs.Commands;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The libc calls on a real file system, as root (devices, ownership, security.* xattrs). */
class PosixIT {
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = Commands.scratch("posix");
    }

    @AfterEach
    void clean() throws Exception {
        Commands.deleteTree(dir);
    }

    @Test
    void xattrsOfEveryNamespaceRoundTrip() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        byte[] cap = {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        Posix.setXattr(f, "user.note", "hello".getBytes());
        Posix.setXattr(f, "security.capability", cap);
        Posix.setXattr(f, "trusted.big", new byte[3000]);
        assertThat(Posix.listXattrs(f)).containsOnlyKeys("security.capability", "trusted.big", "user.note");
        assertThat(Posix.listXattrs(f).get("security.capability")).isEqualTo(cap);
        assertThat(Posix.listXattrs(f).get("trusted.big")).hasSize(3000);
        assertThat(Commands.run("getfattr", "-n", "user.note", "--only-values", f.toString())).isEqualTo("hello");
        Posix.removeXattr(f, "user.note");
        assertThat(Posix.listXattrs(f)).doesNotContainKey("user.note");
    }

    @Test
    void devicesFifosAndSockets() throws Exception {
        Posix.mknod(dir.resolve("null"), Posix.S_IFCHR, 0666, 1, 3);
        Posix.mknod(dir.resolve("big"), Posix.S_IFBLK, 0600, 259, 0x12345);
        Posix.mknod(dir.resolve("fifo"), Posix.S_IFIFO, 0640, 0, 0);
        Posix.mknod(dir.resolve("sock"), Posix.S_IFSOCK, 0600, 0, 0);
        assertThat(Commands.run("stat", "-c", "%F %t:%T", dir.resolve("null").toString()).trim()).isEqualTo("character special file 1:3");
        long rdev = (Long) Files.getAttribute(dir.resolve("big"), "unix:rdev", LinkOption.NOFOLLOW_LINKS);
        assertThat(Posix.major(rdev)).isEqualTo(259);
        assertThat(Posix.minor(rdev)).isEqualTo(0x12345);
        assertThat(Commands.run("stat", "-c", "%F", dir.resolve("fifo").toString()).trim()).isEqualTo("fifo");
        assertThat(Commands.run("stat", "-c", "%F", dir.resolve("sock").toString()).trim()).isEqualTo("socket");
    }

    @Test
    void ownershipAndNanosecondTimesOnTheSymlinkItself() throws Exception {
        Path target = Files.writeString(dir.resolve("target"), "t");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target.getFileName());
        Posix.lchown(link, 1234, 5678);
        Posix.setMtime(link, 1_000_000_000, 123_456_789);
        assertThat(Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(1234);
        assertThat(Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(FileTime.from(java.time.Instant.ofEpochSecond(1_000_000_000, 123_456_789)));
        assertThat(Files.getAttribute(target, "unix:uid")).isEqualTo(0);
        assertThat(Posix.readlink(link)).isEqualTo("target".getBytes());
    }

    @Test
    void chmodKeepsSetuidAndErrorsCarryPathAndErrno() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        Posix.chmod(f, 04755);
        assertThat(Commands.run("stat", "-c", "%a", f.toString()).trim()).isEqualTo("4755");
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> Posix.lchown(missing, 0, 0)).isInstanceOf(PosixException.class)
                .hasMessage("lchown failed on " + missing + ": No such file or directory (errno 2)");
    }

    @Test
    void nonUtf8NamesKeepTheirBytes() throws Exception {
        byte[] name = {'c', 'a', 'f', (byte) 0xe9};
        Path p = HostPaths.child(dir, name);
        Files.writeString(p, "latin-1 name");
        assertThat(HostPaths.nameBytes(p)).isEqualTo(name);
        assertThat(Commands.run("sh", "-c", "ls " + dir + " | od -An -tx1").replaceAll("\\s+", " ").trim()).isEqualTo("63 61 66 e9 0a");
        Posix.setXattr(p, "user.k", "v".getBytes());
        assertThat(Posix.listXattrs(p)).containsKey("user.k");
    }

    @Test
    void syncfsReturns() throws Exception {
        Posix.syncfs(dir);
    }

    @Test
    void lstatOfARawPathAgreesWithJavaNioForEveryType() throws Exception {
        assertThat(Lstat.available()).as("direct lstat on this machine").isTrue();
        Commands.run("sh", "-c", "cd " + dir + " && printf 12345 > f && ln f f2 && mkdir d && ln -s f l && mkfifo p"
                + " && mknod c c 1 3 && chown 1234:50 f && chmod 4751 f && touch -h -d '1969-12-31 23:59:58.25' l");
        for (String name : new String[] {"f", "d", "l", "p", "c"}) {
            Path p = dir.resolve(name);
            Lstat.Fields f = Lstat.of(HostPaths.cString(p));
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,ino,dev,rdev,nlink,uid,gid,size,lastModifiedTime,ctime",
                    LinkOption.NOFOLLOW_LINKS);
            Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
            Instant ctime = ((FileTime) a.get("ctime")).toInstant();
            assertThat(List.of(f.mode(), f.ino(), f.dev(), f.rdev(), (int) f.nlink(), (int) f.uid(), (int) f.gid(), f.size(),
                    Instant.ofEpochSecond(f.mtimeSeconds(), f.mtimeNanos()), Instant.ofEpochSecond(f.ctimeSeconds(), f.ctimeNanos())))
                    .as(name)
                    .isEqualTo(List.of(a.get("mode"), a.get("ino"), a.get("dev"), a.get("rdev"), a.get("nlink"), a.get("uid"),
                            a.get("gid"), a.get("size"), mtime, ctime));
        }
        assertThatThrownBy(() -> Lstat.of(HostPaths.cString(dir.resolve("missing")))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void lstatTypesTellMissingPathsFromOtherFailures() throws Exception {
        Commands.run("sh", "-c", "cd " + dir + " && touch f && mkdir d && ln -s d l && mkfifo p");

        assertThat(List.of(Lstat.type(dir.resolve("f")), Lstat.type(dir.resolve("d")), Lstat.type(dir.resolve("l")),
                Lstat.type(dir.resolve("p")), Lstat.type(dir.resolve("missing"))))
                .isEqualTo(List.of(Posix.S_IFREG, Posix.S_IFDIR, Posix.S_IFLNK, Posix.S_IFIFO, 0));
        // A file where a directory should be is a failure, not an absence (ENOTDIR, errno 20).
        assertThatThrownBy(() -> Lstat.type(dir.resolve("f/below"))).isInstanceOf(PosixException.class).hasMessageContaining("f/below")
                .satisfies(e -> assertThat(((PosixException) e).errno()).isEqualTo(20));
        assertThat(Lstat.typeOrNone(dir.resolve("f/below"))).isZero();
        assertThat(Lstat.typeOrNone(dir.resolve("missing"))).isZero();
        assertThat(Lstat.typeOrNone(dir.resolve("l"))).isEqualTo(Posix.S_IFLNK);
    }

    @Test
    void lstatTellsTheBlocksAFileHoldsAsStatDoes() throws Exception {
        Commands.run("sh", "-c", "cd " + dir + " && head -c 100000 /dev/urandom > full && truncate -s 50M sparse");
        for (String name : new String[] {"full", "sparse"}) {
            Path p = dir.resolve(name);
            assertThat(Lstat.of(HostPaths.cString(p)).blocks()).as(name)
                    .isEqualTo(Long.parseLong(Commands.run("stat", "-c", "%b", p.toString()).strip()));
        }
        assertThat(Lstat.of(HostPaths.cString(dir.resolve("sparse"))).blocks()).isZero();
    }
}
