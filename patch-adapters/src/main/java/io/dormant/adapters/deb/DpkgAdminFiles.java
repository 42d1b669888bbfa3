package io.dormant.adapters.deb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Parsers for the line-oriented files of dpkg's admin directory, each as dpkg writes it. */
final class DpkgAdminFiles {

    /** Files in triggers/ that are dpkg's own state, not an explicit trigger's interest list. */
    static final Set<String> TRIGGER_STATE_FILES = Set.of("File", "Unincorp", "Lock");

    private DpkgAdminFiles() {
    }

    /** diversions: three lines a record, diverted path, divert-to path, owning package. */
    static List<DpkgDiversion> diversions(List<String> lines, String source) throws DebControlException {
        if (lines.size() % 3 != 0) {
            throw new DebControlException(source, lines.size() + " lines, not a multiple of 3; the file is truncated");
        }
        List<DpkgDiversion> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += 3) {
            out.add(new DpkgDiversion(lines.get(i), lines.get(i + 1), lines.get(i + 2)));
        }
        return out;
    }

    static List<DpkgTriggerInterest> fileInterests(List<String> lines, String source) throws DebControlException {
        List<DpkgTriggerInterest> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                throw new DebControlException(source + " line " + (i + 1), "'" + line + "' is not 'path package[/noawait]'");
            }
            out.add(DpkgTriggerInterest.parse(line.substring(0, space), line.substring(space + 1)));
        }
        return out;
    }

    static List<DpkgTriggerInterest> explicitInterests(String trigger, List<String> lines) {
        return lines.stream().filter(l -> !l.isBlank()).map(l -> DpkgTriggerInterest.parse(trigger, l.strip())).toList();
    }

    static List<DpkgTriggers.Pending> unincorporated(List<String> lines) {
        return lines.stream().filter(l -> !l.isBlank()).map(l -> {
            List<String> words = Arrays.asList(l.strip().split(" +"));
            return new DpkgTriggers.Pending(words.get(0), words.subList(1, words.size()));
        }).toList();
    }

    /**
     * An alternatives file: mode, link, slave name/link pairs up to an empty line, then per choice
     * its path, priority and one line per slave, up to a final empty line.
     */
    static DpkgAlternative alternative(String name, List<String> lines, String source) throws DebControlException {
        if (lines.size() < 3) {
            throw new DebControlException(source, "too short for an alternatives file; it is truncated");
        }
        int i = 2;
        List<DpkgAlternative.Slave> slaves = new ArrayList<>();
        while (i + 1 < lines.size() && !lines.get(i).isEmpty()) {
            slaves.add(new DpkgAlternative.Slave(lines.get(i), lines.get(i + 1)));
            i += 2;
        }
        i++;
        List<DpkgAlternative.Choice> choices = new ArrayList<>();
        while (i < lines.size() && !lines.get(i).isEmpty()) {
            if (i + 1 + slaves.size() >= lines.size()) {
                throw new DebControlException(source + " line " + (i + 1), "choice '" + lines.get(i) + "' is truncated");
            }
            long priority;
            try {
                priority = Long.parseLong(lines.get(i + 1).strip());
            } catch (NumberFormatException e) {
                throw new DebControlException(source + " line " + (i + 2), "priority '" + lines.get(i + 1) + "' is not a number");
            }
            choices.add(new DpkgAlternative.Choice(lines.get(i), priority, lines.subList(i + 2, i + 2 + slaves.size())));
            i += 2 + slaves.size();
        }
        return new DpkgAlternative(name, lines.get(0), lines.get(1), slaves, choices);
    }
}
