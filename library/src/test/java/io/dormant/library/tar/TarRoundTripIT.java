package io.dormant.library.tar;

import static io.dormant.library.fs.Commands.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.library.diff.TreeDiff;
import io.dormant.library.fs.Commands;
import io.dormant.library.fs.DirectoryExporter;
import io.dormant.library.fs.DirectoryImporter;
import io.dormant.library.fs.ImportResult;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ContentStore;
import io.dormant.library.store.ObjectId;
import io.dormant.library.tree.Tree;
import io.dormant.library.tree.Trees;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GNU tar and Dormant agree on a real Debian tree: a tar made by GNU tar imports to the same root
 * id as the directory, and a tar Dormant writes extracts (with GNU tar) to an identical tree.
 */
class TarRoundTripIT {
    static Path work;
    static Path source;
    static ContentStore store;
    static ImportResult fromDirectory;

    @BeforeAll
    static void prepare() throws Exception {
        Path rootfs = Commands.rootfs();
        work = Commands.scratch("tar");
        source = work.resolve("src");
        run("cp", "-a", rootfs.toString(), source.toString());
        decorate(source);
        store = ContentStore.open(work.resolve("store"));
        fromDirectory = new DirectoryImporter(store, null).importDirectory(source, Progress.none());
    }

    static void decorate(Path root) throws Exception {
        run("setfattr", "-n", "security.capability", "-v", "0x0100000200200000000000000000000000000000",
                root.resolve("usr/bin/passwd").toString());
        run("setfacl", "-m", "u:1234:rwx", "-m", "d:g:50:rx", root.resolve("srv").toString());
        run("sh", "-c", "mkfifo -m 0640 " + root + "/run/dormant.fifo && ln " + root + "/etc/hostname " + root
                + "/etc/hostname.again && mkdir -p " + root + "/opt/" + "a".repeat(120) + " && touch -d '1999-12-31 23:59:59.987654321' "
                + root + "/opt/" + "a".repeat(120) + "/" + "b".repeat(150));
    }

    @AfterAll
    static void clean() throws Exception {
        Commands.deleteTree(work);
    }

    @Test
    void gnuTarOfTheTreeImportsToTheSameRootAsTheDirectory() throws Exception {
        Path tar = work.resolve("gnu.tar");
        run("sh", "-c", "tar --xattrs --xattrs-include='*' --numeric-owner -C " + source + " -cpf " + tar + " .");
        ImportResult fromTar = new TarImporter(store).importTar(tar, Progress.none());

        assertThat(new TreeDiff(store).diff(fromDirectory.root(), fromTar.root()).changes()).isEmpty();
        assertThat(fromTar.root()).isEqualTo(fromDirectory.root());
        assertThat(fromTar.newBytes()).as("nothing new: the directory import stored it all").isZero();
    }

    /**
     * Compressed archives of /usr/sbin (many compressed blocks, quick to compress). A subtree is
     * shared only where it holds no hardlinks: their targets are root-relative (TREE-FORMAT.md).
     */
    @Test
    void compressedGnuTarsImportToTheSameSubtree() throws Exception {
        Tree root = Trees.load(store, fromDirectory.root());
        ObjectId usrSbin = Trees.load(store, root.get("usr".getBytes()).child()).get("sbin".getBytes()).child();
        for (String compressor : new String[] {"xz -1 -T2", "zstd -3", "gzip -1"}) {
            Path tar = work.resolve("sbin.tar." + compressor.split(" ")[0]);
            run("sh", "-c", "tar --xattrs --xattrs-include='*' --numeric-owner --use-compress-program='" + compressor + "' -C "
                    + source + "/usr/sbin -cpf " + tar + " .");
            ImportResult fromTar = new TarImporter(store).importTar(tar, Progress.none());
            assertThat(fromTar.root()).as(compressor).isEqualTo(usrSbin);
        }
    }

    @Test
    void dormantTarExtractsWithGnuTarToAnIdenticalTree() throws Exception {
        Path tar = work.resolve("dormant.tar.zst");
        new TarExporter(store).export(fromDirectory.root(), tar, CompressionFormat.ZSTD, Progress.none());
        Path out = work.resolve("extracted");
        run("mkdir", out.toString());
        run("tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "--zstd", "-C", out.toString(), "-xpf", tar.toString());

        assertIdentical(source, out);
    }

    @Test
    void directoryExportOfATarImportIsIdenticalToTheSource() throws Exception {
        Path tar = work.resolve("plain.tar");
        run("sh", "-c", "tar --xattrs --xattrs-include='*' --numeric-owner -C " + source + " -cpf " + tar + " .");
        ImportResult fromTar = new TarImporter(store).importTar(tar, Progress.none());
        Path out = work.resolve("exported");
        new DirectoryExporter(store).export(fromTar.root(), out, Progress.none());

        assertIdentical(source, out);
    }

    static void assertIdentical(Path a, Path b) throws Exception {
        assertThat(run("rsync", "-aHAXn", "--checksum", "--itemize-changes", "--delete", a + "/", b + "/")).isEmpty();
        String left = run("sh", "-c", "cd " + a + " && find . -printf '%P %T@ %m %U %G %y\\n' | LC_ALL=C sort");
        String right = run("sh", "-c", "cd " + b + " && find . -printf '%P %T@ %m %U %G %y\\n' | LC_ALL=C sort");
        assertThat(right).isEqualTo(left);
    }
}
