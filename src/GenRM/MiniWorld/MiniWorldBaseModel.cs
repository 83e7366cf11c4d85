using System.Text.Json;
using System.Text.Json.Nodes;
using GenRM.IO;
using GenRM.Modeling;
using GenRM.Text;
using static TorchSharp.torch;

namespace GenRM.MiniWorld;

/// <summary>
/// The pretrained MiniWorld base model on disk: a Hugging Face folder (<c>config.json</c>,
/// <c>model.safetensors</c> with its <c>.sha256</c> sidecar, and a <c>tokenizer_config.json</c>
/// naming the MiniWorld tokenizer and chat template). The repository ships one per preset under
/// <c>data/miniworld/&lt;preset&gt;/</c>, written by <c>genrm pretrain</c>.
/// </summary>
public static class MiniWorldBaseModel
{
    /// <summary>The <c>tokenizer_class</c> written into <c>tokenizer_config.json</c>.</summary>
    public const string TokenizerClass = "MiniWorldTokenizer";

    /// <summary>The folder of a preset's committed model inside a repository: <c>data/miniworld/&lt;preset&gt;</c>.</summary>
    public static string Folder(string repositoryRoot, string preset) => Path.Combine(repositoryRoot, "data", "miniworld", preset);

    /// <summary>Writes <paramref name="model"/> into <paramref name="folder"/> with the tokenizer config and the weights' checksum.</summary>
    public static void Save(LanguageModel model, string folder)
    {
        Directory.CreateDirectory(folder);
        string tokenizerConfig = Path.Combine(folder, HuggingFaceCheckpoint.TokenizerConfigFileName);
        var json = new JsonObject { ["tokenizer_class"] = TokenizerClass, ["chat_template"] = new MiniWorldChatTemplate().Name };
        AtomicWrite.WriteAllText(tokenizerConfig, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        PretrainedModel.Save(model, folder, [tokenizerConfig]);
        Checksum.WriteSha256Sidecar(Path.Combine(folder, ShardedCheckpoint.SingleFileName));
    }

    /// <summary>Loads the model in <paramref name="folder"/> onto <paramref name="device"/> in <paramref name="dtype"/> after checking its weights against their checksum.</summary>
    /// <exception cref="BadInputException">No model there, no checksum, or a checksum that does not match; the message says to run <c>genrm pretrain</c>.</exception>
    public static PretrainedModel Load(string folder, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        string weights = Path.Combine(folder, ShardedCheckpoint.SingleFileName);
        try
        {
            Checksum.VerifySha256Sidecar(weights);
        }
        catch (BadInputException e)
        {
            throw new BadInputException($"{e.Message}. Run 'genrm pretrain --out {folder}' to write the MiniWorld base model again.");
        }
        return PretrainedModel.Load(folder, device, dtype, LoadTokenizer);
    }

    /// <summary>
    /// The tokenizer loader for <see cref="PretrainedModel.Load"/>: reads the folder's
    /// <c>tokenizer_config.json</c> and, when it names <see cref="TokenizerClass"/>, returns the
    /// MiniWorld tokenizer and chat template (both fixed, so nothing else is stored).
    /// </summary>
    public static (ITokenizer Tokenizer, IChatTemplate Template) LoadTokenizer(string folder)
    {
        string path = Path.Combine(folder, HuggingFaceCheckpoint.TokenizerConfigFileName);
        if (!File.Exists(path))
            throw BadInputException.About(path, "no tokenizer config: not a MiniWorld model folder");
        string? tokenizerClass;
        try
        {
            tokenizerClass = JsonNode.Parse(File.ReadAllText(path))?["tokenizer_class"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw BadInputException.About(path, $"not a valid tokenizer config ({e.Message})");
        }
        if (tokenizerClass != TokenizerClass)
            throw BadInputException.About(path, $"tokenizer_class is '{tokenizerClass}', not '{TokenizerClass}'");
        return (new MiniWorldTokenizer(), new MiniWorldChatTemplate());
    }
}
