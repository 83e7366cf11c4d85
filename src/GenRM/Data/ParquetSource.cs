using System.Text.Json;
using Parquet;
using Parquet.Serialization;

namespace GenRM.Data;

/// <summary>
/// Reads a Parquet file's rows as JSON objects, so the named formats see the same shape as from
/// JSON: list columns become arrays and struct columns objects (chat messages come out as
/// arrays of {role, content}). One row group is held in memory at a time.
/// </summary>
internal static class ParquetSource
{
    public static IEnumerable<SourceItem> Read(Stream stream, string path)
    {
        int rowGroups = Guard(path, () =>
        {
            ParquetGuard.CheckFooter(stream, path);
            ParquetReader reader = ParquetReader.CreateAsync(stream, leaveStreamOpen: true).GetAwaiter().GetResult();
            try
            {
                foreach (var group in reader.Metadata?.RowGroups ?? [])
                    foreach (var column in group.Columns)
                        if (column.MetaData is { } chunk)
                            ParquetGuard.CheckColumnChunk(stream, path, chunk.DictionaryPageOffset is > 0 and long dictionary ? dictionary : chunk.DataPageOffset, chunk.TotalCompressedSize);
                return reader.RowGroupCount;
            }
            finally
            {
                reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });
        long number = 1;
        for (int group = 0; group < rowGroups; group++)
        {
            stream.Position = 0;
            IList<Dictionary<string, object>> rows = Guard(path, () =>
                ParquetSerializer.DeserializeUntypedAsync(stream, rowGroupIndex: group).GetAwaiter().GetResult().Data);
            foreach (Dictionary<string, object> row in rows)
                yield return SourceItem.Of(number++, JsonSerializer.SerializeToElement(row));
        }
    }

    static T Guard<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        // Parquet.Net reports a corrupt file with many exception types (its own ThriftProtocolException,
        // IndexOutOfRangeException, OverflowException...); whatever it throws here is about the file's bytes.
        catch (Exception e) when (e is not (BadInputException or OutOfMemoryException or OperationCanceledException))
        {
            throw BadInputException.About(path, $"not a readable Parquet file ({e.Message})");
        }
    }
}
