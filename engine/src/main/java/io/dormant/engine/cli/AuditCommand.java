package io.dormant.engine.cli;

import io.dormant.library.audit.AuditEvent;
import io.dormant.library.audit.AuditTrail;
import io.dormant.library.audit.AuditVerification;
import io.dormant.library.catalogue.ImageNames;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dormant audit log|verify}: the audit trail, and proof that nobody edited it. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Show or verify the audit trail.")
final class AuditCommand {

    @Option(names = "--json", scope = picocli.CommandLine.ScopeType.INHERIT, description = "Print the result as JSON.")
    boolean json;

    @Command(name = "log", mixinStandardHelpOptions = true, description = "List audit events, oldest first.")
    int log(@Option(names = "--image", paramLabel = "NAME", description = "Only events about this image.") String image) {
        AuditTrail trail = LibraryAccess.open().audit();
        List<AuditEvent> events = trail.events(image == null ? null : "image:" + ImageNames.checked(image) + "@");
        if (json) {
            Json.print(events);
            return 0;
        }
        Table table = new Table("ID", "WHEN", "ACTOR", "EVENT", "SUBJECT", "DETAILS");
        events.forEach(e -> table.row(e.id(), Views.time(e.occurredAt()), e.actor(), e.kind(), e.subject(), e.details()));
        table.print();
        return 0;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute the hash chain of every event; exit 1 if any event was changed or deleted.")
    int verify() {
        AuditVerification result = LibraryAccess.open().audit().verify();
        if (json) {
            Json.print(result);
        } else if (result.intact()) {
            System.out.printf("audit trail intact: %d events, every hash follows from its event and its predecessor%n",
                    result.events());
        } else {
            System.out.printf("audit trail BROKEN after %d intact events: %s%n", result.events(), result.problem());
        }
        return result.intact() ? 0 : 1;
    }
}
