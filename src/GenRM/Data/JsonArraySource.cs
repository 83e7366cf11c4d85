using System.Text.Json;

namespace GenRM.Data;

/// <summary>
/// Streams the items of a top-level JSON array. A syntax error cannot be skipped (the rest of the
/// array has no known boundaries), so it always stops the read, naming the line.
/// </summary>
internal static class JsonArraySource
{
    public static IEnumerable<SourceItem> Read(Stream stream, string path)
    {
        IEnumerator<JsonElement> items = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream).ToBlockingEnumerable().GetEnumerator();
        using (items)
        {
            for (long number = 1; ; number++)
            {
                bool more;
                try
                {
                    more = items.MoveNext();
                }
                catch (JsonException e)
                {
                    // The serializer reads ahead by a buffer, so the item count is not where it failed; the line is.
                    string line = e.LineNumber is long zeroBased ? $"line {zeroBased + 1}" : $"near item {number}";
                    throw BadInputException.About(path, JsonProblem.Describe(e), line);
                }
                if (!more)
                    yield break;
                yield return JsonText.IsDecodable(items.Current)
                    ? SourceItem.Of(number, items.Current)
                    : SourceItem.Broken(new DataProblem(DataProblemKind.InvalidUtf8, "item", number, "the item holds text that is not valid UTF-8, or a \\u escape of half a surrogate pair"));
            }
        }
    }
}
