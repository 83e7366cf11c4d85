using GenRM.Modeling.Lora;
using GenRM.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Modeling;

/// <summary>
/// A model with the tokenizer and chat template it was trained with, as loaded from (and saved to)
/// a Hugging Face model folder: <c>config.json</c>, safetensors weights (single or sharded),
/// <c>tokenizer.json</c>, <c>tokenizer_config.json</c>, <c>generation_config.json</c>.
/// </summary>
public sealed class PretrainedModel(LanguageModel model, ITokenizer tokenizer, IChatTemplate template) : IDisposable
{
    public LanguageModel Model { get; } = model;
    public ITokenizer Tokenizer { get; } = tokenizer;
    public IChatTemplate Template { get; } = template;

    // Old checkpoints carry the rotary frequencies as a buffer; they are recomputed from the config.
    const string RotaryBufferSuffix = "rotary_emb.inv_freq";

    /// <summary>
    /// Loads the folder onto <paramref name="device"/> (CPU when null) with weights in
    /// <paramref name="dtype"/>, each created once where it will live. The reward head
    /// <c>score.weight</c> is loaded whenever the checkpoint has one. Every mismatch between checkpoint and config is one clear error.
    /// </summary>
    public static PretrainedModel Load(string folder, Device? device = null, ScalarType dtype = ScalarType.Float32,
        Func<string, (ITokenizer, IChatTemplate)>? tokenizerLoader = null)
    {
        var files = HuggingFaceCheckpoint.Find(folder);
        ModelConfig config = ModelConfig.FromJson(files.ReadConfig(), files.ConfigPath);
        using var weights = files.OpenWeights();
        var shapes = weights.Shapes().Where(p => !p.Key.EndsWith(RotaryBufferSuffix, StringComparison.Ordinal)).ToDictionary();
        // The head's presence on disk decides, so a reward model is never loaded without its head.
        int labels = shapes.TryGetValue("score.weight", out long[]? head) ? (int)head[0] : 0;
        if (config.TieWordEmbeddings) shapes.Remove("lm_head.weight");
        config = config with { NumLabels = labels, TorchDtype = DTypeName(dtype) };

        var (tokenizer, template) = tokenizerLoader is null ? ChatTemplates.ForFolder(folder) : tokenizerLoader(folder);
        if (tokenizer.VocabSize > config.VocabSize)
            throw BadInputException.About(files.ConfigPath, $"the tokenizer has {tokenizer.VocabSize} ids but vocab_size is {config.VocabSize}.");

        Device target = device ?? CPU;
        // Each tensor is read once, converted to dtype on the target device, and becomes the
        // parameter itself: no fp32 CPU copy of the model and no random initialisation first.
        var model = LanguageModel.FromWeights(config, name => weights.Read(name, dtype, target),
            expected => HuggingFaceCheckpoint.ValidateAgainst(weights.Path, expected, shapes));
        model.eval();
        return new PretrainedModel(model, tokenizer, template);
    }

    /// <summary>
    /// Writes the model as a Hugging Face folder (weights in the model's dtype, reward head
    /// included) and copies <paramref name="tokenizerFiles"/> beside it. A model with LoRA adapters is
    /// written merged, so the folder computes what the model does, and its adapters are written in
    /// PEFT's layout into the folder's <see cref="AdapterFolderName"/> subfolder too.
    /// </summary>
    public static void Save(LanguageModel model, string folder, IEnumerable<string> tokenizerFiles)
    {
        var config = model.Config with { TorchDtype = DTypeName(model.DType) };
        using var scope = NewDisposeScope();
        var weights = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach());
        if (model.Lora is not null)
        {
            foreach (var (name, merged) in model.Lora.MergedWeights())
                weights[name] = merged;
            LoraAdapterFiles.Save(model, Path.Combine(folder, AdapterFolderName));
        }
        HuggingFaceCheckpoint.Save(folder, config.ToJson(), weights, tokenizerFiles);
    }

    /// <summary>The subfolder of a saved model folder holding the LoRA adapters it was trained with.</summary>
    public const string AdapterFolderName = "lora-adapter";

    /// <summary>The tokenizer and generation files of a model folder that exist, to copy beside saved weights.</summary>
    public static string[] TokenizerFiles(string folder) =>
        [.. new[] { HuggingFaceCheckpoint.TokenizerFileName, HuggingFaceCheckpoint.TokenizerConfigFileName, HuggingFaceCheckpoint.GenerationConfigFileName }
            .Select(name => Path.Combine(folder, name)).Where(File.Exists)];

    static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => throw new ArgumentException($"Model weights must be float32, bfloat16 or float16, not {dtype}.", nameof(dtype)),
    };

    public void Dispose() => Model.Dispose();
}
