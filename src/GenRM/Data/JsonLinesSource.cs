using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace GenRM.Data;

/// <summary>
/// Reads JSON lines from a byte stream without ever holding more than one line (capped at a
/// limit) in memory; blank lines are not items. Each line is parsed on its own, so one bad line
/// does not stop the rest.
/// </summary>
internal static class JsonLinesSource
{
    const string Unit = "line";

    public static IEnumerable<SourceItem> Read(Stream stream, int maxLineBytes)
    {
        var chunk = new byte[1 << 16];
        var line = new ArrayBufferWriter<byte>();
        long number = 1;
        bool tooLong = false;
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            int start = 0;
            while (start < read)
            {
                int newline = Array.IndexOf(chunk, (byte)'\n', start, read - start);
                int end = newline < 0 ? read : newline;
                if (!tooLong)
                {
                    if (line.WrittenCount + (end - start) > maxLineBytes)
                    {
                        tooLong = true;
                        line.Clear();
                    }
                    else
                    {
                        line.Write(chunk.AsSpan(start, end - start));
                    }
                }
                if (newline < 0)
                    break;
                SourceItem? item = Finish(line, number, tooLong, maxLineBytes);
                if (item is not null)
                    yield return item.Value;
                line.ResetWrittenCount();
                tooLong = false;
                number++;
                start = newline + 1;
            }
        }
        SourceItem? last = Finish(line, number, tooLong, maxLineBytes);
        if (last is not null)
            yield return last.Value;
    }

    static SourceItem? Finish(ArrayBufferWriter<byte> line, long number, bool tooLong, int maxLineBytes)
    {
        if (tooLong)
            return SourceItem.Broken(new DataProblem(DataProblemKind.LineTooLong, Unit, number,
                $"the line is longer than {maxLineBytes / (1024 * 1024.0):0.#} MiB; not read"));
        ReadOnlySpan<byte> bytes = line.WrittenSpan;
        if (number == 1 && bytes.StartsWith("\uFEFF"u8))
            bytes = bytes[3..];
        bytes = bytes.TrimEnd("\r\t "u8);
        if (bytes.TrimStart(" \t"u8).IsEmpty)
            return null;
        if (!Utf8.IsValid(bytes))
            return SourceItem.Broken(new DataProblem(DataProblemKind.InvalidUtf8, Unit, number, "the line is not valid UTF-8"));
        try
        {
            var reader = new Utf8JsonReader(bytes);
            JsonElement value = JsonElement.ParseValue(ref reader);
            if (reader.Read())
                throw new JsonException("more than one JSON value on the line", null, 0, reader.BytesConsumed);
            return JsonText.IsDecodable(value)
                ? SourceItem.Of(number, value)
                : SourceItem.Broken(new DataProblem(DataProblemKind.InvalidUtf8, Unit, number, "the line holds a \\u escape of half a surrogate pair, which is not text"));
        }
        catch (JsonException e)
        {
            return SourceItem.Broken(new DataProblem(DataProblemKind.MalformedJson, Unit, number, JsonProblem.Describe(e)));
        }
    }
}
