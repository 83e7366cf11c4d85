using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Win32.SafeHandles;
using GenRM.IO;

namespace GenRM.Modeling;

/// <summary>
/// The validated header of a safetensors file: its tensors, its <c>__metadata__</c>, and where the
/// data block starts. Reading it touches only the first 8 + N bytes of the file, and every number in
/// it is checked against the file's size before anything is allocated from it.
/// </summary>
/// <remarks>
/// Format (https://github.com/huggingface/safetensors): an 8-byte little-endian length N, N bytes of
/// UTF-8 JSON (possibly padded with trailing spaces), then the data block. The spec requires the data
/// block to be fully covered by the tensors, without holes or overlaps; this reader enforces that.
/// </remarks>
public sealed class SafetensorsHeader
{
    /// <summary>The largest header accepted, as in the reference implementation (100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>The key of the free-form string-to-string map in the header.</summary>
    public const string MetadataKey = "__metadata__";

    SafetensorsHeader(string path, long dataStart, long dataLength,
        IReadOnlyDictionary<string, SafetensorsEntry> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        DataStart = dataStart;
        DataLength = dataLength;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The file this header was read from.</summary>
    public string Path { get; }

    /// <summary>The absolute file offset of the data block (8 + N).</summary>
    public long DataStart { get; }

    /// <summary>The size of the data block in bytes.</summary>
    public long DataLength { get; }

    /// <summary>The tensors by name.</summary>
    public IReadOnlyDictionary<string, SafetensorsEntry> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Reads and validates the header of the file at <paramref name="path"/>.</summary>
    /// <exception cref="BadInputException">The file is not a valid safetensors file; the message names the file and the tensor.</exception>
    public static SafetensorsHeader Read(string path)
    {
        using var handle = SafetensorsReader.OpenHandle(path);
        return Read(handle, path);
    }

    internal static SafetensorsHeader Read(SafeFileHandle handle, string path)
    {
        long fileLength = RandomAccess.GetLength(handle);
        if (fileLength < 8)
            throw BadInputException.About(path, $"not a safetensors file: {fileLength} bytes, fewer than the 8-byte header length");
        Span<byte> prefix = stackalloc byte[8];
        SafetensorsReader.ReadExactly(handle, prefix, 0, path, "header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes)
            throw BadInputException.About(path, $"header length {headerLength} is over the {MaxHeaderBytes}-byte limit: not a safetensors file, or a corrupt one");
        if ((long)headerLength > fileLength - 8)
            throw BadInputException.About(path, $"header length {headerLength} goes beyond the end of the file ({fileLength} bytes): the file is truncated or not a safetensors file");
        var json = new byte[headerLength];
        SafetensorsReader.ReadExactly(handle, json, 8, path, "header");
        long dataStart = 8 + (long)headerLength;
        return Parse(json, path, dataStart, fileLength - dataStart);
    }

    /// <summary>Parses and validates header JSON against a data block of <paramref name="dataLength"/> bytes.</summary>
    internal static SafetensorsHeader Parse(byte[] json, string path, long dataStart, long dataLength)
    {
        if (!Utf8.IsValid(json))
            throw BadInputException.About(path, "the header is not valid JSON (it is not valid UTF-8)");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw BadInputException.About(path, $"the header is not valid JSON ({e.Message})");
        }
        using (document)
            return JsonFile.Interpret(path, () => Interpret(document.RootElement, path, dataStart, dataLength));
    }

    static SafetensorsHeader Interpret(JsonElement root, string path, long dataStart, long dataLength)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw BadInputException.About(path, $"the header must be a JSON object, found {root.ValueKind}");
        var tensors = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        bool sawMetadata = false;
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name == MetadataKey)
            {
                if (sawMetadata)
                    throw BadInputException.About(path, "appears twice in the header", MetadataKey);
                sawMetadata = true;
                ReadMetadata(property.Value, path, metadata);
                continue;
            }
            var entry = ReadEntry(property.Name, property.Value, path, dataLength);
            if (!tensors.TryAdd(entry.Name, entry))
                throw BadInputException.About(path, "appears twice in the header", $"tensor '{entry.Name}'");
        }
        CheckCoverage(tensors.Values, path, dataLength);
        return new SafetensorsHeader(path, dataStart, dataLength, tensors, metadata);
    }

    static void ReadMetadata(JsonElement element, string path, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw BadInputException.About(path, $"must be an object of strings, found {element.ValueKind}", MetadataKey);
        foreach (var item in element.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw BadInputException.About(path, $"value of '{item.Name}' must be a string, found {item.Value.ValueKind}", MetadataKey);
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    static SafetensorsEntry ReadEntry(string name, JsonElement element, string path, long dataLength)
    {
        string item = $"tensor '{name}'";
        if (element.ValueKind != JsonValueKind.Object)
            throw BadInputException.About(path, $"must be an object with dtype, shape and data_offsets, found {element.ValueKind}", item);

        if (!element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw BadInputException.About(path, "has no dtype string", item);
        string dtypeName = dtypeElement.GetString()!;
        var dtype = TensorDType.FromName(dtypeName)
            ?? throw BadInputException.About(path, $"unknown or unsupported dtype '{dtypeName}' (supported: {string.Join(", ", TensorDType.All.Select(d => d.Name))})", item);

        long[] shape = ReadIntegers(element, "shape", path, item);
        long[] offsets = ReadIntegers(element, "data_offsets", path, item);
        if (offsets.Length != 2)
            throw BadInputException.About(path, $"data_offsets must be [begin, end], found {offsets.Length} numbers", item);
        long begin = offsets[0], end = offsets[1];
        if (begin > end)
            throw BadInputException.About(path, $"data_offsets [{begin}, {end}] end before they begin", item);
        if (end > dataLength)
            throw BadInputException.About(path, $"data_offsets [{begin}, {end}] go beyond the data block ({dataLength} bytes): the file is truncated or the header is wrong", item);

        long expectedBytes = ByteCount(shape, dtype)
            ?? throw BadInputException.About(path, $"shape {SafetensorsEntry.Format(shape)} of {dtype.Name} is too large to address", item);
        if (expectedBytes != end - begin)
            throw BadInputException.About(path, $"shape {SafetensorsEntry.Format(shape)} of {dtype.Name} needs {expectedBytes} bytes, but data_offsets [{begin}, {end}] hold {end - begin}", item);
        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    /// <summary>Element count × dtype size, or null when it overflows a long.</summary>
    static long? ByteCount(long[] shape, TensorDType dtype)
    {
        try
        {
            long bytes = dtype.Size;
            foreach (long dimension in shape)
                bytes = checked(bytes * dimension);
            return bytes;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    static long[] ReadIntegers(JsonElement element, string field, string path, string item)
    {
        if (!element.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
            throw BadInputException.About(path, $"has no {field} array", item);
        var values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var value in array.EnumerateArray())
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long number) || number < 0)
                throw BadInputException.About(path, $"{field} must hold non-negative integers, found {value.GetRawText()}", item);
            values[i++] = number;
        }
        return values;
    }

    /// <summary>The tensors must tile the data block exactly: no overlap, no hole, nothing after the last.</summary>
    static void CheckCoverage(IEnumerable<SafetensorsEntry> entries, string path, long dataLength)
    {
        long covered = 0;
        SafetensorsEntry? previous = null;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin < covered)
                throw BadInputException.About(path, $"data_offsets [{entry.Begin}, {entry.End}] overlap those of tensor '{previous!.Name}' [{previous.Begin}, {previous.End}]", $"tensor '{entry.Name}'");
            if (entry.Begin > covered)
                throw BadInputException.About(path, $"bytes [{covered}, {entry.Begin}) of the data block before it belong to no tensor; safetensors forbids holes", $"tensor '{entry.Name}'");
            covered = entry.End;
            previous = entry;
        }
        if (covered != dataLength)
            throw BadInputException.About(path, $"the data block has {dataLength} bytes but the tensors cover only {covered}; safetensors forbids trailing data");
    }
}
