using System.Buffers.Binary;
using System.Text.Json;
using TorchSharp;
using GenRM.IO;

namespace GenRM.Modeling;

/// <summary>
/// Loads and saves a whole safetensors file. For lazy, tensor-by-tensor reading use
/// <see cref="SafetensorsReader"/>; for a header alone, <see cref="SafetensorsHeader.Read(string)"/>.
/// </summary>
public static class SafetensorsFile
{
    /// <summary>Bytes written per call when copying tensor data out.</summary>
    const int ChunkBytes = 64 << 20;

    /// <summary>
    /// Reads the tensors named in <paramref name="names"/> (all when null) onto <paramref name="device"/>,
    /// converting floating-point ones to <paramref name="dtype"/> when given.
    /// </summary>
    public static Dictionary<string, torch.Tensor> Load(string path, IEnumerable<string>? names = null,
        torch.ScalarType? dtype = null, torch.Device? device = null)
    {
        using var checkpoint = SafetensorsCheckpoint.Open(path);
        return checkpoint.ReadAll(names, dtype, device);
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> atomically: names sorted, header padded with spaces to a
    /// multiple of 8 bytes, <c>__metadata__</c> holding <c>"format": "pt"</c> plus
    /// <paramref name="metadata"/>, each tensor made contiguous and copied to the CPU.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor has a dtype safetensors cannot hold here, or a reserved name.</exception>
    public static void Save(string path, IReadOnlyDictionary<string, torch.Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicWrite.File(path, stream => Write(stream, path, tensors, metadata));

    /// <summary>Writes a complete safetensors file to <paramref name="stream"/>.</summary>
    internal static void Write(Stream stream, string path, IReadOnlyDictionary<string, torch.Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata)
    {
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        byte[] header = BuildHeader(path, names, tensors, metadata);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (string name in names)
            WriteData(stream, tensors[name]);
    }

    static byte[] BuildHeader(string path, List<string> names, IReadOnlyDictionary<string, torch.Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject(SafetensorsHeader.MetadataKey);
            json.WriteString("format", "pt");
            foreach (var (key, value) in (metadata ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
                if (key != "format")
                    json.WriteString(key, value);
            json.WriteEndObject();
            long offset = 0;
            foreach (string name in names)
            {
                if (name == SafetensorsHeader.MetadataKey)
                    throw new ArgumentException($"{path}: '{name}' is reserved and cannot name a tensor.", nameof(tensors));
                var tensor = tensors[name];
                var dtype = TensorDType.FromScalarType(tensor.dtype)
                    ?? throw new ArgumentException($"{path}: tensor '{name}': dtype {tensor.dtype} cannot be stored in safetensors here.", nameof(tensors));
                long bytes = tensor.numel() * dtype.Size;
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype.Name);
                json.WriteStartArray("shape");
                foreach (long dimension in tensor.shape)
                    json.WriteNumberValue(dimension);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        // Pad with spaces so the data block starts 8-byte aligned, as the reference writer does.
        int padding = (int)((8 - buffer.Length % 8) % 8);
        for (int i = 0; i < padding; i++)
            buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    static void WriteData(Stream stream, torch.Tensor tensor)
    {
        if (tensor.numel() == 0)
            return;
        using var scope = torch.NewDisposeScope();
        var flat = tensor.detach().to(torch.CPU).contiguous().view(-1);
        long count = flat.shape[0];
        long perChunk = ChunkBytes / flat.element_size();
        for (long start = 0; start < count; start += perChunk)
        {
            using var piece = flat.narrow(0, start, Math.Min(perChunk, count - start));
            stream.Write(piece.bytes);
        }
    }
}
