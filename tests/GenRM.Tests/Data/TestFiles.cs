using System.IO.Compression;
using System.Text;

namespace GenRM.Tests.Data;

/// <summary>Writes small preference files for the reader tests.</summary>
internal static class TestFiles
{
    public static string Lines(TempDirectory folder, string name, params string[] lines)
    {
        string path = folder.File(name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n", new UTF8Encoding(false));
        return path;
    }

    public static string GzipLines(TempDirectory folder, string name, params string[] lines)
    {
        string path = folder.File(name);
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
        return path;
    }

    public static string Text(TempDirectory folder, string name, string text)
    {
        string path = folder.File(name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }
}
