using GenRM.Training;

namespace GenRM.Experiments;

/// <summary>
/// The study run that notebooks share: the quick start runs it, the results notebook reads it back,
/// and neither trains a method the other already trained. Its folder is
/// <c>runs/notebooks/&lt;preset&gt;-seed&lt;seed&gt;-&lt;library build&gt;</c> in the repository, so a
/// rebuilt library (a different compiled assembly) starts a fresh run instead of reusing stale results,
/// and an unchanged one resumes: finished methods are kept (<see cref="StudyRunner"/>).
/// </summary>
public static class SharedStudy
{
    /// <summary>The first 8 hex digits of the library's module version id, which deterministic builds derive from its content.</summary>
    public static string LibraryBuild { get; } = typeof(SharedStudy).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..8];

    /// <summary>The shared run folder of <paramref name="spec"/>, under the repository's runs/ (the working folder's outside a checkout).</summary>
    public static string Folder(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string root = RepositoryData.FindRoot() ?? Directory.GetCurrentDirectory();
        return Path.Combine(root, "runs", "notebooks", $"{spec.Preset}-seed{spec.Seed}-{LibraryBuild}");
    }

    /// <summary>
    /// Runs (or resumes, or just reads back) the shared study of <paramref name="spec"/>; stopped through
    /// <paramref name="cancellation"/> (a notebook cell's stop button), it resumes where it stopped the next time.
    /// </summary>
    public static StudyResult Run(ExperimentSpec spec, IProgress<TrainingProgress>? progress = null, TextWriter? console = null, CancellationToken cancellation = default) =>
        new StudyRunner(spec, Folder(spec), progress, console).Run(cancellation: cancellation);
}
