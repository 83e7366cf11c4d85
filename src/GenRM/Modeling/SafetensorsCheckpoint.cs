using TorchSharp;

namespace GenRM.Modeling;

/// <summary>
/// The weights of a checkpoint, in one safetensors file or sharded behind a
/// <c>model.safetensors.index.json</c>, read lazily: every header is read and validated on open,
/// each tensor's data only when it is asked for.
/// </summary>
public sealed class SafetensorsCheckpoint : IDisposable
{
    readonly List<SafetensorsReader> readers;
    readonly Dictionary<string, SafetensorsReader> owners;

    SafetensorsCheckpoint(string path, List<SafetensorsReader> readers, Dictionary<string, SafetensorsReader> owners)
    {
        Path = path;
        this.readers = readers;
        this.owners = owners;
        Tensors = owners.ToDictionary(p => p.Key, p => p.Value.Header.Tensors[p.Key], StringComparer.Ordinal);
    }

    /// <summary>The file or index this checkpoint was opened from.</summary>
    public string Path { get; }

    /// <summary>Every tensor's header entry, by name.</summary>
    public IReadOnlyDictionary<string, SafetensorsEntry> Tensors { get; }

    /// <summary>The shapes of every tensor, by name (what <see cref="HuggingFaceCheckpoint.ValidateAgainst"/> compares).</summary>
    public IReadOnlyDictionary<string, long[]> Shapes() => Tensors.ToDictionary(p => p.Key, p => p.Value.ShapeArray(), StringComparer.Ordinal);

    /// <summary>
    /// Opens a <c>.safetensors</c> file, a <c>*.index.json</c> sharded index, or a folder holding
    /// <c>model.safetensors.index.json</c> or <c>model.safetensors</c>. Pickle files are refused.
    /// </summary>
    /// <exception cref="BadInputException">Missing, pickle, or invalid files; a shard or a listed tensor that is absent.</exception>
    public static SafetensorsCheckpoint Open(string path)
    {
        if (Directory.Exists(path))
            path = HuggingFaceCheckpoint.FindWeights(path);
        if (path.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase))
            return OpenSharded(path);
        var reader = SafetensorsReader.Open(path);
        return new SafetensorsCheckpoint(path, [reader], reader.Header.Tensors.Keys.ToDictionary(name => name, _ => reader, StringComparer.Ordinal));
    }

    static SafetensorsCheckpoint OpenSharded(string indexPath)
    {
        var weightMap = ShardedCheckpoint.ReadIndex(indexPath);
        string folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(indexPath))!;
        var readers = new List<SafetensorsReader>();
        try
        {
            var byShard = new Dictionary<string, SafetensorsReader>(StringComparer.Ordinal);
            var owners = new Dictionary<string, SafetensorsReader>(StringComparer.Ordinal);
            foreach (var (tensor, shard) in weightMap)
            {
                if (!byShard.TryGetValue(shard, out var reader))
                {
                    string shardPath = System.IO.Path.Combine(folder, shard);
                    if (!File.Exists(shardPath))
                        throw BadInputException.About(indexPath, $"shard '{shard}' is missing from {folder}", $"tensor '{tensor}'");
                    reader = SafetensorsReader.Open(shardPath);
                    readers.Add(reader);
                    byShard.Add(shard, reader);
                }
                if (!reader.Header.Tensors.ContainsKey(tensor))
                    throw BadInputException.About(indexPath, $"listed in shard '{shard}', which does not hold it", $"tensor '{tensor}'");
                owners.Add(tensor, reader);
            }
            return new SafetensorsCheckpoint(indexPath, readers, owners);
        }
        catch
        {
            foreach (var reader in readers)
                reader.Dispose();
            throw;
        }
    }

    /// <summary>Reads one tensor; see <see cref="SafetensorsReader.Read"/> for dtype and device.</summary>
    public torch.Tensor Read(string name, torch.ScalarType? dtype = null, torch.Device? device = null)
    {
        if (!owners.TryGetValue(name, out var reader))
            throw BadInputException.About(Path, "no such tensor in the checkpoint", $"tensor '{name}'");
        return reader.Read(name, dtype, device);
    }

    /// <summary>Reads the named tensors (all when null); on failure, the tensors already read are disposed.</summary>
    public Dictionary<string, torch.Tensor> ReadAll(IEnumerable<string>? names = null, torch.ScalarType? dtype = null, torch.Device? device = null)
    {
        using var scope = torch.NewDisposeScope();
        var result = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        foreach (string name in names ?? Tensors.Keys)
            result[name] = Read(name, dtype, device);
        foreach (var tensor in result.Values)
            tensor.MoveToOuterDisposeScope();
        return result;
    }

    public void Dispose()
    {
        foreach (var reader in readers)
            reader.Dispose();
    }
}
