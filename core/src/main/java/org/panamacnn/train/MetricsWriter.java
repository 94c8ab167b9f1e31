package org.panamacnn.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.panamacnn.io.Json;

/**
 * Writes every epoch's figures to a file, rewritten whole (atomically) after each epoch so it is
 * complete whenever training stops: CSV when the name ends in .csv, else JSON (an array of objects).
 */
public final class MetricsWriter implements TrainingListener {
    private final Path file;
    private final boolean csv;
    private final List<EpochStats> epochs = new ArrayList<>();

    public MetricsWriter(Path file) {
        this.file = file;
        this.csv = file.getFileName().toString().toLowerCase().endsWith(".csv");
    }

    @Override
    public void onEpochEnd(EpochStats stats) {
        epochs.add(stats);
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, csv ? csv() : json());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics to " + file, e);
        }
    }

    private String csv() {
        StringBuilder sb = new StringBuilder("epoch,train_loss,train_accuracy,test_loss,test_accuracy,images,train_seconds,images_per_second\n");
        for (EpochStats s : epochs) {
            sb.append(s.epoch()).append(',').append(s.trainLoss()).append(',').append(s.trainAccuracy()).append(',')
                    .append(s.validationLoss()).append(',').append(s.validationAccuracy()).append(',').append(s.images())
                    .append(',').append(s.trainSeconds()).append(',').append(s.imagesPerSecond()).append('\n');
        }
        return sb.toString();
    }

    private String json() {
        List<Object> rows = new ArrayList<>();
        for (EpochStats s : epochs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", s.epoch());
            m.put("train_loss", s.trainLoss());
            m.put("train_accuracy", s.trainAccuracy());
            m.put("test_loss", Double.isNaN(s.validationLoss()) ? null : s.validationLoss());
            m.put("test_accuracy", Double.isNaN(s.validationAccuracy()) ? null : s.validationAccuracy());
            m.put("images", s.images());
            m.put("train_seconds", s.trainSeconds());
            m.put("images_per_second", s.imagesPerSecond());
            rows.add(m);
        }
        return Json.write(rows) + "\n";
    }
}
