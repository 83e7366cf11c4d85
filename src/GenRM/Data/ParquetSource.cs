using System.Text.Json;
using Parquet.Serialization;

namespace GenRM.Data;

/// <summary>
/// Reads a Parquet file's rows as JSON objects, so the named formats see the same shape as from
/// JSON: list columns become arrays and struct columns objects (chat messages come out as
/// arrays of {role, content}).
/// </summary>
internal static class ParquetSource
{
    public static IEnumerable<SourceItem> Read(Stream stream, string path)
    {
        IList<Dictionary<string, object>> rows;
        try
        {
            rows = ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult().Data;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw BadInputException.About(path, $"not a readable Parquet file ({e.Message})");
        }
        for (int i = 0; i < rows.Count; i++)
            yield return SourceItem.Of(i + 1, JsonSerializer.SerializeToElement(rows[i]));
    }
}
