package io.dormant.adapters.confine;

import io.dormant.library.posix.ShellWords;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A process-starting call a confined script made, which a shim recorded instead of running: a
 * candidate for a deferral. {@code command} is the command's name ({@code systemctl},
 * {@code invoke-rc.d}), {@code args} its arguments as given.
 */
public record RecordedCommand(String command, List<String> args) {

    /** Separates a command from its arguments and the arguments from each other in the record file. */
    static final char FIELD = '\037';
    /** Ends one call in the record file; arguments may hold newlines, never this. */
    static final char END = '\036';

    public RecordedCommand {
        args = List.copyOf(args);
    }

    /** The call as one POSIX shell line, each word quoted where needed, for a first-boot step. */
    public String shellLine() {
        List<String> words = new ArrayList<>();
        words.add(command);
        words.addAll(args);
        return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    }

    /** Parses what the shims appended to the record file; a call cut short by a kill is dropped. */
    static List<RecordedCommand> parse(byte[] record) {
        String text = new String(record, StandardCharsets.UTF_8);
        List<RecordedCommand> calls = new ArrayList<>();
        int start = 0;
        for (int end = text.indexOf(END); end >= 0; end = text.indexOf(END, start)) {
            List<String> fields = Arrays.asList(text.substring(start, end).split(String.valueOf(FIELD), -1));
            if (!fields.get(0).isEmpty()) {
                calls.add(new RecordedCommand(fields.get(0), fields.subList(1, fields.size())));
            }
            start = end + 1;
        }
        return List.copyOf(calls);
    }
}
