package io.dormant.adapters.deb;

/**
 * The Status field of a dpkg status entry: what is wanted, whether it needs reinstalling, and
 * where the package is in its installation.
 */
public record DpkgStatus(Want want, Flag flag, State state) {

    public static final DpkgStatus INSTALLED = new DpkgStatus(Want.INSTALL, Flag.OK, State.INSTALLED);

    public enum Want { UNKNOWN, INSTALL, HOLD, DEINSTALL, PURGE }

    public enum Flag { OK, REINSTREQ }

    public enum State {
        NOT_INSTALLED, CONFIG_FILES, HALF_INSTALLED, UNPACKED, HALF_CONFIGURED, TRIGGERS_AWAITED, TRIGGERS_PENDING, INSTALLED;

        /**
         * Whether dpkg counts a package in this state as configured (src/main/depcon.c): it
         * satisfies dependencies, and the version it last configured is its own.
         */
        public boolean isConfigured() {
            return this == INSTALLED || this == TRIGGERS_PENDING || this == TRIGGERS_AWAITED;
        }
    }

    /** "install ok installed" and the like; dpkg's words with '-' where the enum has '_'. */
    public static DpkgStatus parse(String value) {
        String[] words = value.strip().split("[ \t]+");
        if (words.length != 3) {
            throw new IllegalArgumentException("Status '" + value + "' is not three words: want, flag, state");
        }
        return new DpkgStatus(word(Want.class, words[0]), word(Flag.class, words[1]), word(State.class, words[2]));
    }

    public boolean isInstalled() {
        return state == State.INSTALLED;
    }

    public String format() {
        return name(want) + " " + name(flag) + " " + name(state);
    }

    private static <E extends Enum<E>> E word(Class<E> type, String word) {
        try {
            return Enum.valueOf(type, word.toUpperCase().replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + type.getSimpleName().toLowerCase() + " '" + word + "' in Status");
        }
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase().replace('_', '-');
    }
}
