package io.dormant.adapters.deb;

import java.util.List;

/**
 * One link group of update-alternatives, as stored in /var/lib/dpkg/alternatives/&lt;name&gt;.
 *
 * @param name    the group's name ("pager")
 * @param mode    "auto" or "manual"
 * @param link    the generic link ("/usr/bin/pager")
 * @param slaves  the follower links, in file order
 * @param choices the alternatives, each with one path per slave (empty when it provides none)
 */
public record DpkgAlternative(String name, String mode, String link, List<Slave> slaves, List<Choice> choices) {

    public DpkgAlternative {
        slaves = List.copyOf(slaves);
        choices = List.copyOf(choices);
    }

    public record Slave(String name, String link) {
    }

    public record Choice(String path, long priority, List<String> slavePaths) {
        public Choice {
            slavePaths = List.copyOf(slavePaths);
        }
    }
}
