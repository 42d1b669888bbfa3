package io.dormant.engine.images;

import io.dormant.library.audit.AuditEvent;
import io.dormant.library.audit.AuditVerification;
import io.dormant.library.images.ImageLibrary;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit trail over HTTP: events, and the check of their hash chain. */
@RestController
@RequestMapping("/api/audit")
@Tag(name = "audit", description = "The append-only audit trail")
class AuditController {

    private final ImageLibrary library;

    AuditController(ImageLibrary library) {
        this.library = library;
    }

    @GetMapping
    @Operation(summary = "Audit events, oldest first; subject filters by prefix (image:web, campaign:weekly, run:12)")
    List<AuditEvent> events(@RequestParam(defaultValue = "") String subject) {
        return library.audit().events(subject);
    }

    /** The check of the chain: intact, or the first event that does not follow from its predecessor. */
    record Verification(boolean intact, long events, Long brokenAt, String problem) {
    }

    @GetMapping("/verify")
    @Operation(summary = "Recompute the hash chain; intact is false at the first edited or missing event")
    Verification verify() {
        AuditVerification result = library.audit().verify();
        return new Verification(result.intact(), result.events(), result.brokenAt(), result.problem());
    }
}
