package io.dormant.adapters.deb.debconf;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One record of a debconf database file (a question in config.dat, a template in templates.dat):
 * fields by lower-case name, owners, flags and variables. Strings hold the file's bytes as
 * ISO-8859-1 characters, so that sorting by character is debconf's (Perl's) sort by byte.
 */
public final class DebconfItem {

    final Map<String, String> fields = new TreeMap<>();
    final Set<String> owners = new TreeSet<>();
    final Map<String, String> flags = new TreeMap<>();
    final Map<String, String> variables = new TreeMap<>();

    public String field(String name) {
        return fields.get(name);
    }

    public void setField(String name, String value) {
        fields.put(name, value);
    }

    /** debconf's getflag: a flag never set reads as "false". */
    public String flag(String name) {
        return flags.getOrDefault(name, "false");
    }

    public void setFlag(String name, String value) {
        flags.put(name, value);
    }

    public String variable(String name) {
        return variables.get(name);
    }

    public void setVariable(String name, String value) {
        variables.put(name, value);
    }

    public Set<String> fieldNames() {
        return java.util.Collections.unmodifiableSet(fields.keySet());
    }

    public Set<String> owners() {
        return owners;
    }
}
