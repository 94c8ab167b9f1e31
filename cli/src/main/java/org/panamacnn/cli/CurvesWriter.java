package org.panamacnn.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.panamacnn.train.EpochStats;
import org.panamacnn.train.TrainingListener;

/** Redraws the training curves (SVG) after every epoch, so the picture is complete whenever training stops. */
final class CurvesWriter implements TrainingListener {
    private final Path file;
    private final List<EpochStats> epochs = new ArrayList<>();

    CurvesWriter(Path file) {
        this.file = file;
    }

    @Override
    public void onEpochEnd(EpochStats stats) {
        epochs.add(stats);
        try {
            TrainingCurves.of(epochs).write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write training curves to " + file, e);
        }
    }
}
