using System.Globalization;
using System.Text.Json;
using GenRM.Evaluation;
using GenRM.IO;
using GenRM.Reporting;
using GenRM.Training;

namespace GenRM.Experiments;

/// <summary>What a study over several seeds wrote: each seed's study, and the pooled report.</summary>
public sealed record MultiSeedResult(string Folder, IReadOnlyList<StudyResult> Studies, StudyReport Report);

/// <summary>
/// <c>genrm reproduce --seeds 1,2,3</c>: the study once per seed, each in its own sub-folder
/// <c>seed-N</c> (a complete, resumable single-seed run), then one pooled <c>results.json</c>,
/// <c>results.csv</c> and <c>report.html</c> at the top whose verdicts come from paired tests on
/// every seed's items (<see cref="SeedPooling"/>). Running it again on the same folder resumes.
/// </summary>
public sealed class MultiSeedRunner(ExperimentSpec spec, IReadOnlyList<int> seeds, string folder, IProgress<TrainingProgress>? progress = null, TextWriter? console = null)
{
    /// <summary>The seeds of a multi-seed folder; its presence tells <c>--resume</c> the folder holds several seeds.</summary>
    public const string SeedsFile = "seeds.json";

    /// <summary>Runs (or resumes) every seed's study, then writes the pooled results.</summary>
    public MultiSeedResult Run(CancellationToken cancellation = default)
    {
        if (seeds.Count == 0 || seeds.Distinct().Count() != seeds.Count)
            throw new BadInputException($"--seeds needs distinct seeds (got {string.Join(", ", seeds)}).");
        Directory.CreateDirectory(folder);
        AtomicWrite.WriteAllText(Path.Combine(folder, StudyRunner.SpecFile), spec.ToJson());
        AtomicWrite.WriteAllText(Path.Combine(folder, SeedsFile), JsonSerializer.Serialize(seeds));
        var studies = new List<StudyResult>();
        for (int i = 0; i < seeds.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            console?.WriteLine($"seed {seeds[i]} ({i + 1} of {seeds.Count})");
            studies.Add(new StudyRunner(spec with { Seed = seeds[i] }, SeedFolder(folder, seeds[i]), progress, console).Run(cancellation: cancellation));
        }
        StudyReport pooled = SeedPooling.Pool([.. studies.Select(s => s.Report)], spec.ToJson());
        ResultsJson.Write(Path.Combine(folder, "results.json"), pooled);
        var table = new ResultTable();
        table.AddRange(pooled.Results);
        table.WriteCsv(Path.Combine(folder, "results.csv"));
        ReportWriter.Write(Path.Combine(folder, "report.html"), pooled);
        console?.WriteLine($"pooled {seeds.Count} seeds: wrote results.json, results.csv and report.html to {folder}");
        return new MultiSeedResult(folder, studies, pooled);
    }

    /// <summary>The sub-folder of one seed's study.</summary>
    public static string SeedFolder(string folder, int seed) => Path.Combine(folder, $"seed-{seed.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The seeds of the multi-seed run in <paramref name="folder"/>, or null when it holds a single-seed run.</summary>
    public static IReadOnlyList<int>? TryLoadSeeds(string folder)
    {
        string path = Path.Combine(folder, SeedsFile);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<int[]>(File.ReadAllText(path)) is { Length: > 0 } loaded
                ? loaded : throw BadInputException.About(path, "no seeds listed.");
        }
        catch (JsonException e)
        {
            throw BadInputException.About(path, $"not a list of seeds ({e.Message}).");
        }
    }

    /// <summary>Parses "1,2,3" (commas or spaces) into distinct seeds.</summary>
    /// <exception cref="BadInputException">Not a list of distinct integers.</exception>
    public static IReadOnlyList<int> ParseSeeds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var seeds = new List<int>();
        foreach (string part in parts)
            seeds.Add(int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed)
                ? seed : throw new BadInputException($"--seeds: '{part}' is not an integer seed (give e.g. --seeds 1,2,3)."));
        if (seeds.Count == 0 || seeds.Distinct().Count() != seeds.Count)
            throw new BadInputException($"--seeds needs one or more distinct seeds (got '{text}').");
        return seeds;
    }
}
