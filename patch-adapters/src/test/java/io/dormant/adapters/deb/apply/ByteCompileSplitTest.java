package io.dormant.adapters.deb.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteCompileSplitTest {

    private static final String POSTINST = """
            #! /bin/sh
            set -e
            case "$1" in
                configure)
                files=$(cat "$FILE_LIST")
                if [ -n "$files" ]; then
            	/usr/bin/python3.11 -E -S /usr/lib/python3.11/py_compile.py $files
            	if [ -n "$OPTIMIZE" ]; then
            	    /usr/bin/python3.11 -E -S -O /usr/lib/python3.11/py_compile.py $files
            	fi
                fi
            esac
            echo done
            """;

    @TempDir
    Path dir;

    @Test
    void everyFileIsCompiledOnceWithTheSameOptionsSpreadOverTheProcesses() throws Exception {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            files.add("/usr/lib/python3.11/module" + i + ".py");
        }

        Run run = run(files, 3, "", true);

        assertThat(run.status).isZero();
        assertThat(run.output).endsWith("done\n");
        assertThat(run.calls).hasSize(6).allSatisfy(call -> assertThat(call).startsWith("-E -S "));
        List<String> plain = run.files("-E -S /usr/lib/python3.11/py_compile.py ");
        List<String> optimized = run.files("-E -S -O /usr/lib/python3.11/py_compile.py ");
        assertThat(plain).containsExactlyInAnyOrderElementsOf(files);
        assertThat(optimized).containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void aFailingFileFailsTheScriptLikeOneRunWould() throws Exception {
        Run run = run(List.of("/a.py", "/broken.py", "/c.py", "/d.py"), 2, "/broken.py", false);

        assertThat(run.status).isNotZero();
        assertThat(run.output).doesNotContain("done");
        assertThat(run.files("-E -S /usr/lib/python3.11/py_compile.py ")).as("every file was still tried")
                .containsExactlyInAnyOrder("/a.py", "/broken.py", "/c.py", "/d.py");
    }

    @Test
    void oneFileIsOneRunAsWritten() throws Exception {
        Run run = run(List.of("/only.py"), 4, "", false);

        assertThat(run.status).isZero();
        assertThat(run.calls).containsExactly("-E -S /usr/lib/python3.11/py_compile.py /only.py");
    }

    @Test
    void scriptsWithoutThatLineOrNotInShellAreLeftAlone() {
        assertThat(ByteCompileSplit.rewrite("#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8), 2)).isNull();
        assertThat(ByteCompileSplit.rewrite(("#!/usr/bin/perl\n/usr/bin/python3.11 -E -S "
                + "/usr/lib/python3.11/py_compile.py $files\n").getBytes(StandardCharsets.UTF_8), 2)).isNull();
        assertThat(ByteCompileSplit.rewrite(POSTINST.getBytes(StandardCharsets.UTF_8), 1)).isNull();
    }

    @Test
    void anInterpreterWhoseBytesDependOnItsProcessCompilesAsWritten() {
        // python3.9 (bullseye) writes other .pyc bytes for a file compiled beside other files
        String bullseye = POSTINST.replace("python3.11", "python3.9");
        assertThat(ByteCompileSplit.rewrite(bullseye.getBytes(StandardCharsets.UTF_8), 2)).isNull();
    }

    private Run run(List<String> files, int processes, String failing, boolean optimize) throws IOException, InterruptedException {
        byte[] rewritten = ByteCompileSplit.rewrite(POSTINST.getBytes(StandardCharsets.UTF_8), processes);
        assertThat(rewritten).isNotNull();
        // The stand-in interpreter logs its arguments and fails when given the failing file.
        Path log = dir.resolve("calls");
        Path python = dir.resolve("python");
        Files.writeString(python, "#!/bin/sh\necho \"$*\" >> " + log + "\ncase \" $* \" in *\" " + failing
                + " \"*) [ -n \"" + failing + "\" ] && exit 1 ;; esac\nexit 0\n");
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path script = dir.resolve("postinst");
        Files.writeString(script, new String(rewritten, StandardCharsets.ISO_8859_1)
                .replace(" /usr/bin/python3.11 ", " " + python + " "));
        Path list = dir.resolve("files");
        Files.writeString(list, String.join("\n", files) + "\n");
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", script.toString(), "configure", "1.0")
                .redirectErrorStream(true);
        builder.environment().put("FILE_LIST", list.toString());
        if (optimize) {
            builder.environment().put("OPTIMIZE", "yes");
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        List<String> calls = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return new Run(status, output, calls);
    }

    private record Run(int status, String output, List<String> calls) {
        List<String> files(String prefix) {
            return calls.stream().filter(c -> c.startsWith(prefix))
                    .flatMap(c -> List.of(c.substring(prefix.length()).split(" ")).stream()).toList();
        }
    }
}
