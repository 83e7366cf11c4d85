using System.Text.Json;
using System.Text.Json.Serialization;
using GenRM.IO;
using GenRM.MiniWorld;

namespace GenRM.Cli;

/// <summary>
/// The settings of a <c>genrm pretrain</c> run folder, kept in it as <see cref="FileName"/> beside the
/// metrics and checkpoints, so that <c>--resume</c> continues the run as it began.
/// </summary>
internal sealed record PretrainRun(string Preset, long Seed, int Steps, string Out)
{
    public const string FileName = "pretrain.json";

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public void Save(string runFolder) => AtomicWrite.WriteAllText(Path.Combine(runFolder, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>The settings of the run in <paramref name="runFolder"/>; a missing or malformed file is an error naming it.</summary>
    public static PretrainRun Load(string runFolder)
    {
        string path = Path.Combine(runFolder, FileName);
        if (!File.Exists(path))
            throw BadInputException.About(path, "no pretraining run here: `genrm pretrain` writes this file into the run folder it starts.");
        using JsonDocument document = JsonFile.Parse(path);
        PretrainRun run;
        try
        {
            run = document.Deserialize<PretrainRun>(Json) ?? throw BadInputException.About(path, "the settings are empty.");
        }
        catch (JsonException e)
        {
            throw BadInputException.About(path, $"not the settings of a pretraining run ({e.Message}).");
        }
        if (run.Preset is not (MiniWorldModel.SmokeName or MiniWorldModel.DefaultName))
            throw BadInputException.About(path, $"unknown preset '{run.Preset}' ({MiniWorldModel.SmokeName} or {MiniWorldModel.DefaultName}).", "preset");
        if (run.Steps < 1)
            throw BadInputException.About(path, $"steps must be at least 1 (got {run.Steps}).", "steps");
        return run;
    }
}
