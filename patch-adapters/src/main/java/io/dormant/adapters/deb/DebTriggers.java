package io.dormant.adapters.deb;

import java.util.ArrayList;
import java.util.List;

/** A package's triggers file: what it is interested in and what it activates. */
public record DebTriggers(List<DebTriggerDirective> directives) {

    public static final DebTriggers NONE = new DebTriggers(List.of());

    public DebTriggers {
        directives = List.copyOf(directives);
    }

    /** deb-triggers(5): "directive trigger-name" a line; '#' starts a comment; blank lines are ignored. */
    public static DebTriggers parse(String text, String source) throws DebControlException {
        List<DebTriggerDirective> out = new ArrayList<>();
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            int hash = line.indexOf('#');
            String content = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (content.isEmpty()) {
                continue;
            }
            String[] words = content.split("[ \t]+");
            DebTriggerDirective.Kind kind = DebTriggerDirective.Kind.of(words[0]);
            if (kind == null || words.length != 2) {
                throw new DebControlException(source + " line " + lineNumber, "'" + DebArIndex.printable(content)
                        + "' is not '<interest|activate>[-await|-noawait] <trigger>'");
            }
            out.add(new DebTriggerDirective(kind, words[1]));
        }
        return new DebTriggers(out);
    }

    public List<DebTriggerDirective> interests() {
        return directives.stream().filter(d -> d.kind().isInterest()).toList();
    }

    public List<DebTriggerDirective> activations() {
        return directives.stream().filter(d -> !d.kind().isInterest()).toList();
    }
}
