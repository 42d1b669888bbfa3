package io.dormant.engine.runs;

/** Another run is patching the image; two runs never patch one image at once. */
public class ImageBusyException extends RuntimeException {

    public ImageBusyException(String image, Long activeRun) {
        super("image " + image + " is being patched by run " + (activeRun == null ? "?" : activeRun)
                + "; wait for it to end (dormant run show " + activeRun + ") or cancel it");
    }
}
