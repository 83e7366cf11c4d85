using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TorchSharp;
using GenRM.IO;

namespace GenRM.Modeling;

/// <summary>
/// Checkpoint weights as Hugging Face transformers lays them out: <c>model.safetensors</c> when they
/// fit in one shard, else <c>model-00001-of-00003.safetensors</c>, ... plus
/// <c>model.safetensors.index.json</c> (<c>{"metadata": {"total_size": bytes}, "weight_map": {tensor: shard}}</c>).
/// </summary>
public static partial class ShardedCheckpoint
{
    /// <summary>The single-file weights name.</summary>
    public const string SingleFileName = "model.safetensors";

    /// <summary>The sharded index name.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    /// <summary>transformers' default maximum shard size (5 GB).</summary>
    public const long DefaultMaxShardBytes = 5_000_000_000;

    /// <summary>The name of shard <paramref name="index"/> (1-based) of <paramref name="count"/>.</summary>
    public static string ShardFileName(int index, int count) => $"model-{index:D5}-of-{count:D5}.safetensors";

    /// <summary>
    /// Saves <paramref name="tensors"/> into <paramref name="folder"/> (created if needed), in shards of at
    /// most <paramref name="maxShardBytes"/> (a larger tensor gets a shard of its own). Every file is
    /// written under a temporary name first and renamed only when all are written, the index last; a
    /// failure leaves the folder as it was. Weight files of an earlier save that the new one does not
    /// use are then deleted, so a stale index or shard can never be read in place of the new weights.
    /// </summary>
    /// <returns>The file names written, the index (if any) last.</returns>
    public static IReadOnlyList<string> Save(string folder, IReadOnlyDictionary<string, torch.Tensor> tensors,
        long maxShardBytes = DefaultMaxShardBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxShardBytes);
        Directory.CreateDirectory(folder);
        var sizes = tensors.ToDictionary(p => p.Key, p => p.Value.numel() * p.Value.element_size(), StringComparer.Ordinal);
        var shards = Plan(sizes, maxShardBytes);
        var files = new List<string>();
        using (var batch = new AtomicWrite())
        {
            var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < shards.Count; i++)
            {
                string file = shards.Count == 1 ? SingleFileName : ShardFileName(i + 1, shards.Count);
                string path = Path.Combine(folder, file);
                var shard = shards[i].ToDictionary(name => name, name => tensors[name], StringComparer.Ordinal);
                batch.Stage(path, stream => SafetensorsFile.Write(stream, path, shard, null));
                foreach (string name in shards[i])
                    weightMap[name] = file;
                files.Add(file);
            }
            if (shards.Count > 1)
            {
                var index = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["total_size"] = sizes.Values.Sum() },
                    ["weight_map"] = new JsonObject(weightMap.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
                };
                batch.Stage(Path.Combine(folder, IndexFileName), stream => JsonSerializer.Serialize(stream, index, IndentedJson));
                files.Add(IndexFileName);
            }
            batch.Commit();
        }
        DeleteStaleWeights(folder, files);
        return files;
    }

    /// <summary>Groups names (in ordinal order) into shards of at most <paramref name="maxShardBytes"/>; always at least one shard.</summary>
    internal static List<List<string>> Plan(IReadOnlyDictionary<string, long> sizes, long maxShardBytes)
    {
        var shards = new List<List<string>> { new() };
        long current = 0;
        foreach (var (name, size) in sizes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (shards[^1].Count > 0 && current + size > maxShardBytes)
            {
                shards.Add([]);
                current = 0;
            }
            shards[^1].Add(name);
            current += size;
        }
        return shards;
    }

    static void DeleteStaleWeights(string folder, List<string> written)
    {
        var stale = Directory.EnumerateFiles(folder)
            .Select(Path.GetFileName)
            .Where(name => name is IndexFileName or SingleFileName || ShardPattern().IsMatch(name!))
            .Where(name => !written.Contains(name!))
            .OrderBy(name => name == IndexFileName ? 0 : 1); // the index goes first, so it never lists a deleted shard
        foreach (string? name in stale)
            File.Delete(Path.Combine(folder, name!));
    }

    /// <summary>
    /// Reads and validates an index: it must hold a <c>weight_map</c> object mapping each tensor name to
    /// the plain file name of a shard in the index's folder. Whether the shards exist and hold the
    /// tensors is checked by <see cref="SafetensorsCheckpoint.Open"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadIndex(string indexPath) =>
        JsonFile.Interpret(indexPath, () => ReadWeightMap(indexPath, JsonFile.ParseNode(indexPath)));

    static Dictionary<string, string> ReadWeightMap(string indexPath, JsonNode? root)
    {
        if (root is not JsonObject rootObject || rootObject["weight_map"] is not JsonObject map)
            throw BadInputException.About(indexPath, "a sharded index must be a JSON object with a \"weight_map\" object");
        var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (tensor, node) in map)
        {
            if (node is not JsonValue value || !value.TryGetValue(out string? shard))
                throw BadInputException.About(indexPath, "weight_map values must be shard file names", $"tensor '{tensor}'");
            if (shard.Length == 0 || shard != Path.GetFileName(shard) || shard is "." or "..")
                throw BadInputException.About(indexPath, $"shard '{shard}' must be a file name in the index's folder, not a path", $"tensor '{tensor}'");
            weightMap.Add(tensor, shard);
        }
        return weightMap;
    }

    static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    [GeneratedRegex(@"^model-\d{5}-of-\d{5}\.safetensors$")]
    private static partial Regex ShardPattern();
}
