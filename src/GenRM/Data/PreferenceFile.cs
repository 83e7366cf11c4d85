using System.IO.Compression;

namespace GenRM.Data;

/// <summary>How a preference file is stored, told from its first bytes rather than its name.</summary>
internal enum PreferenceFileKind { Empty, JsonLines, JsonArray, Parquet }

internal static class PreferenceFile
{
    /// <summary>Opens the file for reading, decompressing gzip (told by its magic bytes) on the fly.</summary>
    public static Stream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    public static PreferenceFileKind Sniff(string path)
    {
        using Stream stream = Open(path);
        Span<byte> head = stackalloc byte[4];
        int read = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        if (read == 4 && head.SequenceEqual("PAR1"u8))
            return PreferenceFileKind.Parquet;
        // The first byte that is not white space or a UTF-8 byte-order mark decides between a JSON
        // array and JSON lines; anything else is read as JSON lines and reported line by line.
        for (int i = 0; ; i++)
        {
            if (i == read)
            {
                read = stream.ReadAtLeast(head, 1, throwOnEndOfStream: false);
                if (read == 0)
                    return PreferenceFileKind.Empty;
                i = 0;
            }
            byte b = head[i];
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
                continue;
            return b == (byte)'[' ? PreferenceFileKind.JsonArray : PreferenceFileKind.JsonLines;
        }
    }
}
