package io.dormant.adapters.deb;

import java.util.List;

/**
 * dpkg's trigger state in /var/lib/dpkg/triggers.
 *
 * @param fileInterests     from File: "path package[/noawait]" a line
 * @param explicitInterests from every other file, named by its trigger: "package[/noawait]" a line
 * @param unincorporated    from Unincorp: triggers activated but not yet noted in the status file,
 *                          each with the packages that await it
 */
public record DpkgTriggers(List<DpkgTriggerInterest> fileInterests, List<DpkgTriggerInterest> explicitInterests,
                           List<Pending> unincorporated) {

    public DpkgTriggers {
        fileInterests = List.copyOf(fileInterests);
        explicitInterests = List.copyOf(explicitInterests);
        unincorporated = List.copyOf(unincorporated);
    }

    /** One line of Unincorp: a trigger and the awaiting packages ("-" when none awaits). */
    public record Pending(String trigger, List<String> awaiting) {
        public Pending {
            awaiting = List.copyOf(awaiting);
        }
    }
}
