package io.dormant.engine.images;

import io.dormant.library.catalogue.ImageSummary;
import io.dormant.library.catalogue.VersionRef;
import io.dormant.library.images.ExportFormat;
import io.dormant.library.images.ImageLibrary;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.file.Path;
import java.security.Principal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The image library over HTTP: the same operations and results as {@code dormant image ...}. */
@RestController
@RequestMapping("/api/images")
@Tag(name = "images", description = "Images, their versions, import, export and diff")
class ImagesController {

    private final ImageLibrary library;

    ImagesController(ImageLibrary library) {
        this.library = library;
    }

    record ImportRequest(String source) {
    }

    record ExportRequest(String destination, String format) {
    }

    @GetMapping
    @Operation(summary = "List images with their newest version")
    List<ImageSummary> images() {
        return library.catalogue().images();
    }

    @GetMapping("/{name}/versions")
    @Operation(summary = "List the versions of an image, oldest first")
    List<ImageViews.Version> versions(@PathVariable String name) {
        return library.catalogue().versions(name).stream().map(ImageViews::of).toList();
    }

    @GetMapping("/{name}/versions/{number}")
    @Operation(summary = "One version")
    ImageViews.Version version(@PathVariable String name, @PathVariable int number) {
        return ImageViews.of(library.catalogue().version(new VersionRef(name, number)));
    }

    @GetMapping("/{name}/versions/{number}/patches")
    @Operation(summary = "The package files that made a version, in the order they were applied")
    List<io.dormant.library.catalogue.PatchFile> patches(@PathVariable String name, @PathVariable int number) {
        return library.patches().of(library.catalogue().version(new VersionRef(name, number)));
    }

    @GetMapping("/{name}/versions/{number}/inventory")
    @Operation(summary = "The packages installed in a version, from the image's own package database")
    List<io.dormant.library.catalogue.InstalledPackage> inventory(@PathVariable String name, @PathVariable int number) {
        return library.inventory(new VersionRef(name, number));
    }

    @PostMapping("/{name}/imports")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Import a directory, a tar archive or a disk image on the engine's host as the next version")
    ImageViews.Imported importImage(@PathVariable String name, @RequestBody ImportRequest request, Principal principal) {
        return ImageViews.of(library.importImage(name, Path.of(required(request.source(), "source")), principal.getName(),
                io.dormant.library.progress.Progress.none()));
    }

    @PostMapping("/{name}/versions/{number}/exports")
    @Operation(summary = "Export a version to a directory, a tar archive or a qcow2 disk (format qcow2 or qcow2-flat) on the engine's host")
    ImageViews.Exported export(@PathVariable String name, @PathVariable int number, @RequestBody ExportRequest request) {
        ExportFormat format = ExportFormat.parse(request.format() == null ? "dir" : request.format());
        return ImageViews.of(library.export(new VersionRef(name, number), Path.of(required(request.destination(), "destination")),
                format, io.dormant.library.progress.Progress.none()));
    }

    @GetMapping("/{name}/diff")
    @Operation(summary = "What changed between two versions of an image")
    ImageViews.Diff diff(@PathVariable String name, @RequestParam int from, @RequestParam int to) {
        return ImageViews.of(library.diff(new VersionRef(name, from), new VersionRef(name, to)));
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the request needs '" + field + "'");
        }
        return value;
    }
}
