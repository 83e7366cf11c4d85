using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using GenRM.IO;

namespace GenRM.Modeling;

/// <summary>
/// The files of a Hugging Face model folder: <c>config.json</c>, the safetensors weights (one file or a
/// sharded index), and the tokenizer and generation files when present. Pickle weights
/// (<c>pytorch_model.bin</c>, <c>*.pt</c>, ...) are never loaded: they can run arbitrary code.
/// </summary>
public sealed record HuggingFaceCheckpoint(
    string Folder,
    string ConfigPath,
    string WeightsPath,
    string? TokenizerPath,
    string? TokenizerConfigPath,
    string? GenerationConfigPath)
{
    public const string ConfigFileName = "config.json";
    public const string TokenizerFileName = "tokenizer.json";
    public const string TokenizerConfigFileName = "tokenizer_config.json";
    public const string GenerationConfigFileName = "generation_config.json";

    static readonly string[] PickleExtensions = [".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle"];

    /// <summary>Finds the files of the model folder at <paramref name="folder"/>.</summary>
    /// <exception cref="BadInputException">No folder, no config.json, or no safetensors weights (pickle weights are refused).</exception>
    public static HuggingFaceCheckpoint Find(string folder)
    {
        if (!Directory.Exists(folder))
            throw BadInputException.About(folder, "no such model folder");
        string weights = FindWeights(folder);
        string config = Path.Combine(folder, ConfigFileName);
        if (!File.Exists(config))
            throw BadInputException.About(folder, $"no {ConfigFileName}: not a complete Hugging Face model folder (an interrupted save leaves none)");
        return new HuggingFaceCheckpoint(folder, config, weights,
            Optional(folder, TokenizerFileName), Optional(folder, TokenizerConfigFileName), Optional(folder, GenerationConfigFileName));
    }

    /// <summary>The weights of a folder: its sharded index if any, else <c>model.safetensors</c>.</summary>
    /// <exception cref="BadInputException">Neither exists; the message says so differently when only pickle weights are there.</exception>
    public static string FindWeights(string folder)
    {
        foreach (string name in new[] { ShardedCheckpoint.IndexFileName, ShardedCheckpoint.SingleFileName })
        {
            string path = Path.Combine(folder, name);
            if (File.Exists(path))
                return path;
        }
        string? pickle = Directory.EnumerateFiles(folder).Where(IsPickleFile).Order(StringComparer.Ordinal).FirstOrDefault();
        if (pickle is not null)
            throw PickleRefused(pickle);
        throw BadInputException.About(folder, $"no {ShardedCheckpoint.SingleFileName} or {ShardedCheckpoint.IndexFileName} in the folder");
    }

    /// <summary>Reads <c>config.json</c> as a JSON object.</summary>
    public JsonObject ReadConfig()
    {
        return JsonFile.ParseNode(ConfigPath) as JsonObject
            ?? throw BadInputException.About(ConfigPath, "must hold a JSON object");
    }

    /// <summary>Opens the weights lazily (see <see cref="SafetensorsCheckpoint"/>).</summary>
    public SafetensorsCheckpoint OpenWeights() => SafetensorsCheckpoint.Open(WeightsPath);

    /// <summary>
    /// Checks that a checkpoint holds exactly the tensors a model expects, with the expected shapes,
    /// and reports every missing tensor, unexpected tensor and shape mismatch in one error. Names in
    /// <paramref name="optional"/> may be absent (tied <c>lm_head.weight</c>, say) but are shape-checked
    /// when present.
    /// </summary>
    /// <param name="source">The checkpoint's path, named in the error.</param>
    /// <param name="expected">The model's parameter shapes by name.</param>
    /// <param name="actual">The checkpoint's shapes by name (<see cref="SafetensorsCheckpoint.Shapes"/>).</param>
    /// <param name="optional">Expected names that may be absent.</param>
    /// <exception cref="BadInputException">Anything differs.</exception>
    public static void ValidateAgainst(string source, IReadOnlyDictionary<string, long[]> expected,
        IReadOnlyDictionary<string, long[]> actual, IReadOnlySet<string>? optional = null)
    {
        var missing = expected.Keys.Where(name => !actual.ContainsKey(name) && optional?.Contains(name) != true).Order(StringComparer.Ordinal).ToList();
        var unexpected = actual.Keys.Where(name => !expected.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        var mismatched = expected
            .Where(p => actual.TryGetValue(p.Key, out var shape) && !shape.SequenceEqual(p.Value))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key} (expected {SafetensorsEntry.Format(p.Value)}, found {SafetensorsEntry.Format(actual[p.Key])})")
            .ToList();
        if (missing.Count + unexpected.Count + mismatched.Count == 0)
            return;
        var message = new StringBuilder("the checkpoint does not match the model:");
        AppendList(message, "missing tensors", missing);
        AppendList(message, "unexpected tensors", unexpected);
        AppendList(message, "shape mismatches", mismatched);
        throw BadInputException.About(source, message.ToString());
    }

    static void AppendList(StringBuilder message, string title, List<string> items)
    {
        const int Shown = 10;
        if (items.Count == 0)
            return;
        message.Append(CultureInfo.InvariantCulture, $" {items.Count} {title}: {string.Join(", ", items.Take(Shown))}");
        message.Append(items.Count > Shown ? string.Create(CultureInfo.InvariantCulture, $" and {items.Count - Shown} more;") : ";");
    }

    /// <summary>
    /// Saves a model folder: <paramref name="config"/> as <c>config.json</c>, the weights (sharded
    /// above <paramref name="maxShardBytes"/>), and copies of <paramref name="extraFiles"/> (tokenizer
    /// files, say), each file written atomically. <c>config.json</c> marks a folder complete for
    /// <see cref="Find"/>, so an existing one is deleted first and the new one is written last: an
    /// interrupted save leaves a folder that is refused, never one that looks complete with mixed files.
    /// </summary>
    public static HuggingFaceCheckpoint Save(string folder, JsonObject config, IReadOnlyDictionary<string, torch.Tensor> weights,
        IEnumerable<string>? extraFiles = null, long maxShardBytes = ShardedCheckpoint.DefaultMaxShardBytes)
    {
        Directory.CreateDirectory(folder);
        string configPath = Path.Combine(folder, ConfigFileName);
        File.Delete(configPath);
        ShardedCheckpoint.Save(folder, weights, maxShardBytes);
        foreach (string source in extraFiles ?? [])
        {
            string target = Path.Combine(folder, Path.GetFileName(source));
            if (Path.GetFullPath(source) == Path.GetFullPath(target))
                continue;
            if (!File.Exists(source))
                throw BadInputException.About(source, "no such file to copy into the model folder");
            AtomicWrite.File(target, stream =>
            {
                using var input = File.OpenRead(source);
                input.CopyTo(stream);
            });
        }
        AtomicWrite.File(configPath, stream => JsonSerializer.Serialize(stream, config, IndentedJson));
        return Find(folder);
    }

    /// <summary>True for file names PyTorch pickles use: <c>*.bin</c>, <c>*.pt</c>, <c>*.pth</c>, <c>*.ckpt</c>, <c>*.pkl</c>.</summary>
    public static bool IsPickleFile(string path) =>
        PickleExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    internal static BadInputException PickleRefused(string path) => BadInputException.About(path,
        "pickle weights are never loaded (unpickling can run arbitrary code); convert the checkpoint to safetensors, " +
        "e.g. with transformers: AutoModelForCausalLM.from_pretrained(folder).save_pretrained(out, safe_serialization=True)");

    static string? Optional(string folder, string name)
    {
        string path = Path.Combine(folder, name);
        return File.Exists(path) ? path : null;
    }

    static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };
}
