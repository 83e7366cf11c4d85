using GenRM.Experiments;
using GenRM.Modeling;
using GenRM.MiniWorld;

namespace GenRM.Planning;

/// <summary>The model a study plans for: its config only (config.json, never the weights), and where it came from.</summary>
public static class PlanModel
{
    /// <summary>
    /// <paramref name="folder"/>'s config.json when given; else the spec's base model: the MiniWorld
    /// size's model config, or the files study's base_model folder. Null when the spec names none.
    /// </summary>
    public static (ModelConfig Config, string Source)? For(ExperimentSpec spec, string? folder)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (folder is not null) return (Load(folder), ConfigPath(folder));
        if (spec.MiniWorld is { } world) return (MiniWorldModel.Preset(world.Size).Model, $"MiniWorld {world.Size} model");
        if (spec.Files?.BaseModel is { } baseModel) return (Load(baseModel), ConfigPath(baseModel));
        return null;
    }

    /// <summary>The weights' precision in the study: bf16 for a files study that asks for it, else fp32.</summary>
    public static PlanDType DType(ExperimentSpec spec) => spec?.Files is { Bfloat16: true } ? PlanDType.Bf16 : PlanDType.Fp32;

    /// <summary>Reads <c>config.json</c> of a model folder (or the file itself).</summary>
    /// <exception cref="BadInputException">No such folder, no config.json in it, or a config the model cannot be built from.</exception>
    public static ModelConfig Load(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder) && !File.Exists(folder))
            throw BadInputException.About(folder, "no such model folder.");
        return ModelConfig.Load(ConfigPath(folder)).Validated(ConfigPath(folder));
    }

    static string ConfigPath(string folder) => File.Exists(folder) ? folder : Path.Combine(folder, "config.json");
}
