package io.dormant.library.fs;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who made a scratch file or directory: a process id and the process's start time, so that a
 * process id the kernel has handed out again is not taken for the owner. Left behind by a process
 * that was killed, such things are removed by the next one that finds their owner gone.
 */
public record ProcessOwner(long pid, String startMillis) {

    /** "pid start-millis", as {@link #toString()} writes it; the start time is "?" when the kernel did not say. */
    private static final Pattern TEXT = Pattern.compile("(\\d+) (\\d+|\\?)");
    /** The same in a file name: "pid-start", with "x" for an unknown start. */
    private static final Pattern NAME = Pattern.compile("(\\d+)-(\\d+|x)");

    public static ProcessOwner of(ProcessHandle process) {
        return new ProcessOwner(process.pid(),
                process.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("?"));
    }

    /** This process; read from /proc once, as it cannot change. */
    public static ProcessOwner current() {
        return Current.OWNER;
    }

    private static final class Current {
        static final ProcessOwner OWNER = of(ProcessHandle.current());
    }

    /** Reads what {@link #toString()} wrote. */
    public static Optional<ProcessOwner> parse(String text) {
        Matcher matcher = TEXT.matcher(text.strip());
        return matcher.matches() ? Optional.of(new ProcessOwner(Long.parseLong(matcher.group(1)), matcher.group(2)))
                : Optional.empty();
    }

    /** Reads what {@link #asName()} wrote. */
    public static Optional<ProcessOwner> parseName(String name) {
        Matcher matcher = NAME.matcher(name);
        return matcher.matches() ? Optional.of(new ProcessOwner(Long.parseLong(matcher.group(1)),
                matcher.group(2).equals("x") ? "?" : matcher.group(2))) : Optional.empty();
    }

    /** Whether the owner still runs: its process id is alive and started when the owner did. */
    public boolean alive() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> of(p).equals(this)).orElse(false);
    }

    /** For a file name: digits, '-' and 'x' only. */
    public String asName() {
        return pid + "-" + (startMillis.equals("?") ? "x" : startMillis);
    }

    @Override
    public String toString() {
        return pid + " " + startMillis;
    }
}
