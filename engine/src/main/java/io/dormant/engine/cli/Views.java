package io.dormant.engine.cli;

import io.dormant.engine.images.ImageViews;
import io.dormant.library.diff.Change;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How commands print single values in their text form. */
final class Views {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Views() {
    }

    static String line(Change change) {
        String mark = switch (change.status()) {
            case ADDED -> "A";
            case REMOVED -> "D";
            case CHANGED -> "M";
        };
        ImageViews.ChangeView view = ImageViews.view(change);
        return mark + " " + change.path() + (change.status() == Change.Status.CHANGED ? "  (" + String.join(", ", view.what()) + ")" : "");
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }
}
