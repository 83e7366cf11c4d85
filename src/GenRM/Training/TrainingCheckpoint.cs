using System.Globalization;
using System.Text.Json;
using GenRM.Modeling;
using static TorchSharp.torch;

namespace GenRM.Training;

/// <summary>
/// A resumable snapshot of a training run in <c>checkpoints/step-NNNNNN/</c>: the model's weights
/// (Hugging Face names, reward head and LoRA adapters included), the optimizer's tensors, the step, and
/// any <see cref="ICheckpointedState"/> the run keeps beside them (a weight average). Each is
/// written into a hidden folder with SHA-256 sidecars and renamed into place, so a checkpoint
/// that exists is complete; a damaged one fails its checksum and is never loaded.
/// </summary>
public static class TrainingCheckpoint
{
    const string ModelFile = "model.safetensors";
    const string OptimizerFile = "optimizer.safetensors";
    const string StateFile = "trainer_state.json";

    sealed record State(int Step, int TotalSteps);

    public static string Folder(string runDirectory) => System.IO.Path.Combine(runDirectory, "checkpoints");

    /// <summary>The folder of the checkpoint of <paramref name="step"/>.</summary>
    public static string Path(string runDirectory, int step) => System.IO.Path.Combine(Folder(runDirectory), $"step-{step:D6}");

    /// <summary>Writes the checkpoint of <paramref name="step"/> and removes all but the newest <paramref name="keep"/>.</summary>
    public static string Save(string runDirectory, int step, int totalSteps, LanguageModel model, AdamWOptimizer optimizer, int keep, ICheckpointedState? extra = null)
    {
        string root = Folder(runDirectory);
        Directory.CreateDirectory(root);
        string final = Path(runDirectory, step);
        string name = System.IO.Path.GetFileName(final);
        string staging = StagingName(final);
        Directory.CreateDirectory(staging);
        try
        {
            SafetensorsFile.Save(System.IO.Path.Combine(staging, ModelFile), model.TrainingState());
            SafetensorsFile.Save(System.IO.Path.Combine(staging, OptimizerFile), optimizer.StateTensors());
            if (extra is not null)
            {
                using var scope = NewDisposeScope();
                SafetensorsFile.Save(System.IO.Path.Combine(staging, extra.FileName), extra.StateTensors());
            }
            File.WriteAllText(System.IO.Path.Combine(staging, StateFile), JsonSerializer.Serialize(new State(step, totalSteps)));
            foreach (string file in Files(extra))
                Checksum.WriteSha256Sidecar(System.IO.Path.Combine(staging, file));
            if (Directory.Exists(final)) Retire(final);
            Directory.Move(staging, final);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        foreach (string old in Completed(root).SkipLast(keep))
            Retire(old);
        return final;
    }

    static string StagingName(string checkpoint) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(checkpoint)!, $".{System.IO.Path.GetFileName(checkpoint)}.{Guid.NewGuid():N}.tmp");

    // A recursive delete killed halfway would leave a step-N folder missing files; renamed first, a
    // folder is whole or gone, and a killed delete leaves staging that the next run removes.
    static void Retire(string checkpoint)
    {
        string retired = StagingName(checkpoint);
        Directory.Move(checkpoint, retired);
        Directory.Delete(retired, recursive: true);
    }

    /// <summary>
    /// Restores the newest complete checkpoint into <paramref name="model"/>, <paramref name="optimizer"/>
    /// and <paramref name="extra"/>; returns its step, or 0 when there is none. A checkpoint failing its
    /// checksum, or without the extra state, is skipped with a warning.
    /// </summary>
    public static int RestoreLatest(string runDirectory, LanguageModel model, AdamWOptimizer optimizer, TextWriter? warnings, ICheckpointedState? extra = null)
    {
        RemoveAbandonedStaging(Folder(runDirectory));
        foreach (string folder in Completed(Folder(runDirectory)).Reverse())
        {
            try
            {
                foreach (string file in Files(extra))
                    Checksum.VerifySha256Sidecar(System.IO.Path.Combine(folder, file));
                var state = JsonSerializer.Deserialize<State>(File.ReadAllText(System.IO.Path.Combine(folder, StateFile)))
                    ?? throw BadInputException.About(folder, "empty trainer state.");
                using var scope = NewDisposeScope();
                LoadModelWeights(model, System.IO.Path.Combine(folder, ModelFile));
                optimizer.LoadState(SafetensorsFile.Load(System.IO.Path.Combine(folder, OptimizerFile), device: model.Device), state.Step, folder);
                if (extra is not null)
                {
                    string file = System.IO.Path.Combine(folder, extra.FileName);
                    extra.LoadState(SafetensorsFile.Load(file, device: model.Device), file);
                }
                return state.Step;
            }
            catch (BadInputException e)
            {
                warnings?.WriteLine($"warning: skipping checkpoint {folder}: {e.Message}");
            }
        }
        return 0;
    }

    static string[] Files(ICheckpointedState? extra) =>
        extra is null ? [ModelFile, OptimizerFile, StateFile] : [ModelFile, OptimizerFile, StateFile, extra.FileName];

    /// <summary>Copies the tensors of a safetensors file into the model's parameters, requiring every one.</summary>
    public static void LoadModelWeights(LanguageModel model, string path)
    {
        using var scope = NewDisposeScope();
        SavedTensors.CopyInto(model.TrainingState().Select(p => (p.Key, p.Value)), SafetensorsFile.Load(path, device: model.Device), path, "checkpoint");
    }

    /// <summary>Deletes the staging folders of checkpoints whose writer was killed; one run has one writer, so none is in use.</summary>
    static void RemoveAbandonedStaging(string root)
    {
        if (!Directory.Exists(root)) return;
        foreach (string staging in Directory.GetDirectories(root, ".step-*.tmp"))
            Directory.Delete(staging, recursive: true);
    }

    static IEnumerable<string> Completed(string root) =>
        Directory.Exists(root)
            ? Directory.GetDirectories(root, "step-*").Where(d => int.TryParse(System.IO.Path.GetFileName(d)[5..], NumberStyles.None, CultureInfo.InvariantCulture, out _)).Order(StringComparer.Ordinal)
            : [];
}
