package io.dormant.engine.runs;

import io.dormant.library.audit.AuditDetails;
import io.dormant.library.images.ImageLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.stereotype.Service;

/** Starts patch-image for one image and a list of package files, outside any campaign. */
@Service
public class PatchRunStarter {

    public static final String PROCESS = "patch-image";

    private final PatchRuns runs;
    private final RuntimeService runtime;
    private final ImageLibrary library;

    PatchRunStarter(PatchRuns runs, RuntimeService runtime, ImageLibrary library) {
        this.runs = runs;
        this.runtime = runtime;
        this.library = library;
    }

    public PatchRun start(String image, List<String> patches, boolean approvalRequired, String starter) {
        if (patches == null || patches.isEmpty()) {
            throw new IllegalArgumentException("a patch run needs at least one package file");
        }
        List<String> files = patches.stream().map(p -> Path.of(p).toAbsolutePath().normalize()).map(file -> {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("the package file " + file + " does not exist on the engine's machine");
            }
            return file.toString();
        }).toList();
        long runId = runs.open(image, starter, null, files, null);
        try {
            ProcessInstance instance = runtime.createProcessInstanceByKey(PROCESS).businessKey(image + "#" + runId)
                    .setVariable("runId", runId).setVariable("image", image).setVariable("starter", starter)
                    .setVariable("approvalRequired", approvalRequired).execute();
            runs.setProcessInstance(runId, instance.getId());
        } catch (RuntimeException e) {
            runs.end(runId, PatchRun.FAILED, "the workflow did not start: " + e.getMessage(), null);
            throw e;
        }
        library.audit().append(starter, "run.started", "run:" + runId,
                AuditDetails.of(Map.of("image", image, "patches", files.size(), "approval", approvalRequired)));
        return runs.get(runId);
    }
}
