using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace GenRM.IO;

/// <summary>
/// Reads a small JSON file from outside (a config, a tokenizer, a spec) so that every way it can be
/// wrong is one <see cref="BadInputException"/> naming the file: unreadable, not UTF-8 (System.Text.Json
/// only notices broken UTF-8 inside a string when the string is read), not JSON, or a repeated key
/// (which would otherwise silently pick one value, or throw later from <see cref="JsonObject"/>).
/// </summary>
public static class JsonFile
{
    static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false };

    /// <summary>Parses the file into a document the caller disposes.</summary>
    /// <exception cref="BadInputException">The file is missing, unreadable, not UTF-8 or not JSON.</exception>
    public static JsonDocument Parse(string path)
    {
        ReadOnlyMemory<byte> bytes = ReadUtf8(path);
        try
        {
            return JsonDocument.Parse(bytes, Options);
        }
        // The duplicate-key check unescapes names and throws InvalidOperationException on a lone surrogate escape.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw BadInputException.About(path, "not valid JSON: " + e.Message);
        }
    }

    /// <summary>Parses the file into a mutable node tree (null for a file holding <c>null</c>).</summary>
    /// <exception cref="BadInputException">As <see cref="Parse"/>.</exception>
    public static JsonNode? ParseNode(string path)
    {
        ReadOnlyMemory<byte> bytes = ReadUtf8(path);
        try
        {
            return JsonNode.Parse(bytes.Span, documentOptions: Options);
        }
        // The duplicate-key check unescapes names and throws InvalidOperationException on a lone surrogate escape.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw BadInputException.About(path, "not valid JSON: " + e.Message);
        }
    }

    /// <summary>
    /// Runs <paramref name="interpret"/> over parsed JSON, turning a value of an unexpected kind
    /// (a number where a string belongs, an array where an object does) into a <see cref="BadInputException"/>.
    /// </summary>
    public static T Interpret<T>(string path, Func<T> interpret)
    {
        ArgumentNullException.ThrowIfNull(interpret);
        try
        {
            return interpret();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or KeyNotFoundException or IndexOutOfRangeException)
        {
            throw BadInputException.About(path, "a value has an unexpected type or range: " + e.Message);
        }
    }

    /// <summary>The file's bytes without a UTF-8 byte-order mark, checked to be UTF-8.</summary>
    static ReadOnlyMemory<byte> ReadUtf8(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BadInputException.About(path, "cannot read the file: " + e.Message);
        }
        ReadOnlyMemory<byte> text = bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes.AsMemory(3) : bytes;
        if (!Utf8.IsValid(text.Span))
            throw BadInputException.About(path, "not valid JSON: the file is not valid UTF-8");
        return text;
    }
}
