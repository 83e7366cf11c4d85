using Microsoft.Win32.SafeHandles;
using TorchSharp;

namespace GenRM.Modeling;

/// <summary>
/// Reads tensors from one safetensors file lazily: the header on open, then each tensor on request,
/// straight from the file into a tensor's memory (no intermediate managed copy), so a large
/// checkpoint never needs twice its size in memory.
/// </summary>
public sealed class SafetensorsReader : IDisposable
{
    /// <summary>Bytes read per call: a tensor's span is capped at int.MaxValue bytes.</summary>
    const int ChunkBytes = 64 << 20;

    readonly SafeFileHandle handle;

    SafetensorsReader(SafeFileHandle handle, SafetensorsHeader header)
    {
        this.handle = handle;
        Header = header;
    }

    /// <summary>The validated header.</summary>
    public SafetensorsHeader Header { get; }

    /// <summary>The file read.</summary>
    public string Path => Header.Path;

    /// <summary>Opens the file and reads and validates its header.</summary>
    /// <exception cref="BadInputException">The file is missing, a pickle file, or not valid safetensors.</exception>
    public static SafetensorsReader Open(string path)
    {
        var handle = OpenHandle(path);
        try
        {
            return new SafetensorsReader(handle, SafetensorsHeader.Read(handle, path));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads one tensor onto <paramref name="device"/> (CPU by default). A floating-point tensor is
    /// converted to <paramref name="dtype"/> when one is given; integer and boolean tensors keep theirs.
    /// </summary>
    public torch.Tensor Read(string name, torch.ScalarType? dtype = null, torch.Device? device = null)
    {
        if (!Header.Tensors.TryGetValue(name, out var entry))
            throw BadInputException.About(Path, "no such tensor in the file", $"tensor '{name}'");
        using var scope = torch.NewDisposeScope();
        var tensor = torch.empty(entry.ShapeArray(), entry.DType.ScalarType);
        Fill(tensor, entry);
        var target = entry.DType.IsFloatingPoint && dtype is { } wanted ? wanted : entry.DType.ScalarType;
        return tensor.to(target, device ?? torch.CPU).MoveToOuterDisposeScope();
    }

    void Fill(torch.Tensor tensor, SafetensorsEntry entry)
    {
        if (entry.ByteCount == 0)
            return;
        var flat = tensor.view(-1);
        long count = flat.shape[0];
        long perChunk = ChunkBytes / entry.DType.Size;
        for (long start = 0; start < count; start += perChunk)
        {
            using var piece = flat.narrow(0, start, Math.Min(perChunk, count - start));
            long offset = Header.DataStart + entry.Begin + start * entry.DType.Size;
            ReadExactly(handle, piece.bytes, offset, Path, $"tensor '{entry.Name}'");
        }
    }

    public void Dispose() => handle.Dispose();

    /// <summary>Opens a file for reading, refusing pickle files and turning a missing file into a clear error.</summary>
    internal static SafeFileHandle OpenHandle(string path)
    {
        if (HuggingFaceCheckpoint.IsPickleFile(path))
            throw HuggingFaceCheckpoint.PickleRefused(path);
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw BadInputException.About(path, "cannot open the file: " + e.Message);
        }
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/>, failing clearly when the file ends first.</summary>
    internal static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset, string path, string item)
    {
        while (!buffer.IsEmpty)
        {
            int read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0)
                throw BadInputException.About(path, $"the file ends at byte {offset}, before the data it declares (was it changed while being read?)", item);
            buffer = buffer[read..];
            offset += read;
        }
    }
}
