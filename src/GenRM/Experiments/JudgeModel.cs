using System.Text.Json;
using GenRM.Judging;
using GenRM.MiniWorld;
using GenRM.Modeling;
using GenRM.Reporting;
using GenRM.Text;
using static TorchSharp.torch;

namespace GenRM.Experiments;

/// <summary>
/// A model folder loaded to judge with, the way <c>genrm eval</c> and <c>genrm serve</c> read it:
/// a MiniWorld model (the committed base models, or a judge that <c>genrm reproduce</c> trained
/// into <c>methods/&lt;method&gt;/model</c>) gets MiniWorld's compact judge prompt, any other
/// Hugging Face folder MT-Bench's.
/// </summary>
public sealed class JudgeModel : IDisposable
{
    JudgeModel(PretrainedModel loaded, bool isMiniWorld)
    {
        Loaded = loaded;
        IsMiniWorld = isMiniWorld;
        Encoder = new ConversationEncoder(loaded.Tokenizer, loaded.Template);
        Format = PromptFormat(isMiniWorld);
    }

    public PretrainedModel Loaded { get; }
    public bool IsMiniWorld { get; }
    public ConversationEncoder Encoder { get; }
    public IJudgePromptFormat Format { get; }

    /// <summary>Rationale sampling for this kind of model (MiniWorld's rationales are short).</summary>
    public StarSettings Sampling => SamplingFor(IsMiniWorld);

    /// <summary>
    /// Loads <paramref name="folder"/> onto <paramref name="device"/>, its weights in
    /// <paramref name="dtype"/>, its chat template given <paramref name="templateArguments"/>
    /// (<c>apply_chat_template</c>'s keyword arguments, e.g. <c>enable_thinking</c>; a MiniWorld
    /// template has none, so they are refused there).
    /// </summary>
    /// <exception cref="BadInputException">The folder is not a loadable model, or template arguments were given for a MiniWorld model.</exception>
    public static JudgeModel Load(string folder, Device device, ScalarType dtype = ScalarType.Float32, IReadOnlyDictionary<string, JsonElement>? templateArguments = null)
    {
        bool miniWorld = IsMiniWorldModel(folder);
        if (miniWorld && templateArguments is { Count: > 0 })
            throw new BadInputException($"{folder}: a MiniWorld model's chat template takes no arguments ({string.Join(", ", templateArguments.Keys)} given).");
        return new JudgeModel(miniWorld ? MiniWorldBaseModel.Load(folder, device, dtype)
            : PretrainedModel.Load(folder, device, dtype, f => ChatTemplates.ForFolder(f, templateArguments)), miniWorld);
    }

    /// <summary>The judge <paramref name="method"/> reads from these weights, with <paramref name="votes"/> sampled verdicts for chain-of-thought methods.</summary>
    public IPreferenceJudge CreateJudge(string method, int votes, int seed, IProgress<Training.TrainingProgress>? progress = null, SamplingJournal? journal = null) =>
        JudgeFactory.Create(method, Loaded.Model, Encoder, Format, new EvaluationSettings { Votes = votes }, Sampling, Loaded.Model.Config.LongestSequence, seed, progress, journal);

    /// <summary>The judge prompt a MiniWorld model (true) or a real chat model (false) was trained to answer.</summary>
    public static IJudgePromptFormat PromptFormat(bool miniWorld) => miniWorld ? new MiniWorldJudgePromptFormat() : new MtBenchJudgeFormat();

    /// <summary>Rationale sampling for a MiniWorld model (true) or a real chat model (false).</summary>
    public static StarSettings SamplingFor(bool miniWorld) => new() { MaxRationaleTokens = miniWorld ? 128 : 1024 };

    /// <summary>The method whose judge a <c>genrm reproduce</c> run saved in <paramref name="folder"/> (<c>methods/&lt;method&gt;/model</c>), or null.</summary>
    public static string? TrainedMethod(string folder)
    {
        var full = new DirectoryInfo(Path.GetFullPath(folder));
        return full.Name == "model" && full.Parent is { } parent && StudyOrder.Methods.Contains(parent.Name) && parent.Parent?.Name == "methods" ? parent.Name : null;
    }

    static bool IsMiniWorldModel(string folder)
    {
        try
        {
            MiniWorldBaseModel.LoadTokenizer(folder);
            return true;
        }
        catch (BadInputException)
        {
            return false;
        }
    }

    public void Dispose() => Loaded.Dispose();
}
