package io.dormant.engine.images;

import io.dormant.library.images.ImageLibrary;
import io.dormant.library.maintenance.FsckResult;
import io.dormant.library.maintenance.GcResult;
import io.dormant.library.progress.Progress;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code store fsck} and {@code store gc} over HTTP. */
@RestController
@RequestMapping("/api/store")
@Tag(name = "store", description = "Check and clean up the content store")
class StoreController {

    private final ImageLibrary library;

    StoreController(ImageLibrary library) {
        this.library = library;
    }

    @PostMapping("/fsck")
    @Operation(summary = "Verify every object that a version reaches; problems name the version and path")
    FsckResult fsck() {
        return library.fsck(Progress.none());
    }

    @PostMapping("/gc")
    @Operation(summary = "Remove objects no version reaches; refused (409) while an import is writing")
    GcResult gc() {
        return library.gc();
    }
}
