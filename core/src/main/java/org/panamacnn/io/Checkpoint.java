package org.panamacnn.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.Param;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Optimizer;
import org.panamacnn.parallel.ParallelExecutor;

/**
 * A model file that also holds the training state: the optimizer's arrays as tensors named
 * "optimizer.{slot}.{tensor name}", and in the metadata the epochs done, the optimizer's step
 * count and description and the seed. Restoring it and training on gives the same model as
 * never having stopped.
 */
public final class Checkpoint {
    private Checkpoint() {}

    public static void save(Path file, Sequential model, Optimizer optimizer, int epochsDone, long seed,
                            Map<String, String> extraMetadata) throws IOException {
        List<NamedTensor> state = new ArrayList<>();
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            for (Map.Entry<String, Param> named : layers.get(i).namedParams().entrySet()) {
                Param p = named.getValue();
                for (Map.Entry<String, float[]> slot : optimizer.slots(p).entrySet()) {
                    state.add(new NamedTensor("optimizer." + slot.getKey() + "." + model.tensorPrefix(i) + named.getKey(),
                            p.value().shape().dims(), slot.getValue().clone()));
                }
            }
        }
        Map<String, String> meta = new LinkedHashMap<>(extraMetadata);
        meta.put("epochs_done", String.valueOf(epochsDone));
        meta.put("seed", String.valueOf(seed));
        meta.put("optimizer", optimizer.describe());
        meta.put("optimizer_steps", String.valueOf(optimizer.steps()));
        ModelFile.save(file, model, meta, state);
    }

    /** A restored checkpoint: the model, how many epochs it had done, and its metadata. */
    public record Restored(Sequential model, int epochsDone, long seed, Map<String, String> metadata) {}

    /**
     * Loads the model and fills the optimizer's state from the file. The optimizer must be built
     * with the same settings as the one that was saved (its description is compared).
     */
    public static Restored restore(Path file, Optimizer optimizer, ParallelExecutor executor) throws IOException {
        String name = file.toString();
        ModelFile.Loaded loaded = ModelFile.load(file, executor);
        Map<String, String> meta = loaded.metadata();
        String epochs = meta.get("epochs_done");
        if (epochs == null) throw new ModelFormatException(name, "is a model file, not a checkpoint (no epochs_done)");
        if (!optimizer.describe().equals(meta.get("optimizer"))) {
            throw new ModelFormatException(name, "was trained with " + meta.get("optimizer") + " but resuming with "
                    + optimizer.describe() + "; use the same optimizer settings");
        }
        List<Layer> layers = loaded.model().layers();
        for (int i = 0; i < layers.size(); i++) {
            for (Map.Entry<String, Param> named : layers.get(i).namedParams().entrySet()) {
                Param p = named.getValue();
                for (Map.Entry<String, float[]> slot : optimizer.slots(p).entrySet()) {
                    String key = "optimizer." + slot.getKey() + "." + loaded.model().tensorPrefix(i) + named.getKey();
                    NamedTensor t = loaded.tensors().get(key);
                    if (t == null || t.data().length != slot.getValue().length) {
                        throw new ModelFormatException(name, "lacks optimizer state \"" + key + "\" of " + p.size() + " values");
                    }
                    System.arraycopy(t.data(), 0, slot.getValue(), 0, p.size());
                }
            }
        }
        long steps = ModelMetadata.wholeNumber(name, meta, "optimizer_steps", 0), done = ModelMetadata.wholeNumber(name, meta, "epochs_done", 0);
        if (steps < 0 || done < 0 || done > Integer.MAX_VALUE) {
            throw new ModelFormatException(name, "metadata optimizer_steps " + steps + " or epochs_done " + done + " is out of range");
        }
        optimizer.setSteps(steps);
        return new Restored(loaded.model(), (int) done, ModelMetadata.wholeNumber(name, meta, "seed", 0), meta);
    }
}
