package io.dormant.engine.campaigns;

import io.dormant.adapters.deb.DebianVersion;
import io.dormant.library.catalogue.InstalledPackage;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which images a campaign patches: names matching any of the glob patterns ({@code web-*}; none
 * means every image) whose newest version's inventory meets every condition. A condition reads as
 * dpkg writes relations: {@code openssl << 3.0.22-1~deb12u2} (installed and older), {@code <=},
 * {@code =}, {@code >=}, {@code >>} ({@code <} and {@code >} are taken as {@code <<} and
 * {@code >>}), or a bare package name (installed at any version).
 */
public record ImageSelector(List<String> names, List<String> where) {

    private static final Pattern CONDITION = Pattern.compile("^\\s*([a-z0-9][a-z0-9+.-]+)(?:\\s*(<<|<=|>=|>>|=|<|>)\\s*(\\S+))?\\s*$");

    public ImageSelector {
        names = names == null ? List.of() : List.copyOf(names);
        where = where == null ? List.of() : List.copyOf(where);
        for (String name : names) {
            if (name.isBlank() || !name.matches("[a-z0-9*?._-]+")) {
                throw new IllegalArgumentException("the image pattern '" + name + "' is not a glob of image names"
                        + " (letters, digits, . _ - and the wildcards * ?)");
            }
        }
        for (String condition : where) {
            Matcher m = CONDITION.matcher(condition);
            if (!m.matches()) {
                throw new IllegalArgumentException("the condition '" + condition + "' is not PACKAGE or PACKAGE OP VERSION"
                        + " (OP one of << <= = >= >>), e.g. 'openssl << 3.0.22-1~deb12u2'");
            }
            if (m.group(3) != null) {
                DebianVersion.parse(m.group(3));
            }
        }
    }

    public boolean matchesName(String image) {
        return names.isEmpty() || names.stream().anyMatch(glob -> image.matches(globToRegex(glob)));
    }

    public boolean matchesInventory(List<InstalledPackage> inventory) {
        return where.stream().allMatch(condition -> holds(condition, inventory));
    }

    /** "web-* where openssl << 3.0.22-1~deb12u2", for reports. */
    public String describe() {
        String images = names.isEmpty() ? "every image" : String.join(", ", names);
        return where.isEmpty() ? images : images + " where " + String.join(" and ", where);
    }

    private static boolean holds(String condition, List<InstalledPackage> inventory) {
        Matcher m = CONDITION.matcher(condition);
        m.matches();
        String name = m.group(1);
        for (InstalledPackage p : inventory) {
            if (!p.name().equals(name) || !p.status().endsWith(" installed")) {
                continue;
            }
            if (m.group(2) == null) {
                return true;
            }
            int order = DebianVersion.parseLenient(p.version()).compareTo(DebianVersion.parse(m.group(3)));
            boolean holds = switch (m.group(2)) {
                case "<<", "<" -> order < 0;
                case "<=" -> order <= 0;
                case "=" -> order == 0;
                case ">=" -> order >= 0;
                default -> order > 0;
            };
            if (holds) {
                return true;
            }
        }
        return false;
    }

    private static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(switch (c) {
                case '*' -> "[^/]*";
                case '?' -> ".";
                default -> Pattern.quote(String.valueOf(c));
            });
        }
        return regex.toString();
    }
}
